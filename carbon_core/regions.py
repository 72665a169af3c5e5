"""Grid carbon intensity below the country (``data/regions.csv``): cloud regions, US states, Canadian
provinces and Australian states, each with its year, basis (location- or market-based, ...) and source.

Where two sources disagree about a region the most recent figure is used and the other is kept in the
``alternative_*`` columns (data/SOURCES.md, regions.csv).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from carbon_core import emissions
from carbon_core.grid import GridFactor, Iso3Code, country_name
from carbon_core.tables import data_dir, load_table

Provider = Literal["aws", "azure", "gcp", "us", "ca", "au"]
CLOUD_PROVIDERS: tuple[str, ...] = ("aws", "azure", "gcp")

#: Columns of :func:`price_in_regions`.
COLUMNS = [
    "id",
    "provider",
    "name",
    "country_iso3",
    "year",
    "grid_g_co2e_per_kwh",
    "operational_t_co2e",
    "embodied_t_co2e",
    "total_t_co2e",
    "basis",
    "source",
]


class RegionRow(BaseModel):
    """One row of ``data/regions.csv``."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^(aws|azure|gcp|us|ca|au):[A-Za-z0-9-]+$")
    provider: Provider
    name: str = Field(min_length=1)
    country_iso3: Iso3Code
    grid_g_co2e_per_kwh: float = Field(ge=0, le=2000, allow_inf_nan=False)
    year: int = Field(ge=1990, le=2030)
    basis: str = Field(min_length=1)
    source: str = Field(min_length=1)
    pue: float | None = Field(default=None, ge=1, le=3, allow_inf_nan=False)
    alternative_g_co2e_per_kwh: float | None = Field(default=None, ge=0, le=2000, allow_inf_nan=False)
    alternative_year: int | None = Field(default=None, ge=1990, le=2030)
    alternative_source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RegionRow:
        if not self.id.startswith(f"{self.provider}:"):
            raise ValueError(f"id {self.id!r} does not start with its provider {self.provider!r}")
        alternative = (self.alternative_g_co2e_per_kwh, self.alternative_year, self.alternative_source)
        if any(v is None for v in alternative) and any(v is not None for v in alternative):
            raise ValueError("alternative value, year and source go together")
        return self


@cache
def _regions(folder: Path) -> pd.DataFrame:
    rows = load_table("regions.csv", RegionRow, unique=["id"], folder=folder)
    frame = pd.DataFrame([row.model_dump() for row in rows], columns=list(RegionRow.model_fields))
    return frame.set_index("id", drop=False).rename_axis(None)


def regions() -> pd.DataFrame:
    """Every region, indexed by id (``gcp:europe-north1``, ``us:TX``, ...), columns as ``data/regions.csv``."""
    return _regions(data_dir())


@cache
def _ids_by_lower(folder: Path) -> dict[str, str]:
    return {region_id.lower(): region_id for region_id in _regions(folder).index}


def find_region(text: str) -> str | None:
    """The region id ``text`` names (case-insensitive: ``us:tx`` is ``us:TX``), or ``None``."""
    return _ids_by_lower(data_dir()).get(text.strip().lower())


def grid_for_region(region_id: str) -> GridFactor:
    """The grid intensity of ``region_id`` with its year, basis, source and PUE; ``KeyError`` if unknown."""
    table = regions()
    if region_id not in table.index:
        raise KeyError(region_id)
    row = table.loc[region_id]
    pue = row["pue"]
    return GridFactor(
        grid_g_co2e_per_kwh=float(row["grid_g_co2e_per_kwh"]),
        iso3=str(row["country_iso3"]),
        country=country_name(str(row["country_iso3"])),
        year=int(row["year"]),
        source=str(row["source"]),
        region_id=region_id,
        region_name=str(row["name"]),
        basis=str(row["basis"]),
        pue=None if pue is None or pd.isna(pue) else float(pue),
    )


def price_in_regions(facility_energy_kwh: float, embodied_t_co2e: float = 0.0) -> pd.DataFrame:
    """``facility_energy_kwh`` [kWh] priced on every region's grid plus a fixed ``embodied_t_co2e`` [t CO2e].

    ``C_op = E_fac * I_grid / 1e6`` over the vector of intensities
    (:func:`carbon_core.emissions.price_on_grids`), one row per region sorted by total (cleanest first),
    columns :data:`COLUMNS`. The energy is taken as given:
    a region's own PUE is not applied here.
    """
    table = regions()
    priced = emissions.price_on_grids(facility_energy_kwh, embodied_t_co2e, table["grid_g_co2e_per_kwh"])
    order = np.argsort(priced["total_t_co2e"], kind="stable")
    return pd.DataFrame(
        {c: (priced[c] if c in priced else table[c].to_numpy())[order] for c in COLUMNS}, columns=COLUMNS
    )
