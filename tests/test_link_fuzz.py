"""Share links are input from strangers: thousands of generated query strings through the real app (AppTest).

Each generated link must render with no exception, show one warning per rejected parameter (naming it),
and keep every valid parameter: the URL the app writes back is exactly the normalised scenario that
:func:`explorer.link.parse_link` (unit-tested on its own in test_link.py) reads from the link.

The number of links is ``LINK_FUZZ_EXAMPLES`` (default 2,000; the README's reliability section quotes it).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from carbon_core.catalogue import accelerators
from carbon_core.grid import latest_grid
from carbon_core.presets import presets
from explorer.formatting import escape_markdown
from explorer.link import ALL_PARAMS, NUMBER_PARAMS, link_params, parse_link
from tests.test_app import link_warning_lines

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("LINK_FUZZ_EXAMPLES", "2000"))

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "[click](javascript:alert(1))",
    "![x](http://example.invalid/x.png)",
    "{{7*7}}",
    '=HYPERLINK("http://x")',
    "\u202e\u0000\ufeff",
]


def _number_texts() -> st.SearchStrategy[str]:
    floats = st.floats(allow_nan=True, allow_infinity=True, width=64)
    return st.one_of(
        floats.map(repr),
        floats.map(lambda x: f"{x:g}" if math.isfinite(x) else str(x)),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.sampled_from(["nan", "NaN", "inf", "-inf", "1e309", "-0", "0x10", "1_000", " 8 ", "", "1,5"]),
    )


def _valid_value(name: str) -> st.SearchStrategy[str]:
    if name in NUMBER_PARAMS:
        spec = NUMBER_PARAMS[name]
        if spec.low is None or spec.high is None:  # the grid year: the years the country's data has
            return st.integers(1995, 2026).map(str)
        if spec.kind == "integer":
            return st.integers(int(spec.low), int(spec.high)).map(str)
        return st.floats(spec.low, spec.high, exclude_min=spec.low_open, allow_nan=False).map(repr)
    choices = {
        "gpu": [*sorted(accelerators()), "custom"],
        "country": sorted(latest_grid().index),
        "attribution": ["amortised", "full"],
        "precision": ["bf16", "fp8"],
        "preset": sorted(presets()),
        "present": ["0", "1"],
        "view": ["breakdown", "countries", "methodology", "COUNTRIES"],
        "region": ["gcp:europe-north1", "us:TX", "aws:us-east-1", "ca:QC"],
        "v": ["1"],
        "a": ["gpus=8&country=FRA", "preset=llama-3.1-405b"],
    }
    return st.sampled_from(choices[name])


def _value(name: str) -> st.SearchStrategy[str]:
    return st.one_of(
        _valid_value(name),
        _number_texts(),
        st.text(max_size=30),
        st.sampled_from(PAYLOADS),
        st.tuples(st.sampled_from("ab<>9"), st.integers(5_000, 10_240)).map(lambda t: t[0] * t[1]),  # 5-10 kB
    )


@st.composite
def query_params(draw: st.DrawFn) -> dict[str, str | list[str]]:
    names = draw(
        st.lists(
            st.one_of(st.sampled_from(ALL_PARAMS), st.text(min_size=1, max_size=12), st.sampled_from(PAYLOADS)),
            max_size=8,
            unique=True,
        )
    )
    params: dict[str, str | list[str]] = {}
    for name in names:
        if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
            params[name] = draw(
                st.lists(_value(name) if name in ALL_PARAMS else st.text(max_size=5), min_size=2, max_size=3)
            )
        else:
            params[name] = draw(_value(name) if name in ALL_PARAMS else st.text(max_size=20))
    return params


@pytest.mark.timeout(1800)  # thousands of app runs in one test: above the suite's 300 s per-test limit
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(params=query_params())
def test_any_link_renders_names_rejections_and_keeps_valid_parameters(params: dict[str, str | list[str]]) -> None:
    expected = parse_link(params)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    shown = link_warning_lines(at)  # one box, one line per rejected parameter naming it
    assert len([w for w in at.warning if "not used:" in w.value]) == (1 if expected.warnings else 0)
    assert shown == [escape_markdown(w) for w in expected.warnings]
    assert len(shown) >= len(expected.rejected)
    written = {key: at.query_params[key] for key in at.query_params}
    written = {key: value[-1] if isinstance(value, list) else value for key, value in written.items()}
    assert written == link_params(expected.scenario)
