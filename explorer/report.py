"""The talk pack: one self-contained HTML file of a scenario that opens from ``file://`` with no network and no server.

``python -m explorer.report [run flags of python -m carbon_core] --out FILE.html [--base-url URL]`` writes it for a
script; the dashboard's "Download talk pack (HTML)" button builds the same file for the page's scenario.

What it holds: the scenario's title, the headline figures (the dashboard's own cards), the breakdown, every country
ranked and on a world map, the equivalents, the run ranked among published training runs, the sources and the
share link (with its QR code). The charts are Plotly figures, interactive: plotly.js is inlined once, and so is the
world map's topology (plotly.js takes ``window.PlotlyGeoAssets.topojson[name]`` before it would fetch one), so the
file asks no server for anything (tests/browser/test_talk_pack.py opens it with every other request aborted).
Every number comes from carbon_core; every text that is not this module's own is HTML-escaped.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from html import escape
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from carbon_core import Footprint, estimate
from carbon_core.cli import UsageError, UsageParser, add_run_flags, run_from_args
from carbon_core.countries import price_in_countries, world_reference
from carbon_core.emissions import shares_pct
from carbon_core.equivalents import equivalence_factors
from carbon_core.inputs import by_link
from carbon_core.published import rank_among_published
from carbon_core.tables import DataFileError
from carbon_core.uncertainty import UncertaintyResult, monte_carlo
from explorer import figures, slides, texts
from explorer import formatting as fmt
from explorer.headline import headline_cards, headline_html, run_summary
from explorer.link import COMPUTE_KEYS, DURATION_KEYS, Scenario, parse_link
from explorer.qr import qr_svg
from explorer.title import scenario_title

DEFAULT_BASE_URL = "http://localhost:8501/"
#: The name plotly.js gives the bundled world topology (scope 'world', resolution 110 m).
TOPOJSON_NAME = "world_110m"
#: Plotly config of the file's charts: no logo; the topology URL is never used (the topology is inlined).
CHART_CONFIG = {"displaylogo": False, "responsive": True, "topojsonURL": "./"}
#: The file's own look: plain system fonts (no web font to fetch), readable on a projector.
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1a1a1a;
       background: #ffffff; max-width: 1280px; margin: 0 auto; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.5rem; margin: 0 0 0.2rem 0; color: #555; font-weight: 500; }
h2 { font-size: 1.9rem; margin: 0 0 1rem 0; }
h3 { font-size: 1.35rem; margin: 2.2rem 0 0.6rem 0; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 0.3rem 0.7rem; text-align: left; vertical-align: top; }
td.number { text-align: right; white-space: nowrap; }
.note { font-size: 0.9rem; color: #444; }
.link { word-break: break-all; }
.qr { width: 220px; }
"""


def _script_json(value: object) -> str:
    """``value`` as JSON that cannot end the ``<script>`` element it is written into."""
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/")


