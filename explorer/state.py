"""Session state <-> scenario <-> URL: the only place the dashboard touches ``st.session_state`` keys.

Widget keys are the link parameter names, so a link, the state and the widgets speak one vocabulary.
On a session's first run the URL is parsed (:func:`explorer.link.parse_link`) into the widgets' state;
after every run the URL is rewritten from the widgets, so it always carries the scenario on screen.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from carbon_core.catalogue import accelerators
from carbon_core.parameters import parameter
from explorer.link import NUMBER_PARAMS, ParsedLink, Scenario, link_params, parse_link, scenario_from_preset

INITIALISED = "_initialised"
WARNINGS = "_link_warnings"
COMPARE_A = "_compare_a"
NO_PRESET = ""
#: Positions of the GPU-count slider: a log-like scale from 1 to 1,000,000 on which 8 and 16,384 sit.
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
    }
)


def scenario_to_state(scenario: Scenario) -> dict[str, Any]:
    """Widget values for ``scenario`` (keyed by widget key)."""
    return {
        "preset": scenario.preset or NO_PRESET,
        "gpu": scenario.gpu,
        "gpus": scenario.gpus,
        "gpus_scale": nearest_scale(scenario.gpus),
        "duration_unit": scenario.duration_unit,
        "duration": float(scenario.duration),
        "power_w": float(scenario.resolved_power_w()),
        "util": float(scenario.util),
        "server_w": float(scenario.server_w),
        "pue": float(scenario.pue),
        "country": scenario.country,
        "grid_override": scenario.grid is not None,
        "grid": float(scenario.grid) if scenario.grid is not None else 400.0,
        "embodied_kg": float(scenario.embodied_kg),
        "lifetime_y": float(scenario.lifetime_y),
        "attribution": scenario.attribution,
        "present": scenario.present,
        "duration_mode": "compute" if scenario.compute_mode else "duration",
        "params_b": float(scenario.model_params or 405e9) / 1e9,
        "tokens_t": float(scenario.tokens or 15.6e12) / 1e12,
        "mfu": float(scenario.mfu),
        "renewable": float(scenario.renewable),
        "project": float(scenario.project),
        "wue": float(scenario.wue),
        "ewif": float(scenario.ewif),
        COMPARE_A: scenario.compare_a,
    }


def state_to_scenario(state: Any) -> Scenario:
    """The scenario the widgets show now."""
    compute = state["duration_mode"] == "compute"
    return Scenario(
        gpu=state["gpu"],
        gpus=int(state["gpus"]),
        duration=float(state["duration"]),
        duration_unit=state["duration_unit"],
        power_w=float(state["power_w"]),
        util=float(state["util"]),
        server_w=float(state["server_w"]),
        pue=float(state["pue"]),
        country=state["country"],
        grid=float(state["grid"]) if state["grid_override"] else None,
        embodied_kg=float(state["embodied_kg"]),
        lifetime_y=float(state["lifetime_y"]),
        attribution=state["attribution"],
        preset=state["preset"] or None,
        present=bool(state["present"]),
        renewable=float(state["renewable"]),
        project=float(state["project"]),
        wue=float(state["wue"]),
        ewif=float(state["ewif"]),
        model_params=float(state["params_b"]) * 1e9 if compute else None,
        tokens=float(state["tokens_t"]) * 1e12 if compute else None,
        mfu=float(state["mfu"]),
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
    scenario = replace(scenario_from_preset(preset), present=present, compare_a=st.session_state.get(COMPARE_A))
    st.session_state.update(scenario_to_state(scenario))


def on_gpu() -> None:
    """A new accelerator sets the power default to its TDP."""
    tdp = accelerators()[st.session_state["gpu"]].tdp_w
    if tdp is not None:
        st.session_state["power_w"] = float(tdp)


def on_gpus_scale() -> None:
    st.session_state["gpus"] = int(st.session_state["gpus_scale"])


def on_gpus() -> None:
    st.session_state["gpus_scale"] = nearest_scale(int(st.session_state["gpus"]))


def on_duration_unit() -> None:
    """Keep the same duration when the unit changes (30 days <-> 720 hours)."""
    value = float(st.session_state["duration"])
    days = st.session_state["duration_unit"] == "days"
    converted = value / 24.0 if days else value * 24.0
    spec = NUMBER_PARAMS[st.session_state["duration_unit"]]
    st.session_state["duration"] = min(max(converted, spec.low), spec.high)


def on_country() -> None:
    """Choosing a country means its grid: a hand-set intensity no longer applies."""
    st.session_state["grid_override"] = False


def on_keep_as_a() -> None:
    """Keep the scenario on screen as scenario A of a comparison (it travels in the link as ``a``)."""
    st.session_state[COMPARE_A] = urlencode(link_params(state_to_scenario(st.session_state)))


def on_clear_a() -> None:
    st.session_state[COMPARE_A] = None


def on_project_ratio() -> None:
    """A published whole-project ratio sets the multiplier."""
    key = st.session_state["project_ratio"]
    if key:
        st.session_state["project"] = parameter(key).number
