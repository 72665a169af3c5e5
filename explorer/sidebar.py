"""The sidebar: every input, grouped, each with its unit and a help text citing its default's source.

Each run input's widget is drawn from its registry row (:mod:`carbon_core.inputs`): label, bounds, step
and help, so the sidebar accepts what the link and the CLI accept. One function per section.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import streamlit as st

from carbon_core.catalogue import CUSTOM_ACCELERATOR, accelerators
from carbon_core.embodied import embodied_estimates
from carbon_core.grid import grid_years, latest_grid
from carbon_core.inputs import Input, by_link, field_inputs
from carbon_core.parameters import parameter, parameters
from carbon_core.presets import presets
from carbon_core.regions import regions
from carbon_core.water_intensity import countries_with_factor
from explorer import state


# Labels are built once per process: a selectbox formats every option on every rerun.
@cache
def _accelerator_labels() -> dict[str, str]:
    labels = {
        key: f"{entry.name} ({f'{entry.tdp_w:,.0f} W' if entry.tdp_w else 'no TDP'})"
        for key, entry in accelerators().items()
    }
    return labels | {CUSTOM_ACCELERATOR: "Custom accelerator (set its power below)"}


@cache
def _country_labels() -> dict[str, str]:
    """ISO-3 -> 'France (FRA) · 44 g/kWh, 2024', in alphabetical order of the country's name."""
    grid = latest_grid().sort_values("country")
    return {
        row.iso3: f"{row.country} ({row.iso3}), {row.grid_g_co2e_per_kwh:,.0f} g/kWh, {row.year}"
        for row in grid.itertuples()
    }


def widget_bounds(row: Input) -> tuple[float | None, float | None]:
    """The widget's minimum and maximum: the registry's range in the widget's unit (parameters in billions)."""
    low = None if row.low is None else row.low / row.widget_scale
    high = None if row.high is None else row.high / row.widget_scale
    return low, high


def help_text(row: Input, extra: str = "") -> str:
    """What the input is, then the source of its documented default (``data/parameters.csv``)."""
    words = row.help[0].upper() + row.help[1:] + "."
    source = f" {parameter(row.parameter).source}" if row.parameter and row.kind != "text" else ""
    return words + source + (f" {extra}" if extra else "")


def input_widget(link_key: str, extra_help: str = "", **options: Any) -> None:
    """Draw the widget of the run input ``link_key`` as its registry row says (slider, number, radio or select)."""
    row = by_link()[link_key]
    low, high = widget_bounds(row)
    common: dict[str, Any] = {"key": row.key, "help": help_text(row, extra_help), **options}
    if row.widget == "slider":
        st.sidebar.slider(row.label, float(low or 0.0), float(high or 0.0), step=row.step, **common)
    elif row.widget == "number" and row.kind == "integer":
        st.sidebar.number_input(row.label, min_value=int(low or 0), max_value=int(high or 0), step=1, **common)
    elif row.widget == "number":
        st.sidebar.number_input(row.label, min_value=low, max_value=high, step=row.step, format="%.6g", **common)
    elif row.widget == "radio":
        st.sidebar.radio(row.label, list(row.choices), horizontal=True, **common)
    else:
        st.sidebar.selectbox(row.label, **common)


def input_problem(field: str, message: str) -> str:
    """What is wrong with run field ``field``, named by its sidebar label, and the way out."""
    row = field_inputs().get(field)
    label = row.label if row is not None else field
    if field == "accelerator":
        way_out = 'Choose another accelerator, or set "I know" to "the duration" in the sidebar.'
    else:
        way_out = "Change it in the sidebar."
    return f"{label}: {message}. {way_out}"


def _preset() -> None:
    st.sidebar.selectbox(
        "Published run (preset)",
        [state.NO_PRESET, *presets()],
        key="preset",
        format_func=lambda pid: "— none: my own scenario —" if pid == state.NO_PRESET else presets()[pid].name,
        on_change=state.on_preset,
        help="Loads a published training run into every input; you can then move any of them.",
    )


