"""The share link (explorer/link.py): format v1 pinned, golden links, round trips and rejected parameters.

Pure Python, no Streamlit: the link is a public contract (README, "Sharing a scenario"), so an old link
written by hand on a slide must keep meaning the same scenario.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbon_core import TrainingRun, estimate
from carbon_core.catalogue import accelerators
from carbon_core.grid import latest_grid
from carbon_core.presets import presets
from explorer.link import (
    ALL_PARAMS,
    LINK_V1_DEFAULTS,
    LINK_VERSION,
    NUMBER_PARAMS,
    POWER_IF_NO_TDP_W,
    Scenario,
    link_params,
    parse_link,
    scenario_from_preset,
)

BLOOM_LINK = (
    "gpu=a100-sxm4-80gb&gpus=384&hours=2820.2864583333335&power_w=400&util=1&server_w=0&pue=1"
    "&grid=57&embodied_kg=0&attribution=full"
)
MAX_WARNING_CHARS = 300


def query(text: str) -> dict[str, list[str]]:
    """A query string as a browser hands it over (repeated keys kept, blanks kept)."""
    return parse_qs(text, keep_blank_values=True, strict_parsing=True)


def total_t(scenario: Scenario) -> float:
    return estimate(scenario.training_run()).total_t_co2e


def with_power(scenario: Scenario) -> Scenario:
    """``scenario`` with its power resolved (a link always writes the power it used)."""
    return dataclasses.replace(scenario, power_w=scenario.resolved_power_w())


# --- the format is pinned ---------------------------------------------------------------------------------


def test_link_version_is_1() -> None:
    assert LINK_VERSION == "1"


def test_v1_defaults_are_pinned_field_by_field() -> None:
    assert dataclasses.asdict(LINK_V1_DEFAULTS) == {
        "gpu": "h100-sxm",
        "gpus": 1024,
        "duration": 30.0,
        "duration_unit": "days",
        "power_w": None,
        "util": 1.0,
        "server_w": 237.0,
        "pue": 1.1,
        "country": "USA",
        "grid": None,
        "embodied_kg": 463.0,
        "lifetime_y": 4.0,
        "attribution": "amortised",
        "preset": None,
        "present": False,
        "view": "breakdown",
        "grid_year": None,
        "region": None,
        "renewable": 0.0,
        "project": 1.0,
        "params": None,
        "active_params": None,
        "tokens": None,
        "mfu": 0.4,
        "compare_a": None,
        "wue": 0.55,
        "ewif": 3.14,
        "precision": "bf16",
    }
    assert (
        Scenario(
            gpu="h100-sxm",
            gpus=1024,
            duration=30.0,
            duration_unit="days",
            power_w=None,
            util=1.0,
            server_w=237.0,
            pue=1.1,
            country="USA",
            grid=None,
            embodied_kg=463.0,
            lifetime_y=4.0,
            attribution="amortised",
            preset=None,
            present=False,
            view="breakdown",
            grid_year=None,
            region=None,
            renewable=0.0,
            project=1.0,
            params=None,
            active_params=None,
            tokens=None,
            mfu=0.4,
            compare_a=None,
            wue=0.55,
            ewif=3.14,
            precision="bf16",
        )
        == LINK_V1_DEFAULTS
    )
    assert type(LINK_V1_DEFAULTS.gpus) is int


def test_parameter_names_are_pinned() -> None:
    assert len(ALL_PARAMS) == len(set(ALL_PARAMS))
    assert set(ALL_PARAMS) == {
        "v",
        "preset",
        "gpu",
        "gpus",
        "hours",
        "days",
        "power_w",
        "util",
        "server_w",
        "pue",
        "country",
        "grid",
        "embodied_kg",
        "lifetime_y",
        "attribution",
        "present",
        # Added within format 1 with neutral defaults (no renewable contracts, final run only, duration given),
        # so links written before them keep their meaning.
        "renewable",
        "project",
        "params",
        "tokens",
        "mfu",
        "a",
        # Water (issue 4): it changes no carbon figure, so links written before it keep their meaning.
        "wue",
        "ewif",
        # The view on screen (issue 16): written only when it is not the first view.
        "view",
        # The grid's year and a region below the country (issue 14): unset, the country's latest year as before.
        "grid_year",
        "region",
        # Mixtures of experts (issue 15): only read with 'params' and 'tokens', so older links are unchanged.
        "active_params",
        # The precision of the peak (issue 15): 'bf16' unless given, the peak every older link used; written only
        # when it is 'fp8', so older links are also written the same.
        "precision",
    }


def test_number_ranges_match_the_readme_table() -> None:
    # The registry's ranges (carbon_core/inputs.py), the same as the CLI's: a run the CLI prices can be shared.
    ranges = {key: (row.low, row.high, row.kind == "integer", row.low_open) for key, row in NUMBER_PARAMS.items()}
    assert ranges == {
        "gpus": (1, 10_000_000, True, False),
        "hours": (0, 87_600, False, True),
        "days": (0, 3_650, False, True),
        "power_w": (1, 5_000, False, False),
        "util": (0, 1, False, False),
        "server_w": (0, 5_000, False, False),
        "pue": (1, 3, False, False),
        "grid": (0, 2_000, False, False),
        "embodied_kg": (0, 10_000, False, False),
        "lifetime_y": (0.5, 20, False, False),
        "renewable": (0, 1, False, False),
        "project": (1, 20, False, False),
        "params": (1e6, 1e14, False, False),
        "active_params": (1e6, 1e14, False, False),
        "tokens": (1e6, 1e15, False, False),
        "mfu": (0.01, 1, False, False),
        "wue": (0, 20, False, False),
        "ewif": (0, 50, False, False),
        "grid_year": (None, None, True, False),  # the years the country's data has (checked when the run resolves)
    }


def test_empty_link_is_the_v1_defaults() -> None:
    parsed = parse_link({})
    assert parsed.warnings == []
    assert parsed.scenario == LINK_V1_DEFAULTS


def test_link_defaults_coincide_with_carbon_core_defaults_today() -> None:
    # If this fails after a default changed in carbon_core (data/parameters.csv), do NOT edit LINK_V1_DEFAULTS:
    # old links must keep their meaning. Bump the link format (LINK_VERSION "2" with its own defaults) instead.
    assert total_t(LINK_V1_DEFAULTS) == estimate(TrainingRun()).total_t_co2e
    link_inputs = LINK_V1_DEFAULTS.training_run().resolve().model_dump()
    core_inputs = TrainingRun().resolve().model_dump()
    assert link_inputs == core_inputs


# --- frozen goldens ---------------------------------------------------------------------------------------


def test_golden_bloom_dynamic_link() -> None:
    parsed = parse_link(query(BLOOM_LINK))
    assert parsed.warnings == []
    assert parsed.rejected == []
    assert parsed.scenario.duration_unit == "hours"
    assert total_t(parsed.scenario) == pytest.approx(24.69, rel=1e-3)


def test_golden_preset_link() -> None:
    parsed = parse_link(query("preset=llama-3.1-405b"))
    assert parsed.warnings == []
    assert parsed.scenario.preset == "llama-3.1-405b"
    assert parsed.scenario.grid == pytest.approx(376.392)
    assert total_t(parsed.scenario) == pytest.approx(8938, rel=1e-3)


def test_golden_preset_with_country_drops_the_grid_override() -> None:
    parsed = parse_link(query("preset=llama-3.1-405b&country=SWE"))
    assert parsed.warnings == []
    assert parsed.scenario.grid is None
    assert parsed.scenario.country == "SWE"
    assert parsed.scenario.gpus == 16384  # the rest of the preset is kept
    assert total_t(parsed.scenario) < 1_000


def test_explicit_parameters_override_the_preset() -> None:
    parsed = parse_link(query("preset=llama-3.1-405b&gpus=8&pue=1.5"))
    assert parsed.warnings == []
    assert parsed.scenario == dataclasses.replace(scenario_from_preset("llama-3.1-405b"), gpus=8, pue=1.5)


def test_new_accelerator_without_power_uses_its_tdp() -> None:
    parsed = parse_link(query("preset=llama-3.1-405b&gpu=a100-sxm4-80gb"))
    assert parsed.warnings == []
    assert parsed.scenario.resolved_power_w() == 400.0


def test_accelerator_without_tdp_gets_a_power(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every bundled accelerator has a TDP now (TPU v5e: a third-party estimate), so blank one in a copy.
    table = pd.read_csv(data_copy / "accelerators.csv", dtype=str, keep_default_na=False)
    table.loc[table["id"] == "tpu-v5e", "tdp_w"] = ""
    table.to_csv(data_copy / "accelerators.csv", index=False, lineterminator="\n")
    sums = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in sorted(data_copy.glob("*.csv"))]
    (data_copy / "CHECKSUMS.sha256").write_text("".join(sums), encoding="utf-8")
    monkeypatch.setenv("CARBON_CORE_DATA_DIR", str(data_copy))
    no_tdp = [a.id for a in accelerators().values() if a.tdp_w is None]
    assert no_tdp == ["tpu-v5e"]
    parsed = parse_link({"gpu": no_tdp[0]})
    assert parsed.warnings == []
    assert parsed.scenario.power_w == POWER_IF_NO_TDP_W
    assert total_t(parsed.scenario) > 0


# --- round trips ------------------------------------------------------------------------------------------


HAND_MADE = [
    LINK_V1_DEFAULTS,
    Scenario(gpu="a100-sxm4-80gb", gpus=8, duration=12.5, duration_unit="days"),
    Scenario(gpus=3, duration=0.01, duration_unit="hours", util=0.0, server_w=0.0),
    Scenario(gpu="mi300x", duration=87_600, duration_unit="hours", power_w=1234.5, pue=2.99, country="FRA"),
    Scenario(country="SWE", grid=57.0, embodied_kg=0.0, attribution="full"),
    Scenario(grid=0.0, lifetime_y=0.5, present=True),
    Scenario(gpu="tpu-v4", duration=1 / 3, duration_unit="days", pue=1.0 + 1e-9, present=True),
    dataclasses.replace(scenario_from_preset("llama-3.1-405b"), country="SWE", grid=None, present=True),
]


@pytest.mark.parametrize("preset_id", list(presets()))
def test_every_preset_round_trips(preset_id: str) -> None:
    scenario = scenario_from_preset(preset_id)
    parsed = parse_link(link_params(scenario))
    assert parsed.warnings == []
    assert parsed.scenario == with_power(scenario)
    assert total_t(parsed.scenario) == total_t(scenario)


@pytest.mark.parametrize("scenario", HAND_MADE, ids=range(len(HAND_MADE)))
def test_hand_made_scenarios_round_trip(scenario: Scenario) -> None:
    params = link_params(scenario)
    assert params["v"] == "1"
    assert scenario.duration_unit in params
    assert ("present" in params) == scenario.present
    assert ("grid" in params) == (scenario.grid is not None)
    parsed = parse_link(query(urlencode(params)))
    assert parsed.warnings == []
    assert parsed.scenario == with_power(scenario)


TDP_GPUS = sorted(a.id for a in accelerators().values() if a.tdp_w is not None)


def _number(name: str) -> st.SearchStrategy[float]:
    spec = NUMBER_PARAMS[name]
    return st.floats(
        min_value=spec.low, max_value=spec.high, exclude_min=spec.low_open, allow_nan=False, allow_infinity=False
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    unit = draw(st.sampled_from(["days", "hours"]))
    return Scenario(
        gpu=draw(st.sampled_from(TDP_GPUS)),
        gpus=draw(st.integers(min_value=1, max_value=10_000_000)),
        duration=draw(_number(unit)),
        duration_unit=unit,
        power_w=draw(st.none() | _number("power_w")),
        util=draw(_number("util")),
        server_w=draw(_number("server_w")),
        pue=draw(_number("pue")),
        country=draw(st.sampled_from(sorted(latest_grid().index))),
        grid=draw(st.none() | _number("grid")),
        embodied_kg=draw(_number("embodied_kg")),
        lifetime_y=draw(_number("lifetime_y")),
        attribution=draw(st.sampled_from(["amortised", "full"])),
        preset=draw(st.none() | st.sampled_from(sorted(presets()))),
        present=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_encode_then_parse_is_the_identity(scenario: Scenario) -> None:
    params = link_params(scenario)
    assert set(params) <= set(ALL_PARAMS)
    parsed = parse_link(query(urlencode(params)))
    assert parsed.warnings == []
    assert parsed.rejected == []
    assert parsed.scenario == with_power(scenario)


# --- rejected parameters ----------------------------------------------------------------------------------

BAD = [
    ("gpus", "0"),
    ("gpus", "1.5"),
    ("gpus", "abc"),
    ("gpus", "20000000"),
    ("power_w", "5001"),
    ("hours", "0"),
    ("lifetime_y", "0.4"),
    ("params", "1e5"),
    ("pue", "0.5"),
    ("pue", "nan"),
    ("pue", "inf"),
    ("util", "-0.1"),
    ("hours", "-1"),
    ("days", "0"),
    ("country", "XXX"),
    ("gpu", "nope"),
    ("attribution", "sometimes"),
    ("present", "maybe"),
    ("view", "map"),
    ("grid_year", "1850"),
    ("grid_year", "2020.5"),
    ("region", "aws:nowhere-1"),
    ("preset", "nope"),
    ("v", "9"),
    ("foo", "1"),
    ("gpus", ["8", "16"]),
]


@pytest.mark.parametrize(("name", "value"), BAD, ids=[f"{n}={v}" for n, v in BAD])
def test_bad_parameter_is_rejected_alone(name: str, value: str | list[str]) -> None:
    # A valid parameter given alongside must be kept; use pue unless pue is the one under test.
    companion, kept = ({"gpus": "8"}, {"gpus": 8}) if name == "pue" else ({"pue": "1.3"}, {"pue": 1.3})
    parsed = parse_link({name: value, **companion})
    assert len(parsed.warnings) == 1, parsed.warnings
    assert f"'{name}'" in parsed.warnings[0]
    assert parsed.rejected == [name]
    # The rejected field keeps the v1 default, every other field is as given.
    assert parsed.scenario == dataclasses.replace(LINK_V1_DEFAULTS, **kept)


def test_hours_and_days_together_keep_hours() -> None:
    parsed = parse_link({"hours": "100", "days": "2"})
    assert parsed.rejected == ["days"]
    assert len(parsed.warnings) == 1
    assert "'days'" in parsed.warnings[0]
    assert (parsed.scenario.duration, parsed.scenario.duration_unit) == (100.0, "hours")


def test_repeated_key_with_one_value_is_accepted() -> None:
    parsed = parse_link(query("gpus=8&gpus=8"))
    assert parsed.warnings == []
    assert parsed.scenario.gpus == 8


HOSTILE = [
    ("gpu", "<script>alert(1)</script>"),
    ("gpu", "x" * 10_000),
    ("gpus", "9" * 10_000),
    ("country", "<img src=x onerror=alert(1)>" * 400),
    ("attribution", "ünïcødé 🚀 ‮ RTL"),
    ("gpu", "日本語のGPU" * 2000),
    ("x" * 10_000, "1"),
    ("<script>", "1"),
]


@pytest.mark.parametrize(("name", "value"), HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_give_a_short_warning(name: str, value: str) -> None:
    parsed = parse_link({name: value, "pue": "1.3"})
    assert len(parsed.warnings) == 1
    assert len(parsed.warnings[0]) <= MAX_WARNING_CHARS
    assert parsed.scenario == dataclasses.replace(LINK_V1_DEFAULTS, pue=1.3)
    assert math.isfinite(total_t(parsed.scenario))
