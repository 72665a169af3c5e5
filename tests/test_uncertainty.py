"""carbon_core.uncertainty: the sampled ranges, the Monte Carlo's percentiles and seeding, and the sensitivity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon_core import TrainingRun, estimate
from carbon_core.footprint import run_parts
from carbon_core.grid import grid_history, latest_grid, recent_grid_span
from carbon_core.parameters import parameter
from carbon_core.presets import get_preset, presets
from carbon_core.uncertainty import (
    GRID_YEARS,
    LEFT_OUT_ON_PURPOSE,
    RESULTS,
    Interval,
    held_inputs,
    input_ranges,
    monte_carlo,
    point_values,
    points_outside,
    sensitivity,
    triangular_draws,
)

COUNTRIES = sorted(latest_grid().index)


def test_grid_span_is_the_countrys_last_years() -> None:
    """The grid's range: min and max over each country's last GRID_YEARS rows, read here straight from the table."""
    history = grid_history()
    for iso3 in COUNTRIES:
        rows = history[history["iso3"] == iso3].sort_values("year").tail(GRID_YEARS)
        span = recent_grid_span(iso3, GRID_YEARS)
        assert (span.first_year, span.last_year) == (rows["year"].min(), rows["year"].max()), iso3
        assert span.low_g_co2e_per_kwh == rows["grid_g_co2e_per_kwh"].min(), iso3
        assert span.high_g_co2e_per_kwh == rows["grid_g_co2e_per_kwh"].max(), iso3


def test_grid_span_of_an_unknown_country_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        recent_grid_span("ZZZ", GRID_YEARS)


def test_percentiles_are_numpys_over_the_seeded_draws() -> None:
    """The same draws, made here from the same seed in the same order, give the reported P5/P50/P95."""
    run, samples, seed = TrainingRun(country_iso3="DEU").resolve(), 2_000, 7
    ranges = input_ranges(run)
    assert all(r.high > r.low for r in ranges)  # no fixed input in this run, so every range is drawn
    draws = triangular_draws(ranges, samples, np.random.default_rng(seed))
    parts = run_parts(run, **draws)
    result = monte_carlo(run, samples=samples, seed=seed)
    for key in ("total_t_co2e", "operational_t_co2e", "embodied_t_co2e", "facility_energy_kwh"):
        assert result.intervals[key] == Interval(*(float(v) for v in np.percentile(parts[key], [5, 50, 95]))), key


def test_same_seed_same_numbers_another_seed_other_numbers() -> None:
    run = TrainingRun().resolve()
    first, again, other = monte_carlo(run, seed=1), monte_carlo(run, seed=1), monte_carlo(run, seed=2)
    assert first.intervals == again.intervals
    assert first.intervals["total_t_co2e"] != other.intervals["total_t_co2e"]


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(COUNTRIES),
    st.floats(1.0, 3.0),
    st.floats(0.05, 1.0),
    st.sampled_from([0.0, 300.0]),
    st.sampled_from([0.0, 150.0]),
)
def test_ranges_hold_the_runs_value_and_percentiles_are_ordered(
    iso3: str, pue: float, utilisation: float, host_w: float, embodied_kg: float
) -> None:
    run = TrainingRun(
        country_iso3=iso3,
        pue=pue,
        utilisation_fraction=utilisation,
        server_power_w_per_gpu=host_w,
        embodied_kg_co2e_per_gpu=embodied_kg,
    ).resolve()
    ranges = {r.name: r for r in input_ranges(run)}
    for r in ranges.values():
        assert r.low <= r.mode <= r.high, r
        assert r.mode == pytest.approx(float(getattr(run, r.name)))
    assert ranges.get("pue", ranges["gpu_power_w"]).low >= 1.0 and ranges["utilisation_fraction"].high <= 1.0
    # A part the run leaves out on purpose (0, or PUE 1: no overhead) is not sampled back in.
    assert ("server_power_w_per_gpu" in ranges) == (host_w > 0)
    assert ("embodied_kg_co2e_per_gpu" in ranges) == (embodied_kg > 0)
    assert ("pue" in ranges) == (pue > 1.0)
    result = monte_carlo(run, samples=500, seed=0)
    assert set(result.intervals) == set(RESULTS)
    for key, interval in result.intervals.items():
        assert interval.p5 <= interval.p50 <= interval.p95, key
    if embodied_kg == 0:
        assert result.intervals["embodied_t_co2e"] == Interval(0.0, 0.0, 0.0)


def test_sensitivity_bars_are_largest_swing_first_and_move_the_total_the_right_way() -> None:
    bars = sensitivity(TrainingRun(country_iso3="USA").resolve())
    swings = [b.swing_t_co2e for b in bars]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    # More PUE, more grid intensity, more host power: more emissions; a longer hardware life: less embodied share.
    by_name = {b.name: b for b in bars}
    for name in ("pue", "grid_g_co2e_per_kwh", "server_power_w_per_gpu", "utilisation_fraction"):
        assert by_name[name].total_at_high_t_co2e > by_name[name].total_at_low_t_co2e, name
    lifetime = by_name["hardware_lifetime_years"]
    assert lifetime.total_at_high_t_co2e < lifetime.total_at_low_t_co2e


def _ranges(run) -> dict:
    return {r.name: r for r in input_ranges(run.resolve() if isinstance(run, TrainingRun) else run)}


def test_an_entered_grid_and_a_regions_grid_vary_by_the_datasets_disagreement() -> None:
    """Issue 15: a grid factor entered by hand (every Meta preset) or a region's is sampled over the cited spread."""
    spread = parameter("grid_intensity_spread")
    assert spread.low < 1 < spread.high and "Derived" in spread.source
    entered = _ranges(get_preset("llama-3.1-405b").run())["grid_g_co2e_per_kwh"]
    g = get_preset("llama-3.1-405b").grid_g_co2e_per_kwh
    assert (entered.low, entered.mode, entered.high) == pytest.approx((g * spread.low, g, g * spread.high))
    region_run = TrainingRun(region="us:TX").resolve()
    region = _ranges(region_run)["grid_g_co2e_per_kwh"]
    g = region_run.grid_g_co2e_per_kwh
    assert (region.low, region.high) == pytest.approx((g * spread.low, g * spread.high))
    assert "us:TX" in region.source or region_run.grid.region_name in region.source


