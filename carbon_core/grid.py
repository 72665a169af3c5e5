"""Grid carbon intensity by country and year (``data/grid_intensity.csv``, Our World in Data / Ember)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

import pandas as pd
import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from carbon_core.tables import data_dir, load_table

#: Codes that are not ISO 3166-1 alpha-3 but appear in the data: Kosovo (user-assigned) and the World.
EXTRA_CODES = {"XKX": "Kosovo", "WLD": "World"}
WORLD = "WLD"
#: What a country's figure is (data/SOURCES.md, grid_intensity.csv): OWID's "carbon intensity of electricity
#: production", emissions over generation, from Ember's lifecycle emission factors.
COUNTRY_GRID_BASIS = (
    "location-based annual average per kWh generated in the country (imports not counted), Ember's lifecycle "
    "emission factors via Our World in Data (published as gCO2/kWh, used as CO2e)"
)


def is_world(iso3: str | None) -> bool:
    """True for the World average (``WLD``): a reference value, not a country."""
    return iso3 is not None and iso3.strip().upper() == WORLD


def is_known_iso3(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code or one of :data:`EXTRA_CODES`."""
    return code in EXTRA_CODES or pycountry.countries.get(alpha_3=code) is not None


def _known_iso3(value: str) -> str:
    if is_known_iso3(value):
        return value
    raise ValueError(f"{value} is not an ISO 3166-1 alpha-3 code")


#: A data file's country code: three capitals that ISO 3166-1 alpha-3 (or :data:`EXTRA_CODES`) knows.
Iso3Code = Annotated[str, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(_known_iso3)]


class GridRow(BaseModel):
    """One row of ``data/grid_intensity.csv``."""

    model_config = ConfigDict(extra="forbid")

    iso3: Iso3Code
    country: str = Field(min_length=1)
    year: int = Field(ge=1990, le=2030)
    grid_g_co2e_per_kwh: float = Field(ge=0, le=2000, allow_inf_nan=False)
    source: str = Field(min_length=1)
    #: The intensity is a ratio of two numbers too small for two significant figures (data/SOURCES.md).
    low_precision: bool


class GridFactor(BaseModel):
    """The grid intensity used for a run, with where it comes from."""

    model_config = ConfigDict(frozen=True)

    grid_g_co2e_per_kwh: float
    iso3: str | None = None
    country: str | None = None
    year: int | None = None
    source: str
    #: Set for a region below the country (:mod:`carbon_core.regions`), e.g. ``gcp:europe-north1``.
    region_id: str | None = None
    region_name: str | None = None
    #: What the figure is: location/market-based, lifecycle or direct, per kWh generated or consumed.
    basis: str | None = None
    #: The data centre's PUE where the region's source gives one.
    pue: float | None = None


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
    """Every (country, year) row: ``iso3, country, year, grid_g_co2e_per_kwh, source, low_precision``."""
    return _history(data_dir())


def latest_grid() -> pd.DataFrame:
    """The latest year per country (and the World, ``WLD``), indexed by ISO-3 code."""
    return _latest(data_dir())


def country_name(iso3: str) -> str:
    """The country's name as the grid data spell it (the code itself if the grid data lack it)."""
    latest = latest_grid()
    return str(latest.loc[iso3, "country"]) if iso3 in latest.index else iso3


@cache
def _years(folder: Path) -> dict[str, list[int]]:
    history = _history(folder)
    return {str(code): sorted(int(y) for y in years) for code, years in history.groupby("iso3")["year"]}


def grid_years(iso3: str) -> list[int]:
    """The years with data for ``iso3``, ascending; ``KeyError`` if the code is unknown."""
    return list(_years(data_dir())[iso3.strip().upper()])


def _spans(years: list[int]) -> str:
    """``[2000, 2001, 2002, 2005]`` -> ``"2000-2002, 2005"``."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def grid_for_country(iso3: str, year: int | None = None) -> GridFactor:
    """The grid intensity of ``iso3`` in ``year`` (None: its latest year) with its year, source and basis.

    ``KeyError`` if the code is unknown; ``ValueError`` naming the years available if ``year`` is not one.
    """
    code = iso3.strip().upper()
    if year is None:
        latest = latest_grid()
        if code not in latest.index:
            raise KeyError(code)
        row = latest.loc[code]
    else:
        years = grid_years(code)
        if year not in years:
            raise ValueError(f"no grid data for {code} in {year}; years available: {_spans(years)}")
        history = grid_history()
        row = history[(history["iso3"] == code) & (history["year"] == year)].iloc[0]
    return GridFactor(
        grid_g_co2e_per_kwh=float(row["grid_g_co2e_per_kwh"]),
        iso3=code,
        country=str(row["country"]),
        year=int(row["year"]),
        source=str(row["source"]),
        basis=COUNTRY_GRID_BASIS,
    )
