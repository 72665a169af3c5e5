"""The registry of run inputs (carbon_core/inputs.py) against every form derived from it.

For each input: the pydantic field of ``TrainingRun``, the CLI flag, the link key, the sidebar widget's bounds
(read from the widget the app draws, through AppTest) and the JSON schema state the same range; and a link
accepts exactly the values the CLI accepts (hypothesis, over values inside, at and outside each range).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import annotated_types
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from carbon_core import TrainingRun
from carbon_core.cli import UsageError, build_parser, run_from_args
from carbon_core.inputs import INPUTS, Input, by_flag, by_link, field_inputs
from carbon_core.run import run_schema
from explorer.link import ALL_PARAMS, PAGE_PARAMS, parse_link
from explorer.sidebar import widget_bounds

ROOT = Path(__file__).resolve().parents[1]
NUMERIC = [row for row in INPUTS if row.numeric]
#: Inputs that both a link and the CLI take (``--flops`` is the CLI's only: a link carries the hours it gives).
SHARED = [row for row in NUMERIC if row.link and row.flag and row.high is not None]


def _bounds(field: str) -> dict[str, float]:
    """The ``ge``/``gt``/``le`` constraints pydantic enforces on ``field`` of :class:`TrainingRun`."""
    found: dict[str, float] = {}
    for meta in TrainingRun.model_fields[field].metadata:
        for name in ("ge", "gt", "le", "lt"):
            if isinstance(meta, getattr(annotated_types, name.capitalize())):
                found[name] = float(getattr(meta, name))
    return found


def test_every_field_of_the_model_is_a_registry_row_and_back() -> None:
    assert set(TrainingRun.model_fields) == {row.field for row in INPUTS}
    assert len({row.link for row in INPUTS if row.link}) == sum(1 for row in INPUTS if row.link)
    assert len({row.flag for row in INPUTS if row.flag}) == sum(1 for row in INPUTS if row.flag)
    assert set(ALL_PARAMS) == set(PAGE_PARAMS) | set(by_link())


@pytest.mark.parametrize("row", NUMERIC, ids=lambda r: r.flag or r.link)
def test_pydantic_field_states_the_row_range(row: Input) -> None:
    expected = {} if row.low is None else {"gt" if row.low_open else "ge": row.low * row.scale}
    if row.high is not None:
        expected["le"] = row.high * row.scale
    assert _bounds(row.field) == expected


@pytest.mark.parametrize("row", NUMERIC, ids=lambda r: r.flag or r.link)
def test_json_schema_states_the_row_range_unit_link_and_flag(row: Input) -> None:
    prop = run_schema()["properties"][row.field]
    number = next(branch for branch in prop["anyOf"] if branch.get("type") in ("number", "integer"))
    assert number.get("exclusiveMinimum" if row.low_open else "minimum") == (row.low and row.low * row.scale)
    assert number.get("maximum") == (row.high and row.high * row.scale)
    if row.link:
        assert prop["x-link"][row.link] == row.unit
    if row.flag:
        assert prop["x-flags"][row.flag] == row.unit
    assert prop["x-parameter"] == field_inputs()[row.field].parameter


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from carbon_core.cli import main

    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(run_schema()))


def test_every_flag_is_in_the_parser() -> None:
    estimate = build_parser()._subparsers._group_actions[0].choices["estimate"]  # type: ignore[union-attr]
    flags = {option for action in estimate._actions for option in action.option_strings}
    assert set(by_flag()) <= flags


# --- a link accepts exactly what the CLI accepts ----------------------------------------------------------


def _cli_accepts(row: Input, text: str) -> bool:
    """The CLI takes ``text`` for ``row``'s flag (compute inputs given with their partner, on an H100 fleet)."""
    partner = {"--params": ["--tokens", "1e6"], "--tokens": ["--params", "1e6"], "--mfu": ["--flops", "1e18"]}
    args = build_parser().parse_args(["estimate", f"{row.flag}={text}", *partner.get(row.flag or "", [])])
    try:
        run_from_args(args)
    except UsageError as exc:
        assert str(exc).startswith(row.flag or ""), exc
        return False
    return True


def _link_accepts(row: Input, text: str) -> bool:
    partner = {"params": {"tokens": "1e6"}, "tokens": {"params": "1e6"}}
    parsed = parse_link({row.link or "": text, **partner.get(row.link or "", {})})
    return parsed.rejected == []