def accelerator_help(gpu: str) -> str:
    """The chosen accelerator's catalogue notes (which TDPs are estimates, which peak is used), for its help."""
    entry = accelerators().get(gpu)
    if entry is None:
        return ""
    embodied = (
        f"Embodied default: {entry.embodied_kg_co2e:,.1f} kg CO2e ({entry.embodied_scope}; {entry.embodied_source})."
        if entry.embodied_kg_co2e is not None
        else f"Embodied default: none of its own in the sources, so the documented "
        f"{parameter('embodied_kg_co2e_per_gpu').number:,.0f} kg per GPU applies."
    )
    fp8 = f" FP8 peak: {entry.peak_dense_fp8_tflops:,.1f} TFLOP/s dense." if entry.peak_dense_fp8_tflops else ""
    return f"{entry.name}: {entry.notes or 'no notes.'} Source: {entry.source}.{fp8} {embodied}"


#: How the precision select names each choice.
PRECISION_LABELS = {"bf16": "BF16 (16-bit peak)", "fp8": "FP8"}


def peak_help(gpu: str) -> str:
    """The chosen accelerator's two peaks and where the FP8 one comes from, for the precision select's help."""
    entry = accelerators().get(gpu)
    if entry is None:
        return ""
    bf16 = f"{entry.peak_dense_tflops:,.1f} TFLOP/s" if entry.peak_dense_tflops else "none in the catalogue"
    fp8 = (
        f"{entry.peak_dense_fp8_tflops:,.1f} TFLOP/s ({entry.peak_fp8_source})"
        if entry.peak_dense_fp8_tflops
        else "none in the catalogue, so only BF16 applies"
    )
    precision = (entry.peak_tflops_precision or "16-bit").upper()
    return f"{entry.name}: dense {precision} peak {bf16}; dense FP8 peak {fp8}."


def _hardware() -> None:
    st.sidebar.subheader("Hardware")
    labels = _accelerator_labels()
    input_widget(
        "gpu",
        accelerator_help(st.session_state.get("gpu", "")),
        options=list(labels),
        format_func=labels.__getitem__,
        on_change=state.on_gpu,
    )
    st.sidebar.select_slider(
        "GPU count (scale)",
        options=state.GPU_SCALE,
        key="gpus_scale",
        format_func=lambda n: f"{n:,}",
        on_change=state.on_gpus_scale,
        help="Coarse, logarithmic scale; type the exact number below.",
    )
    input_widget("gpus", on_change=state.on_gpus)
    input_widget("power_w")
    input_widget("util")


def _duration() -> None:
    sb = st.sidebar
    sb.subheader("Duration")
    sb.radio(
        "I know",
        ["duration", "compute"],
        key="duration_mode",
        format_func=lambda m: "the duration" if m == "duration" else "the model size and tokens",
        horizontal=True,
        help="With the model size and tokens, compute = 6 x parameters x tokens (Kaplan et al. 2020) and the "
        "duration follows from the accelerators' peak throughput and the MFU.",
    )
    if st.session_state["duration_mode"] == "compute":
        input_widget("params", persist_state="session")
        sb.toggle("Mixture of experts (set the active parameters)", key="moe", persist_state="session")
        if st.session_state["moe"]:
            input_widget("active_params", persist_state="session")
        for key in ("tokens", "mfu"):
            input_widget(key, persist_state="session")
        input_widget(
            "precision",
            peak_help(st.session_state.get("gpu", "")),
            options=list(by_link()["precision"].choices),
            format_func=PRECISION_LABELS.__getitem__,
            persist_state="session",
        )
    else:
        sb.radio(
            "Unit",
            ["days", "hours"],
            key="duration_unit",
            on_change=state.on_duration_unit,
            horizontal=True,
            persist_state="session",
        )
        input_widget(st.session_state["duration_unit"], persist_state="session")


