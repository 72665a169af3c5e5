"""The sidebar: every input, grouped, each with its unit and a help text citing its default's source."""

from __future__ import annotations

from functools import cache

import streamlit as st

from carbon_core.catalogue import accelerators
from carbon_core.embodied import embodied_estimates
from carbon_core.grid import latest_grid
from carbon_core.parameters import parameter, parameters
from carbon_core.presets import presets
from explorer import state
from explorer.link import NUMBER_PARAMS


# Labels are built once per process: a selectbox formats every option on every rerun.
@cache
def _accelerator_labels() -> dict[str, str]:
    return {
        key: f"{entry.name} ({f'{entry.tdp_w:,.0f} W' if entry.tdp_w else 'no TDP'})"
        for key, entry in accelerators().items()
    }


@cache
def _country_labels() -> dict[str, str]:
    """ISO-3 -> 'France (FRA) · 44 g/kWh, 2024', in alphabetical order of the country's name."""
    grid = latest_grid().sort_values("country")
    return {
        row.iso3: f"{row.country} ({row.iso3}), {row.grid_g_co2e_per_kwh:,.0f} g/kWh, {row.year}"
        for row in grid.itertuples()
    }


def render_inputs() -> None:
    """Draw the input widgets; their values live in ``st.session_state`` under the link names."""
    sb = st.sidebar
    preset_ids = [state.NO_PRESET, *presets()]
    sb.selectbox(
        "Published run (preset)",
        preset_ids,
        key="preset",
        format_func=lambda pid: "— none: my own scenario —" if pid == state.NO_PRESET else presets()[pid].name,
        on_change=state.on_preset,
        help="Loads a published training run into every input; you can then move any of them.",
    )

    sb.subheader("Hardware")
    sb.selectbox(
        "Accelerator",
        list(accelerators()),
        key="gpu",
        format_func=_accelerator_labels().__getitem__,
        on_change=state.on_gpu,
        help="Catalogue from the Epoch AI ML Hardware dataset (data/accelerators.csv); sets the power default.",
    )
    gpus = NUMBER_PARAMS["gpus"]
    sb.select_slider(
        "GPU count (scale)",
        options=state.GPU_SCALE,
        key="gpus_scale",
        format_func=lambda n: f"{n:,}",
        on_change=state.on_gpus_scale,
        help="Coarse, logarithmic scale; type the exact number below.",
    )
    sb.number_input(
        "GPU count [GPUs]",
        min_value=int(gpus.low),
        max_value=int(gpus.high),
        step=1,
        key="gpus",
        on_change=state.on_gpus,
        help="Exact number of accelerators, 1 to 1,000,000.",
    )
    sb.slider(
        "Power draw per GPU [W]",
        float(NUMBER_PARAMS["power_w"].low),
        float(NUMBER_PARAMS["power_w"].high),
        step=1.0,
        key="power_w",
        help="Average board power at full draw; defaults to the accelerator's TDP (data/accelerators.csv).",
    )
    sb.slider(
        "Utilisation [fraction of that power]",
        0.0,
        1.0,
        step=0.01,
        key="util",
        help=parameter("utilisation_fraction").source,
    )

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
        sb.number_input(
            "Model parameters [billions]",
            min_value=0.001,
            max_value=100_000.0,
            key="params_b",
            persist_state="session",
            format="%.6g",
        )
        sb.number_input(
            "Training tokens [trillions]",
            min_value=0.000001,
            max_value=1_000.0,
            key="tokens_t",
            persist_state="session",
            format="%.6g",
        )
        sb.slider(
            "MFU [fraction of peak]",
            0.01,
            1.0,
            step=0.01,
            key="mfu",
            help=parameter("mfu").source,
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
        unit = st.session_state["duration_unit"]
        spec = NUMBER_PARAMS[unit]
        sb.number_input(
            f"Training duration [{unit}]",
            min_value=float(spec.low),
            max_value=float(spec.high),
            step=1.0,
            key="duration",
            persist_state="session",
            format="%.6g",
            help="Wall-clock time the whole fleet runs (GPU-hours = GPUs x hours).",
        )

    sb.subheader("Data centre")
    sb.slider(
        "Non-GPU server power [W per GPU]",
        0.0,
        float(NUMBER_PARAMS["server_w"].high),
        step=1.0,
        key="server_w",
        help=parameter("server_power_w_per_gpu").source,
    )
    sb.slider("PUE [-]", 1.0, 3.0, step=0.01, key="pue", help=parameter("pue").source)

    sb.subheader("Electricity grid")
    sb.selectbox(
        "Country",
        list(_country_labels()),
        key="country",
        format_func=_country_labels().__getitem__,
        on_change=state.on_country,
        help="Latest year per country: Our World in Data based on Ember and Energy Institute (CC BY 4.0).",
    )
    sb.toggle("Set the grid intensity by hand", key="grid_override")
    if st.session_state["grid_override"]:
        sb.slider(
            "Grid intensity [g CO2e/kWh]",
            0.0,
            float(NUMBER_PARAMS["grid"].high),
            step=1.0,
            key="grid",
            persist_state="session",  # keep the value while the override is switched off and on
            help="Overrides the country's grid (for example a supplier's own factor).",
        )

    sb.slider(
        "Renewable electricity matched [share]",
        0.0,
        1.0,
        step=0.01,
        key="renewable",
        help="Share covered by renewable contracts (PPAs, certificates): gives the market-based figure beside the "
        "location-based one. " + parameter("renewable_share_fraction").source,
    )

    sb.subheader("Water")
    sb.slider(
        "On-site water (WUE) [L per kWh of IT energy]",
        0.0,
        float(NUMBER_PARAMS["wue"].high),
        step=0.01,
        key="wue",
        help="Cooling water evaporated at the data centre per kWh the servers draw. "
        + parameter("wue_l_per_kwh").source,
    )
    sb.slider(
        "Water of the electricity [L per kWh]",
        0.0,
        float(NUMBER_PARAMS["ewif"].high),
        step=0.01,
        key="ewif",
        help="Water the power plants consume per kWh generated (cooling towers, hydro reservoirs' evaporation). "
        + parameter("electricity_water_l_per_kwh").source,
    )

    sb.subheader("Embodied carbon")
    estimates = "; ".join(f"{e.kg_co2e_per_gpu:,.0f} kg ({e.label})" for e in embodied_estimates().values())
    sb.slider(
        "Embodied carbon per GPU [kg CO2e]",
        0.0,
        float(NUMBER_PARAMS["embodied_kg"].high),
        step=1.0,
        key="embodied_kg",
        help=parameter("embodied_kg_co2e_per_gpu").source + " Published estimates: " + estimates,
    )
    sb.radio(
        "Attribution",
        ["amortised", "full"],
        key="attribution",
        horizontal=True,
        help="'amortised': this run's share of the hardware's service life; 'full': all of it to this run.",
    )
    sb.slider(
        "Hardware lifetime [years]",
        float(NUMBER_PARAMS["lifetime_y"].low),
        float(NUMBER_PARAMS["lifetime_y"].high),
        step=0.5,
        key="lifetime_y",
        disabled=st.session_state["attribution"] == "full",
        help=parameter("hardware_lifetime_years").source,
    )

    sb.subheader("Whole project")
    ratios = [""] + [k for k in parameters() if k.startswith("project_multiplier_")]
    sb.selectbox(
        "Published ratio of project to final run",
        ratios,
        key="project_ratio",
        format_func=lambda k: "— choose to fill in —" if not k else f"{parameter(k).number:g}x · {_ratio_name(k)}",
        on_change=state.on_project_ratio,
        help="Experiments, ablations and failed runs come on top of the final run.",
    )
    sb.slider(
        "Project multiplier [x the final run]",
        1.0,
        float(NUMBER_PARAMS["project"].high),
        step=0.01,
        key="project",
        help=parameter("project_multiplier").source,
    )


def _ratio_name(key: str) -> str:
    return {
        "olmo": "OLMo (Morrison 2025)",
        "opt": "OPT-175B (Zhang 2022)",
        "bigscience": "BigScience/BLOOM",
        "olmo3": "Olmo 3 (Ai2 2025)",
    }.get(key.removeprefix("project_multiplier_"), key)
