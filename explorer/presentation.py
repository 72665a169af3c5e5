"""Presentation mode's focus layout: a slide carries one number and one picture (issue 16).

The scenario's title, one hero figure (the total with its 90 % range and one equivalent in words) and the
chosen view's main chart fill the first screen of a projector (1920x1080 or 1280x720); the other headline
figures sit one step away ("All figures"), and text, tables, buttons and the view switcher are scaled up for
the back of a room. Plain HTML and static CSS only (no formula: every number comes from carbon_core).
"""

from __future__ import annotations

from html import escape

from carbon_core import Footprint
from carbon_core.equivalents import equivalence_factors
from carbon_core.uncertainty import Interval
from explorer import formatting as fmt
from explorer.headline import VALUE_CLASS, Card

#: The headline cards the hero carries (its value, its range and its equivalent); the others go one step away.
HERO_LABELS = ("Total emissions", "90 % range [t CO2e]", "Car lifetimes")
#: Key (CSS class ``st-key-main-chart``) of the container of a view's main chart, sized to the first screen.
MAIN_CHART_KEY = "main-chart"

#: The equivalent the hero names, the first that counts at least one: (key of carbon_core's equivalents,
#: plural noun, what one of them is). A small run is "4 miles driven", not "0.0003 car lifetimes".
HERO_EQUIVALENTS = (
    ("car_lifetime", "car lifetimes", "a US car over its whole life, fuel included"),
    ("transatlantic_flight", "transatlantic flights", "one economy passenger, New York to London"),
    ("miles_driven", "miles driven", "by an average gasoline passenger car"),
)

# What the focus layout draws above the main chart, at most [px]: the page's top padding, the scenario's title
# (one line: ``title_font``), the view switcher, the hero figure and the gaps between them; measured in
# Chromium at 1920x1080 and 1280x720 (tests/browser/test_focus_layout.py). The chart takes the rest of the
# viewport, never less than a readable minimum.
_ABOVE_CHART_PX = 300
_MIN_CHART_PX = 320
#: The chart's height in presentation mode, as CSS.
CHART_HEIGHT = f"max({_MIN_CHART_PX}px, calc(100vh - {_ABOVE_CHART_PX}px))"

#: Presentation mode's CSS: larger text, tables, buttons and view switcher; the main chart sized to the rest of
#: the first screen; Streamlit's header (the sidebar's and the menu's buttons) transparent over the page's top
#: corners. Static CSS, no user text.
CSS = f"""
@media (min-width: 641px) {{
  [data-testid="stHeader"] {{ background: transparent; }}
  .stMainBlockContainer {{ padding-top: 1.25rem !important; }}
}}
.stMainBlockContainer {{ max-width: 100% !important; }}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] :is(p, li, td, th) {{ font-size: 1.4rem; }}
[data-testid="stMain"] [data-testid="stCaptionContainer"] p {{ font-size: 1.15rem !important; }}
[data-testid="stMain"] :is(h2, h3) {{ font-size: 2rem; }}
[data-testid="stMetricValue"] {{ font-size: 3.4rem !important; font-weight: 700; }}
[data-testid="stMetricValue"] p {{ font-size: inherit !important; }}
[data-testid="stMetricLabel"] p {{ font-size: 1.4rem !important; }}
.st-key-view [data-testid="stButtonGroup"] > div {{ flex-wrap: wrap; }}
.st-key-view button {{ min-height: 2.9rem; padding: 0.3rem 0.9rem; }}
.st-key-view button, .st-key-view button :is(p, div) {{ font-size: clamp(1.05rem, 1.1vw, 1.35rem) !important; }}
@media (max-width: 640px) {{
  .st-key-view button {{ min-height: 2.4rem; padding: 0.2rem 0.6rem; }}
  .st-key-view button, .st-key-view button :is(p, div) {{ font-size: 1rem !important; }}
}}
[data-testid="stMain"] :is(.stButton, .stDownloadButton) button p {{ font-size: 1.15rem; }}
[data-testid="stMain"] [data-testid="stExpander"] summary p {{ font-size: 1.35rem; }}
[data-testid="stMain"] [data-testid="stWidgetLabel"] p {{ font-size: 1.2rem; }}
.st-key-{MAIN_CHART_KEY} {{ flex: 0 0 auto !important; height: {CHART_HEIGHT} !important; }}
.breakdown-segments {{ height: clamp(4.2em, calc(100vh - {_ABOVE_CHART_PX + 170}px), 13em) !important; }}
.breakdown-segments > div {{ container-type: inline-size; }}
.breakdown-segments span {{ font-size: 1.3em; }}
@container (max-width: 170px) {{ .breakdown-segments span {{ display: none; }} }}
"""

