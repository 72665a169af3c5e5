"""Which off-site water factor (EWIF) a run uses, and where it comes from (``data/water_intensity.csv``).

The off-site water of a run is ``W_off = E_fac x EWIF`` (:func:`carbon_core.water.off_site_water_l`). EWIF
[L/kWh] is the water the power plants consume per kWh generated; it depends on the country's mix (hydro
reservoirs' evaporation and thermal plants' cooling towers consume much, wind and solar little). The
per-country factors are EcoLogits' (``wue`` of ``electricity_mixes.csv``), computed by the World Resources
Institute's method: Reig, Luo, Christensen, Sinistore 2020, "Guidance for Calculating Water Use Embedded in
Purchased Electricity" (``data/SOURCES.md``). The United States keep the documented U.S. average of Li, Yang,
Islam, Ren 2023, 3.14 L/kWh (``data/parameters.csv`` ``electricity_water_l_per_kwh``; the table's 3.1321 is 0.25 %
lower): it is the figure the project checks against the paper's GPT-3 water, and link format 1's frozen default,
so a U.S. run is priced alike by the CLI and by a link. A country without a factor takes that U.S. average too,
and every text that shows the water says so.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from carbon_core.grid import Iso3Code, country_name, is_world
from carbon_core.parameters import parameter
from carbon_core.tables import data_dir, load_table

#: The documented default (``data/parameters.csv``): the U.S. average of Li et al. 2023.
US_DEFAULT_KEY = "electricity_water_l_per_kwh"
#: The country whose factor is the documented default rather than the table's (module docstring).
US_ISO3 = "USA"
#: How the per-country table is named in short texts.
TABLE_SHORT = "WRI method, via EcoLogits"
US_DEFAULT_SHORT = "U.S. average, Li et al. 2023"
#: Two factors closer than this are the same one [L/kWh]: the sidebar's slider moves in steps of 0.01.
SAME_FACTOR_L_PER_KWH = 0.005


class WaterRow(BaseModel):
    """One row of ``data/water_intensity.csv``: a country's (or the World's) off-site water factor."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    iso3: Iso3Code
    country: str = Field(min_length=1)
    l_per_kwh: float = Field(gt=0, le=50, allow_inf_nan=False)
    year: int = Field(ge=1990, le=2030)
    source: str = Field(min_length=1)


@cache
def _factors(folder: Path) -> dict[str, WaterRow]:
    return {row.iso3: row for row in load_table("water_intensity.csv", WaterRow, unique=["iso3"], folder=folder)}


def water_factors() -> dict[str, WaterRow]:
    """Every country's (and the World's, ``WLD``) off-site water factor, by ISO-3 code."""
    return _factors(data_dir())


def countries_with_factor() -> int:
    """How many countries have their own factor (the World's average is not one)."""
    return sum(1 for iso3 in water_factors() if not is_world(iso3))


def country_water_factor(iso3: str | None) -> WaterRow | None:
    """``iso3``'s own factor from the table, or ``None`` when it has none, no country is given, or the country
    is the United States (which keep the documented U.S. average: module docstring)."""
    code = iso3.strip().upper() if iso3 else None
    return water_factors().get(code) if code and code != US_ISO3 else None


def default_electricity_water(iso3: str | None) -> tuple[float, str]:
    """The off-site factor a run takes when none is set [L/kWh], and its source (for ``default_sources``).

    The country's own factor when the table has one; the United States' documented average; else that U.S.
    average, with the reason.
    """
    own = country_water_factor(iso3)
    if own is not None:
        return own.l_per_kwh, f"{_whose(own.iso3)} ({own.year}): {own.source}"
    us = parameter(US_DEFAULT_KEY)
    if iso3 == US_ISO3:
        return us.number, us.source
    why = f"data/water_intensity.csv has no factor for {country_name(iso3)}" if iso3 else "no country: grid set by hand"
    return us.number, f"U.S. average used ({why}): {us.source}"


def _whose(iso3: str) -> str:
    return "World average" if is_world(iso3) else f"own factor of {country_name(iso3)}"


def off_site_water_note(l_per_kwh: float, iso3: str | None, region_id: str | None = None) -> str:
    """One sentence saying which off-site factor a run used and where it comes from, for every place that shows
    the water (headline, equivalents, CLI, exports), e.g. "U.S. average (3.14 L/kWh, Li et al. 2023) used for
    Kenya: no per-country factor"."""
    own = country_water_factor(iso3)
    us = parameter(US_DEFAULT_KEY).number
    us_words = f"U.S. average ({us:.2f} L/kWh, Li et al. 2023)"
    if own is not None and abs(l_per_kwh - own.l_per_kwh) < SAME_FACTOR_L_PER_KWH:
        note = f"{_whose(own.iso3)}, {own.l_per_kwh:.2f} L/kWh ({TABLE_SHORT})"
    elif abs(l_per_kwh - us) < SAME_FACTOR_L_PER_KWH:
        if iso3 is None:
            return f"{us_words}: no country (grid set by hand)"
        if iso3 == US_ISO3:
            note = us_words
        elif own is None:
            return f"{us_words} used for {country_name(iso3)}: no per-country factor"
        else:
            own_words = f"{own.l_per_kwh:.2f} L/kWh ({TABLE_SHORT})"
            return f"{us_words} used for {country_name(iso3)}, whose own factor is {own_words}"
    else:
        note = f"{l_per_kwh:g} L/kWh set by hand"
        return note + (f"; {_whose(own.iso3)}: {own.l_per_kwh:.2f} L/kWh ({TABLE_SHORT})" if own else "")
    # A region is priced on its own grid but the water on its country's average: say so.
    return note + (f"; {region_id} takes its country's factor (none for the region)" if region_id else "")