def test_a_countrys_grid_spans_its_recent_years_and_the_datasets_disagreement() -> None:
    spread = parameter("grid_intensity_spread")
    for iso3 in ("USA", "FRA", "IND"):
        run = TrainingRun(country_iso3=iso3).resolve()
        span, g = recent_grid_span(iso3, GRID_YEARS), run.grid_g_co2e_per_kwh
        grid = _ranges(run)["grid_g_co2e_per_kwh"]
        assert grid.low == pytest.approx(min(span.low_g_co2e_per_kwh, g * spread.low)), iso3
        assert grid.high == pytest.approx(max(span.high_g_co2e_per_kwh, g * spread.high)), iso3
        assert grid.low < g < grid.high, iso3  # both ways: the datasets disagree both ways


def test_gpu_power_and_duration_are_sampled_over_their_cited_spreads() -> None:
    power, hours = parameter("gpu_power_spread"), parameter("training_hours_spread")
    run = TrainingRun(gpu_power_w=650.0, training_hours=1_000.0).resolve()
    ranges = _ranges(run)
    assert (ranges["gpu_power_w"].low, ranges["gpu_power_w"].high) == pytest.approx((650 * power.low, 650 * power.high))
    assert (ranges["training_hours"].low, ranges["training_hours"].high) == pytest.approx((1_000 * hours.low, 1_100))
    assert "Derived" in power.source and "estimate" in hours.source
    # They move the total (tornado bars), each the right way.
    bars = {b.name: b for b in sensitivity(run)}
    for name in ("gpu_power_w", "training_hours"):
        assert bars[name].total_at_high_t_co2e > bars[name].total_at_low_t_co2e, name


def test_a_duration_worked_out_from_compute_also_carries_the_mfus_range() -> None:
    run = TrainingRun(model_params=70e9, training_tokens=15e12, mfu=0.4).resolve()
    hours, spread, mfu = run.training_hours, parameter("training_hours_spread"), parameter("mfu")
    duration = _ranges(run)["training_hours"]
    assert duration.low == pytest.approx(hours * spread.low * mfu.number / mfu.high)
    assert duration.high == pytest.approx(hours * spread.high * mfu.number / mfu.low)


def test_parts_set_to_zero_on_purpose_are_held_and_named() -> None:
    """Meta's cards leave out host power and embodied carbon: 0 at every percentile, and the view can say why."""
    run = get_preset("llama-3.1-405b").run().resolve()
    held = {h.name: h for h in held_inputs(run)}
    assert held["server_power_w_per_gpu"].reason == held["embodied_kg_co2e_per_gpu"].reason == LEFT_OUT_ON_PURPOSE
    assert "gpu_count" in held and not {"server_power_w_per_gpu", "embodied_kg_co2e_per_gpu"} & set(_ranges(run))
    result = monte_carlo(run, samples=1_000)
    assert result.intervals["server_t_co2e"] == result.intervals["embodied_t_co2e"] == Interval(0.0, 0.0, 0.0)
    # BLOOM's dynamic figure leaves out the PUE: PUE 1 is held, so no overhead is sampled back in.
    bloom = get_preset("bloom-176b-dynamic").run().resolve()
    assert "pue" in {h.name for h in held_inputs(bloom)}
    assert monte_carlo(bloom, samples=1_000).intervals["overhead_t_co2e"] == Interval(0.0, 0.0, 0.0)


