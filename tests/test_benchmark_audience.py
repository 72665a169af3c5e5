"""benchmarks/audience.py's report and ``--json`` line, from made-up bursts (no server, no browser)."""

from __future__ import annotations

import json

import pytest

from benchmarks import audience
from benchmarks.audience import AudienceResult, Burst


def burst(name: str, wire_ms: list[float], page_ms: list[float], errors: list[str] | None = None) -> Burst:
    return Burst(
        name, len(wire_ms) + len(page_ms), len(page_ms), 10.0, page_ms, wire_ms, errors or [],
        {"before": 100 * 1024, "peak": 120 * 1024, "after": 110 * 1024}, 3.0, 12.0,
    )  # fmt: skip


def result(app_wire: list[float], floor_wire: list[float], app_errors: list[str] | None = None) -> AudienceResult:
    bursts = {
        "app": burst("app", app_wire, [900.0], app_errors),
        "app_no_cache": burst("app_no_cache", [x * 2 for x in app_wire], [1000.0]),
        "floor": burst("floor", floor_wire, [500.0]),
    }
    return AudienceResult(visitors=len(app_wire) + 1, within_s=10.0, pages=1, bursts=bursts)


def test_summary_has_the_required_keys_and_judges_the_target() -> None:
    s = audience.summary(result([100.0] * 19, [80.0] * 19))
    for key in (
        "visitors",
        "errors",
        "app_p95_first_render_ms",
        "floor_p95_first_render_ms",
        "app_max_first_render_ms",
    ):
        assert key in s
    assert s["visitors"] == 20 and s["errors"] == 0
    assert s["app_max_first_render_ms"] == 900.0
    assert s["app_no_cache_max_first_render_ms"] == 1000.0
    assert s["app_rss_mib"] == {"before": 100.0, "peak": 120.0, "after": 110.0}
    assert s["target_met"] is True
    assert s["p95_ratio_to_floor"] == pytest.approx(s["app_p95_first_render_ms"] / s["floor_p95_first_render_ms"], 0.01)


def test_an_error_or_a_slow_p95_misses_the_target() -> None:
    assert audience.summary(result([100.0] * 19, [80.0] * 19, ["websocket: closed"]))["target_met"] is False
    assert audience.summary(result([5000.0] * 19, [80.0] * 19))["target_met"] is False


def test_markdown_has_a_row_per_setup_and_the_verdict() -> None:
    text = audience.markdown(result([100.0] * 19, [80.0] * 19, ["websocket: closed"]))
    rows = [line for line in text.splitlines() if line.startswith("| app") or line.startswith("| floor")]
    assert [row.split("|")[1].strip() for row in rows] == ["app", "app_no_cache", "floor"]
    assert "NOT met" in text and "websocket: closed" in text


def test_json_is_the_last_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    made = result([100.0] * 19, [80.0] * 19)
    asked: dict[str, object] = {}

    def fake_run(visitors: int, within_s: float, pages: int, cache: str, replicas: int) -> AudienceResult:
        asked.update(visitors=visitors, within_s=within_s, pages=pages, cache=cache, replicas=replicas)
        return made

    monkeypatch.setattr(audience, "run_audience", fake_run)
    assert audience.main(["--json", "--cache", "both"]) == 0
    assert asked == {"visitors": 200, "within_s": 10.0, "pages": 10, "cache": "both", "replicas": 1}
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last) == audience.summary(made)


def test_the_link_goes_into_the_recorded_opening_frame() -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.query_string = "v=1"
    frame = audience.with_query(msg.SerializeToString(), audience.LINK)
    assert BackMsg.FromString(frame).rerun_script.query_string == audience.LINK