def _data_centre() -> None:
    st.sidebar.subheader("Data centre")
    input_widget("server_w")
    input_widget("pue")


@cache
def _region_labels(country: str) -> dict[str | None, str]:
    """The cloud regions and states/provinces of ``country`` (``None``: the country's average), labelled."""
    frame = regions()
    rows = frame[frame["country_iso3"] == country].sort_values(["provider", "name"])
    labels: dict[str | None, str] = {None: "— the country's average —"}
    for row in rows.itertuples():
        labels[str(row.id)] = f"{row.name} ({row.id}), {row.grid_g_co2e_per_kwh:,.0f} g/kWh, {row.year}"
    return labels


def _grid_choice() -> None:
    """A region of the country, else a year of the country's data (both apply only without a hand-set grid)."""
    country = st.session_state["country"]
    region_labels = _region_labels(country)
    if len(region_labels) > 1:
        input_widget(
            "region", options=list(region_labels), format_func=region_labels.__getitem__, on_change=state.on_region
        )
    if st.session_state.get("region") is None:
        years = grid_years(country)
        input_widget(
            "grid_year",
            options=[None, *reversed(years)],
            format_func=lambda year: f"latest ({years[-1]})" if year is None else str(year),
        )


def _grid() -> None:
    st.sidebar.subheader("Electricity grid")
    labels = _country_labels()
    input_widget("country", options=list(labels), format_func=labels.__getitem__, on_change=state.on_country)
    if not st.session_state["grid_override"]:
        _grid_choice()
    st.sidebar.toggle("Set the grid intensity by hand", key="grid_override")
    if st.session_state["grid_override"]:
        # persist_state keeps the value while the override is switched off and on.
        input_widget("grid", "For example a supplier's own factor.", persist_state="session")
    st.sidebar.caption(f"Basis: {state.grid_basis(st.session_state)}.")
    input_widget("renewable", "Gives the market-based figure beside the location-based one.")


def _water() -> None:
    st.sidebar.subheader("Water")
    input_widget("wue")
    input_widget(
        "ewif",
        "Cooling towers and hydro reservoirs' evaporation. Choosing a country sets its own factor where "
        f"data/water_intensity.csv has one ({countries_with_factor()} countries; WRI method, via EcoLogits), else "
        "the U.S. average of Li et al. 2023; the Water consumed card says which.",
    )


def _embodied() -> None:
    st.sidebar.subheader("Embodied carbon")
    estimates = "; ".join(f"{e.kg_co2e_per_gpu:,.0f} kg ({e.label})" for e in embodied_estimates().values())
    input_widget("embodied_kg", "Published estimates: " + estimates)
    input_widget("attribution")
    input_widget("lifetime_y", disabled=st.session_state["attribution"] == "full")


def _project() -> None:
    st.sidebar.subheader("Whole project")
    ratios = [""] + [k for k in parameters() if k.startswith("project_multiplier_")]
    st.sidebar.selectbox(
        "Published ratio of project to final run",
        ratios,
        key="project_ratio",
        format_func=lambda k: "— choose to fill in —" if not k else f"{parameter(k).number:g}x · {_ratio_name(k)}",
        on_change=state.on_project_ratio,
        help="Experiments, ablations and failed runs come on top of the final run.",
    )
    input_widget("project")


#: The sidebar's sections, top to bottom.
SECTIONS: tuple[Callable[[], None], ...] = (
    _preset,
    _hardware,
    _duration,
    _data_centre,
    _grid,
    _water,
    _embodied,
    _project,
)


def render_inputs() -> None:
    """Draw the input widgets; their values live in ``st.session_state`` under the link names."""
    for section in SECTIONS:
        section()


def _ratio_name(key: str) -> str:
    return {
        "olmo": "OLMo (Morrison 2025)",
        "opt": "OPT-175B (Zhang 2022)",
        "bigscience": "BigScience/BLOOM",
        "olmo3": "Olmo 3 (Ai2 2025)",
    }.get(key.removeprefix("project_multiplier_"), key)
