"""Uncertainty of a footprint: a seeded Monte Carlo over the uncertain inputs, and a one-at-a-time sensitivity.

Each uncertain input (the registry's ``uncertain`` rows) has a cited low/high range in ``data/parameters.csv``:
around its documented default (PUE, host power, utilisation, embodied carbon, lifetime), carried over to the
run's own value by scaling (:func:`relative_range`), or a relative spread (GPU power, duration: ``x low`` to
``x high``). The grid factor is sampled over the spread by which independent datasets disagree on one country's
year (``grid_intensity_spread``), for an intensity entered by hand, a region's and a country's alike; a country's
range also spans its own last five years of data. An input set to 0 on purpose (Meta's cards count no host power
and no embodied carbon) is held at 0 (:func:`held_inputs` says which and why); an input at 0 only by default is
sampled over its cited range as stated. A sample draws every input from a triangular distribution with its mode
at the run's value, so the run's own value is always inside each input's range; :func:`points_outside` names any
result whose point value still falls outside its own P5-P95 and the inputs at an end of their range that push it
there. All samples go through the same formulas as a single run (:func:`carbon_core.footprint.footprint_parts`),
vectorised with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from carbon_core.emissions import operational_t_co2e
from carbon_core.footprint import run_parts
from carbon_core.grid import recent_grid_span
from carbon_core.inputs import INPUTS
from carbon_core.parameters import parameter
from carbon_core.run import ResolvedRun, TrainingRun

#: Uncertain inputs: run field -> parameter key of its cited range (the registry's ``uncertain`` rows).
UNCERTAIN_INPUTS = {row.field: str(row.spread or row.parameter) for row in INPUTS if row.uncertain}
#: The relative spread of any grid factor: how much independent datasets disagree (scripts/spreads.py).
GRID_SPREAD = "grid_intensity_spread"
GRID = "grid_g_co2e_per_kwh"
#: The ranges stated as multipliers of the run's value (``x low`` to ``x high``), not around a default.
RELATIVE_SPREADS = {GRID_SPREAD} | {row.spread for row in INPUTS if row.spread}
#: Inputs never sampled, and why (beside those set to 0 on purpose).
FIXED_INPUTS = {"gpu_count": "a count of accelerators, known exactly"}
#: Why an input the run set to its floor (0; PUE 1: no overhead) is not sampled.
LEFT_OUT_ON_PURPOSE = (
    "set by the preset or by you to leave its part out (Meta's cards count no host power and no embodied carbon; "
    "BLOOM's dynamic figure and seed article 004 count no PUE)"
)
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
class HeldInput:
    """An input the Monte Carlo holds at the run's value, and why."""

    name: str
    value: float
    reason: str


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


#: Physical bounds a scaled range may not cross: PUE >= 1, utilisation <= 1. An input at its floor (0, or PUE 1)
#: leaves its part out.
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
    """The sampled range of every uncertain input of ``run`` (held inputs are not listed: :func:`held_inputs`)."""
    return _ranges(run)[0]


def held_inputs(run: ResolvedRun) -> list[HeldInput]:
    """The inputs of ``run`` held at their value in the Monte Carlo and the sensitivity, each with its reason."""
    return _ranges(run)[1]


def _ranges(run: ResolvedRun) -> tuple[list[InputRange], list[HeldInput]]:
    held = [HeldInput(name, float(getattr(run, name)), why) for name, why in FIXED_INPUTS.items()]
    ranges = []
    for name, key in (*UNCERTAIN_INPUTS.items(), (GRID, GRID_SPREAD)):
        value, param = float(getattr(run, name)), parameter(key)
        if param.low is None or param.high is None:
            continue  # no cited range in the data: nothing to sample over
        floor, ceiling = VALID_BOUNDS.get(name, (0.0, None))
        if value == floor and name not in run.default_sources:
            held.append(HeldInput(name, value, LEFT_OUT_ON_PURPOSE))
            continue
        if value == floor and key not in RELATIVE_SPREADS:  # at its floor only by default: the cited range as
            # stated (scaling would freeze it there); a country's grid of 0 g/kWh keeps its own years' span below
            low, high, source = value, max(param.high, value), f"{param.source} (at {value:g} by default)"
        else:
            low, high = relative_range(value, param.number, param.low, param.high, floor, ceiling)
            source = param.source
        if name == "training_hours":
            low, high = _duration_range(run, low, high)
        elif name == GRID:
            low, high, source = _grid_range(run, low, high, param.source)
        ranges.append(InputRange(name, low, value, high, source))
    return ranges, held


def _duration_range(run: ResolvedRun, low: float, high: float) -> tuple[float, float]:
    """A duration worked out from compute also carries the MFU's cited range: ``t ~ 1 / MFU`` [h]."""
    if run.mfu is None:
        return low, high
    mfu = parameter("mfu")
    assert mfu.low is not None and mfu.high is not None  # the mfu row has a cited range (data/parameters.csv)
    mfu_low, mfu_high = relative_range(run.mfu, mfu.number, mfu.low, mfu.high, 0.01, 1.0)
    return low * run.mfu / mfu_high, high * run.mfu / mfu_low


