"""The same run priced on the grid of every country at once (vectorised over countries)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbon_core import emissions
from carbon_core.footprint import Footprint, estimate
from carbon_core.grid import WORLD, is_world, latest_grid
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
    "low_precision",
]


def _low_precision(grid: pd.DataFrame) -> np.ndarray:
    """The table's ``low_precision`` flags; all False for a table without them (e.g. quoted figures)."""
    if "low_precision" not in grid:
        return np.zeros(len(grid), dtype=bool)
    return grid["low_precision"].to_numpy(dtype=bool)


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

    The World (``WLD``) is not a country and is not ranked: :func:`world_reference` prices it.
    Returns one row per country: ``iso3, country, year, grid_g_co2e_per_kwh, operational_t_co2e,
    embodied_t_co2e, total_t_co2e, source, low_precision`` [g CO2e/kWh, t CO2e; low_precision: the
    published intensity is not good to two significant figures, see data/SOURCES.md].
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
    grid = grid[~grid["iso3"].map(is_world)]  # the World is a reference, not a country (world_reference)
    priced = emissions.price_on_grids(facility_energy_kwh, embodied_t_co2e, grid["grid_g_co2e_per_kwh"])
    order = np.argsort(priced["total_t_co2e"], kind="stable")
    columns = {"low_precision": _low_precision(grid)} | priced
    return pd.DataFrame(
        {c: (columns[c] if c in columns else grid[c].to_numpy())[order] for c in COLUMNS}, columns=COLUMNS
    )


def world_reference(facility_energy_kwh: float, embodied_t_co2e: float = 0.0) -> pd.Series:
    """The run on the World's average grid (``WLD``): a reference beside the ranking, in its columns."""
    world = latest_grid().loc[[WORLD]]
    priced = emissions.price_on_grids(facility_energy_kwh, embodied_t_co2e, world["grid_g_co2e_per_kwh"])
    columns = {"low_precision": _low_precision(world)} | priced
    return pd.Series({c: columns[c][0] if c in columns else world[c].iloc[0] for c in COLUMNS})


def reliable_extremes(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The cleanest and the dirtiest rows of a ranking (sorted, cleanest first) whose grid intensity is good to
    two significant figures: a low-precision grid (a ratio of tiny rounded numbers) is never named either."""
    reliable = frame[~frame["low_precision"].astype(bool)]
    return reliable.iloc[0], reliable.iloc[-1]