def _bold_markdown(text: str) -> str:
    """Escaped ``text`` with its Markdown **bold** as ``<b>`` (the dashboard's sentences are Markdown)."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escape(text))


def _chart(fig: go.Figure, name: str) -> str:
    """``fig`` as an interactive Plotly ``div`` (plotly.js is in the file's head)."""
    fig = go.Figure(fig).update_layout(template="plotly_white")
    body = pio.to_html(
        fig, full_html=False, include_plotlyjs=False, config=CHART_CONFIG, div_id=f"chart-{name}", validate=False
    )
    return f'<figure class="chart" data-chart="{name}">{body}</figure>'


def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{key}"><h3>{escape(title)}</h3>{body}</section>'


def _breakdown(fp: Footprint, result: UncertaintyResult) -> str:
    parts = fp.emissions_breakdown_t_co2e()
    shares = shares_pct(parts, fp.total_t_co2e)
    rows = "".join(
        f"<tr><td>{escape(figures.PART_LABELS[key])}</td><td class='number'>{escape(fmt.t_co2e(value))}</td>"
        f"<td class='number'>{shares[key]:.1f} %</td><td class='number'>"
        f"{escape(fmt.count_range(result.intervals[f'{key}_t_co2e'].p5, result.intervals[f'{key}_t_co2e'].p95))}"
        "</td></tr>"
        for key, value in parts.items()
    )
    table = (
        "<table><tr><th>part</th><th>emissions</th><th>share</th><th>90 % range [t CO2e]</th></tr>"
        f"{rows}<tr><th>Total</th><th class='number'>{escape(fmt.t_co2e(fp.total_t_co2e))}</th>"
        "<th class='number'>100 %</th><th></th></tr></table>"
    )
    return _chart(figures.breakdown_figure(parts, shares), "breakdown") + table


def _countries(fp: Footprint) -> str:
    frame = price_in_countries(fp)
    world = world_reference(fp.facility_energy_kwh, fp.embodied_t_co2e)
    selected = fp.run.country_iso3 if fp.run.grid.iso3 else None
    return (
        f"<p>{_bold_markdown(texts.countries_text(frame, world, selected))}</p>"
        f"<p class='note'>{escape(texts.grid_basis_note(fp))}</p>"
        + _chart(figures.countries_bar_figure(frame, selected, float(world["total_t_co2e"])), "countries")
        + _chart(figures.world_map_figure(frame, selected), "map")
        + f"<p class='note'>Grid intensity: {escape(str(frame['source'].iloc[0]))}. Latest year per country.</p>"
    )


def _equivalents(fp: Footprint) -> str:
    rows = "".join(
        f"<tr><td>{escape(factor.label)}</td><td class='number'>{escape(fmt.count(fp.equivalents[key]))}</td>"
        f"<td class='note'>{escape(texts.equivalent_basis(key, factor, fp.water_off_site_basis))}</td></tr>"
        for key, factor in equivalence_factors().items()
    )
    return (
        f"<table><tr><th>equivalent</th><th>count</th><th>one unit, and its source</th></tr>{rows}</table>"
        f"<p class='note'>{escape(texts.us_homes_three_ways(fp))}</p>"
    )


def _published(fp: Footprint) -> str:
    ranking = rank_among_published(fp.total_t_co2e)
    return f"<p>{escape(texts.ranking_sentence(ranking))}</p>" + _chart(
        figures.published_ranking_figure(ranking.frame), "published"
    )


def _sources(fp: Footprint, scenario: Scenario) -> str:
    items = [
        f"This run: {slides.run_source(fp, scenario)}.",
        f"Every country: {slides.COUNTRIES_SOURCE}.",
        f"Published runs: {slides.PUBLISHED_SOURCE}.",
        "Equivalents: each factor's source is in its row above.",
        "How every data file was built, with its licence: data/SOURCES.md of the Training Emissions Explorer.",
    ]
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def _link(url: str) -> str:
    return (
        f'<p>Open this scenario in the dashboard: <a class="link" href="{escape(url)}">{escape(url)}</a></p>'
        f'<div class="qr">{qr_svg(url)}</div>'
    )


def talk_pack_html(
    fp: Footprint, scenario: Scenario, result: UncertaintyResult, base_url: str = DEFAULT_BASE_URL
) -> str:
    """The talk pack of ``fp`` (the run of ``scenario``; ``result`` its Monte Carlo) as one HTML document."""
    title = scenario_title(scenario)
    topology = json.loads((figures.TOPOJSON_DIR / f"{TOPOJSON_NAME}.json").read_text(encoding="utf-8"))
    headline = headline_html(headline_cards(fp, result.intervals["total_t_co2e"]), run_summary(fp))
    sections = [
        _section("headline", "Headline", headline),
        _section("breakdown", "Where the emissions come from", _breakdown(fp, result)),
        _section("countries", "The same run in every country", _countries(fp)),
        _section("equivalents", "Equivalents", _equivalents(fp)),
        _section("published", "Among the published training runs", _published(fp)),
        _section("sources", "Sources", _sources(fp, scenario)),
        _section("link", "Link", _link(slides.scenario_link(scenario, base_url))),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} | {slides.PROJECT}</title><style>{STYLE}</style>"
        f"<script>{get_plotlyjs()}</script>"
        "<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};"
        f"window.PlotlyGeoAssets.topojson[{_script_json(TOPOJSON_NAME)}] = {_script_json(topology)};</script>"
        f"</head><body><header><h1>{slides.PROJECT}: talk pack</h1><h2>{escape(title)}</h2></header>"
        + "".join(sections)
        + "</body></html>\n"
    )


def scenario_from_args(args: argparse.Namespace, fp: Footprint) -> Scenario:
    """The dashboard's scenario of the run the flags in ``args`` gave (``fp``), for its title and link.

    Every input is written out at the run's resolved value: the link format's frozen defaults are not the CLI's
    current ones. The duration goes in the unit it was given (``--flops`` has no link key: its hours are written);
    the model size and tokens only when they set the duration; a grid figure only when it is not a country's or a
    region's own. The link's own rules then read it, so the scenario is the one the page would show."""
    run = fp.run
    compute = args.params is not None
    params = {"preset": args.preset} if args.preset else {}
    for key, row in by_link().items():
        value = getattr(run, row.field, None)
        if value is not None and key not in DURATION_KEYS and (compute or key not in COMPUTE_KEYS):
            params[key] = str(value)
    if not compute:
        params |= {"days": args.days} if args.days is not None else {"hours": str(run.training_hours)}
    if run.grid.iso3 or run.grid.region_id:
        params.pop("grid", None)
    parsed = parse_link(params)
    if parsed.warnings:  # the CLI accepted these flags, so the link must too: say so rather than differ silently
        raise UsageError("the share link cannot carry these flags: " + " ".join(parsed.warnings))
    return parsed.scenario


def build_parser() -> argparse.ArgumentParser:
    """``python -m explorer.report``: the run flags of ``python -m carbon_core estimate``, ``--out``, ``--base-url``."""
    parser = UsageParser(prog="python -m explorer.report", description="Write a scenario's talk pack (one HTML file).")
    add_run_flags(parser)
    parser.add_argument("--out", metavar="FILE.html", required=True, help="where to write the talk pack")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        default=DEFAULT_BASE_URL,
        help=f"the dashboard's address, for the share link (default {DEFAULT_BASE_URL})",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 written, 1 broken data file or unwritable file, 2 bad input)."""
    args = build_parser().parse_args(argv)
    try:
        fp = estimate(run_from_args(args))
        scenario = scenario_from_args(args, fp)
        if not re.match(r"^https?://", args.base_url):
            raise UsageError(f"--base-url must start with http:// or https:// (got {args.base_url!r})")
        html = talk_pack_html(fp, scenario, monte_carlo(fp.run), args.base_url)
        out = Path(args.out)
        out.write_text(html, encoding="utf-8")
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (DataFileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    size_mb = out.stat().st_size / 1e6
    print(f"wrote {out} ({size_mb:.1f} MB): {scenario_title(scenario)}, {fmt.t_co2e(fp.total_t_co2e)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