def _grid_range(run: ResolvedRun, low: float, high: float, spread_source: str) -> tuple[float, float, str]:
    """The grid's range [g CO2e/kWh]: the datasets' disagreement around the run's factor, widened for a country to
    its own last GRID_YEARS years of data."""
    grid = run.grid
    if grid.region_id is not None:
        return low, high, f"{grid.region_name}'s factor x the datasets' disagreement: {spread_source}"
    if grid.iso3 is None:
        return low, high, f"the factor entered x the datasets' disagreement: {spread_source}"
    span = recent_grid_span(grid.iso3, GRID_YEARS)
    return (
        min(low, span.low_g_co2e_per_kwh),
        max(high, span.high_g_co2e_per_kwh),
        f"{grid.country}'s grid over {span.first_year}-{span.last_year} ({grid.source}), widened by the datasets' "
        f"disagreement: {spread_source}",
    )


def monte_carlo(
    run: TrainingRun | ResolvedRun | None = None, samples: int = 10_000, seed: int = 0
) -> UncertaintyResult:
    """P5/P50/P95 of the total, its parts and the facility energy over ``samples`` seeded draws.

    The same ``seed`` gives the same numbers. Held inputs (:func:`held_inputs`: the GPU count, a part set to 0 on
    purpose) stay at the run's value.
    """
    resolved = run if isinstance(run, ResolvedRun) else (run or TrainingRun()).resolve()
    ranges = input_ranges(resolved)
    parts = _results(resolved, triangular_draws(ranges, samples, np.random.default_rng(seed)))
    # One percentile call over every result at once: the per-call overhead was a large share at 10,000 samples.
    values = np.stack([np.broadcast_to(np.asarray(parts[key], dtype=float), (samples,)) for key in RESULTS])
    table = np.percentile(values, PERCENTILES, axis=1)  # (percentile, result)
    intervals = {key: Interval(*(float(v) for v in table[:, i])) for i, key in enumerate(RESULTS)}
    return UncertaintyResult(intervals=intervals, ranges=ranges, samples=samples, seed=seed)


def triangular_draws(ranges: list[InputRange], samples: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """``samples`` draws of each range from the triangular distribution (low, mode, high), by its inverse CDF
    [input unit]: ``x = a + sqrt(u (b - a)(c - a))`` for ``u < F(c) = (c - a) / (b - a)``, else
    ``x = b - sqrt((1 - u)(b - a)(b - c))``, with ``u`` uniform on [0, 1) (Devroye 1986, II.2; the same law as
    numpy's ``Generator.triangular``, for every input in one array operation instead of one call per input)."""
    if not ranges:
        return {}
    a, c, b = (np.array([[getattr(r, k)] for r in ranges], dtype=float) for k in ("low", "mode", "high"))
    u = rng.random((len(ranges), samples))
    width = b - a
    below = u * width < c - a  # u < F(c), without dividing by a zero width (a fixed input: both sides are 0)
    root = np.sqrt(np.where(below, u * width * (c - a), (1 - u) * width * (b - c)))
    x = np.where(below, a + root, b - root)
    return {r.name: x[i] for i, r in enumerate(ranges)}


def _results(run: ResolvedRun, inputs: dict[str, Any]) -> dict[str, Any]:
    """Every result of :data:`RESULTS` for ``run`` with ``inputs`` replaced (scalars or arrays of samples)."""
    parts = run_parts(run, **inputs)
    grid = inputs.get(GRID, run.grid_g_co2e_per_kwh)
    for key, energy_key in ENERGY_PARTS.items():
        parts[key] = operational_t_co2e(parts[energy_key], grid)
    return parts


def point_values(run: ResolvedRun) -> dict[str, float]:
    """The point estimate of every result of :data:`RESULTS`: each input at the run's value (its mode)."""
    parts = _results(run, {})
    return {key: float(parts[key]) for key in RESULTS}


#: An input whose own value lies outside the middle 90 % of its triangular distribution (the distribution's CDF at
#: its mode, ``(mode - low) / (high - low)``, is below this or above 1 minus this) pulls its results one way.
LOPSIDED = 0.05


@dataclass(frozen=True)
class Outside:
    """A result whose point value lies outside its own P5-P95, and why: the inputs ``pulled_by`` whose own value sits
    in the outer 5 % of their range (at or near an end: PUE 1.1 in 1.08-1.56, utilisation 1.0 in 0.6-1.0), so that
    almost every sample of them lies to one side, and whose other end moves this result that way."""

    key: str
    point: float
    interval: Interval
    pulled_by: list[InputRange]


def lopsided(r: InputRange) -> bool:
    """True when ``r``'s own value lies outside the middle 90 % of its triangular distribution."""
    return r.high > r.low and not LOPSIDED <= (r.mode - r.low) / (r.high - r.low) <= 1 - LOPSIDED


def points_outside(run: ResolvedRun, result: UncertaintyResult) -> list[Outside]:
    """The results whose point value (:func:`point_values`) is below their P5 or above their P95, each with the
    lopsided inputs that pull its samples away from it."""
    pulls = [r for r in result.ranges if lopsided(r)]
    # Each lopsided input at the end where most of its samples lie, the others at their value.
    far = {r.name: _results(run, {r.name: r.high if r.mode - r.low < r.high - r.mode else r.low}) for r in pulls}
    outside = []
    for key, point in point_values(run).items():
        interval, slack = result.intervals[key], 1e-9 * abs(point)  # float noise of the same sum in another order
        if interval.p5 - slack <= point <= interval.p95 + slack:
            continue
        above = point > interval.p95
        pulled = [r for r in pulls if (float(far[r.name][key]) < point if above else float(far[r.name][key]) > point)]
        outside.append(Outside(key, point, interval, pulled))
    return outside


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
