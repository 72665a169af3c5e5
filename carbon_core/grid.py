"""Grid carbon intensity by country and year (``data/grid_intensity.csv``, Our World in Data / Ember)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pycountry
from pydantic import BaseModel, ConfigDict, Field, field_validator

from carbon_core.tables import data_dir, load_table

#: Codes that are not ISO 3166-1 alpha-3 but appear in the data: Kosovo (user-assigned) and the World.
EXTRA_CODES = {"XKX": "Kosovo", "WLD": "World"}
WORLD = "WLD"


def is_known_iso3(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code or one of :data:`EXTRA_CODES`."""
    return code in EXTRA_CODES or pycountry.countries.get(alpha_3=code) is not None


class GridRow(BaseModel):
    """One row of ``data/grid_intensity.csv``."""

    model_config = ConfigDict(extra="forbid")

    iso3: str = Field(pattern=r"^[A-Z]{3}$")
    country: str = Field(min_length=1)
    year: int = Field(ge=1990, le=2030)
    grid_g_co2e_per_kwh: float = Field(ge=0, le=2000, allow_inf_nan=False)
    source: str = Field(min_length=1)

    @field_validator("iso3")
    @classmethod
    def _iso3_known(cls, value: str) -> str:
        if not is_known_iso3(value):
            raise ValueError(f"{value} is not an ISO 3166-1 alpha-3 code")
        return value


class GridFactor(BaseModel):
    """The grid intensity used for a run, with where it comes from."""

    model_config = ConfigDict(frozen=True)

    grid_g_co2e_per_kwh: float
    iso3: str | None = None
    country: str | None = None
    year: int | None = None
    source: str


@cache
def _history(folder: Path) -> pd.DataFrame:
    rows = load_table("grid_intensity.csv", GridRow, unique=["iso3", "year"], folder=folder)
    return pd.DataFrame([row.model_dump() for row in rows], columns=list(GridRow.model_fields))


def _last_years(folder: Path, years: int) -> pd.DataFrame:
    """Each country's rows of its last ``years`` years of data, by country then year."""
    return _history(folder).sort_values(["iso3", "year"]).groupby("iso3", sort=True).tail(years)


@cache
def _latest(folder: Path) -> pd.DataFrame:
    return _last_years(folder, 1).set_index("iso3", drop=False).rename_axis(None)


@dataclass(frozen=True)
class GridSpan:
    """The lowest and highest intensity of one country over its last years of data [g CO2e/kWh]."""

    first_year: int
    last_year: int
    low_g_co2e_per_kwh: float
    high_g_co2e_per_kwh: float


@cache
def _recent_spans(folder: Path, years: int) -> dict[str, GridSpan]:
    spans = (
        _last_years(folder, years)
        .groupby("iso3")
        .agg(
            first=("year", "min"),
            last=("year", "max"),
            low=("grid_g_co2e_per_kwh", "min"),
            high=("grid_g_co2e_per_kwh", "max"),
        )
    )
    return {
        str(iso3): GridSpan(int(row.first), int(row.last), float(row.low), float(row.high))
        for iso3, row in spans.iterrows()
    }


def recent_grid_span(iso3: str, years: int) -> GridSpan:
    """The span of ``iso3``'s grid intensity over its last ``years`` years of data; ``KeyError`` if unknown.

    Worked out once per number of years for every country (the uncertainty asks for it on every rerun).
    """
    return _recent_spans(data_dir(), years)[iso3]


def grid_history() -> pd.DataFrame:
    """Every (country, year) row: ``iso3, country, year, grid_g_co2e_per_kwh, source``."""
    return _history(data_dir())


def latest_grid() -> pd.DataFrame:
    """The latest year per country (and the World, ``WLD``), indexed by ISO-3 code."""
    return _latest(data_dir())


def grid_for_country(iso3: str) -> GridFactor:
    """The latest grid intensity of ``iso3`` with its year and source; ``KeyError`` if unknown."""
    latest = latest_grid()
    code = iso3.strip().upper()
    if code not in latest.index:
        raise KeyError(code)
    row = latest.loc[code]
    return GridFactor(
        grid_g_co2e_per_kwh=float(row["grid_g_co2e_per_kwh"]),
        iso3=code,
        country=str(row["country"]),
        year=int(row["year"]),
        source=str(row["source"]),
    )