def _edge_texts(row: Input) -> list[str]:
    assert row.low is not None and row.high is not None
    span = row.high - row.low
    return [repr(x) for x in (row.low, row.high, row.low - span * 1e-3, row.high + span * 1e-3, row.low + span / 2)] + [
        "nan",
        "inf",
        "-1",
        "abc",
        "1.5",
    ]


@pytest.mark.parametrize("row", SHARED, ids=lambda r: r.flag)
def test_link_and_cli_agree_at_the_edges(row: Input) -> None:
    for text in _edge_texts(row):
        assert _link_accepts(row, text) == _cli_accepts(row, text), text


@settings(max_examples=150, deadline=None)
@given(row=st.sampled_from(SHARED), value=st.floats(min_value=-1e16, max_value=1e16) | st.integers(-10, 10**8))
def test_link_and_cli_agree_on_any_number(row: Input, value: float) -> None:
    text = repr(value) if isinstance(value, float) else str(value)
    assert _link_accepts(row, text) == _cli_accepts(row, text)


@pytest.mark.parametrize("text", ["2020", "2000", "2024", "1999", "1850", "2025", "2020.5", "abc", "-1", "nan"])
@pytest.mark.parametrize("country", ["USA", "ESH", "SWE"])
def test_link_and_cli_agree_on_the_grid_year(text: str, country: str) -> None:
    """The grid year has no fixed range: the country's data decides (USA 2000-2024, Western Sahara to 2009)."""
    args = build_parser().parse_args(["estimate", f"--grid-year={text}", "--country", country])
    try:
        run_from_args(args)
        cli = True
    except UsageError as exc:
        assert str(exc).startswith("--grid-year"), exc
        cli = False
    assert (parse_link({"grid_year": text, "country": country}).rejected == []) == cli


def test_a_run_the_cli_prices_at_its_largest_can_be_shared() -> None:
    # The four bounds that disagreed before the registry: link 1,000,000 GPUs / 2,000 W / 5,000 kg / 2,000 W.
    flags = ["--gpus", "10000000", "--gpu-power-w", "5000", "--embodied-kg-per-gpu", "10000"]
    run = run_from_args(build_parser().parse_args(["estimate", *flags, "--server-power-w-per-gpu", "5000"]))
    parsed = parse_link({"gpus": "10000000", "power_w": "5000", "embodied_kg": "10000", "server_w": "5000"})
    assert parsed.rejected == []
    assert parsed.scenario.training_run().resolve().model_dump() == run.resolve().model_dump()


# --- the sidebar's widgets, as drawn ----------------------------------------------------------------------


def _drawn_bounds(at: AppTest, row: Input) -> tuple[float, float]:
    """Minimum and maximum of the widget the app drew for ``row`` (its protobuf, as the browser gets it)."""
    widgets: dict[str, Any] = {"slider": at.sidebar.slider, "number": at.sidebar.number_input}
    proto = widgets[str(row.widget)](key=row.key).proto
    return float(proto.min), float(proto.max)


WIDGET_ROWS = [row for row in NUMERIC if row.widget in ("slider", "number")]


def test_sidebar_widgets_are_drawn_with_the_registry_bounds() -> None:
    """Each numeric input's widget, drawn by the app (compute mode, a hand-set grid and each duration unit on
    screen in turn), spans exactly the registry's range in the widget's unit."""
    pages = [
        {"params": "405e9", "active_params": "17e9", "tokens": "15.6e12", "grid": "100"},  # compute mode, grid
        {"days": "30"},
        {"hours": "720"},
    ]
    seen: set[str] = set()
    for params in pages:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        assert not at.exception
        for row in WIDGET_ROWS:
            found = [w for w in [*at.sidebar.slider, *at.sidebar.number_input] if w.key == row.key]
            if not found or (row.key == "duration" and row.link not in params):
                continue
            low, high = widget_bounds(row)
            assert _drawn_bounds(at, row) == (pytest.approx(low), pytest.approx(high)), row.link
            assert math.isclose((low or 0) * row.widget_scale, row.low or 0, rel_tol=1e-12)
            seen.add(row.link or row.field)
    assert seen == {row.link for row in WIDGET_ROWS}
