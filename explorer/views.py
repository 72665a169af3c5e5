"""The dashboard's views. Each draws one part of the page from a :class:`~explorer.page.Page` and carbon_core
results; none holds a formula. :data:`VIEWS` names the views the page switches between, in order."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from carbon_core import Footprint, comparison, reproduce_all
from carbon_core.catalogue import accelerators
from carbon_core.countries import world_reference
from carbon_core.emissions import shares_pct
from carbon_core.equivalents import equivalence_factors
from carbon_core.grid import latest_grid
from carbon_core.io import export
from carbon_core.presets import PROVENANCE_LABELS
from carbon_core.published import rank_among_published
from carbon_core.regions import price_in_regions
from carbon_core.run import ResolvedRun
from carbon_core.uncertainty import UncertaintyResult, held_inputs, point_values, points_outside
from explorer import cache, chart_text, codecarbon, figures, presentation, report, slides, state
from explorer import formatting as fmt
from explorer.headline import basis_words, headline_cards, headline_html, median_words, run_summary
from explorer.link import VIEW_LABELS, Scenario, parse_link
from explorer.page import Page
from explorer.slides import SlideText
from explorer.texts import countries_text, equivalent_basis, grid_basis_note, ranking_sentence, us_homes_three_ways
from explorer.title import scenario_title

README = Path(__file__).resolve().parent.parent / "README.md"

SEED_004_COUNTRIES = ["SWE", "FRA", "DEU", "USA"]
#: Material Symbols, bundled with Streamlit (no emoji font or CDN needed on a projector laptop).
EQUIVALENT_ICONS = {
    "car_lifetime": ":material/directions_car:",
    "miles_driven": ":material/route:",
    "gallons_gasoline": ":material/local_gas_station:",
    "us_home_energy_year": ":material/home:",
    "transatlantic_flight": ":material/flight:",
    "tree_year": ":material/park:",
    "dac_mammoth_year": ":material/factory:",
    "us_household_electricity_year": ":material/lightbulb:",
    "fr_household_electricity_year": ":material/lightbulb:",
    "olympic_pool": ":material/pool:",
    "us_family_water_day": ":material/water_drop:",
    "passenger_vehicle_year": ":material/directions_car:",
}


#: What a chart's slide says beside the chart, built only when a download is clicked.
Slide = Callable[[], SlideText]


def chart(
    fig: go.Figure, name: str, key: str, text: str, slide: Slide, fill: bool = False, subject: str | None = None
) -> None:
    """Draw ``fig`` with its text alternative (its title and ``text``, the numbers it shows: explorer/chart_text.py;
    visually hidden), PNG (camera button, client side) and slide-ready PNG/SVG download buttons (server side:
    ``slide`` says the scenario, total and sources; ``subject`` replaces the chart's title on the slide).

    ``fill``: the view's main chart in presentation mode, stretched to the rest of the first screen (its
    container's height is presentation mode's CSS, explorer/presentation.py)."""
    if fill:
        with st.container(key=presentation.MAIN_CHART_KEY):
            st.plotly_chart(fig, config=figures.chart_config(name), key=key, theme="streamlit", height="stretch")
    else:
        st.plotly_chart(fig, config=figures.chart_config(name), key=key, theme="streamlit")
    st.html(chart_text.chart_text_html(str(fig.layout.title.text), text, key))
    image_downloads(lambda: fig, name, key, slide, subject)


def image_downloads(
    make_figure: Callable[[], go.Figure], name: str, key: str, slide: Slide, subject: str | None = None
) -> None:
    """PNG and SVG download buttons for the slide (:func:`explorer.slides.slide_image`) of the figure
    ``make_figure`` builds, with ``slide``'s text, both built only when one is clicked."""
    row = st.container(horizontal=True)
    for image_format in ("png", "svg"):
        download(
            f"Download {image_format.upper()}",
            _deferred_image(make_figure, slide, image_format, subject),
            f"{name}.{image_format}",
            f"{key}-{image_format}",
            help=f"Download this chart as a {slides.SLIDE_WIDTH_PX}x{slides.SLIDE_HEIGHT_PX} "
            f"{image_format.upper()} slide with its title, the scenario, its total and the sources.",
            row=row,
        )


