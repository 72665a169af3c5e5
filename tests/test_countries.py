"""The default run priced on every country's grid at once (``price_in_countries``)."""

from __future__ import annotations

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbon_core import TrainingRun, estimate, price_in_countries
from carbon_core.countries import reliable_extremes, world_reference
from carbon_core.grid import grid_for_country, latest_grid

COLUMNS = [
    "iso3",
    "country",
    "year",
    "grid_g_co2e_per_kwh",
    "operational_t_co2e",
    "embodied_t_co2e",
    "total_t_co2e",
    "source",
    "low_precision",
]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return price_in_countries()


@pytest.fixture(scope="module")
def default_footprint():
    return estimate()


def test_row_count(table):
    assert 200 <= len(table) <= 230


def test_columns(table):
    assert list(table.columns) == COLUMNS


def test_unique_iso3(table):
    assert table["iso3"].is_unique
    assert table["iso3"].str.fullmatch(r"[A-Z]{3}").all()


def test_includes_world_and_france(table):
    assert {"FRA", "USA", "SWE"} <= set(table["iso3"])
    assert "WLD" not in set(table["iso3"])  # a reference, not a ranked country


def test_one_row_per_country_in_the_data(table):
    assert set(table["iso3"]) == set(latest_grid()["iso3"]) - {"WLD"}


def test_sorted_by_total(table):
    totals = table["total_t_co2e"].to_numpy()
    assert (totals[1:] >= totals[:-1]).all()
    assert totals[0] < totals[-1]


def test_every_row_has_year_and_source(table):
    assert table["year"].notna().all()
    assert table["year"].between(1990, 2030).all()
    assert (table["year"].astype(int) == table["year"]).all()
    assert table["source"].notna().all()
    assert (table["source"].str.strip().str.len() > 0).all()
    assert table["country"].notna().all()


def test_operational_is_facility_energy_times_grid(table, default_footprint):
    expected = default_footprint.facility_energy_kwh * table["grid_g_co2e_per_kwh"].to_numpy() / 1e6
    assert_allclose(table["operational_t_co2e"].to_numpy(), expected, rtol=1e-12)


def test_embodied_constant_across_rows(table, default_footprint):
    assert table["embodied_t_co2e"].nunique() == 1
    assert_allclose(table["embodied_t_co2e"].to_numpy(), default_footprint.embodied_t_co2e, rtol=1e-12)
    assert default_footprint.embodied_t_co2e > 0


def test_total_is_operational_plus_embodied(table):
    assert_allclose(
        table["total_t_co2e"].to_numpy(),
        (table["operational_t_co2e"] + table["embodied_t_co2e"]).to_numpy(),
        rtol=1e-12,
    )


def test_grid_values_are_the_latest_year(table):
    latest = latest_grid()
    for row in table.itertuples():
        assert row.grid_g_co2e_per_kwh == latest.loc[row.iso3, "grid_g_co2e_per_kwh"]
        assert row.year == latest.loc[row.iso3, "year"]


@pytest.mark.parametrize("iso3", ["FRA", "USA", "SWE"])
def test_row_equals_single_estimate(table, iso3):
    row = table.set_index("iso3").loc[iso3]
    fp = estimate(TrainingRun(country_iso3=iso3))
    assert_allclose(row["total_t_co2e"], fp.total_t_co2e, rtol=1e-12)
    assert_allclose(row["operational_t_co2e"], fp.operational_t_co2e, rtol=1e-12)
    assert row["grid_g_co2e_per_kwh"] == grid_for_country(iso3).grid_g_co2e_per_kwh


def test_default_run_row_matches_default_country(table, default_footprint):
    # The default run is priced on the default country's grid (USA).
    row = table.set_index("iso3").loc[default_footprint.run.country_iso3]
    assert_allclose(row["total_t_co2e"], default_footprint.total_t_co2e, rtol=1e-12)


def test_footprint_and_run_inputs_give_same_table(table, default_footprint):
    pd.testing.assert_frame_equal(price_in_countries(default_footprint), table)
    pd.testing.assert_frame_equal(price_in_countries(TrainingRun()), table)


def test_other_run_scales_operational_not_order(table):
    # Twice the GPUs: twice every total, same order.
    doubled = price_in_countries(TrainingRun(gpu_count=2_048))
    assert list(doubled["iso3"]) == list(table["iso3"])
    assert_allclose(doubled["total_t_co2e"].to_numpy(), 2 * table["total_t_co2e"].to_numpy(), rtol=1e-12)


def test_world_is_a_reference_priced_like_a_run_on_its_grid():
    fp = estimate(TrainingRun(country_iso3="WLD"))
    world = world_reference(fp.facility_energy_kwh, fp.embodied_t_co2e)
    assert world["iso3"] == "WLD"
    assert_allclose(world["total_t_co2e"], fp.total_t_co2e, rtol=1e-12)


def test_cleanest_and_dirtiest_are_never_low_precision_grids(table):
    clean, dirty = reliable_extremes(table)
    assert not clean["low_precision"] and not dirty["low_precision"]
    assert clean["iso3"] != "CAF" and dirty["iso3"] not in {"FLK", "MSR", "SHN"}
    assert clean["grid_g_co2e_per_kwh"] > 0
    reliable = table[~table["low_precision"]]
    assert clean["total_t_co2e"] == reliable["total_t_co2e"].min()
    assert dirty["total_t_co2e"] == reliable["total_t_co2e"].max()
