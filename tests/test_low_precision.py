"""Tiny grids whose published intensity is not good to two significant figures, and the grid by year."""

from __future__ import annotations

import json

import pytest

from carbon_core.cli import main
from carbon_core.countries import COLUMNS, price_energy_in_countries
from carbon_core.grid import (
    COUNTRY_GRID_BASIS,
    WORLD,
    grid_for_country,
    grid_history,
    grid_years,
    is_world,
    latest_grid,
)

TINY = ["CAF", "FLK", "MSR", "SHN"]
LARGE = ["USA", "CHN", "IND", "DEU", "FRA", "SWE", "BRA", "JPN", "GBR", "NOR", "CAN", "AUS", "POL", "ZAF", "WLD"]


def test_tiny_grids_flagged():
    latest = latest_grid()
    assert latest.loc[TINY, "low_precision"].all()


def test_large_grids_never_flagged():
    history = grid_history()
    assert not history.loc[history["iso3"].isin(LARGE), "low_precision"].any()


def test_zero_and_thousand_are_always_flagged():
    history = grid_history()
    exact = history["grid_g_co2e_per_kwh"].isin([0.0, 1000.0])
    assert exact.any() and history.loc[exact, "low_precision"].all()


def test_countries_pass_the_flag_through():
    table = price_energy_in_countries(1e6, 0.0)
    assert COLUMNS[-1] == "low_precision" and list(table.columns) == COLUMNS
    flags = table.set_index("iso3")["low_precision"]
    assert flags[TINY].all() and not flags[["USA", "DEU", "FRA"]].any()


def test_countries_without_flags_default_to_false():
    quoted = latest_grid().drop(columns="low_precision").head(5)
    assert not price_energy_in_countries(1e6, 0.0, quoted)["low_precision"].any()


def test_cli_countries_json_and_csv(capsys):
    assert main(["countries", "--json"]) == 0
    rows = {r["iso3"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["CAF"]["low_precision"] is True and rows["USA"]["low_precision"] is False
    assert main(["countries", "--csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.split(",")[-1] == "low_precision"


def test_world_is_a_reference():
    assert is_world("WLD") and is_world(" wld ") and not is_world("USA") and not is_world(None)
    assert WORLD in latest_grid().index


def test_grid_by_year():
    factor = grid_for_country("USA", 2020)
    assert (factor.grid_g_co2e_per_kwh, factor.year, factor.basis) == (411.698, 2020, COUNTRY_GRID_BASIS)
    assert grid_for_country("USA") == grid_for_country("USA", grid_years("USA")[-1])
    assert grid_years("USA") == list(range(2000, 2025))


def test_missing_year_lists_the_years_available():
    with pytest.raises(ValueError, match=r"no grid data for USA in 1850; years available: 2000-2024"):
        grid_for_country("USA", 1850)
    with pytest.raises(ValueError, match=r"years available: 2000-2009$"):
        grid_for_country("ESH", 2020)
    with pytest.raises(KeyError):
        grid_for_country("XXX", 2020)