def page_slide(page: Page, source: Callable[[Page], str] | None = None) -> Slide:
    """The slide text of a chart of the page's scenario, its sources ``source(page)`` (default: the run's own,
    :func:`explorer.slides.run_source`). The app's address (for the link) is read now: the file is built later,
    outside the script's run."""
    base_url = st.context.url or ""

    def text() -> SlideText:
        interval = page.uncertainty.intervals["total_t_co2e"]
        words = source(page) if source else slides.run_source(page.footprint, page.scenario)
        return slides.page_text(page.footprint, page.scenario, interval, words, base_url)

    return text


#: The media type of each kind of file the page offers, by the file name's extension.
MEDIA_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "json": "application/json",
    "yaml": "text/yaml",
    "html": "text/html",
}


def download(
    label: str,
    data: Callable[[], bytes | str],
    file_name: str,
    key: str,
    help: str | None = None,
    row: DeltaGenerator | None = None,
) -> None:
    """A download button (in ``row``, else where the view draws) for a file built only when it is clicked,
    without a rerun; its media type follows from ``file_name``'s extension."""
    (st if row is None else row).download_button(
        label,
        data=data,
        file_name=file_name,
        mime=MEDIA_TYPES[file_name.rsplit(".", 1)[-1]],
        key=key,
        on_click="ignore",
        help=help,
    )


def _deferred_image(
    make_figure: Callable[[], go.Figure], slide: Slide, image_format: str, subject: str | None
) -> Callable[[], bytes]:
    def render() -> bytes:
        return slides.slide_image(make_figure(), slide(), image_format, subject)

    return render


def headline(page: Page) -> None:
    """Total, energy, fleet power and car lifetimes, then market-based, whole-project, uncertainty and water
    figures, each with its context line, and the run they are for (one HTML block: see explorer/headline.py)."""
    fp = page.footprint
    cards = headline_cards(fp, page.uncertainty.intervals["total_t_co2e"])
    st.html(headline_html(cards, run_summary(fp), large=page.present))


def hero(page: Page) -> None:
    """Presentation mode's hero figure: the total with its 90 % range and one equivalent."""
    fp, interval = page.footprint, page.uncertainty.intervals["total_t_co2e"]
    total = headline_cards(fp, interval)[0]
    st.html(presentation.hero_html(fp, interval, total))


def all_figures(page: Page) -> None:
    """Presentation mode's other headline figures, one step away (an expander), with the run they are for."""
    fp = page.footprint
    cards = presentation.secondary_cards(headline_cards(fp, page.uncertainty.intervals["total_t_co2e"]))
    with st.expander("All figures", key="all-figures"):
        st.html(headline_html(cards, run_summary(fp), large=True))


def breakdown(page: Page) -> None:
    """Where the total comes from: the parts of the total as a chart and a table with each part's energy,
    emissions, share and 90 % range."""
    fp, large, result = page.footprint, page.present, page.uncertainty
    parts = fp.emissions_breakdown_t_co2e()
    shares = shares_pct(parts, fp.total_t_co2e)
    # Plain HTML on screen (no Plotly on the first view: see figures.breakdown_bar_html); Plotly for the files.
    st.html(figures.breakdown_bar_html(parts, shares, fp.total_t_co2e, large=large))
    image_downloads(
        lambda: figures.breakdown_figure(parts, shares, large=large),
        "footprint-breakdown",
        "breakdown-chart",
        page_slide(page),
    )
    energies = [fmt.energy(fp.gpu_energy_kwh), fmt.energy(fp.server_energy_kwh), fmt.energy(fp.overhead_energy_kwh)]
    ranges = [result.intervals[f"{key}_t_co2e"] for key in parts]
    rows = [
        f"| {figures.PART_LABELS[key]} | {energy} | {fmt.t_co2e(value)} | {shares[key]:.1f} % | "
        f"{fmt.count(interval.p5)} to {fmt.t_co2e(interval.p95)} |"
        for key, value, energy, interval in zip(
            parts, parts.values(), [*energies, "none (manufacturing)"], ranges, strict=True
        )
    ]
    for note in outside_notes(fp.run, result, ("total_t_co2e", *(f"{key}_t_co2e" for key in parts))):
        st.caption(fmt.escape_markdown(note))
    total = result.intervals["total_t_co2e"]
    # A static Markdown table: four rows need no scrolling or sorting, and it is cheaper to redraw than a grid.
    st.markdown(
        "| part | energy | emissions | share | 90 % range (P5 to P95) |\n| --- | --- | ---: | ---: | --- |\n"
        + "\n".join(rows)
        + f"\n| **Total** | {fmt.energy(fp.facility_energy_kwh)} | **{fmt.t_co2e(fp.total_t_co2e)}** | 100 % | "
        f"{fmt.count(total.p5)} to {fmt.t_co2e(total.p95)} |"
    )


