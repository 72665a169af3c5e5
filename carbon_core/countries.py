"""The same run priced on the grid of every country at once (vectorised over countries)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbon_core import emissions
from carbon_core.footprint import Footprint, estimate
from carbon_core.grid import latest_grid
from carbon_core.run import ResolvedRun, TrainingRun

COLUMNS = [
    "iso3",
    "country",
    "year",
    "grid_g_co2e_per_kwh",
    "operational_t_co2e",
    "embodied_t_co2e",
    "total_t_co2e",
    "source",
]


def price_in_countries(
    run: TrainingRun | ResolvedRun | Footprint | None = None,
    intensities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Price one run on every country's grid, sorted by total (cleanest first).

    Energy and embodied emissions do not depend on the grid, so they are computed once; operational
    emissions are ``C_op = E_fac * I_grid / 1e6`` over the vector of intensities
    (:func:`carbon_core.emissions.operational_t_co2e`). ``intensities`` replaces the bundled latest-year
    grid data with another table of the same columns (``iso3, country, year, grid_g_co2e_per_kwh,
    source``), for example Electricity Maps figures quoted in an article.

    Returns one row per country: ``iso3, country, year, grid_g_co2e_per_kwh, operational_t_co2e,
    embodied_t_co2e, total_t_co2e, source`` [g CO2e/kWh, t CO2e].
    """
    footprint = run if isinstance(run, Footprint) else estimate(run)
    return price_energy_in_countries(footprint.facility_energy_kwh, footprint.embodied_t_co2e, intensities)


def price_energy_in_countries(
    facility_energy_kwh: float, embodied_t_co2e: float = 0.0, intensities: pd.DataFrame | None = None
) -> pd.DataFrame:
    """``facility_energy_kwh`` [kWh] priced on every grid, plus a fixed ``embodied_t_co2e`` [t CO2e].

    ``C_op = E_fac * I_grid / 1e6`` over the vector of intensities, sorted by total (cleanest first); the
    columns of :func:`price_in_countries`. A measured run (:mod:`carbon_core.io.codecarbon`) uses it directly.
    """
    grid = latest_grid() if intensities is None else intensities
    g = grid["grid_g_co2e_per_kwh"].to_numpy(dtype=float)
    operational = emissions.operational_t_co2e(facility_energy_kwh, g)
    embodied = np.full_like(g, embodied_t_co2e)
    total = emissions.total_t_co2e(operational, embodied)
    order = np.argsort(total, kind="stable")
    return pd.DataFrame(
        {
            "iso3": grid["iso3"].to_numpy()[order],
            "country": grid["country"].to_numpy()[order],
            "year": grid["year"].to_numpy()[order],
            "grid_g_co2e_per_kwh": g[order],
            "operational_t_co2e": operational[order],
            "embodied_t_co2e": embodied[order],
            "total_t_co2e": total[order],
            "source": grid["source"].to_numpy()[order],
        },
        columns=COLUMNS,
    )
