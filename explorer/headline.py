"""The headline: eight figures of a run as one block of plain HTML cards (no formula here, only text).

The page redraws the headline on every slider move. As eight ``st.metric`` elements and five captions it
was the page's most expensive part in the browser: each is a React element whose label and caption go through
Streamlit's Markdown renderer again on every rerun. One ``st.html`` block of the same text is one DOM update
(``benchmarks/RESULTS.md``, README "Speed"). Every value is a ``formatting`` string with its unit; every
explanation that was a metric's help text is a ``title`` tooltip and the card's accessible description, and
every card's source or context line stays visible. User text (a custom accelerator has none; country names
come from the bundled data) is HTML-escaped all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from carbon_core import Footprint
from carbon_core.grid import COUNTRY_GRID_BASIS, GridFactor
from carbon_core.uncertainty import Interval
from carbon_core.water_intensity import countries_with_factor
from explorer import formatting as fmt

# A "?" in a circle drawn with CSS (the ⓘ glyph is missing from common fonts); the card's title is the help.
_HELP_MARK = (
    ' <span aria-hidden="true" style="display:inline-block;min-width:1.1em;border:1px solid currentColor;'
    'border-radius:50%;font-size:0.75em;line-height:1.1em;text-align:center;opacity:0.6">?</span>'
)
#: The class of each card's value: what tests and the benchmarks wait for as "the headline is drawn".
VALUE_CLASS = "headline-value"


@dataclass(frozen=True)
class Card:
    """One headline figure: its label, its value with the unit, a visible context line and a tooltip."""

    label: str
    value: str
    note: str = ""
    help: str = ""


def headline_cards(fp: Footprint, interval: Interval) -> list[Card]:
    """Total, energy, fleet power and car lifetimes (with context lines); then market-based, whole-project,
    uncertainty and water (with their method as a tooltip). ``interval`` is the total's P5-P95 [t CO2e]."""
    run = fp.run
    return [
        Card(
            "Total emissions",
            fmt.t_co2e(fp.total_t_co2e),
            f"{fmt.t_co2e(fp.operational_t_co2e)} from electricity + {fmt.t_co2e(fp.embodied_t_co2e)} embodied; "
            f"90 % range {fmt.t_co2e(interval.p5)} to {fmt.t_co2e(interval.p95)}",
        ),
        Card(
            "Energy drawn",
            fmt.energy(fp.facility_energy_kwh),
            f"{fp.gpu_hours:,.0f} GPU-hours; IT {fmt.energy(fp.it_energy_kwh)} x PUE {run.pue:g}",
        ),
        Card(
            "Fleet power",
            fmt.power_mw(fp.fleet_power_mw),
            f"what ~{fp.households_powered:,.0f} US homes draw on average (EIA); the grid swings by "
            f"{fmt.power_mw(fp.power_swing_mw)} when the GPUs stop at once",
        ),
        Card(
            "Car lifetimes",
            fmt.count(fp.equivalents["car_lifetime"]),
            "cars over their whole life, fuel included (Strubell et al. 2019: 57.2 t each)",
        ),
        Card(
            "Market-based (electricity)",
            fmt.t_co2e(fp.operational_market_t_co2e),
            f"{run.renewable_share_fraction:.0%} of the electricity matched by renewable contracts; the rest at "
            "the average grid, not a residual mix",
            "Location-based counts the average grid where the run happened; market-based deducts the share of "
            "electricity matched by renewable contracts (GHG Protocol Scope 2). Meta's cards report both. The "
            "unmatched share is priced here at the same location-based average grid, not at a residual mix (the "
            "grid with the contracted renewables taken out, which the GHG Protocol prefers and which is usually "
            "dirtier): the project has no residual-mix table, so with a partial share this figure is on the low side.",
        ),
        Card(
            "Whole project",
            fmt.t_co2e(fp.project_total_t_co2e),
            f"the final run x {run.project_multiplier:g} (experiments, ablations, failed runs)",
            "The final run x the project multiplier: experiments, ablations and failed runs come on top.",
        ),
        Card(
            "90 % range [t CO2e]",
            fmt.count_range(interval.p5, interval.p95),
            f"P5 to P95 of the total, Monte Carlo (Uncertainty view). {median_words(fp.total_t_co2e, interval.p50)}"
            + ("" if interval.p5 <= fp.total_t_co2e <= interval.p95 else OUTSIDE_WORDS),
            "P5 to P95 of the total. Seeded Monte Carlo, 10,000 samples over the cited ranges of duration, power "
            "per GPU, utilisation, host power, PUE, embodied carbon, lifetime and the grid factor (the datasets' "
            "disagreement, and a country's recent years); inputs set to leave a part out stay out "
            "(Uncertainty view).",
        ),
        Card(
            "Water consumed",
            fmt.water(fp.water_total_l),
            f"on site (cooling) + off site (power plants); off-site factor: {fp.water_off_site_basis}",
            f"On site (cooling): {fmt.water(fp.water_on_site_l)} = IT energy x {run.wue_l_per_kwh:g} L/kWh "
            "(U.S. average WUE, Li et al. 2023, 'Making AI Less Thirsty'); off site (power plants): "
            f"{fmt.water(fp.water_off_site_l)} = facility energy x {run.electricity_water_l_per_kwh:g} L/kWh. "
            "Per-country off-site factors: EcoLogits' table, by the World Resources Institute's method (Reig et "
            f"al. 2020), for {countries_with_factor()} countries; elsewhere the U.S. average. Set your data centre's "
            "and grid's own values in the sidebar.",
        ),
    ]