# The title's size: as large as one line of the page holds it (about 0.58 em per character of this bold font,
# the page's side paddings taken off), between these bounds [rem].
_TITLE_REM = (1.25, 2.6)
_EM_PER_CHAR = 0.58
_SIDE_PADDINGS_REM = 11


def title_html(title: str) -> str:
    """The scenario's ``title`` (escaped) as the slide's heading: one line on a projector whatever its length,
    its size within bounds."""
    low, high = _TITLE_REM
    chars = max(len(title), 1) * _EM_PER_CHAR
    size = f"min({high}rem, max({low}rem, calc((100vw - {_SIDE_PADDINGS_REM}rem) / {chars:.2f})))"
    return (
        f'<h2 class="scenario-title" style="font-size:{size};line-height:1.2;margin:0;padding:0;font-weight:700">'
        f"{escape(title)}</h2>"
    )


def hero_equivalent(fp: Footprint) -> tuple[str, str]:
    """The hero's equivalent in words ('about 15 car lifetimes') and what one is, with its source."""
    key, noun, one = next((e for e in HERO_EQUIVALENTS if fp.equivalents[e[0]] >= 1), HERO_EQUIVALENTS[-1])
    count, factor = fp.equivalents[key], equivalence_factors()[key]
    source = factor.source if str(factor.year) in factor.source else f"{factor.source} ({factor.year})"
    each = fmt.t_co2e((factor.kg_co2e_per_unit or 0.0) / 1000)
    return f"about {fmt.count(count)} {noun}", f"{one}: {each} each. {source}"


def hero_html(fp: Footprint, interval: Interval, total: Card) -> str:
    """The hero figure: the ``total`` card's value (as the headline's ``VALUE_CLASS``, in a group labelled like
    the card) and beside it the P5-P95 ``interval`` [t CO2e] and one equivalent with its source.

    Inline styles and inherited colours (both themes).
    """
    words, source = hero_equivalent(fp)
    rng = f"90 % range {fmt.t_co2e(interval.p5)} to {fmt.t_co2e(interval.p95)}"
    return (
        '<div class="headline-hero headline-card" role="group" aria-label="Total emissions" '
        'style="display:flex;flex-wrap:wrap;align-items:center;column-gap:2rem;row-gap:0.25rem">'
        f'<div class="{VALUE_CLASS}" style="font-size:clamp(2.4rem, 11vw, 4.6rem);font-weight:800;line-height:1.05;'
        'white-space:nowrap">'
        f"{escape(total.value)}</div>"
        '<div style="flex:1 1 22rem;display:flex;flex-direction:column;gap:0.1rem">'
        f'<div class="hero-range" style="font-size:1.6rem;line-height:1.25">{escape(rng)}</div>'
        f'<div class="hero-equivalent" style="font-size:1.6rem;line-height:1.25">{escape(words)}</div>'
        f'<div class="hero-source" style="font-size:0.95rem;line-height:1.3;opacity:0.75">{escape(source)}</div>'
        "</div></div>"
    )


def secondary_cards(cards: list[Card]) -> list[Card]:
    """The headline cards the hero does not carry: what "All figures" shows."""
    return [card for card in cards if card.label not in HERO_LABELS]
