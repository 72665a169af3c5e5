"""carbon_core timings: one run, the run in every country, a 10,000-sample uncertainty, each against a plain loop.

Every case is timed in rounds; each round runs every case once (so a noisy moment hits all of them), and
each case's time per call is the median over the rounds. A round times ``number`` back-to-back calls of a
case, chosen so that it lasts at least ~20 ms (``timeit``'s autorange idea), and divides.
"""

from __future__ import annotations

import importlib
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

SAMPLES = 10_000
BENCH_RUN = {"accelerator": "h100-sxm", "gpu_count": 16_384, "training_hours": 1_882.3, "country_iso3": "SWE"}


@dataclass
class CoreResult:
    per_call_ms: dict[str, float]
    rounds: int
    countries: int
    notes: list[str] = field(default_factory=list)
    uncertainty_available: bool = False
    uncertainty_reason: str = ""
    min_round_ms: float = 20.0
    descriptions: dict[str, str] = field(default_factory=dict)


def _number_for(fn: Callable[[], Any], min_s: float) -> int:
    number = 1
    while True:
        t = time.perf_counter()
        for _ in range(number):
            fn()
        if time.perf_counter() - t >= min_s or number >= 100_000:
            return number
        number *= 2 if number < 8 else 4


def _per_call_ms(fn: Callable[[], Any], number: int) -> float:
    t = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t) / number * 1000


def _uncertainty_cases(run: Any) -> tuple[dict[str, Callable[[], Any]], dict[str, str], str]:
    """The Monte Carlo case and its plain-loop baseline, or why there are none."""
    try:
        uncertainty = importlib.import_module("carbon_core.uncertainty")
    except ImportError as exc:
        return {}, {}, f"not implemented yet (carbon_core.uncertainty: {exc})"
    if not hasattr(uncertainty, "monte_carlo"):
        return {}, {}, "not implemented yet (carbon_core.uncertainty has no monte_carlo)"

    def monte_carlo() -> Any:
        return uncertainty.monte_carlo(run, samples=SAMPLES, seed=0)

    cases = {"uncertainty": monte_carlo}
    desc = {"uncertainty": f"`carbon_core.uncertainty.monte_carlo(run, samples={SAMPLES:,}, seed=0)`"}
    # Baseline: the same draws, one sample at a time through the scalar formula chain, in plain Python.
    try:
        from carbon_core.footprint import run_parts

        resolved = run.resolve()
        ranges = uncertainty.input_ranges(resolved)

        def loop() -> Any:
            rng = random.Random(0)
            totals = []
            for _ in range(SAMPLES):
                draw = {r.name: rng.triangular(r.low, r.high, r.mode) for r in ranges}
                totals.append(float(run_parts(resolved, **draw)["total_t_co2e"]))
            return np.percentile(totals, [5, 50, 95])

        cases["uncertainty_loop"] = loop
        desc["uncertainty_loop"] = (
            f"plain Python loop of {SAMPLES:,} samples: `random.triangular` per input over "
            "`uncertainty.input_ranges(run)`, scalar `footprint.run_parts(...)` per sample, then percentiles"
        )
    except (ImportError, AttributeError) as exc:
        desc["uncertainty_loop"] = f"baseline unavailable ({exc})"
    return cases, desc, ""


def run_core(quick: bool = False, log: Callable[[str], None] = print) -> CoreResult:
    import carbon_core
    from carbon_core import TrainingRun, estimate, price_in_countries
    from carbon_core.grid import latest_grid

    run = TrainingRun(**BENCH_RUN)
    grid = latest_grid()
    loop_fields = {k: v for k, v in BENCH_RUN.items() if k != "country_iso3"}
    intensities = [float(g) for g in grid["grid_g_co2e_per_kwh"]]

    def one_run() -> Any:
        return estimate(run)

    def every_country() -> Any:
        return price_in_countries(run)

    def country_loop() -> Any:
        totals = []
        for g in intensities:
            totals.append(estimate(TrainingRun(**loop_fields, grid_g_co2e_per_kwh=g)).total_t_co2e)
        return sorted(totals)

    cases: dict[str, Callable[[], Any]] = {
        "estimate": one_run,
        "countries": every_country,
        "countries_loop": country_loop,
    }
    desc = {
        "estimate": "`carbon_core.estimate(run)` (validation of the resolved run, formulas, equivalents)",
        "countries": "`carbon_core.price_in_countries(run)` (one estimate, then numpy over every country)",
        "countries_loop": (
            f"plain Python loop over the {len(intensities)} rows of `latest_grid()`: "
            "`estimate(TrainingRun(..., grid_g_co2e_per_kwh=g))` per country, then sorted"
        ),
    }
    unc_cases, unc_desc, reason = _uncertainty_cases(run)
    cases.update(unc_cases)
    desc.update(unc_desc)
    if reason:
        log(f"  uncertainty: {reason}")

    min_s = 0.005 if quick else 0.02
    rounds = 5 if quick else 25
    for fn in cases.values():  # warm-up: imports, caches, first-call costs
        fn()
    numbers = {name: _number_for(fn, min_s) for name, fn in cases.items()}
    samples: dict[str, list[float]] = {name: [] for name in cases}
    names = list(cases)
    for i in range(rounds):
        for name in names if i % 2 == 0 else names[::-1]:
            samples[name].append(_per_call_ms(cases[name], numbers[name]))
    per_call = {name: statistics.median(v) for name, v in samples.items()}
    for name, ms in per_call.items():
        log(f"  {name:18s} {ms:10.3f} ms/call (x{numbers[name]} per round, {rounds} rounds)")
    notes = [f"carbon_core from {carbon_core.__file__}", f"min_round_ms={min_s * 1000:g}"]
    return CoreResult(
        per_call_ms=per_call,
        rounds=rounds,
        countries=len(intensities),
        notes=notes,
        uncertainty_available=not reason,
        uncertainty_reason=reason,
        min_round_ms=min_s * 1000,
        descriptions=desc,
    )
