"""The run's grid year and a region below the country, through the core, the CLI, the link and the app."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from carbon_core import TrainingRun, estimate
from carbon_core.grid import grid_history
from carbon_core.inputs import InputError
from carbon_core.regions import regions
from explorer.link import link_params, parse_link

ROOT = Path(__file__).resolve().parents[1]
HISTORY = grid_history()
REGION_IDS = sorted(regions().index)
COUNTRY_YEARS = list(HISTORY[["iso3", "year", "grid_g_co2e_per_kwh"]].itertuples(index=False, name=None))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "carbon_core", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_golden_usa_2020_from_the_bundled_owid_file() -> None:
    result = _cli("estimate", "--country", "USA", "--grid-year", "2020", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["grid_g_co2e_per_kwh"] == 411.698
    assert doc["grid_year"] == 2020
    assert "lifecycle" in doc["grid_basis"] and "per kWh generated" in doc["grid_basis"]
    assert "Our World in Data" in doc["grid_source"]


def test_a_year_the_data_lacks_exits_2_with_the_years_available() -> None:
    result = _cli("estimate", "--grid-year", "1850")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: --grid-year: no grid data for USA in 1850; years available: 2000-2024"
    ]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(COUNTRY_YEARS))
def test_every_country_year_prices_on_exactly_its_listed_value(row: tuple[str, int, float]) -> None:
    iso3, year, g = row
    fp = estimate(TrainingRun(country_iso3=iso3, grid_year=year))
    assert fp.grid_g_co2e_per_kwh == g
    assert (fp.grid_year, fp.run.country_iso3) == (year, iso3)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(REGION_IDS))
def test_every_region_prices_on_exactly_its_listed_value(region_id: str) -> None:
    row = regions().loc[region_id]
    fp = estimate(TrainingRun(region=region_id))
    assert fp.grid_g_co2e_per_kwh == row["grid_g_co2e_per_kwh"]
    assert (fp.grid_year, fp.run.country_iso3, fp.grid_basis) == (row["year"], row["country_iso3"], row["basis"])
    # The link and the CLI price it the same.
    assert estimate(parse_link({"region": region_id}).scenario.training_run()).total_t_co2e == fp.total_t_co2e


@pytest.mark.parametrize(("region_id", "g"), [("gcp:europe-north1", 46.0), ("us:TX", 409.16)])
def test_cli_region_golden(region_id: str, g: float) -> None:
    result = _cli("estimate", "--region", region_id, "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["grid_g_co2e_per_kwh"] == g
    assert doc["inputs"]["region"] == region_id


def test_regions_command_lists_cloud_providers_and_states() -> None:
    rows = json.loads(_cli("regions", "--json").stdout)
    assert len(rows) >= 100
    assert {"aws", "gcp", "azure", "us"} <= {row["provider"] for row in rows}


@pytest.mark.parametrize(
    ("command", "extra"), [("countries", ["--json"]), ("compare", ["--a", "--region us:TX", "--json"])]
)
def test_region_on_countries_and_compare(command: str, extra: list[str]) -> None:
    result = _cli(command, "--region", "gcp:europe-north1", *extra)
    assert result.returncode == 0, result.stderr


def test_a_region_in_another_country_is_refused() -> None:
    with pytest.raises(InputError) as info:
        TrainingRun(country_iso3="FRA", region="us:TX").resolve()
    assert info.value.field == "region"


@pytest.mark.parametrize(
    "query",
    [
        {"grid_year": "2020", "country": "SWE"},
        {"region": "gcp:europe-north1"},
        {"region": "us:TX", "preset": "llama-3.1-405b"},
        {"grid_year": "2009", "country": "ESH", "view": "countries"},
    ],
)
def test_link_round_trips(query: dict[str, str]) -> None:
    parsed = parse_link(query)
    assert parsed.warnings == []
    again = parse_link(link_params(parsed.scenario))
    assert again.warnings == []
    assert again.scenario == dataclasses.replace(parsed.scenario, power_w=parsed.scenario.resolved_power_w())
    for key in ("grid_year", "region"):
        if key in query:
            assert link_params(parsed.scenario)[key] == query[key]


def test_link_region_moves_a_preset_to_its_grid_and_country() -> None:
    parsed = parse_link({"preset": "llama-3.1-405b", "region": "us:tx"})
    assert (parsed.scenario.region, parsed.scenario.country, parsed.scenario.grid) == ("us:TX", "USA", None)


@pytest.mark.parametrize(
    ("query", "rejected"),
    [
        ({"grid_year": "1850"}, "grid_year"),
        ({"grid_year": "2020", "grid": "100"}, "grid_year"),
        ({"region": "gcp:europe-north1", "grid": "0"}, "region"),  # found by the link fuzz test
        ({"region": "us:TX", "country": "FRA"}, "region"),
        ({"region": "us:TX", "grid_year": "2016"}, "grid_year"),
    ],
)
def test_link_inputs_that_do_not_fit_are_named_and_the_rest_kept(query: dict[str, str], rejected: str) -> None:
    parsed = parse_link(query | {"pue": "1.3"})
    assert parsed.rejected == [rejected]
    assert f"'{rejected}'" in parsed.warnings[0]
    assert parsed.scenario.pue == 1.3
    estimate(parsed.scenario.training_run())


# --- the sidebar ------------------------------------------------------------------------------------------


def _open(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def _url(at: AppTest) -> dict[str, str]:
    return {name: at.query_params[name] for name in at.query_params}


def test_sidebar_year_choice_moves_the_grid_and_the_link() -> None:
    at = _open({"country": "USA"})
    assert not at.exception and not at.error
    assert at.sidebar.selectbox(key="grid_year").value is None  # latest
    at.sidebar.selectbox(key="grid_year").set_value(2020).run()
    assert _url(at)["grid_year"] == "2020"
    assert estimate(parse_link(_url(at)).scenario.training_run()).grid_g_co2e_per_kwh == 411.698
    assert any("lifecycle" in c.value for c in at.sidebar.caption)
    at.sidebar.selectbox(key="country").set_value("FRA").run()  # another country: its latest year again
    assert "grid_year" not in _url(at)


def test_sidebar_region_choice_under_the_country() -> None:
    at = _open({"country": "FIN"})
    at.sidebar.selectbox(key="region").set_value("gcp:europe-north1").run()
    assert not at.exception and not at.error
    assert _url(at)["region"] == "gcp:europe-north1"
    assert "grid_year" not in _url(at)
    assert any("Google" in c.value for c in at.sidebar.caption)  # the region's own basis
    assert estimate(parse_link(_url(at)).scenario.training_run()).grid_g_co2e_per_kwh == 46.0
    at.sidebar.selectbox(key="country").set_value("SWE").run()
    assert "region" not in _url(at)


def test_link_with_a_region_opens_on_it() -> None:
    at = _open({"region": "us:TX", "preset": "llama-3.1-405b"})
    assert not at.exception and not at.error
    assert at.sidebar.selectbox(key="region").value == "us:TX"
    assert at.sidebar.selectbox(key="country").value == "USA"
    assert _url(at)["region"] == "us:TX"


def test_a_preset_moved_to_its_training_year() -> None:
    """GPT-3, trained in 2020, on the United States' grid of 2020 (411.7 g/kWh), not 2024's (383.5): a grid year
    replaces the preset's own factor in the CLI and in the link alike."""
    doc = json.loads(_cli("estimate", "--preset", "gpt-3-175b", "--grid-year", "2020", "--json").stdout)
    assert (doc["grid_g_co2e_per_kwh"], doc["grid_year"]) == (411.698, 2020)
    parsed = parse_link({"preset": "gpt-3-175b", "grid_year": "2020"})
    assert parsed.warnings == []
    assert estimate(parsed.scenario.training_run()).total_t_co2e == pytest.approx(doc["total_t_co2e"], rel=1e-12)