#: The results of the Uncertainty view's table, as it names them.
RESULT_NAMES = {
    "total_t_co2e": "total",
    "operational_t_co2e": "operational (electricity)",
    "embodied_t_co2e": "embodied (manufacturing)",
    "gpu_t_co2e": "GPU energy",
    "server_t_co2e": "rest of server",
    "overhead_t_co2e": "cooling / overhead",
    "facility_energy_kwh": "facility energy",
}


def uncertainty(page: Page) -> None:
    """The Monte Carlo intervals beside the point values, what is held and why, and which input moves the total
    most (tornado chart)."""
    result, run = page.uncertainty, page.footprint.run
    points = point_values(run)
    rows = [
        f"| {RESULT_NAMES[key]} | {_amount(key, points[key])} | {_amount(key, i.p5)} | {_amount(key, i.p50)} | "
        f"{_amount(key, i.p95)} |"
        for key, i in result.intervals.items()
    ]
    if page.present:  # the slide's picture first
        _tornado(page)
    st.markdown(
        "| result | point estimate | P5 | P50 | P95 |\n| --- | ---: | ---: | ---: | ---: |\n" + "\n".join(rows)
    )
    for note in uncertainty_notes(run, result):
        st.caption(fmt.escape_markdown(note))
    with st.expander("Where each range comes from"):
        st.markdown(
            "\n".join(f"- **{_input_label(r.name)}**: {fmt.escape_markdown(r.source)}" for r in result.ranges)
        )
    if not page.present:
        _tornado(page)


def _tornado(page: Page) -> None:
    bars = cache.sensitivity(page.footprint.run)
    total = page.footprint.total_t_co2e
    tornado = cache.figure(
        "tornado", page.footprint.run, lambda: figures.tornado_figure(bars, total, large=page.present), page.present
    )
    alt, slide = chart_text.tornado_text(bars, total), page_slide(page, _uncertainty_source)
    chart(tornado, "sensitivity-tornado", "tornado-chart", alt, slide, fill=page.present)


def _uncertainty_source(page: Page) -> str:
    return slides.run_source(page.footprint, page.scenario) + "; input ranges: data/parameters.csv"


def _input_label(name: str) -> str:
    return figures.INPUT_LABELS.get(name, name)


def _value(name: str, value: float, high: float | None = None) -> str:
    """An input's value (or range to ``high``) with its unit: whole above 100 ('1,882 h'), else three figures."""
    unit = figures.INPUT_UNITS.get(name, "")
    text = fmt.input_number(value) if high is None else f"{fmt.input_number(value)} to {fmt.input_number(high)}"
    return text + ("" if unit.startswith(",") else unit)  # a ratio (PUE) has no unit to write


def uncertainty_notes(run: ResolvedRun, result: UncertaintyResult) -> list[str]:
    """The Uncertainty view's words: the method and ranges, P50 against the point estimate, the inputs held and
    why, and why any point value lies outside its own 90 % range."""
    total, ranges = point_values(run)["total_t_co2e"], result.ranges
    notes = [
        f"Seeded Monte Carlo ({result.samples:,} samples, seed {result.seed}); each uncertain input is drawn from a "
        "triangular distribution over its cited range carried over to your value, with its mode at your value. "
        "Ranges: "
        + "; ".join(f"{_input_label(r.name)} {_value(r.name, r.low, r.high)}" for r in ranges)
        + ". The duration's range is an estimate (rounding of reported GPU-hours, restarts), not a measured spread.",
        median_words(total, result.intervals["total_t_co2e"].p50),
    ]
    held: dict[str, list[str]] = {}
    for h in held_inputs(run):
        held.setdefault(h.reason, []).append(f"{_input_label(h.name)} {_value(h.name, h.value)}")
    notes.append("Held at your value: " + "; ".join(f"{' and '.join(v)}: {why}" for why, v in held.items()) + ".")
    return [*notes, *outside_notes(run, result)]


