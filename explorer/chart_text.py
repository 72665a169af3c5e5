"""Text alternatives of the dashboard's charts: what each chart shows, in words and numbers with their units,
for a screen reader (or anyone who cannot see the chart). Plain functions from the numbers a figure builder of
:mod:`explorer.figures` is given to a sentence, testable without a browser; :func:`chart_text_html` puts one on
the page, visually hidden, beside its chart (``explorer.views.chart``). The HTML breakdown bar carries its own
(its ``aria-label``, :func:`explorer.figures.breakdown_bar_html`).

No number is computed here: each is read from the frame or result the chart draws, and written with
:mod:`explorer.formatting` (a unit on every value).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from carbon_core import Reproduction
from carbon_core.uncertainty import Sensitivity
from explorer import formatting as fmt
from explorer.figures import INPUT_LABELS, INPUT_UNITS, PART_LABELS

#: How many entries at each end of a long ranking the text names.
ENDS = 3
#: CSS class of a chart's text alternative (``data-chart`` names the chart's Streamlit key).
CHART_TEXT_CLASS = "chart-text"
#: Visually hidden, still read by screen readers (the usual "sr-only" pattern). The element's own Streamlit
#: container is hidden the same way, so the text adds no gap to the page's layout. Static CSS, no user text.
CHART_TEXT_CSS = f"""
.{CHART_TEXT_CLASS}, [data-testid="stElementContainer"]:has(.{CHART_TEXT_CLASS}) {{
    position: absolute !important; width: 1px !important; height: 1px !important; margin: -1px !important;
    padding: 0 !important; overflow: hidden !important; clip-path: inset(50%) !important; white-space: nowrap;
    border: 0 !important;
}}
"""


def _listed(pairs: Sequence[tuple[str, float]]) -> str:
    """'A 1.2 t CO2e, B 3 t CO2e'."""
    return ", ".join(f"{name} {fmt.t_co2e(value)}" for name, value in pairs)


def ranked_text(names: Sequence[str], totals_t_co2e: Sequence[float], noun: str, order: str) -> str:
    """A ranking of ``len(names)`` ``noun`` [t CO2e], in the chart's ``order`` ('lowest first' or 'largest
    first'): the first and last :data:`ENDS` named with their totals (all of them when there are few)."""
    pairs = list(zip(names, totals_t_co2e, strict=True))
    count = f"{len(pairs):,} {noun}, {order}"
    if len(pairs) <= 2 * ENDS:
        return f"{count}: {_listed(pairs)}."
    return f"{count}: {_listed(pairs[:ENDS])}; ...; {_listed(pairs[-ENDS:])}."


def _one_in_ranking(frame: pd.DataFrame, mask: pd.Series, name: str, word: str) -> str:
    """' Your country, Sweden, ranks 3 of 215: 851 t CO2e.' for the row of ``frame`` where ``mask`` is true."""
    if not mask.any():
        return ""
    position = int(mask.to_numpy().nonzero()[0][0])
    total = float(frame["total_t_co2e"].iloc[position])
    return f" {word}, {name}, ranks {position + 1:,} of {len(frame):,}: {fmt.t_co2e(total)}."


def _country_names(frame: pd.DataFrame) -> list[str]:
    """Each country's name, marked when its grid figure is low precision (as the chart hatches it)."""
    return [
        f"{name} (low precision)" if low else str(name)
        for name, low in zip(frame["country"], frame["low_precision"].astype(bool), strict=True)
    ]


def countries_text(frame: pd.DataFrame, selected_iso3: str | None, world_t_co2e: float | None = None) -> str:
    """The run's total in every country [t CO2e] (:func:`explorer.figures.countries_bar_figure` and
    :func:`~explorer.figures.world_map_figure`): the cleanest and dirtiest grids, the chosen country's rank and
    the World's average. ``frame`` is :func:`carbon_core.price_in_countries` output (sorted, cleanest first)."""
    frame = frame[frame["iso3"] != "WLD"].reset_index(drop=True)
    text = ranked_text(_country_names(frame), list(frame["total_t_co2e"]), "countries", "cleanest grid first")
    if selected_iso3 is not None:
        mask = frame["iso3"] == selected_iso3
        if mask.any():
            text += _one_in_ranking(frame, mask, str(frame.loc[mask, "country"].iloc[0]), "Your country")
    if world_t_co2e is not None:
        text += f" On the World's average grid: {fmt.t_co2e(world_t_co2e)}."
    return text


