"""Issue 15 item 8 (water): the off-site water factor follows the country where data/water_intensity.csv has one,
the U.S. average (Li et al. 2023) otherwise, a hand-set value wins, and every output says which was used.

Golden values are the vendored EcoLogits table's (data/raw/ecologits/electricity_mixes.csv, column ``wue``),
read here from that raw copy, not from the built file, so a build that mangled a number would fail.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from numpy.testing import assert_allclose

from carbon_core import TrainingRun, estimate
from carbon_core.io.export import scenario_csv
from carbon_core.water_intensity import (
    countries_with_factor,
    country_water_factor,
    default_electricity_water,
    off_site_water_note,
    water_factors,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
RAW = REPO_ROOT / "data" / "raw" / "ecologits" / "electricity_mixes.csv"
EXACT = 1e-12


def _raw_wue() -> dict[str, float]:
    with RAW.open(encoding="utf-8", newline="") as handle:
        return {row["name"]: float(row["wue"]) for row in csv.DictReader(handle)}


def test_table_is_the_raw_copys_wue_column() -> None:
    raw = _raw_wue()
    built = {("WOR" if iso3 == "WLD" else iso3): row.l_per_kwh for iso3, row in water_factors().items()}
    assert built == raw
    assert len(raw) == 50 and countries_with_factor() == 49
    assert {row.year for row in water_factors().values()} == {2020}
    assert all("Reig, Luo, Christensen, Sinistore 2020" in row.source for row in water_factors().values())


def test_vendored_copy_keeps_its_licence_and_provenance() -> None:
    folder = RAW.parent
    assert (folder / "LICENSE").read_text(encoding="utf-8").startswith("Mozilla Public License Version 2.0")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "2d0a1c76358a1aad0c530d47794e37465ad029e8" in readme
    assert "https://mozilla.org/MPL/2.0/" in readme


@pytest.mark.parametrize(("iso3", "l_per_kwh"), [("SWE", 6.0315), ("FRA", 3.6737), ("BRA", 18.6033), ("WLD", 3.908)])
def test_a_country_with_a_factor_takes_its_own(iso3: str, l_per_kwh: float) -> None:
    fp = estimate(TrainingRun(gpu_count=1000, training_hours=100.0, country_iso3=iso3))
    assert fp.run.electricity_water_l_per_kwh == l_per_kwh
    assert_allclose(fp.water_off_site_l, fp.facility_energy_kwh * l_per_kwh, rtol=EXACT)
    source = fp.run.default_sources["electricity_water_l_per_kwh"]
    assert "EcoLogits" in source and "WRI" in source
    assert f"{l_per_kwh:.2f} L/kWh (WRI method, via EcoLogits)" in fp.water_off_site_basis


def test_by_hand_sweden_golden() -> None:
    # 1,000 H100 at 700 W, no host power, PUE 1.2, 100 h: 84,000 kWh drawn; Sweden's 6.0315 L/kWh -> 506,646 L
    run = TrainingRun(
        gpu_count=1000, training_hours=100.0, gpu_power_w=700.0, utilisation_fraction=1.0,
        server_power_w_per_gpu=0.0, pue=1.2, country_iso3="SWE", wue_l_per_kwh=0.0,
    )  # fmt: skip
    fp = estimate(run)
    assert fp.facility_energy_kwh == pytest.approx(84_000.0)
    assert fp.water_off_site_l == pytest.approx(506_646.0)
    assert fp.water_total_l == pytest.approx(506_646.0)


def test_the_united_states_keep_the_documented_average() -> None:
    fp = estimate(TrainingRun(country_iso3="USA"))
    assert fp.run.electricity_water_l_per_kwh == 3.14
    assert "Li, Yang, Islam, Ren 2023" in fp.run.default_sources["electricity_water_l_per_kwh"]
    assert fp.water_off_site_basis == "U.S. average (3.14 L/kWh, Li et al. 2023)"
    assert country_water_factor("USA") is None and water_factors()["USA"].l_per_kwh == 3.1321


def test_a_country_without_a_factor_takes_the_us_average_and_says_so() -> None:
    assert country_water_factor("KEN") is None
    fp = estimate(TrainingRun(country_iso3="KEN"))
    assert fp.run.electricity_water_l_per_kwh == 3.14
    assert "data/water_intensity.csv has no factor for Kenya" in fp.run.default_sources["electricity_water_l_per_kwh"]
    assert fp.water_off_site_basis == "U.S. average (3.14 L/kWh, Li et al. 2023) used for Kenya: no per-country factor"


def test_a_grid_set_by_hand_without_a_country_takes_the_us_average() -> None:
    fp = estimate(TrainingRun(grid_g_co2e_per_kwh=100.0))
    assert fp.run.country_iso3 is None and fp.run.electricity_water_l_per_kwh == 3.14
    assert fp.water_off_site_basis.endswith("no country (grid set by hand)")


def test_a_region_takes_its_countrys_factor() -> None:
    fp = estimate(TrainingRun(region="gcp:europe-north1"))
    assert fp.run.country_iso3 == "FIN" and fp.run.electricity_water_l_per_kwh == 4.5289
    assert "gcp:europe-north1 takes its country's factor" in fp.water_off_site_basis


def test_a_hand_set_factor_wins_and_is_named() -> None:
    fp = estimate(TrainingRun(country_iso3="SWE", electricity_water_l_per_kwh=1.5))
    assert fp.run.electricity_water_l_per_kwh == 1.5
    assert "electricity_water_l_per_kwh" not in fp.run.default_sources
    assert fp.water_off_site_basis == (
        "1.5 L/kWh set by hand; own factor of Sweden: 6.03 L/kWh (WRI method, via EcoLogits)"
    )


def test_the_us_average_on_a_country_with_its_own_factor_is_called_out() -> None:
    # what an old link (ewif=3.14) for Sweden shows
    note = off_site_water_note(3.14, "SWE")
    assert note == (
        "U.S. average (3.14 L/kWh, Li et al. 2023) used for Sweden, whose own factor is 6.03 L/kWh "
        "(WRI method, via EcoLogits)"
    )


def test_default_and_note_agree_for_every_country_of_the_grid_data() -> None:
    from carbon_core.grid import latest_grid

    for iso3 in latest_grid().index:
        value, _source = default_electricity_water(iso3)
        note = off_site_water_note(value, iso3)
        assert "set by hand" not in note, iso3
        assert ("WRI method" in note) == (country_water_factor(iso3) is not None), iso3


def test_json_and_csv_exports_name_the_factor() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "carbon_core", "estimate", "--country", "SWE", "--json"],
        capture_output=True, text=True, check=True, cwd=REPO_ROOT,
    )  # fmt: skip
    doc = json.loads(out.stdout)
    assert doc["water_off_site_basis"] == "own factor of Sweden, 6.03 L/kWh (WRI method, via EcoLogits)"
    assert doc["inputs"]["electricity_water_l_per_kwh"] == 6.0315
    assert "EcoLogits" in doc["inputs"]["default_sources"]["electricity_water_l_per_kwh"]
    rows = list(csv.reader(scenario_csv(estimate(TrainingRun(country_iso3="KEN"))).splitlines()))
    basis = next(row for row in rows if row[0] == "water_off_site_basis")
    assert basis[1:] == ["U.S. average (3.14 L/kWh, Li et al. 2023) used for Kenya: no per-country factor", "text"]


def test_cli_table_shows_the_factor() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "carbon_core", "estimate", "--country", "NOR"],
        capture_output=True, text=True, check=True, cwd=REPO_ROOT,
    )  # fmt: skip
    assert "off-site factor: own factor of Norway, 6.66 L/kWh (WRI method, via EcoLogits)" in out.stdout