def test_an_input_at_zero_only_by_default_is_sampled_over_its_cited_range() -> None:
    """A default of 0 (the run did not set it) is not frozen: it is drawn over the cited range as stated."""
    base = TrainingRun().resolve()
    assert "server_power_w_per_gpu" in base.default_sources
    run = base.model_copy(update={"server_power_w_per_gpu": 0.0})
    host, param = _ranges(run)["server_power_w_per_gpu"], parameter("server_power_w_per_gpu")
    assert (host.low, host.mode, host.high) == (0.0, 0.0, param.high)
    assert "server_power_w_per_gpu" not in {h.name for h in held_inputs(run)}
    assert monte_carlo(run, samples=2_000).intervals["server_t_co2e"].p95 > 0
    # The same 0 typed by the user is held.
    typed = TrainingRun(server_power_w_per_gpu=0.0).resolve()
    assert "server_power_w_per_gpu" in {h.name for h in held_inputs(typed)}


@pytest.mark.parametrize("preset_id", ["default", *presets()])
def test_every_point_value_lies_inside_its_own_90_range_on_the_default_page_and_every_preset(preset_id: str) -> None:
    """Total, operational, embodied, every part and the energy: P5 <= point <= P95 (the numbers the page shows)."""
    run = (TrainingRun() if preset_id == "default" else get_preset(preset_id).run()).resolve()
    result = monte_carlo(run)
    points = point_values(run)
    for key in RESULTS:
        interval = result.intervals[key]
        assert interval.p5 <= points[key] * (1 + 1e-9) and points[key] <= interval.p95 * (1 + 1e-9) + 1e-12, key
    assert points_outside(run, result) == []


def test_point_values_are_the_footprints() -> None:
    fp = estimate(TrainingRun(country_iso3="DEU"))
    points, parts = point_values(fp.run), fp.emissions_breakdown_t_co2e()
    assert points["total_t_co2e"] == pytest.approx(fp.total_t_co2e, rel=1e-12)
    assert points["gpu_t_co2e"] == pytest.approx(parts["gpu"], rel=1e-12)
    assert points["facility_energy_kwh"] == pytest.approx(fp.facility_energy_kwh, rel=1e-12)


def test_a_point_outside_its_range_is_explained_by_a_lopsided_input() -> None:
    """PUE 1.02 sits in the bottom 5 % of its range (1.0-1.45): the overhead's point lies below its P5, pulled by
    the PUE, whose samples are almost all higher."""
    run = TrainingRun(pue=1.02, country_iso3="FRA").resolve()
    outside = {o.key: o for o in points_outside(run, monte_carlo(run))}
    assert "overhead_t_co2e" in outside
    overhead = outside["overhead_t_co2e"]
    assert overhead.point < overhead.interval.p5
    assert [r.name for r in overhead.pulled_by] == ["pue"]


def test_triangular_draws_follow_the_triangular_law() -> None:
    """The inverse-CDF draws against the law's own quantiles and mean, for a lopsided, a symmetric, an end-mode and a
    fixed range (200,000 draws)."""
    from carbon_core.uncertainty import InputRange

    ranges = [
        InputRange("pue", 1.08, 1.1, 1.56, ""),
        InputRange("gpu_power_w", 583.1, 700.0, 840.0, ""),
        InputRange("utilisation_fraction", 0.6, 1.0, 1.0, ""),
        InputRange("hardware_lifetime_years", 4.0, 4.0, 4.0, ""),
    ]
    draws = triangular_draws(ranges, 200_000, np.random.default_rng(3))

    def quantile(r, q: float) -> float:  # the triangular law's inverse CDF, written from its CDF
        f = (r.mode - r.low) / (r.high - r.low)
        if q < f:
            return r.low + np.sqrt(q * (r.high - r.low) * (r.mode - r.low))
        return r.high - np.sqrt((1 - q) * (r.high - r.low) * (r.high - r.mode))

    for r in ranges[:3]:
        x = draws[r.name]
        assert x.min() >= r.low and x.max() <= r.high, r.name
        assert x.mean() == pytest.approx((r.low + r.mode + r.high) / 3, abs=0.003 * (r.high - r.low)), r.name
        for q in (0.05, 0.5, 0.95):  # the share of draws below the law's q-quantile is q (binomial s.e. <= 0.0011)
            assert (x <= quantile(r, q)).mean() == pytest.approx(q, abs=0.005), (r.name, q)
    assert (draws["hardware_lifetime_years"] == 4.0).all()


def test_a_countrys_grid_of_zero_keeps_its_own_years_span() -> None:
    """The Central African Republic's published 0 g/kWh (a rounding artefact, flagged low precision) is the country's
    data, not a default of 0: the relative spread of 0 is 0 and the range is its own years' span, never the spread's
    multipliers read as g/kWh."""
    run = TrainingRun(country_iso3="CAF").resolve()
    grid = _ranges(run)["grid_g_co2e_per_kwh"]
    span = recent_grid_span("CAF", GRID_YEARS)
    assert run.grid_g_co2e_per_kwh == 0.0
    assert (grid.low, grid.high) == (span.low_g_co2e_per_kwh, span.high_g_co2e_per_kwh)