def regions_text(frame: pd.DataFrame, chosen_id: str | None) -> str:
    """The run in every cloud region, state and province [t CO2e] (:func:`explorer.figures.regions_bar_figure`),
    ``frame`` being :func:`carbon_core.regions.price_in_regions` output (sorted, cleanest first)."""
    names = [f"{name} ({rid})" for name, rid in zip(frame["name"], frame["id"], strict=True)]
    text = ranked_text(names, list(frame["total_t_co2e"]), "regions", "cleanest grid first")
    if chosen_id is not None:
        text += _one_in_ranking(frame, frame["id"] == chosen_id, chosen_id, "Your region")
    return text


def tornado_text(bars: Sequence[Sensitivity], total_t_co2e: float) -> str:
    """Each input's swing of the total [t CO2e] (:func:`explorer.figures.tornado_figure`), largest first."""
    swings = "; ".join(
        f"{INPUT_LABELS.get(b.name, b.name)} from {fmt.input_number(b.low_input)} to {fmt.input_number(b.high_input)}"
        f"{INPUT_UNITS.get(b.name, '')}: total {fmt.t_co2e(b.total_at_low_t_co2e)} to "
        f"{fmt.t_co2e(b.total_at_high_t_co2e)}"
        for b in bars
    )
    ends = "Each input at the ends of its range, largest swing first"
    return f"The run's total is {fmt.t_co2e(total_t_co2e)}. {ends}: {swings}."


def _parts(parts_t_co2e: dict[str, float]) -> str:
    return _listed([(PART_LABELS[key], value) for key, value in parts_t_co2e.items()])


def compare_text(parts_a: dict[str, float], parts_b: dict[str, float]) -> str:
    """Scenarios A and B, part by part and in total [t CO2e] (:func:`explorer.figures.compare_figure`)."""
    return (
        f"Scenario A: {_parts(parts_a)}; total {fmt.t_co2e(sum(parts_a.values()))}. "
        f"Scenario B: {_parts(parts_b)}; total {fmt.t_co2e(sum(parts_b.values()))}."
    )


def difference_text(difference_t_co2e: dict[str, float]) -> str:
    """B minus A for each part and the total [t CO2e] (:func:`explorer.figures.difference_figure`)."""
    changes = ", ".join(
        f"{PART_LABELS.get(key, 'Total')} {'+' if value > 0 else ''}{fmt.t_co2e(value)}"
        for key, value in difference_t_co2e.items()
    )
    return f"B minus A: {changes}."


def published_ranking_text(frame: pd.DataFrame) -> str:
    """Published training footprints ranked, largest first [t CO2e], and where the page's run lands
    (:func:`explorer.figures.published_ranking_figure`; ``frame`` is :attr:`carbon_core.published.Ranking.frame`)."""
    text = ranked_text(list(frame["name"]), list(frame["t_co2e"]), "training runs", "largest first")
    user = frame["is_user"].astype(bool)
    if user.any():
        position = int(user.to_numpy().nonzero()[0][0])
        total = float(frame["t_co2e"].iloc[position])
        text += f" Your run ranks {position + 1:,} of {len(frame):,}: {fmt.t_co2e(total)}."
    return text


def presets_text(results: Sequence[Reproduction]) -> str:
    """Every preset's reported and computed totals [t CO2e] and their difference [%]
    (:func:`explorer.figures.presets_figure`)."""
    rows = "; ".join(
        f"{r.name}: reported {fmt.t_co2e(r.reported_t_co2e)}, computed {fmt.t_co2e(r.computed_t_co2e)} "
        f"({r.difference_pct:+.1f} %)"
        for r in results
    )
    reproduced = sum(r.reproduced for r in results)
    return f"{len(results)} published runs, {reproduced} reproduced: {rows}."


def chart_text_html(title: str, text: str, key: str) -> str:
    """The text alternative of the chart keyed ``key`` (its Streamlit key): its title, then ``text``; escaped,
    for the names in it come from data files."""
    return (
        f'<p class="{CHART_TEXT_CLASS}" data-chart="{html.escape(key)}">'
        f"Chart: {html.escape(title)}. {html.escape(text)}</p>"
    )
