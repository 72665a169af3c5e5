"""The dashboard's sentences about a result, as plain text (Markdown bold at most): used by its views and by the
talk pack (``explorer/report.py``). Pure Python, no Streamlit: every number is carbon_core's, formatted here."""

from __future__ import annotations

import pandas as pd

from carbon_core import Footprint
from carbon_core.countries import reliable_extremes
from carbon_core.equivalents import EquivalenceFactor
from carbon_core.grid import COUNTRY_GRID_BASIS
from carbon_core.published import Ranking
from explorer import formatting as fmt

#: What each 'US homes' equivalent counts (the third, by power, is the Fleet power card's).
HOME_COUNTS = {
    "us_home_energy_year": "Counts CO2e: a home's whole energy use (electricity and heating fuels, EPA).",
    "us_household_electricity_year": "Counts energy: a home's electricity in kWh (EIA), against the run's energy.",
}


def countries_text(frame: pd.DataFrame, world: pd.Series, selected_iso3: str | None) -> str:
    """The Countries view's sentence: cleanest and dirtiest reliable grids, the World's average as a reference,
    the selected country's rank, and how many small grids are marked low precision (never named here)."""
    clean, dirty = reliable_extremes(frame)
    text = (
        f"The same run costs **{fmt.t_co2e(clean['total_t_co2e'])}** in {clean['country']} (cleanest grid, "
        f"{clean['grid_g_co2e_per_kwh']:,.0f} g CO2e/kWh) and **{fmt.t_co2e(dirty['total_t_co2e'])}** in "
        f"{dirty['country']} (dirtiest, {dirty['grid_g_co2e_per_kwh']:,.0f} g CO2e/kWh); on the World's average "
        f"grid ({world['year']}, {world['grid_g_co2e_per_kwh']:,.0f} g CO2e/kWh) it costs "
        f"**{fmt.t_co2e(world['total_t_co2e'])}**."
    )
    if selected_iso3 in set(frame["iso3"]):
        rank = int(frame.index[frame["iso3"] == selected_iso3][0]) + 1
        row = frame.iloc[rank - 1]
        text += f" {row['country']} ranks {rank} of {len(frame)} with **{fmt.t_co2e(row['total_t_co2e'])}**."
    low = int(frame["low_precision"].sum())
    return text + (
        f" {low} small grids, hatched, have an intensity that is not good to two significant figures (a ratio of "
        "tiny rounded numbers): they are ranked but never named cleanest or dirtiest."
    )


def grid_basis_note(fp: Footprint) -> str:
    """The basis of the country figures, and a warning when the run's own grid figure has another basis."""
    note = f"Country figures: {COUNTRY_GRID_BASIS}."
    grid = fp.run.grid
    if grid.basis != COUNTRY_GRID_BASIS:
        own = f"{grid.region_name} ({grid.region_id})" if grid.region_id else "your run's grid"
        note += (
            f" This screen compares them with {own} at {grid.grid_g_co2e_per_kwh:,.0f} g CO2e/kWh "
            f"({grid.source}), on another basis: {grid.basis}."
        )
    return note


def equivalent_basis(key: str, factor: EquivalenceFactor, water_off_site_basis: str) -> str:
    """What one unit of an equivalent is (kg CO2e, kWh or litres per unit), what it counts, and its source; a
    water equivalent names the run's off-site water factor (``Footprint.water_off_site_basis``)."""
    if factor.kg_co2e_per_unit is not None:
        basis = f"{fmt.count(factor.kg_co2e_per_unit)} kg CO2e {factor.unit}"
    elif factor.kwh_per_unit is not None:
        basis = f"{factor.kwh_per_unit:,.0f} kWh {factor.unit} (of the facility energy)"
    else:
        basis = (
            f"{fmt.water(factor.litres_per_unit or 0.0)} {factor.unit} (of the water consumed; off-site "
            f"factor: {water_off_site_basis})"
        )
    counts = HOME_COUNTS.get(key)
    return f"{counts + ' ' if counts else ''}{basis}. Source: {factor.source} ({factor.year})."


def us_homes_three_ways(fp: Footprint) -> str:
    """The three 'US homes' figures side by side, each saying what it counts."""
    return (
        f"US homes, three ways: {fmt.count(fp.equivalents['us_home_energy_year'])} homes' year of energy use by "
        f"its CO2e (EPA: electricity and heating fuels); {fmt.count(fp.equivalents['us_household_electricity_year'])} "
        "homes' year of electricity by energy (EIA kWh, against the run's facility energy); "
        f"~{fp.households_powered:,.0f} homes by power (the fleet's average draw against a home's average, on "
        "the Fleet power card). They differ because they count different things, not because one is wrong."
    )


def ranking_sentence(ranking: Ranking) -> str:
    """The sentence: Your run, X t CO2e, ranks N of M published training runs, between A and B (or at an end)."""
    total = fmt.t_co2e(float(ranking.frame.loc[ranking.frame["is_user"], "t_co2e"].iloc[0]))
    if ranking.above and ranking.below:
        where = f"between {ranking.above} (above) and {ranking.below} (below)"
    elif ranking.below:
        where = f"above every published run, the largest being {ranking.below}"
    else:
        where = f"below every published run, the smallest being {ranking.above}"
    return (
        f"Your run, {total}, ranks {ranking.rank} of {ranking.count} published training runs "
        f"(largest first, yours included), {where}."
    )