#: Added to the 90 % range's note when the total lies outside it (the Uncertainty view names the inputs why).
OUTSIDE_WORDS = " The point estimate lies outside this range: the Uncertainty view says why."


def median_words(point_t_co2e: float, p50_t_co2e: float) -> str:
    """Why the Monte Carlo's P50 is not the point estimate, with both numbers [t CO2e]."""
    if fmt.t_co2e(point_t_co2e) == fmt.t_co2e(p50_t_co2e):
        return f"The P50 equals the point estimate, {fmt.t_co2e(point_t_co2e)}."
    side = "above" if p50_t_co2e > point_t_co2e else "below"
    return (
        f"The P50, {fmt.t_co2e(p50_t_co2e)}, is {side} the point estimate, {fmt.t_co2e(point_t_co2e)}: the point "
        "estimate uses each input's central value, the P50 is the median of the samples, and the two differ because "
        f"the ranges are asymmetric: on balance they reach further {side} the inputs' values than "
        f"{'below' if side == 'above' else 'above'} them."
    )


def basis_words(grid: GridFactor) -> str:
    """The grid figure's basis in a few words: Ember's lifecycle annual average for a country, the first clause of
    a region's basis (e.g. 'location-based'), or the source's own for an intensity entered by hand."""
    if grid.basis == COUNTRY_GRID_BASIS:
        return "Ember lifecycle, annual average per kWh generated"
    if grid.region_id and grid.basis:
        return grid.basis.split(":")[0]
    return "basis as its source states"


def run_summary(fp: Footprint) -> str:
    """One line saying which run the figures are for: fleet, power, duration and grid (with its basis)."""
    run, grid = fp.run, fp.run.grid
    if grid.region_id:
        where = f"the grid of {grid.region_name} ({grid.region_id}, {grid.year}, {grid.grid_g_co2e_per_kwh:,.0f} g"
    elif grid.iso3:
        where = f"the grid of {grid.country} ({grid.year}, {grid.grid_g_co2e_per_kwh:,.0f} g"
    else:
        where = f"a grid of {run.grid_g_co2e_per_kwh:,.1f} g CO2e/kWh set by hand ("
        return _summary(fp, where + f"{basis_words(grid)})")
    return _summary(fp, where + f" CO2e/kWh; {basis_words(grid)})")


def _summary(fp: Footprint, where: str) -> str:
    run = fp.run
    name = run.accelerator_entry.name if run.accelerator_entry else "custom accelerator"
    return (
        f"{run.gpu_count:,} × {name} at {run.gpu_power_w:,.0f} W × {run.utilisation_fraction:g} for "
        f"{run.training_hours:,.1f} h, on {where}."
    )


def headline_html(cards: list[Card], summary: str, large: bool = False) -> str:
    """The cards as a responsive grid (four across on a laptop, fewer on a narrow screen), then ``summary``.

    Inline styles only: a ``<style>`` element replaced on every move would restyle the whole page. Colours
    are inherited or translucent, so Streamlit's light and dark themes both apply. ``large`` is the
    presentation mode's type size (the back of a room).
    """
    label_rem, value_rem, note_rem = (1.4, 3.0, 1.1) if large else (0.875, 2.1, 0.8)
    body = "".join(
        f'<div class="headline-card" role="group" aria-label="{escape(c.label)}"'
        + (f' title="{escape(c.help)}" aria-description="{escape(c.help)}"' if c.help else "")
        + ' style="padding:0.6rem 0.8rem;border:1px solid rgba(128,128,128,0.3);border-radius:0.5rem">'
        f'<div class="headline-label" style="font-size:{label_rem}rem">{escape(c.label)}'
        + (_HELP_MARK if c.help else "")
        + "</div>"
        f'<div class="{VALUE_CLASS}" style="font-size:{value_rem}rem;font-weight:{700 if large else 400};'
        f'line-height:1.25">{escape(c.value)}</div>'
        f'<div class="headline-note" style="font-size:{note_rem}rem;opacity:0.7">{escape(c.note)}</div></div>'
        for c in cards
    )
    return (
        '<div class="headline" style="display:grid;gap:0.75rem;'
        # At most four across (each at least a quarter less the gaps), fewer when a card would be too narrow.
        f'grid-template-columns:repeat(auto-fit,minmax(max({16 if large else 13}rem,calc(25% - 0.6rem)),1fr))">'
        f"{body}</div>"
        f'<div class="headline-summary" style="font-size:{note_rem}rem;opacity:0.7;margin-top:0.5rem">'
        f"{escape(summary)}</div>"
    )
