"""Regions below the country (``data/regions.csv``): golden values, pricing, the CLI and data-file checks."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon_core import DataFileError
from carbon_core.cli import main
from carbon_core.emissions import operational_t_co2e
from carbon_core.grid import grid_for_country
from carbon_core.regions import COLUMNS, grid_for_region, price_in_regions, regions
from tests.test_data_files import _rows, _write_rows

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
REGION_IDS = sorted(regions().index)


def _shared_value(name: str, key_column: str, key: str, value_column: str, skip: int = 0) -> float:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"shared source {path} not present")
    lines = path.read_text(encoding="utf-8").splitlines()[skip:]
    row = next(r for r in csv.DictReader(lines) if r[key_column] == key)
    return float(row[value_column])


def test_golden_country_year():
    assert grid_for_country("USA", 2020).grid_g_co2e_per_kwh == 411.698


def test_golden_regions_equal_their_sources():
    google = _shared_value("raw_codecarbon_cloud_impact.csv", "region", "europe-north1", "impact")
    assert grid_for_region("gcp:europe-north1").grid_g_co2e_per_kwh == google == 46
    texas = _shared_value("raw_greenalgorithms_CI_aggregated.csv", "location", "US-TX", "carbonIntensity", skip=1)
    assert grid_for_region("us:TX").grid_g_co2e_per_kwh == texas == 409.16


def test_disagreements_keep_the_other_value():
    table = regions()
    finland = table.loc["gcp:europe-north1"]
    assert (finland["year"], finland["alternative_year"], finland["alternative_g_co2e_per_kwh"]) == (2023, 2019, 211)
    assert finland["pue"] == 1.09
    texas = table.loc["us:TX"]
    assert (texas["year"], texas["alternative_year"], texas["alternative_g_co2e_per_kwh"]) == (2020, 2016, 476.06)
    has_alternative = table["alternative_year"].notna()
    assert (table.loc[has_alternative, "year"] > table.loc[has_alternative, "alternative_year"]).all()


def test_region_factor_fields():
    factor = grid_for_region("gcp:europe-north1")
    assert (factor.region_id, factor.iso3, factor.country, factor.year, factor.pue) == (
        "gcp:europe-north1",
        "FIN",
        "Finland",
        2023,
        1.09,
    )
    assert factor.basis is not None and factor.basis.startswith("location-based")
    assert grid_for_region("us:TX").pue is None
    with pytest.raises(KeyError):
        grid_for_region("gcp:nowhere1")


def test_counts_and_providers():
    table = regions()
    assert len(table) >= 100
    counts = table["provider"].value_counts()
    assert {"aws", "gcp", "azure", "us", "ca", "au"} == set(counts.index)
    assert counts["us"] == 51  # 50 states + DC
    assert table.loc[table["provider"].isin(["aws", "gcp", "azure"]), "basis"].str.contains("location-based").all()


@settings(max_examples=60, deadline=None)
@given(
    region=st.sampled_from(REGION_IDS),
    energy=st.floats(min_value=0, max_value=1e10, allow_nan=False),
    embodied=st.floats(min_value=0, max_value=1e5, allow_nan=False),
)
def test_every_region_prices_on_its_listed_value(region, energy, embodied):
    listed = regions().loc[region, "grid_g_co2e_per_kwh"]
    assert grid_for_region(region).grid_g_co2e_per_kwh == listed
    table = price_in_regions(energy, embodied).set_index("id")
    row = table.loc[region]
    assert row["grid_g_co2e_per_kwh"] == listed
    assert row["operational_t_co2e"] == operational_t_co2e(energy, listed)
    assert math.isclose(row["total_t_co2e"], row["operational_t_co2e"] + embodied, rel_tol=1e-12, abs_tol=1e-9)


def test_price_in_regions_shape():
    table = price_in_regions(1e6, 2.0)
    assert list(table.columns) == COLUMNS
    assert len(table) == len(regions())
    assert table["total_t_co2e"].is_monotonic_increasing


def _cli(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_cli_regions_json(capsys):
    rows = json.loads(_cli(capsys, "regions", "--json"))
    assert len(rows) >= 100
    assert {"aws", "gcp", "azure", "us"} <= {r["provider"] for r in rows}
    finland = next(r for r in rows if r["id"] == "gcp:europe-north1")
    assert finland["grid_g_co2e_per_kwh"] == 46 and finland["pue"] == 1.09
    texas = next(r for r in rows if r["id"] == "us:TX")
    assert "pue" not in texas
    assert set(texas) == {"id", "provider", "name", "country_iso3", "grid_g_co2e_per_kwh", "year", "basis", "source"}


def test_cli_regions_table(capsys):
    out = _cli(capsys, "regions")
    assert "gcp:europe-north1" in out and "us:TX" in out
    assert f"{len(regions())} regions" in out


# --- data-file validation -----------------------------------------------------------------------------------


def _corrupt(folder: Path, region_id: str, column: str, value: str) -> int:
    path = folder / "regions.csv"
    rows = _rows(path)
    line = next(n for n, row in enumerate(rows, start=1) if n > 1 and row[0] == region_id)
    rows[line - 1][rows[0].index(column)] = value
    _write_rows(path, rows)
    return line


def _error(folder: Path, monkeypatch: pytest.MonkeyPatch) -> DataFileError:
    monkeypatch.setenv("CARBON_CORE_DATA_DIR", str(folder))
    with pytest.raises(DataFileError) as excinfo:
        regions()
    assert excinfo.value.filename == "regions.csv"
    assert "regions.csv" in str(excinfo.value)
    return excinfo.value


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("grid_g_co2e_per_kwh", "abc"),
        ("grid_g_co2e_per_kwh", "-5"),
        ("grid_g_co2e_per_kwh", "2500"),
        ("year", "20x3"),
        ("pue", "0.5"),
        ("provider", "oracle"),
        ("country_iso3", "XYZ"),
        ("id", "gcp europe north"),
    ],
)
def test_corrupt_region_cell_names_file_line_and_field(data_copy, monkeypatch, column, value):
    line = _corrupt(data_copy, "gcp:europe-north1", column, value)
    err = _error(data_copy, monkeypatch)
    assert (err.row, err.field) == (line, column), str(err)
    assert f"line {line}" in str(err) and column in str(err)


def test_region_id_must_match_provider(data_copy, monkeypatch):
    line = _corrupt(data_copy, "us:TX", "provider", "ca")
    err = _error(data_copy, monkeypatch)
    assert err.row == line and "provider" in str(err)


def test_duplicate_region(data_copy, monkeypatch):
    path = data_copy / "regions.csv"
    rows = _rows(path)
    rows.insert(4, list(rows[3]))
    _write_rows(path, rows)
    err = _error(data_copy, monkeypatch)
    assert (err.row, err.field) == (5, "id") and "duplicate" in str(err)


def test_plausible_region_edit_fails_checksum(data_copy, monkeypatch):
    _corrupt(data_copy, "us:TX", "grid_g_co2e_per_kwh", "410.16")
    assert "checksum" in str(_error(data_copy, monkeypatch))
