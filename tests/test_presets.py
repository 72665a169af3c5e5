"""Every published run in data/presets.csv, recomputed from its inputs, against the figure its source prints."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

import carbon_core
from carbon_core import TrainingRun, estimate, get_preset, price_in_countries, reproduce, reproduce_all

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def _csv_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "presets.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


PRESET_IDS = [row["id"] for row in _csv_rows()]
WARNED_IDS = [row["id"] for row in _csv_rows() if row["warning"]]
UNWARNED_IDS = [pid for pid in PRESET_IDS if pid not in WARNED_IDS]

GOLDEN_WITHIN_1_PCT = [
    "llama-2-7b",
    "llama-2-13b",
    "llama-2-70b",
    "llama-3-8b",
    "llama-3-70b",
    "llama-3.1-8b",
    "llama-3.1-70b",
    "llama-3.1-405b",
    "llama-3.2-1b",
    "llama-3.2-3b",
    "llama-3.2-11b-vision",
    "llama-3.2-90b-vision",
    "llama-3.3-70b",
    "llama-4-scout",
    "llama-4-maverick",
    "bloom-176b-dynamic",
    "bloom-176b-lca",
    "gpt-3-175b",
    "seed-000-llama-3-350k-h100",
    "seed-004-swe",
    "seed-004-fra",
    "seed-004-deu",
    "seed-004-usa-400",
    "seed-004-usa-700",
]


def test_presets_loaded_in_file_order():
    assert list(carbon_core.presets()) == PRESET_IDS
    assert len(PRESET_IDS) >= 25


def test_warnings_are_the_llama_3_3_cards_and_seed_000():
    assert WARNED_IDS == ["llama-3.3-70b", "seed-000-llama-3-350k-h100"]


@pytest.mark.parametrize("preset_id", PRESET_IDS)
def test_preset_is_reproduced(preset_id):
    result = reproduce(get_preset(preset_id))
    assert result.reproduced, f"{preset_id}: computed {result.computed_t_co2e} vs reported {result.reported_t_co2e}"
    assert result.warning == get_preset(preset_id).warning


def test_llama_3_3_reproduces_the_consistent_card_and_shows_the_other():
    preset = get_preset("llama-3.3-70b")
    result = reproduce(preset)
    # The Hugging Face card's 2,040 t for 7.0M H100-hours is reproduced with Meta's method (-0.55 %) ...
    assert preset.reported_t_co2e == 2040
    assert_allclose(result.computed_t_co2e, 7.0e6 * 0.7 * 1.1 * 376.392 / 1e6, rtol=1e-9)
    assert_allclose(result.difference_pct, -0.5513, atol=1e-3)
    assert "Hugging Face" in preset.source and "68834056647" in preset.source and "llama3_3" in preset.source
    # ... and the GitHub card's 12.9 t for the same hours stays visible, with what it would imply.
    assert result.warning and "12.9 t" in result.warning and "2,040 t" in result.warning
    assert "2.4 g/kWh" in result.warning
    # A realistic grid (the Llama 3.1 factor), not the ~2.4 g/kWh the printed 12.9 t would imply.
    assert preset.grid_g_co2e_per_kwh == get_preset("llama-3.1-70b").grid_g_co2e_per_kwh
    assert_allclose(result.computed_t_co2e, reproduce(get_preset("llama-3.1-70b")).computed_t_co2e, rtol=1e-12)


# --- provenance ---------------------------------------------------------------------------------------------

META_FROM_LLAMA_3 = [
    pid for pid in PRESET_IDS if pid.startswith(("llama-3", "llama-4")) and not pid.startswith("llama-2")
]


def test_provenance_counts():
    by_kind = {
        kind: [p.id for p in carbon_core.presets().values() if p.provenance == kind]
        for kind in ("stated", "derived", "article")
    }
    assert by_kind["stated"] == [
        "llama-2-7b",
        "llama-2-13b",
        "llama-2-70b",
        "bloom-176b-dynamic",
        "bloom-176b-pue",
        "gpt-3-175b",
    ]
    assert by_kind["derived"] == [*META_FROM_LLAMA_3, "bloom-176b-lca"]
    assert by_kind["article"] == [pid for pid in PRESET_IDS if pid.startswith("seed-")]
    assert len(META_FROM_LLAMA_3) == 12
    assert sum(map(len, by_kind.values())) == len(PRESET_IDS) == 25


@pytest.mark.parametrize("preset_id", META_FROM_LLAMA_3)
def test_meta_presets_from_llama_3_on_are_derived(preset_id):
    preset = get_preset(preset_id)
    assert preset.provenance == "derived"
    assert preset.derived_input_list == ["grid_g_co2e_per_kwh", "pue"]
    assert preset.pue == 1.1


def test_gpt3_is_stated_and_405b_derived():
    assert get_preset("gpt-3-175b").provenance == "stated"
    assert get_preset("gpt-3-175b").derived_inputs is None
    assert reproduce(get_preset("gpt-3-175b")).derived_inputs == []
    llama = get_preset("llama-3.1-405b")
    assert llama.provenance == "derived"
    assert reproduce(llama).derived_inputs == ["grid_g_co2e_per_kwh", "pue"]
    assert get_preset("bloom-176b-lca").derived_input_list == ["server_power_w_per_gpu", "embodied_kg_co2e_per_gpu"]


def test_provenance_and_derived_inputs_agree():
    row = get_preset("gpt-3-175b").model_dump()
    with pytest.raises(ValueError, match="derived_inputs"):
        carbon_core.Preset(**row | {"provenance": "derived"})
    with pytest.raises(ValueError, match="derived_inputs"):
        carbon_core.Preset(**row | {"derived_inputs": "pue"})
    with pytest.raises(ValueError, match="no input"):
        carbon_core.Preset(**row | {"provenance": "derived", "derived_inputs": "grid;pue"})


def test_seed_000_warning_states_its_known_problems():
    preset = get_preset("seed-000-llama-3-350k-h100")
    text = preset.warning or ""
    assert "IEA 2019 world average" in text and "475 g/kWh" in text
    # 350,000 x 4,320 h = 1.512e9 GPU-hours, 196x the Llama 3 card's 7.7M.
    assert round(preset.gpu_hours / 7.7e6) == 196
    assert "196x" in text and "626 kg" in text and "cannot be traced" in text


def test_seed_004_note_corrects_its_car_count():
    from carbon_core.equivalents import equivalence_factors

    car_kg = equivalence_factors()["car_lifetime"].kg_co2e_per_unit
    assert round(11_390_000 / car_kg) == 199  # metric tonnes
    assert round(11_390 / 63) == 181  # the article's short tons (126,000 lb / 2,000)
    for preset_id in SEED004_IDS:
        note = get_preset(preset_id).note or ""
        assert "'181 cars'" in note and "199 cars" in note and "63 short tons" in note


def test_reproduce_all_matches_reproduce():
    results = reproduce_all()
    assert [r.id for r in results] == PRESET_IDS
    for result in results:
        single = reproduce(get_preset(result.id))
        assert result.computed_t_co2e == single.computed_t_co2e
        assert_allclose(result.difference_pct, (result.computed_t_co2e / result.reported_t_co2e - 1) * 100, rtol=1e-12)


@pytest.mark.parametrize("preset_id", GOLDEN_WITHIN_1_PCT)
def test_golden_within_one_percent(preset_id):
    preset = get_preset(preset_id)
    computed = estimate(preset.run()).total_t_co2e
    assert_allclose(computed, preset.reported_t_co2e, rtol=0.01)


def test_bloom_pue_within_printed_rounding():
    # Table 4 prints 30 t (whole tonnes): 24.69 t x 1.2 = 29.63 t lies within 29.5-30.5 t.
    preset = get_preset("bloom-176b-pue")
    computed = estimate(preset.run()).total_t_co2e
    assert abs(computed - 30) <= 0.5
    assert_allclose(computed, 433_196 * 1.2 * 57 / 1e6, rtol=1e-9)
    assert preset.reported_rounding_t == 0.5
    assert reproduce(preset).reproduced


def test_preset_gpu_hours_are_kept():
    for preset in carbon_core.presets().values():
        assert_allclose(estimate(preset.run()).gpu_hours, preset.gpu_hours, rtol=1e-12, err_msg=preset.id)


# --- seed 000 ---------------------------------------------------------------------------------------


def test_seed_000_exact_figures():
    preset = get_preset("seed-000-llama-3-350k-h100")
    fp = estimate(preset.run())
    assert_allclose(fp.facility_energy_kwh, 907_200_000, rtol=1e-9)
    assert_allclose(fp.operational_t_co2e, 430_920, rtol=1e-9)
    assert_allclose(fp.embodied_t_co2e, 219_100, rtol=1e-9)
    assert_allclose(fp.total_t_co2e, 650_020, rtol=1e-9)


def test_seed_000_note_explains_the_article_slip():
    preset = get_preset("seed-000-llama-3-350k-h100")
    assert preset.reported_t_co2e == 650_320  # shown as printed
    assert preset.note is not None
    assert "650,320" in preset.note
    assert "650,020" in preset.note
    assert "431,220" in preset.note
    result = reproduce(preset)
    assert result.note == preset.note
    assert_allclose(result.difference_pct, (650_020 / 650_320 - 1) * 100, rtol=1e-9)


# --- seed 004: the Llama 3.1 run priced in five grids -----------------------------------------------

SEED004_IDS = ["seed-004-swe", "seed-004-fra", "seed-004-deu", "seed-004-usa-400", "seed-004-usa-700"]
SEED004_COMPUTED = [357.63, 687.75, 6_877.5, 11_004, 19_257]  # 27,510 MWh x 13 / 25 / 250 / 400 / 700 g/kWh
SEED004_ARTICLE = [357, 687, 6_875, 11_000, 19_250]


def _seed004_intensities() -> pd.DataFrame:
    rows = []
    for preset_id in SEED004_IDS:
        preset = get_preset(preset_id)
        iso3 = preset_id.removeprefix("seed-004-").split("-")[0].upper()
        rows.append(
            {
                "iso3": iso3,
                "country": preset.name,
                "year": 2024,
                "grid_g_co2e_per_kwh": preset.grid_g_co2e_per_kwh,
                "source": "Electricity Maps, as quoted by seed article 004",
            }
        )
    # Shuffled, so that the sort is the function's doing.
    return pd.DataFrame(rows).iloc[[3, 0, 4, 2, 1]].reset_index(drop=True)


@pytest.fixture(scope="module")
def seed004_table() -> pd.DataFrame:
    preset = get_preset("seed-004-usa-400")
    run = TrainingRun(**preset.run().model_dump(exclude={"grid_g_co2e_per_kwh"}))
    assert run.grid_g_co2e_per_kwh is None
    return price_in_countries(run, intensities=_seed004_intensities())


def test_seed004_intensities_are_the_articles():
    assert [get_preset(pid).grid_g_co2e_per_kwh for pid in SEED004_IDS] == [13, 25, 250, 400, 700]


def test_seed004_table_totals(seed004_table):
    assert list(seed004_table["iso3"]) == ["SWE", "FRA", "DEU", "USA", "USA"]
    assert_allclose(seed004_table["total_t_co2e"], SEED004_COMPUTED, rtol=1e-9)
    assert_allclose(seed004_table["embodied_t_co2e"], 0.0, atol=0)


def test_seed004_table_within_one_percent_of_article(seed004_table):
    assert_allclose(seed004_table["total_t_co2e"], SEED004_ARTICLE, rtol=0.01)


def test_seed004_table_sorted_ascending(seed004_table):
    totals = seed004_table["total_t_co2e"].to_numpy()
    assert (totals[1:] >= totals[:-1]).all()
    assert list(seed004_table["grid_g_co2e_per_kwh"]) == [13, 25, 250, 400, 700]


def test_seed004_table_matches_each_preset(seed004_table):
    for preset_id, total in zip(SEED004_IDS, seed004_table["total_t_co2e"], strict=True):
        assert_allclose(total, reproduce(get_preset(preset_id)).computed_t_co2e, rtol=1e-12, err_msg=preset_id)
