"""Golden values, worked by hand, for every formula in carbon_core.energy and carbon_core.emissions.

Each expected number below is written out as the arithmetic that produces it, from a published source
where there is one (BLOOM: Luccioni et al. 2022; seed article 000; Morrison et al. 2025; Llama 3.1 card).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from carbon_core import TrainingRun, estimate
from carbon_core.comparison import change_pct, difference_t_co2e
from carbon_core.emissions import embodied_share, embodied_t_co2e, operational_t_co2e, shares_pct, total_t_co2e
from carbon_core.energy import (
    facility_energy_kwh,
    fleet_power_mw,
    gpu_energy_kwh,
    gpu_hours,
    it_energy_kwh,
    overhead_energy_kwh,
    server_energy_kwh,
)
from carbon_core.equivalents import equivalence_factors
from carbon_core.inputs import field_inputs
from carbon_core.run import ResolvedRun
from carbon_core.water import off_site_water_l, on_site_water_l, total_water_l

EXACT = 1e-12  # rtol for arithmetic that is exact up to floating-point rounding

# Seed article 000: 350,000 H100 x 24 h x 30 d x 6 months at 0.6 kW, 475 g/kWh, 626 kg per GPU, no PUE.
SEED000_GPUS = 350_000
SEED000_HOURS = 24 * 30 * 6  # 4,320 h
SEED000_GPU_HOURS = 1_512_000_000  # 350,000 x 4,320
SEED000_KWH = 907_200_000  # 1,512,000,000 GPU-h x 0.6 kW
SEED000_OPERATIONAL_T = 430_920  # 907,200,000 kWh x 475 g/kWh / 1e6
SEED000_EMBODIED_T = 219_100  # 350,000 x 626 kg / 1000
SEED000_TOTAL_T = 650_020  # 430,920 + 219,100

# BLOOM final training (Luccioni et al. 2022): 1,082,990 A100-hours at 400 W, 57 g/kWh, Jean Zay PUE 1.2.
BLOOM_GPU_HOURS = 1_082_990
BLOOM_GPU_KWH = 433_196  # 1,082,990 x 0.4 kW


# --- energy.py -----------------------------------------------------------------------------------


def test_gpu_hours_seed_000():
    assert_allclose(gpu_hours(SEED000_GPUS, SEED000_HOURS), SEED000_GPU_HOURS, rtol=EXACT)


def test_gpu_hours_llama_3_1_405b():
    # 16,384 GPUs x 1,882.32421875 h = 30,840,000 GPU-h (the Llama 3.1 405B card's figure).
    assert_allclose(gpu_hours(16_384, 1_882.32421875), 30_840_000, rtol=EXACT)


def test_gpu_energy_bloom():
    assert_allclose(gpu_energy_kwh(BLOOM_GPU_HOURS, 400.0, 1.0), BLOOM_GPU_KWH, rtol=EXACT)


def test_gpu_energy_seed_000():
    assert_allclose(gpu_energy_kwh(SEED000_GPU_HOURS, 600.0, 1.0), SEED000_KWH, rtol=EXACT)


def test_gpu_energy_scales_with_utilisation():
    # 1,000 GPU-h x 700 W x 0.85 = 595 kWh (measured H100 draw ~85 % of TDP, Morrison et al. 2025).
    assert_allclose(gpu_energy_kwh(1_000.0, 700.0, 0.85), 595.0, rtol=EXACT)
    assert gpu_energy_kwh(1_000.0, 700.0, 0.0) == 0.0


def test_server_energy_bloom_idle():
    # 236.98 W per GPU x 1,082,990 GPU-h = 256,647 kWh, BLOOM's ~256,646 kWh idle consumption (Table 3).
    assert_allclose(server_energy_kwh(BLOOM_GPU_HOURS, 236.98), 256_646.97, rtol=1e-7)
    assert_allclose(server_energy_kwh(BLOOM_GPU_HOURS, 236.98), 256_646, rtol=1e-5)


def test_server_energy_zero_host_power():
    assert server_energy_kwh(1_000_000.0, 0.0) == 0.0


def test_it_energy_is_gpu_plus_server():
    assert_allclose(it_energy_kwh(433_196.0, 256_646.0), 689_842.0, rtol=EXACT)


def test_facility_energy_bloom_pue():
    # 433,196 kWh x PUE 1.2 (Jean Zay) = 519,835.2 kWh.
    assert_allclose(facility_energy_kwh(433_196.0, 1.2), 519_835.2, rtol=EXACT)


def test_facility_energy_pue_one_is_it_energy():
    assert facility_energy_kwh(SEED000_KWH, 1.0) == SEED000_KWH


def test_overhead_energy():
    assert_allclose(overhead_energy_kwh(1_000.0, 1.1), 100.0, rtol=1e-9)
    assert_allclose(overhead_energy_kwh(433_196.0, 1.2), 86_639.2, rtol=1e-9)
    assert overhead_energy_kwh(SEED000_KWH, 1.0) == 0.0


def test_fleet_power_seed_000():
    # 350,000 x 600 W = 210 MW.
    assert_allclose(fleet_power_mw(SEED000_GPUS, 600.0, 1.0, 0.0, 1.0), 210.0, rtol=EXACT)


def test_fleet_power_llama_3_1_cluster():
    # 16,384 x 700 W x 1.1 = 12.61568 MW.
    assert_allclose(fleet_power_mw(16_384, 700.0, 1.0, 0.0, 1.1), 12.61568, rtol=EXACT)


def test_fleet_power_with_host_and_utilisation():
    # 1,024 x (700 W x 0.9 + 237 W) x 1.2 = 1,024 x 867 W x 1.2 = 1.0653696 MW.
    assert_allclose(fleet_power_mw(1_024, 700.0, 0.9, 237.0, 1.2), 1.0653696, rtol=EXACT)


# --- emissions.py --------------------------------------------------------------------------------


def test_operational_seed_000():
    assert_allclose(operational_t_co2e(SEED000_KWH, 475.0), SEED000_OPERATIONAL_T, rtol=EXACT)


def test_operational_bloom():
    # 433,196 kWh x 57 g/kWh = 24.692172 t (Luccioni et al. print 24.69 t).
    assert_allclose(operational_t_co2e(433_196.0, 57.0), 24.692172, rtol=EXACT)


def test_operational_zero_intensity():
    assert operational_t_co2e(SEED000_KWH, 0.0) == 0.0


def test_embodied_share_full_is_one():
    assert embodied_share(4_320.0, 4.0, "full") == 1.0
    assert embodied_share(100_000.0, 1.0, "full") == 1.0


def test_embodied_share_amortised():
    assert_allclose(embodied_share(4_320.0, 4.0, "amortised"), 4_320 / 35_040, rtol=EXACT)
    assert_allclose(embodied_share(35_040.0, 4.0, "amortised"), 1.0, rtol=EXACT)


def test_embodied_share_amortised_not_capped():
    # Eight years of training on hardware with a four-year life uses two sets of hardware.
    assert_allclose(embodied_share(70_080.0, 4.0, "amortised"), 2.0, rtol=EXACT)


def test_embodied_seed_000_full_attribution():
    assert_allclose(embodied_t_co2e(SEED000_GPUS, 626.0, 1.0), SEED000_EMBODIED_T, rtol=EXACT)


def test_embodied_morrison_rate_per_gpu_hour():
    # Morrison et al. 2025: 463 kg per H100 over 4 years = 0.013 kg per GPU-hour (463 / 35,040 = 0.01321).
    kg_per_gpu_hour = embodied_t_co2e(1, 463.0, embodied_share(1.0, 4.0, "amortised")) * 1_000
    assert_allclose(kg_per_gpu_hour, 463 / 35_040, rtol=EXACT)
    assert_allclose(kg_per_gpu_hour, 0.013, rtol=0.02)


def test_total_seed_000():
    assert_allclose(total_t_co2e(SEED000_OPERATIONAL_T, SEED000_EMBODIED_T), SEED000_TOTAL_T, rtol=EXACT)


def test_shares_seed_000():
    shares = shares_pct({"operational": SEED000_OPERATIONAL_T, "embodied": SEED000_EMBODIED_T}, SEED000_TOTAL_T)
    assert_allclose(shares["operational"], 430_920 / 650_020 * 100, rtol=EXACT)  # 66.29 %
    assert_allclose(shares["embodied"], 219_100 / 650_020 * 100, rtol=EXACT)  # 33.71 %
    assert_allclose(sum(shares.values()), 100.0, rtol=EXACT)


def test_shares_of_a_zero_total_are_zero():
    assert shares_pct({"gpu": 0.0, "embodied": 0.0}, 0.0) == {"gpu": 0.0, "embodied": 0.0}


def test_seed_000_chain_end_to_end():
    hours = gpu_hours(SEED000_GPUS, SEED000_HOURS)
    it = it_energy_kwh(gpu_energy_kwh(hours, 600.0, 1.0), server_energy_kwh(hours, 0.0))
    facility = facility_energy_kwh(it, 1.0)
    operational = operational_t_co2e(facility, 475.0)
    embodied = embodied_t_co2e(SEED000_GPUS, 626.0, embodied_share(SEED000_HOURS, 4.0, "full"))
    assert_allclose(facility, SEED000_KWH, rtol=EXACT)
    assert_allclose(total_t_co2e(operational, embodied), SEED000_TOTAL_T, rtol=EXACT)
    # The article's 650,320 t is a multiplication slip, 300 t too high.
    assert abs(total_t_co2e(operational, embodied) - 650_320) > 299


# --- vectorised: arrays in, arrays out ------------------------------------------------------------

GPUS = np.array([1.0, 384.0, 16_384.0, 350_000.0])
HOURS = np.array([1.0, 2_820.3, 1_882.32421875, 4_320.0])
POWER = np.array([300.0, 400.0, 700.0, 600.0])
UTIL = np.array([1.0, 0.5, 0.9, 1.0])
SERVER = np.array([0.0, 236.98, 100.0, 0.0])
PUE = np.array([1.0, 1.2, 1.1, 1.56])
GRID = np.array([0.0, 57.0, 376.392, 475.0])
EMBODIED = np.array([0.0, 150.0, 463.0, 626.0])
LIFETIME = np.array([4.0, 6.0, 4.0, 5.0])


def _elementwise(func, *arrays):
    return np.array([func(*(float(a[i]) for a in arrays)) for i in range(len(arrays[0]))])


VECTOR_CASES = [
    (gpu_hours, (GPUS, HOURS)),
    (gpu_energy_kwh, (GPUS * HOURS, POWER, UTIL)),
    (server_energy_kwh, (GPUS * HOURS, SERVER)),
    (it_energy_kwh, (POWER * 10, SERVER * 10)),
    (facility_energy_kwh, (POWER * 1_000, PUE)),
    (overhead_energy_kwh, (POWER * 1_000, PUE)),
    (fleet_power_mw, (GPUS, POWER, UTIL, SERVER, PUE)),
    (operational_t_co2e, (POWER * 1_000, GRID)),
    (embodied_t_co2e, (GPUS, EMBODIED, UTIL)),
    (total_t_co2e, (GRID, EMBODIED)),
]


@pytest.mark.parametrize(("func", "arrays"), VECTOR_CASES, ids=[case[0].__name__ for case in VECTOR_CASES])
def test_vectorised_matches_scalar(func, arrays):
    result = func(*arrays)
    assert isinstance(result, np.ndarray)
    assert result.shape == arrays[0].shape
    assert_allclose(result, _elementwise(func, *arrays), rtol=EXACT)


def test_embodied_share_amortised_vectorised():
    share = embodied_share(HOURS, LIFETIME, "amortised")
    assert isinstance(share, np.ndarray)
    assert_allclose(share, HOURS / (LIFETIME * 8_760), rtol=EXACT)


def test_vectorised_seed_000_over_grids():
    # The same run on three grids at once: 0, 475 and 950 g/kWh.
    operational = operational_t_co2e(SEED000_KWH, np.array([0.0, 475.0, 950.0]))
    assert_allclose(operational, [0.0, SEED000_OPERATIONAL_T, 2 * SEED000_OPERATIONAL_T], rtol=EXACT)


def test_vectorised_embodied_full_broadcasts():
    share = embodied_share(np.array([10.0, 4_320.0]), 4.0, "full")
    assert_allclose(embodied_t_co2e(np.array([1.0, SEED000_GPUS]), 626.0, share), [0.626, 219_100], rtol=EXACT)


# --- estimate() on explicit inputs -----------------------------------------------------------------


def _seed_000_run(**changes) -> TrainingRun:
    values = dict(
        accelerator="h100-sxm",
        gpu_count=SEED000_GPUS,
        training_hours=SEED000_HOURS,
        gpu_power_w=600.0,
        utilisation_fraction=1.0,
        server_power_w_per_gpu=0.0,
        pue=1.0,
        grid_g_co2e_per_kwh=475.0,
        embodied_kg_co2e_per_gpu=626.0,
        embodied_attribution="full",
        hardware_lifetime_years=4.0,
    )
    return TrainingRun(**(values | changes))


def test_estimate_seed_000():
    fp = estimate(_seed_000_run())
    assert_allclose(fp.gpu_hours, SEED000_GPU_HOURS, rtol=EXACT)
    assert_allclose(fp.gpu_energy_kwh, SEED000_KWH, rtol=EXACT)
    assert fp.server_energy_kwh == 0.0
    assert_allclose(fp.it_energy_kwh, SEED000_KWH, rtol=EXACT)
    assert_allclose(fp.facility_energy_kwh, SEED000_KWH, rtol=EXACT)
    assert fp.overhead_energy_kwh == 0.0
    assert_allclose(fp.operational_t_co2e, SEED000_OPERATIONAL_T, rtol=EXACT)
    assert_allclose(fp.embodied_t_co2e, SEED000_EMBODIED_T, rtol=EXACT)
    assert_allclose(fp.total_t_co2e, SEED000_TOTAL_T, rtol=EXACT)
    assert_allclose(fp.fleet_power_mw, 210.0, rtol=EXACT)
    assert fp.grid_g_co2e_per_kwh == 475.0


def test_estimate_seed_000_amortised_instead():
    # Amortised over 4 years, 6 months carry 4,320 / 35,040 of the 219,100 t: 27,012.33 t.
    fp = estimate(_seed_000_run(embodied_attribution="amortised"))
    assert_allclose(fp.embodied_t_co2e, 219_100 * 4_320 / 35_040, rtol=EXACT)
    assert_allclose(fp.embodied_t_co2e, 27_012.33, rtol=1e-6)
    assert_allclose(fp.operational_t_co2e, SEED000_OPERATIONAL_T, rtol=EXACT)


def test_estimate_bloom_life_cycle():
    # BLOOM, Luccioni et al. Table 3: 433,196 kWh dynamic + 256,647 kWh idle at 57 g/kWh + 11.2 t embodied.
    run = TrainingRun(
        accelerator="a100-sxm4-80gb",
        gpu_count=384,
        training_hours=BLOOM_GPU_HOURS / 384,
        gpu_power_w=400.0,
        utilisation_fraction=1.0,
        server_power_w_per_gpu=236.98,
        pue=1.0,
        grid_g_co2e_per_kwh=57.0,
        embodied_kg_co2e_per_gpu=11_200 / 384,
        embodied_attribution="full",
        hardware_lifetime_years=4.0,
    )
    fp = estimate(run)
    assert_allclose(fp.gpu_energy_kwh, BLOOM_GPU_KWH, rtol=1e-9)
    assert_allclose(fp.server_energy_kwh, 256_646.97, rtol=1e-7)
    assert_allclose(fp.operational_t_co2e, (BLOOM_GPU_KWH + 256_646.97) * 57 / 1e6, rtol=1e-7)
    assert_allclose(fp.embodied_t_co2e, 11.2, rtol=1e-9)
    assert_allclose(fp.total_t_co2e, 50.5, rtol=0.001)  # the paper's 50.5 t


def test_estimate_default_sized_run_with_explicit_grid():
    # 1,024 H100 x 720 h x (700 W + 237 W) x PUE 1.1 at 400 g/kWh; 463 kg amortised over 4 years.
    run = TrainingRun(
        accelerator="h100-sxm",
        gpu_count=1_024,
        training_hours=720.0,
        server_power_w_per_gpu=237.0,
        pue=1.1,
        grid_g_co2e_per_kwh=400.0,
        embodied_kg_co2e_per_gpu=463.0,
        embodied_attribution="amortised",
        hardware_lifetime_years=4.0,
        utilisation_fraction=1.0,
    )
    fp = estimate(run)
    assert fp.run.gpu_power_w == 700.0  # the H100 SXM's TDP from the catalogue
    assert_allclose(fp.gpu_hours, 737_280, rtol=EXACT)
    assert_allclose(fp.gpu_energy_kwh, 516_096, rtol=EXACT)
    assert_allclose(fp.server_energy_kwh, 174_735.36, rtol=EXACT)
    assert_allclose(fp.it_energy_kwh, 690_831.36, rtol=EXACT)
    assert_allclose(fp.facility_energy_kwh, 759_914.496, rtol=EXACT)
    assert_allclose(fp.overhead_energy_kwh, 69_083.136, rtol=1e-9)
    assert_allclose(fp.operational_t_co2e, 303.9657984, rtol=EXACT)
    assert_allclose(fp.embodied_t_co2e, 1_024 * 463 * 720 / 35_040 / 1_000, rtol=EXACT)
    assert_allclose(fp.total_t_co2e, 303.9657984 + 9.742027397260274, rtol=EXACT)
    assert_allclose(fp.fleet_power_mw, 1_024 * 937 * 1.1 / 1e6, rtol=EXACT)


def test_estimate_accepts_resolved_run():
    resolved = _seed_000_run().resolve()
    assert isinstance(resolved, ResolvedRun)
    assert_allclose(estimate(resolved).total_t_co2e, SEED000_TOTAL_T, rtol=EXACT)


def test_estimate_equivalents_use_the_factors():
    fp = estimate(_seed_000_run())
    factors = equivalence_factors()
    assert set(fp.equivalents) == set(factors)
    for key, factor in factors.items():
        if factor.kg_co2e_per_unit is not None:
            expected = SEED000_TOTAL_T * 1_000 / factor.kg_co2e_per_unit
        elif factor.kwh_per_unit is not None:
            expected = SEED000_KWH / factor.kwh_per_unit
        else:
            assert factor.litres_per_unit is not None
            expected = fp.water_total_l / factor.litres_per_unit
        assert_allclose(fp.equivalents[key], expected, rtol=EXACT, err_msg=key)


def test_estimate_user_grid_overrides_country():
    fp = estimate(_seed_000_run(country_iso3="FRA"))
    assert fp.grid_g_co2e_per_kwh == 475.0
    assert_allclose(fp.total_t_co2e, SEED000_TOTAL_T, rtol=EXACT)


# --- range wording (the registry's) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "wording"),
    [
        ("gpu_count", "a whole number from 1 to 10,000,000"),
        ("training_hours", "a number greater than 0 and at most 87,600"),
        ("pue", "a number from 1 to 3"),
        ("utilisation_fraction", "a number from 0 to 1"),
        ("grid_g_co2e_per_kwh", "a number from 0 to 2,000"),
        ("embodied_kg_co2e_per_gpu", "a number from 0 to 10,000"),
        ("hardware_lifetime_years", "a number from 0.5 to 20"),
    ],
)
def test_range_wording(field, wording):
    assert field_inputs()[field].range_words() == wording


def test_range_of_text_field_is_its_description():
    assert "ISO 3166-1 alpha-3" in field_inputs()["country_iso3"].range_words()


# --- water (Li, Yang, Islam, Ren 2023, "Making AI Less Thirsty", arXiv 2304.03271) --------------------------


def test_water_formulas_by_hand():
    assert on_site_water_l(1_000.0, 0.55) == pytest.approx(550.0)
    assert off_site_water_l(1_100.0, 3.14) == pytest.approx(3_454.0)
    assert total_water_l(550.0, 3_454.0) == pytest.approx(4_004.0)
    on = on_site_water_l(np.array([1.0, 2.0]), np.array([0.5, 1.0]))
    assert_allclose(on, [0.5, 2.0])


def test_water_reproduces_li_et_al_gpt3_us_average():
    """Li et al. 2023 price GPT-3's 1,287 MWh (Patterson et al. 2021) in Microsoft's U.S. data centres:
    "directly evaporate 700,000 liters" on site (abstract; 1,287 MWh x 0.55 L/kWh = 707,850 L) and about
    5.4 million litres with the power plants' water (PUE 1.17, EWIF 3.14 L/kWh)."""
    run = TrainingRun(
        gpu_count=1_000,
        training_hours=1_287.0,
        gpu_power_w=1_000.0,  # 1,000 GPUs x 1,287 h x 1 kW = 1,287,000 kWh of IT energy
        utilisation_fraction=1.0,
        server_power_w_per_gpu=0.0,
        pue=1.17,
        wue_l_per_kwh=0.55,
        electricity_water_l_per_kwh=3.14,
    )
    fp = estimate(run)
    assert_allclose(fp.water_on_site_l, 707_850.0, rtol=EXACT)
    assert fp.water_on_site_l == pytest.approx(700_000, rel=0.02)  # the abstract's rounded figure
    assert_allclose(fp.water_off_site_l, 1_287_000 * 1.17 * 3.14, rtol=EXACT)
    assert fp.water_total_l == pytest.approx(5.4e6, rel=0.01)