def outside_notes(
    run: ResolvedRun, result: UncertaintyResult, keys: tuple[str, ...] = tuple(RESULT_NAMES)
) -> list[str]:
    """One sentence per result of ``keys`` whose point value lies outside its own 90 % range, saying why."""
    notes = []
    for out in (o for o in points_outside(run, result) if o.key in keys):
        below = out.point < out.interval.p5
        why = "; ".join(
            f"{_input_label(r.name)} {_value(r.name, r.mode)} lies in the "
            f"{'bottom' if r.mode - r.low < r.high - r.mode else 'top'} 5 % of its range "
            f"({_value(r.name, r.low, r.high)})"
            for r in out.pulled_by
        )
        notes.append(
            f"The {RESULT_NAMES[out.key]}'s point estimate, {_amount(out.key, out.point)}, lies "
            f"{'below its P5' if below else 'above its P95'} ({_amount(out.key, out.interval.p5)} to "
            f"{_amount(out.key, out.interval.p95)}) because {why or 'of how the ranges combine'}: almost every "
            f"sample of {'it' if len(out.pulled_by) == 1 else 'them'} is on one side of your value, which pushes "
            f"this result {'up' if below else 'down'}."
        )
    return notes


def _amount(key: str, value: float) -> str:
    return fmt.energy(value) if key.endswith("_kwh") else fmt.t_co2e(value)


def scenario_a_inputs(scenario: Scenario) -> Scenario | None:
    """The comparison's scenario A, carried in the link (``a``) as a nested query string, if any."""
    if not scenario.compare_a:
        return None
    return parse_link(parse_qs(scenario.compare_a, keep_blank_values=True), nested=True).scenario


def scenario_a(scenario: Scenario) -> Footprint | None:
    """The footprint of the comparison's scenario A, if any."""
    a = scenario_a_inputs(scenario)
    return None if a is None else cache.footprint(a.training_run())


def compare(page: Page) -> None:
    """Scenario A (kept) beside B (the inputs now): totals, breakdowns and the difference."""
    a, b, large = scenario_a(page.scenario), page.footprint, page.present
    parts = None if a is None else _parts(a, b)
    a_and_b = None if parts is None else figures.compare_figure(*parts, large=large)
    a_and_b_text = "" if parts is None else chart_text.compare_text(*parts)
    slide = _compare_slide(page, a) if a is not None else page_slide(page)
    if a_and_b is not None and large:  # presentation mode: the slide's picture first, filling the screen
        chart(a_and_b, "scenario-a-vs-b", "compare-chart", a_and_b_text, slide, fill=True)
    row = st.container(horizontal=True)
    row.button("Keep these inputs as scenario A", on_click=state.on_keep_as_a, key="keep-a")
    if a is None or a_and_b is None:
        st.info(
            "Keep the current inputs as scenario A, then change anything: A and B appear side by side here, "
            "and both travel in the share link."
        )
        return
    row.button("Clear scenario A", on_click=state.on_clear_a, key="clear-a")
    st.markdown(compare_names(page.scenario))
    if a.run.grid.basis != b.run.grid.basis:
        st.caption(
            f"A and B use grid figures on different bases: A {basis_words(a.run.grid)} "
            f"({a.grid_g_co2e_per_kwh:,.0f} g CO2e/kWh), B {basis_words(b.run.grid)} "
            f"({b.grid_g_co2e_per_kwh:,.0f} g CO2e/kWh)."
        )
    cols = st.columns(3)
    cols[0].metric("A: total", fmt.t_co2e(a.total_t_co2e))
    cols[1].metric("B: total", fmt.t_co2e(b.total_t_co2e))
    difference = comparison.difference_t_co2e(a, b)
    change = comparison.change_pct(a, b)
    cols[2].metric("B - A", fmt.t_co2e(difference["total"]), f"{change:+.1f} %", delta_color="inverse")
    if not large:
        chart(a_and_b, "scenario-a-vs-b", "compare-chart", a_and_b_text, slide)
    chart(
        figures.difference_figure(difference, large=large),
        "scenario-difference",
        "difference-chart",
        chart_text.difference_text(difference),
        slide,
    )


