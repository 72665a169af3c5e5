"""Session state <-> scenario <-> URL: the only place the dashboard touches ``st.session_state`` keys.

Widget keys are the link parameter names, so a link, the state and the widgets speak one vocabulary.
On a session's first run the URL is parsed (:func:`explorer.link.parse_link`) into the widgets' state;
after every run the URL is rewritten from the widgets, so it always carries the scenario on screen.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from carbon_core.catalogue import find_accelerator
from carbon_core.grid import COUNTRY_GRID_BASIS
from carbon_core.inputs import Input, by_link
from carbon_core.parameters import parameter
from carbon_core.regions import regions
from carbon_core.run import ENTERED_BASIS
from carbon_core.units import HOURS_PER_DAY
from carbon_core.water_intensity import default_electricity_water
from explorer.link import (
    COMPUTE_KEYS,
    DURATION_KEYS,
    LINK_V1_DEFAULTS,
    VIEW_LABELS,
    ParsedLink,
    Scenario,
    link_params,
    parse_link,
    scenario_from_preset,
)

INITIALISED = "_initialised"
#: Session-state key of the view switcher (a segmented control holding the view's label).
VIEW_KEY = "view"
WARNINGS = "_link_warnings"
COMPARE_A = "_compare_a"
NO_PRESET = ""
#: Positions of the GPU-count slider: a log-like scale over the registry's range (1 to 10,000,000) with 8 and
#: 16,384 on it.
GPU_SCALE = sorted(
    {
        1,
        2,
        4,
        8,
        16,
        32,
        64,
        128,
        256,
        512,
        1024,
        2048,
        4096,
        8192,
        16_384,
        24_576,
        32_768,
        65_536,
        100_000,
        131_072,
        200_000,
        262_144,
        350_000,
        500_000,
        750_000,
        1_000_000,
        2_000_000,
        5_000_000,
        10_000_000,
    }
)


_VIEW_NAMES = {label: name for name, label in VIEW_LABELS.items()}
#: What a widget shows while its input is unset in the scenario (a hand-set grid, compute mode's inputs).
SHOWN_WHEN_UNSET = {"grid": 400.0, "params": 405e9, "tokens": 15.6e12, "active_params": 17e9}
#: Scenario attributes whose widgets follow the registry rows (not the duration, drawn in its own unit).
_RUN_KEYS = tuple(key for key in by_link() if key not in DURATION_KEYS)


def _widget_value(row: Input, value: Any) -> Any:
    """A scenario value in its widget's unit and type (GPU count: int; parameters: billions)."""
    if value is None or not row.numeric:
        return value  # an optional input left unset (the latest grid year, no region): an empty choice
    return int(value) if row.kind == "integer" else float(value) / row.widget_scale


def scenario_to_state(scenario: Scenario) -> dict[str, Any]:
    """Widget values for ``scenario`` (keyed by widget key): one per registry row the link carries, then the page's."""
    values = dataclasses.asdict(scenario) | {"power_w": scenario.resolved_power_w()}
    shown = {key: SHOWN_WHEN_UNSET.get(key) if values[key] is None else values[key] for key in _RUN_KEYS}
    state = {by_link()[key].key: _widget_value(by_link()[key], value) for key, value in shown.items()}
    return state | {
        "preset": scenario.preset or NO_PRESET,
        "gpus_scale": nearest_scale(scenario.gpus),
        "duration_unit": scenario.duration_unit,
        "duration": float(scenario.duration),
        "grid_override": scenario.grid is not None,
        "moe": scenario.active_params is not None,
        "present": scenario.present,
        VIEW_KEY: VIEW_LABELS[scenario.view],
        "duration_mode": "compute" if scenario.compute_mode else "duration",
        COMPARE_A: scenario.compare_a,
    }


def state_to_scenario(state: Any) -> Scenario:
    """The scenario the widgets show now (inputs that are switched off, such as a hand-set grid, are unset)."""
    # .get: a widget that is not drawn (no region in this country) has no state; its input is unset.
    values = {key: state.get(by_link()[key].key) for key in _RUN_KEYS}
    run_values = {
        key: value * by_link()[key].widget_scale if by_link()[key].numeric and value is not None else value
        for key, value in values.items()
    }
    compute = state["duration_mode"] == "compute"
    return Scenario(
        **run_values
        | {
            "gpus": int(state["gpus"]),
            "grid": run_values["grid"] if state["grid_override"] else None,
            "grid_year": None if state["grid_override"] or run_values["region"] else run_values["grid_year"],
            "region": None if state["grid_override"] else run_values["region"],
            **{key: run_values[key] if compute else None for key in COMPUTE_KEYS},
            "active_params": run_values["active_params"] if compute and state["moe"] else None,
        },
        duration=float(state["duration"]),
        duration_unit=state["duration_unit"],
        preset=state["preset"] or None,
        present=bool(state["present"]),
        view=_VIEW_NAMES.get(state.get(VIEW_KEY), LINK_V1_DEFAULTS.view),
        compare_a=state.get(COMPARE_A),
    )


