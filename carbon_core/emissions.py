"""Operational and embodied greenhouse-gas emissions of a training run (scalars or numpy arrays)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypeVar

import numpy as np
from numpy.typing import ArrayLike

from carbon_core.units import G_PER_T, HOURS_PER_YEAR, KG_PER_T

Number = TypeVar("Number", float, np.ndarray)
Attribution = Literal["amortised", "full"]


def operational_t_co2e(facility_energy_kwh: Number, grid_g_co2e_per_kwh: Number) -> Number:
    """Location-based emissions of the electricity: ``C_op = E_fac * I_grid / 1e6`` [t CO2e].

    ``I_grid`` is the grid's average carbon intensity [g CO2e/kWh]. This is the formula of every
    published training footprint the project reproduces (Patterson et al. 2021; Luccioni et al. 2022;
    Meta's model cards).
    """
    return facility_energy_kwh * grid_g_co2e_per_kwh / G_PER_T


def embodied_share(training_hours: Number, hardware_lifetime_years: Number, attribution: Attribution) -> Number | float:
    """Fraction of the hardware's manufacturing emissions charged to this run [-].

    ``amortised``: ``f = t / (L * 8760)``, the run's share of a service life of ``L`` years (Morrison
    et al. 2025, ICLR: 463 kg per H100 over 4 years = 0.013 kg per GPU-hour). It is not capped at 1: a
    run longer than the service life uses more than one set of hardware. ``full``: ``f = 1``, all of it
    (as seed article 000 does).
    """
    if attribution == "full":
        return 1.0
    return training_hours / (hardware_lifetime_years * HOURS_PER_YEAR)


def embodied_t_co2e(gpu_count: Number, embodied_kg_co2e_per_gpu: Number, share: Number | float) -> Number:
    """Manufacturing emissions charged to the run: ``C_emb = N * e_gpu * f / 1000`` [t CO2e].

    ``e_gpu`` [kg CO2e per GPU] ranges from 150 kg (Luccioni et al. 2022, A100 only) to 463 kg
    (Morrison et al. 2025, H100 with its share of the server); see ``data/embodied.csv``.
    """
    return gpu_count * embodied_kg_co2e_per_gpu * share / KG_PER_T


def total_t_co2e(operational_t_co2e: Number, embodied_t_co2e: Number) -> Number:
    """Total footprint of the run: ``C = C_op + C_emb`` [t CO2e]."""
    return operational_t_co2e + embodied_t_co2e


def market_based_t_co2e(operational_t_co2e: Number, renewable_share_fraction: Number) -> Number:
    """Market-based operational emissions: ``C_mkt = C_op * (1 - s)`` [t CO2e].

    ``s`` [-] is the share of the run's electricity matched by renewable-energy contracts (PPAs,
    certificates) with a zero emission factor, as in the GHG Protocol Scope 2 Guidance (WRI/WBCSD 2015),
    which asks for both the location-based and the market-based figure. Meta reports 0 t market-based from
    Llama 3.1 on ("matched 100% of its electricity use with renewable energy").
    """
    return operational_t_co2e * (1.0 - renewable_share_fraction)


def project_t_co2e(total_t_co2e: Number, project_multiplier: Number) -> Number:
    """The whole project, not only the final run: ``C_proj = C * m`` [t CO2e].

    ``m`` [-] is the ratio of the project's emissions (experiments, ablations, failed runs, the final run)
    to the final run's, e.g. 1.51 for OLMo (Morrison et al. 2025: 159 t development + 312 t final) and
    2.45 for BigScience/BLOOM (Luccioni et al. 2022: 123.82 t project vs 50.5 t final, both life-cycle).
    """
    return total_t_co2e * project_multiplier


def shares_pct(parts_t_co2e: Mapping[str, float], total_t_co2e: float) -> dict[str, float]:
    """Each part's share of the total: ``s_k = 100 * C_k / C`` [%]; 0 for every part when ``C`` is 0.

    ``parts_t_co2e`` [t CO2e] are parts of ``total_t_co2e`` [t CO2e], as
    :meth:`carbon_core.footprint.Footprint.emissions_breakdown_t_co2e` splits it (GPU, server, overhead
    energy, embodied), so the shares add up to 100 %.
    """
    return {key: value / total_t_co2e * 100.0 if total_t_co2e else 0.0 for key, value in parts_t_co2e.items()}


def price_on_grids(facility_energy_kwh: float, embodied_t_co2e: float, intensities: ArrayLike) -> dict[str, np.ndarray]:
    """One energy [kWh] and embodied mass [t CO2e] over a vector of grid intensities [g CO2e/kWh].

    ``grid_g_co2e_per_kwh, operational_t_co2e, embodied_t_co2e, total_t_co2e`` as arrays in the input's
    order (:func:`operational_t_co2e` and :func:`total_t_co2e`): ``C_op = E_fac * I / 1e6``, ``C = C_op + C_emb``.
    """
    g = np.asarray(intensities, dtype=float)
    operational = operational_t_co2e(facility_energy_kwh, g)
    embodied = np.full_like(g, embodied_t_co2e)
    return {
        "grid_g_co2e_per_kwh": g,
        "operational_t_co2e": operational,
        "embodied_t_co2e": embodied,
        "total_t_co2e": total_t_co2e(operational, embodied),
    }