def _compare_slide(page: Page, a: Footprint) -> Slide:
    """The slide text of the comparison: both scenarios named, both totals and the change."""
    base_url, b = st.context.url or "", page.footprint

    def text() -> SlideText:
        scenario_a = scenario_a_inputs(page.scenario)
        assert scenario_a is not None
        change = comparison.change_pct(a, b)
        return SlideText(
            f"A: {scenario_title(scenario_a)} | B: {scenario_title(page.scenario)}",
            f"Total: A {fmt.t_co2e(a.total_t_co2e)}, B {fmt.t_co2e(b.total_t_co2e)} ({change:+.1f} %)",
            slides.run_source(b, page.scenario),
            slides.scenario_link(page.scenario, base_url),
        )

    return text


def _parts(a: Footprint, b: Footprint) -> tuple[dict[str, float], dict[str, float]]:
    return a.emissions_breakdown_t_co2e(), b.emissions_breakdown_t_co2e()


def compare_names(scenario: Scenario) -> str:
    """Scenario A and B named from their inputs (:func:`explorer.title.scenario_title`), as Markdown."""
    a = scenario_a_inputs(scenario)
    assert a is not None
    return f"**A**: {fmt.escape_markdown(scenario_title(a))}  \n**B**: {fmt.escape_markdown(scenario_title(scenario))}"


def countries(page: Page) -> None:
    """The run priced in every country: ranked bars, world map, a chosen-countries table, CSV download, then
    every cloud region and state/province."""
    fp, large = page.footprint, page.present
    frame = cache.countries(fp)
    world = world_reference(fp.facility_energy_kwh, fp.embodied_t_co2e)
    selected_iso3 = fp.run.country_iso3 if fp.run.grid.iso3 else None
    world_map = cache.figure(
        "countries-map",
        fp.run,
        lambda: figures.world_map_figure(frame, selected_iso3, large=large),
        selected_iso3,
        large,
    )
    map_text = chart_text.countries_text(frame, selected_iso3)
    slide = page_slide(page, lambda _: slides.COUNTRIES_SOURCE)
    if large:  # presentation mode: the slide's picture first, the map filling the screen
        chart(world_map, "countries-map", "countries-map", map_text, slide, fill=True)
    st.markdown(countries_text(frame, world, selected_iso3))
    st.caption(grid_basis_note(fp))
    world_t_co2e = float(world["total_t_co2e"])
    # Built once per scenario (explorer/cache.py): Plotly's validators made them most of the view's rerun.
    bar = cache.figure(
        "countries-bar",
        fp.run,
        lambda: figures.countries_bar_figure(frame, selected_iso3, world_t_co2e, large=large),
        selected_iso3,
        world_t_co2e,
        large,
    )
    bar_text = chart_text.countries_text(frame, selected_iso3, world_t_co2e)
    chart(bar, "countries-ranked", "countries-bar", bar_text, slide)
    if not large:
        chart(world_map, "countries-map", "countries-map", map_text, slide)
    names = latest_grid()["country"].to_dict()
    default = [c for c in [*SEED_004_COUNTRIES, selected_iso3] if c]
    chosen = st.multiselect(
        "Countries to compare",
        list(frame["iso3"]),
        default=list(dict.fromkeys(default)),
        format_func=lambda c: f"{names.get(c, c)} ({c})",
        key="compare_countries",
    )
    columns = ["country", "iso3", "year", "grid_g_co2e_per_kwh", "total_t_co2e", "low_precision"]
    table = frame[frame["iso3"].isin(chosen)][columns]
    table = table.assign(total_t_co2e=table["total_t_co2e"].round(0))
    st.dataframe(
        table.rename(
            columns={
                "grid_g_co2e_per_kwh": "grid [g CO2e/kWh]",
                "total_t_co2e": "total [t CO2e]",
                "low_precision": "low precision",
            }
        ),
        hide_index=True,
        column_config={
            "grid [g CO2e/kWh]": st.column_config.NumberColumn(format="%.0f"),
            "total [t CO2e]": st.column_config.NumberColumn(format="localized"),
        },
    )
    download(
        "Download every country (CSV)",
        lambda: export.countries_csv(frame),
        "training-emissions-by-country.csv",
        "countries-csv",
    )
    st.caption(f"Grid intensity: {frame['source'].iloc[0]}. Latest year available per country.")
    regions_view(fp, large, page_slide(page, lambda _: slides.REGIONS_SOURCE))


