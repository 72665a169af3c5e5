"""carbon_core.uncertainty: the sampled ranges, the Monte Carlo's percentiles and seeding, and the sensitivity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon_core import TrainingRun
from carbon_core.footprint import run_parts
from carbon_core.grid import grid_history, latest_grid, recent_grid_span
from carbon_core.uncertainty import GRID_YEARS, RESULTS, Interval, input_ranges, monte_carlo, sensitivity

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
    rng = np.random.default_rng(seed)
    parts = run_parts(run, **{r.name: rng.triangular(r.low, r.mode, r.high, size=samples) for r in ranges})
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
    assert ranges["pue"].low >= 1.0 and ranges["utilisation_fraction"].high <= 1.0
    # A part the run leaves out on purpose is not sampled back in.
    assert ("server_power_w_per_gpu" in ranges) == (host_w > 0)
    assert ("embodied_kg_co2e_per_gpu" in ranges) == (embodied_kg > 0)
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