def nearest_scale(gpus: int) -> int:
    """The slider position closest to ``gpus`` on a log scale."""
    return min(GPU_SCALE, key=lambda s: abs(math.log(s) - math.log(gpus)))


def _query_dict() -> dict[str, list[str]]:
    params = st.query_params
    return {key: params.get_all(key) for key in params}


def init_from_url() -> None:
    """On the session's first run: read the link into the widgets' state and keep its warnings."""
    if st.session_state.get(INITIALISED):
        return
    parsed: ParsedLink = parse_link(_query_dict())
    st.session_state.update(scenario_to_state(parsed.scenario))
    st.session_state[WARNINGS] = parsed.warnings
    st.session_state[INITIALISED] = True


def sync_url(scenario: Scenario) -> None:
    """Rewrite the URL's query parameters to carry ``scenario`` (only when they differ)."""
    wanted = link_params(scenario)
    current = {key: st.query_params.get(key) for key in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


# Widget callbacks: they run before the script, so they may set other widgets' state.


def on_preset() -> None:
    """Load the chosen published run into every input."""
    preset = st.session_state["preset"]
    if preset == NO_PRESET:
        return
    present = bool(st.session_state.get("present", False))
    kept = {
        "present": present,
        "compare_a": st.session_state.get(COMPARE_A),
        "view": state_to_scenario(st.session_state).view,
    }
    scenario = replace(scenario_from_preset(preset), **kept)
    st.session_state.update(scenario_to_state(scenario))


def on_gpu() -> None:
    """A new accelerator sets the power default to its TDP, and the embodied carbon to its own default (or the
    documented one when the catalogue has no figure for it)."""
    entry = find_accelerator(st.session_state["gpu"])  # None: a custom accelerator keeps the power set
    if entry is not None and entry.tdp_w is not None:
        st.session_state["power_w"] = float(entry.tdp_w)
    if entry is not None:
        own = entry.embodied_kg_co2e
        st.session_state["embodied_kg"] = own if own is not None else parameter("embodied_kg_co2e_per_gpu").number


def on_gpus_scale() -> None:
    st.session_state["gpus"] = int(st.session_state["gpus_scale"])


def on_gpus() -> None:
    st.session_state["gpus_scale"] = nearest_scale(int(st.session_state["gpus"]))


def on_duration_unit() -> None:
    """Keep the same duration when the unit changes (30 days <-> 720 hours)."""
    value = float(st.session_state["duration"])
    days = st.session_state["duration_unit"] == "days"
    converted = value / HOURS_PER_DAY if days else value * HOURS_PER_DAY
    row = by_link()[st.session_state["duration_unit"]]
    st.session_state["duration"] = min(max(converted, row.low or 0.0), row.high or converted)


def on_country() -> None:
    """Choosing a country means its grid, latest year: a hand-set intensity, a year or a region no longer apply;
    and its off-site water factor (the U.S. average where data/water_intensity.csv has none)."""
    st.session_state["grid_override"] = False
    st.session_state["grid_year"] = None
    st.session_state["region"] = None
    st.session_state["ewif"] = default_electricity_water(st.session_state["country"])[0]


def on_region() -> None:
    """A region has its own grid figure and year."""
    st.session_state["grid_override"] = False
    st.session_state["grid_year"] = None


def on_keep_as_a() -> None:
    """Keep the scenario on screen as scenario A of a comparison (it travels in the link as ``a``)."""
    scenario_a = replace(state_to_scenario(st.session_state), view=LINK_V1_DEFAULTS.view, compare_a=None)
    st.session_state[COMPARE_A] = urlencode(link_params(scenario_a))


def on_clear_a() -> None:
    st.session_state[COMPARE_A] = None


def on_project_ratio() -> None:
    """A published whole-project ratio sets the multiplier."""
    key = st.session_state["project_ratio"]
    if key:
        st.session_state["project"] = parameter(key).number


def grid_basis(state: Any) -> str:
    """What the grid figure in the widgets is: a hand-set intensity's, the region's or the country's basis."""
    if state["grid_override"]:
        return ENTERED_BASIS
    region = state.get("region")
    return str(regions().loc[region, "basis"]) if region else COUNTRY_GRID_BASIS