def regions_view(fp: Footprint, large: bool, slide: Slide) -> None:
    """The run in every cloud region and US state, Canadian province and Australian state, ranked."""
    st.subheader("Cloud regions, states and provinces")
    frame = price_in_regions(fp.facility_energy_kwh, fp.embodied_t_co2e)
    chosen = fp.run.grid.region_id
    if chosen:
        rank = int(frame.index[frame["id"] == chosen][0]) + 1
        st.markdown(f"Your region, {chosen}, ranks {rank} of {len(frame)}.")
    bars = cache.figure(
        "regions-bar", fp.run, lambda: figures.regions_bar_figure(frame, chosen, large=large), chosen, large
    )
    chart(bars, "regions-ranked", "regions-bar", chart_text.regions_text(frame, chosen), slide)
    st.caption(
        f"{len(frame)} regions (data/regions.csv): cloud providers' location-based figures (Google 2023; AWS and "
        "Azure as compiled by ML CO2 Impact, 2019), US states (Green Algorithms, 2020), Canadian provinces and "
        "Australian states. Bases differ by source (each row's basis: python -m carbon_core regions); a region's own "
        "PUE is not applied. Choose a region in the sidebar, under the country."
    )


def equivalents(page: Page) -> None:
    """The core's equivalents as large numbers, each with its source."""
    fp = page.footprint
    factors = equivalence_factors()
    cols = st.columns(3)
    for i, (key, factor) in enumerate(factors.items()):
        with cols[i % 3], st.container(border=True):
            # The label is written out in full (a metric label is cut to one line); icons need no emoji font.
            st.markdown(f"{EQUIVALENT_ICONS.get(key, '')} **{factor.label}**")
            st.metric(factor.label, fmt.count(fp.equivalents[key]), label_visibility="collapsed")
            st.caption(equivalent_basis(key, factor, fp.water_off_site_basis))
    st.caption(us_homes_three_ways(fp))
    st.caption("How each factor was read (versions, quotes, alternatives): Methodology, 'Equivalence factors'.")


def equivalence_notes() -> None:
    """The equivalence factors with how each was read (notes), for the Methodology view."""
    st.subheader("Equivalence factors")
    factors = equivalence_factors()
    st.dataframe(
        pd.DataFrame(
            {
                "equivalent": [f.label for f in factors.values()],
                "kg CO2e": [f.kg_co2e_per_unit for f in factors.values()],
                "kWh": [f.kwh_per_unit for f in factors.values()],
                "L": [f.litres_per_unit for f in factors.values()],
                "unit": [f.unit for f in factors.values()],
                "source": [f.source for f in factors.values()],
                "year": [f.year for f in factors.values()],
                "reading notes": [f.notes or "" for f in factors.values()],
            }
        ),
        hide_index=True,
    )