def test_estimate_water_uses_the_documented_defaults():
    fp = estimate(_seed_000_run())
    assert fp.run.wue_l_per_kwh == 0.55
    assert fp.run.electricity_water_l_per_kwh == 3.14
    assert "wue_l_per_kwh" in fp.run.default_sources
    assert_allclose(fp.water_on_site_l, fp.it_energy_kwh * 0.55, rtol=EXACT)
    assert_allclose(fp.water_off_site_l, fp.facility_energy_kwh * 3.14, rtol=EXACT)
    assert_allclose(fp.water_total_l, fp.water_on_site_l + fp.water_off_site_l, rtol=EXACT)


def test_water_zero_factors_give_zero_water():
    fp = estimate(_seed_000_run(wue_l_per_kwh=0.0, electricity_water_l_per_kwh=0.0))
    assert fp.water_total_l == 0.0
    assert fp.equivalents["olympic_pool"] == 0.0


# --- comparison ---------------------------------------------------------------------------------------------


def test_difference_and_change_of_two_scenarios():
    a = estimate(_seed_000_run())
    b = estimate(_seed_000_run(gpu_count=SEED000_GPUS * 2))
    diff = difference_t_co2e(a, b)
    assert list(diff) == ["gpu", "server", "overhead", "embodied", "total"]
    assert_allclose(diff["total"], b.total_t_co2e - a.total_t_co2e, rtol=EXACT)
    assert_allclose(diff["total"], a.total_t_co2e, rtol=1e-9)  # twice the GPUs, twice the footprint
    assert_allclose(sum(v for k, v in diff.items() if k != "total"), diff["total"], rtol=1e-9)
    assert change_pct(a, b) == pytest.approx(100.0)
    assert change_pct(b, a) == pytest.approx(-50.0)
    zero = estimate(_seed_000_run(grid_g_co2e_per_kwh=0.0, embodied_kg_co2e_per_gpu=0.0))
    assert np.isnan(change_pct(zero, a))
