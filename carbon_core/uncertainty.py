"""Uncertainty of a footprint: a seeded Monte Carlo over the uncertain inputs, and a one-at-a-time sensitivity.

Each uncertain input has a cited low/high range around its documented default (``data/parameters.csv``);
it is carried over to the run's own value by scaling (:func:`relative_range`), so a preset that leaves a
part out on purpose (no host power, no embodied carbon: Meta's method) keeps it out, and a value the user
set keeps the cited relative spread. The grid's range is the spread of the country's own values over its
last five years of data. A sample draws every input from a triangular distribution with its mode at the
run's value, so the run's own value is always inside the range. All samples go through the same formulas as a single
run (:func:`carbon_core.footprint.footprint_parts`), vectorised with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from carbon_core.emissions import operational_t_co2e
from carbon_core.footprint import run_parts
from carbon_core.grid import recent_grid_span
from carbon_core.inputs import INPUTS
from carbon_core.parameters import parameter
from carbon_core.run import ResolvedRun, TrainingRun

#: Uncertain inputs: run field -> parameter key of its cited range (the registry's ``uncertain`` rows).
UNCERTAIN_INPUTS = {row.field: str(row.parameter) for row in INPUTS if row.uncertain}
GRID_YEARS = 5
PERCENTILES = (5.0, 50.0, 95.0)
RESULTS = (
    "total_t_co2e",
    "operational_t_co2e",
    "embodied_t_co2e",
    "gpu_t_co2e",
    "server_t_co2e",
    "overhead_t_co2e",
    "facility_energy_kwh",
)
#: The operational parts of the breakdown: energy part -> its emissions (energy x grid, per sample).
ENERGY_PARTS = {
    "gpu_t_co2e": "gpu_energy_kwh",
    "server_t_co2e": "server_energy_kwh",
    "overhead_t_co2e": "overhead_energy_kwh",
}


@dataclass(frozen=True)
class InputRange:
    """The range an input is sampled over, and where it comes from."""

    name: str
    low: float
    mode: float
    high: float
    source: str


@dataclass(frozen=True)
class Interval:
    """P5, P50 and P95 of one result, in that result's unit."""

    p5: float
    p50: float
    p95: float


@dataclass(frozen=True)
class UncertaintyResult:
    """Percentiles of each result over ``samples`` draws with ``seed``."""

    intervals: dict[str, Interval]
    ranges: list[InputRange]
    samples: int
    seed: int


#: Physical bounds a scaled range may not cross: PUE >= 1, utilisation <= 1.
VALID_BOUNDS: dict[str, tuple[float, float | None]] = {"pue": (1.0, None), "utilisation_fraction": (0.0, 1.0)}


def relative_range(
    value: float, default: float, low: float, high: float, floor: float, ceiling: float | None
) -> tuple[float, float]:
    """The cited range carried over to the run's value: ``[v * low / d, v * high / d]``, clipped [input unit].

    The cited ranges are stated around the documented default ``d``; scaling keeps their relative spread
    around a value the user chose (a preset's 700 W, a PUE of 1.2) and leaves the value inside its range.
    """
    lo, hi = value * low / default, value * high / default
    lo = max(lo, floor)
    if ceiling is not None:
        hi = min(hi, ceiling)
    return min(lo, value), max(hi, value)


def input_ranges(run: ResolvedRun) -> list[InputRange]:
    """The sampled range of every uncertain input of ``run`` (fixed inputs are not listed)."""
    ranges = []
    for name, key in UNCERTAIN_INPUTS.items():
        value = float(getattr(run, name))
        param = parameter(key)
        if param.low is None or param.high is None or value == 0:
            continue  # no cited range, or a part the run leaves out on purpose (e.g. no host power)
        low, high = relative_range(value, param.number, param.low, param.high, *VALID_BOUNDS.get(name, (0, None)))
        ranges.append(InputRange(name, low, value, high, param.source))
    if run.grid.iso3 is not None and run.grid.region_id is None:  # a region has no cited spread: held fixed
        span = recent_grid_span(run.grid.iso3, GRID_YEARS)
        g = run.grid_g_co2e_per_kwh
        ranges.append(
            InputRange(
                "grid_g_co2e_per_kwh",
                min(span.low_g_co2e_per_kwh, g),
                g,
                max(span.high_g_co2e_per_kwh, g),
                f"{run.grid.country}'s grid over {span.first_year}-{span.last_year} ({run.grid.source})",
            )
        )
    return ranges


def monte_carlo(
    run: TrainingRun | ResolvedRun | None = None, samples: int = 10_000, seed: int = 0
) -> UncertaintyResult:
    """P5/P50/P95 of the total, its parts and the facility energy over ``samples`` seeded draws.

    The same ``seed`` gives the same numbers. Inputs without a cited range (GPU count, duration, power at
    full draw, an intensity entered by hand) are held at the run's value.
    """
    resolved = run if isinstance(run, ResolvedRun) else (run or TrainingRun()).resolve()
    rng = np.random.default_rng(seed)
    ranges = input_ranges(resolved)
    draws = {}
    for r in ranges:
        if r.high > r.low:
            draws[r.name] = rng.triangular(r.low, r.mode, r.high, size=samples)
        else:
            draws[r.name] = np.full(samples, r.mode)
    parts = run_parts(resolved, **draws)
    grid = draws.get("grid_g_co2e_per_kwh", resolved.grid_g_co2e_per_kwh)
    for key, energy_key in ENERGY_PARTS.items():
        parts[key] = operational_t_co2e(parts[energy_key], grid)
    # One percentile call over every result at once: the per-call overhead was a large share at 10,000 samples.
    values = np.stack([np.broadcast_to(np.asarray(parts[key], dtype=float), (samples,)) for key in RESULTS])
    table = np.percentile(values, PERCENTILES, axis=1)  # (percentile, result)
    intervals = {key: Interval(*(float(v) for v in table[:, i])) for i, key in enumerate(RESULTS)}
    return UncertaintyResult(intervals=intervals, ranges=ranges, samples=samples, seed=seed)


@dataclass(frozen=True)
class Sensitivity:
    """Total [t CO2e] with one input at the low and at the high end of its range, the others at their value."""

    name: str
    low_input: float
    high_input: float
    total_at_low_t_co2e: float
    total_at_high_t_co2e: float

    @property
    def swing_t_co2e(self) -> float:
        return abs(self.total_at_high_t_co2e - self.total_at_low_t_co2e)


def sensitivity(run: TrainingRun | ResolvedRun | None = None) -> list[Sensitivity]:
    """One-at-a-time sensitivity (a tornado chart's bars), largest swing first."""
    resolved = run if isinstance(run, ResolvedRun) else (run or TrainingRun()).resolve()
    bars = []
    for r in input_ranges(resolved):
        ends = run_parts(resolved, **{r.name: np.array([r.low, r.high])})["total_t_co2e"]
        ends = np.broadcast_to(np.asarray(ends, dtype=float), (2,))
        bars.append(Sensitivity(r.name, r.low, r.high, float(ends[0]), float(ends[1])))
    return sorted(bars, key=lambda b: b.swing_t_co2e, reverse=True)
