"""Scenario A against scenario B: what a change of inputs did to each part of the footprint."""

from __future__ import annotations

import math

from carbon_core.footprint import Footprint


def difference_t_co2e(a: Footprint, b: Footprint) -> dict[str, float]:
    """B minus A for each part of the total and for the total: ``d_k = C_k(B) - C_k(A)`` [t CO2e].

    Parts as :meth:`Footprint.emissions_breakdown_t_co2e` (gpu, server, overhead, embodied), then ``total``.
    """
    parts_a, parts_b = a.emissions_breakdown_t_co2e(), b.emissions_breakdown_t_co2e()
    result = {key: parts_b[key] - parts_a[key] for key in parts_a}
    result["total"] = b.total_t_co2e - a.total_t_co2e
    return result


def change_pct(a: Footprint, b: Footprint) -> float:
    """Relative change of the total from A to B: ``100 * (C(B) / C(A) - 1)`` [%]; NaN when A's total is 0."""
    return (b.total_t_co2e / a.total_t_co2e - 1.0) * 100.0 if a.total_t_co2e else math.nan