def published_ranking(page: Page) -> None:
    """The page's total ranked among every published training footprint (presets and other reported totals)."""
    ranking = rank_among_published(page.footprint.total_t_co2e)
    st.markdown(fmt.escape_markdown(ranking_sentence(ranking)))
    ranked = cache.figure(
        "published-ranking",
        page.footprint.run,
        lambda: figures.published_ranking_figure(ranking.frame, large=page.present),
        page.present,
    )
    chart(
        ranked,
        "published-ranking",
        "ranking-chart",
        chart_text.published_ranking_text(ranking.frame),
        page_slide(page, lambda _: slides.PUBLISHED_SOURCE),
    )
    st.caption(
        "Each run at the total its source printed. Bases differ (location-based, before or after PUE, "
        "life-cycle, whole development vs one final run: hover a bar for its basis); totals of 0 t (market-based "
        "claims, a grid assumed at 0 g/kWh) cannot be placed on a log scale and are left out. Grey bars are "
        "published totals the dashboard does not recompute (data/published_runs.csv); the others are the presets "
        "below."
    )


def published_runs(page: Page) -> None:
    """Every preset: reported vs computed, with its source link and the assumptions it needed."""
    published_ranking(page)
    results = reproduce_all()
    presets = cache.figure("presets", None, lambda: figures.presets_figure(results, large=page.present), page.present)
    chart(
        presets,
        "published-runs",
        "presets-chart",
        chart_text.presets_text(results),
        page_slide(page, lambda _: slides.PUBLISHED_SOURCE),
    )
    table = pd.DataFrame(
        {
            "run": [r.name for r in results],
            "reported [t CO2e]": [r.reported_t_co2e for r in results],
            "computed [t CO2e]": [round(r.computed_t_co2e, 2) for r in results],
            "difference [%]": [r.difference_pct for r in results],
            "reproduced": ["yes" if r.reproduced else "NO (see warning)" for r in results],
            "provenance": [PROVENANCE_LABELS[r.provenance] for r in results],
            "derived inputs": [", ".join(r.derived_inputs) for r in results],
            "source": [r.source_url or "" for r in results],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "reported [t CO2e]": st.column_config.NumberColumn(format="localized"),
            "computed [t CO2e]": st.column_config.NumberColumn(format="localized"),
            "difference [%]": st.column_config.NumberColumn(format="%.2f"),
            "source": st.column_config.LinkColumn(),
        },
        height=36 * (len(table) + 1) + 4,  # every published run visible without scrolling
    )
    st.caption(
        "Provenance: 'stated' means every input that sets the total is printed by the source; 'derived' means "
        "one or more inputs are solved from the source's own total or assumed (listed); 'article' is a "
        "third-party estimate, reproduced as its author computed it, with its known problems stated."
    )
    for r in results:
        with st.expander(f"{r.name}: assumptions and source"):
            if r.warning:
                st.warning(r.warning)
            st.markdown(
                f"**Provenance:** {PROVENANCE_LABELS[r.provenance]}"
                + (f" ({', '.join(r.derived_inputs)})" if r.derived_inputs else "")
            )
            st.markdown(f"**Source:** {r.source}")
            st.markdown(f"**Assumptions:** {r.assumptions}")
            if r.note:
                st.info(r.note)


@st.cache_data
def methodology_text() -> str:
    """The README's Methodology section (one text for the README and the app)."""
    match = re.search(r"^## Methodology\n(.*?)(?=^## )", README.read_text(encoding="utf-8"), flags=re.S | re.M)
    return match.group(1) if match else "See README.md."


def methodology(page: Page) -> None:
    """The equations, the data files and what is not counted (the README's Methodology section)."""
    st.markdown(methodology_text())
    st.subheader("Accelerator catalogue")
    st.caption(
        "Read each row's notes: several TDPs are not official (the TPU TDPs from v4 on, TPU v5e's and Trainium2's "
        "are third-party or Epoch estimates; B200's 1,000 W is a maximum TGP), and peaks are dense, without sparsity "
        "(the FP8 peak, where known, with its source: several are derived from Epoch's INT8 figures)."
    )
    st.dataframe(pd.DataFrame([a.model_dump() for a in accelerators().values()]), hide_index=True)
    equivalence_notes()


