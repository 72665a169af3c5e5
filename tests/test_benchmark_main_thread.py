"""The benchmark report's account of where a move's browser time goes (app against floor)."""

from types import SimpleNamespace

from benchmarks.client_profile import SETTLE_KEY
from benchmarks.report import Report


def test_main_thread_table_sums_and_names_the_largest_gaps() -> None:
    app = {"(program)": 60.0, "react-dom.x.js": 30.0, "emotion-styled.y.js": 20.0, "(idle)": 200.0, SETTLE_KEY: 250.0}
    floor = {"(program)": 20.0, "react-dom.x.js": 5.0, "other.js": 2.0, "(idle)": 150.0, SETTLE_KEY: 140.0}
    lines = Report._main_thread(SimpleNamespace(main_thread_ms={"app": app, "floor": floor}), server_ms=12.0)
    text = "\n".join(lines)
    # busy = everything but idle: app 110 ms, floor 27 ms
    assert "| **main thread busy per move** | **110.0** | **27.0** | **+83.0** |" in text
    assert "| `(program)` (the renderer outside JavaScript: style, layout, paint) | 60.0 | 20.0 | +40.0 |" in text
    assert "| everything else | 0.0 | 2.0 | -2.0 |" in text  # the floor's file the app does not have
    assert "mostly in `(program)` +40.0 ms, `react-dom.x.js` +25.0 ms, `emotion-styled.y.js` +20.0 ms" in text
    assert "is +12.0 ms" in text


def test_no_profile_no_section() -> None:
    assert Report._main_thread(SimpleNamespace(main_thread_ms={}), server_ms=0.0) == []