def measured_run(page: Page) -> None:
    """A CodeCarbon ``emissions.csv`` in: its measured energy, broken down, and repriced in every country."""
    upload = st.file_uploader(
        "CodeCarbon emissions.csv",
        type=["csv"],
        key="codecarbon-upload",
        help=f"The file CodeCarbon writes (current 38-column format and older ones), up to "
        f"{codecarbon.MAX_UPLOAD_BYTES // 1024 // 1024} MB.",
    )
    if upload is None:
        st.info(
            "Upload the emissions.csv that CodeCarbon wrote for a real run: its measured energy is broken "
            "down and priced on every country's grid. The file stays in this session; nothing is stored."
        )
        return
    try:
        measured = codecarbon.parse_emissions_csv(upload.getvalue())
    except codecarbon.CodeCarbonError as exc:
        st.error(f"This file cannot be read as a CodeCarbon emissions.csv: {fmt.escape_markdown(str(exc))}")
        return
    cols = st.columns(3)
    cols[0].metric("Measured energy", fmt.energy(measured.energy_kwh))
    cols[1].metric("CodeCarbon's emissions", fmt.t_co2e(measured.emissions_t_co2e))
    cols[2].metric("Runs in the file", f"{measured.run_count:,}")
    where = ", ".join(measured.country_names or measured.country_iso_codes) or "unknown location"
    st.caption(
        f"Format: {fmt.escape_markdown(measured.schema_label)}; {measured.row_count:,} rows; measured in "
        f"{fmt.escape_markdown(where)}. Energy is CodeCarbon's energy_consumed (its own PUE setting included), "
        "one row per run (CodeCarbon writes running totals)."
    )
    parts = codecarbon.measured_breakdown_kwh(measured)
    st.dataframe(
        pd.DataFrame({"part": list(parts), "energy": [fmt.energy(v) for v in parts.values()]}), hide_index=True
    )
    frame = codecarbon.reprice_in_countries(measured)
    slide = SlideText(
        f"Measured run: CodeCarbon emissions.csv ({measured.schema_label}), measured in {where}",
        f"Measured: {fmt.energy(measured.energy_kwh)}; CodeCarbon's emissions {fmt.t_co2e(measured.emissions_t_co2e)}",
        f"measured energy: CodeCarbon's energy_consumed; {slides.COUNTRIES_SOURCE}",
    )
    chart(
        figures.countries_bar_figure(frame, None, large=page.present),
        "measured-run-countries",
        "measured-bar",
        chart_text.countries_text(frame, None),
        lambda: slide,
        subject="The measured run in every country",
    )
    download(
        "Download the measured run priced in every country (CSV)",
        lambda: export.countries_csv(frame),
        "measured-run-by-country.csv",
        "measured-csv",
    )


def downloads(page: Page) -> None:
    """The scenario and its results as JSON, CSV, a Hugging Face model-card block and the talk pack (HTML)."""
    fp, result = page.footprint, page.uncertainty
    row = st.container(horizontal=True)
    # Deferred: each file is built when clicked, so no stale file if a rerun interrupts.
    download(
        "Scenario + results (JSON)",
        lambda: export.scenario_json(fp, result),
        "training-emissions-scenario.json",
        "export-json",
        row=row,
    )
    download(
        "Scenario + results (CSV)",
        lambda: export.scenario_csv(fp, result),
        "training-emissions-scenario.csv",
        "export-csv",
        row=row,
    )
    download(
        "Model card block (YAML)",
        lambda: export.model_card_block(fp),
        "co2_eq_emissions.yaml",
        "export-model-card",
        help="The co2_eq_emissions block of a Hugging Face model card (grams of CO2eq, operational emissions).",
        row=row,
    )
    base_url = st.context.url or ""
    download(
        "Download talk pack (HTML)",
        lambda: report.talk_pack_html(fp, page.scenario, result, base_url or report.DEFAULT_BASE_URL),
        "training-emissions-talk-pack.html",
        "export-talk-pack",
        help="One HTML file of this scenario (headline, breakdown, countries and map, equivalents, published runs, "
        "sources, link) with interactive charts: it opens in any browser with no server and no internet.",
        row=row,
    )


#: The views the page switches between, in order: each label (as the switcher shows it) and what draws it.
VIEWS: dict[str, Callable[[Page], None]] = dict(
    zip(
        VIEW_LABELS.values(),
        (breakdown, uncertainty, countries, equivalents, compare, measured_run, published_runs, methodology),
        strict=True,
    )
)
