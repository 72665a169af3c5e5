"""Slide-ready chart images: any chart figure laid out for a 1920x1080 slide with a title, the scenario, its
total and a source line, and margins wide enough that no tick label, axis title or legend is cut.

Every PNG/SVG download of the dashboard goes through :func:`slide_image`. The slide is laid out at 1280x720 and
rendered at scale 1.5: the chart's 16 px text is 24 px on the 1920x1080 slide, readable from the back of a room,
and the SVG says ``width="1920" height="1080"`` over a 1280x720 ``viewBox``.

Plotly places annotations relative to the plot area, which ``automargin`` may move when a label needs room. So the
margins are set here from the figure's own labels (category names, legend entries, a colour bar), large enough
that Plotly has nothing to push, and the header and the source line are placed from those margins
(tests/test_slides.py checks that the plot area lands exactly there and that nothing touches the slide's edges).
Only text: every number comes in formatted by the caller.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from carbon_core import Footprint
from carbon_core.presets import presets
from carbon_core.uncertainty import Interval
from explorer import figures
from explorer import formatting as fmt
from explorer.link import Scenario, link_params, scenario_from_preset
from explorer.qr import shared_link
from explorer.title import scenario_title

PROJECT = "Training Emissions Explorer"
#: The slide as laid out [px] and the scale it is rendered at: 1280 x 720 x 1.5 = 1920 x 1080 pixels.
LAYOUT_WIDTH_PX, LAYOUT_HEIGHT_PX, SCALE = 1280, 720, 1.5
SLIDE_WIDTH_PX, SLIDE_HEIGHT_PX = round(LAYOUT_WIDTH_PX * SCALE), round(LAYOUT_HEIGHT_PX * SCALE)
#: Empty band kept along every edge of the slide [layout px].
EDGE_PX = 24
TITLE_SIZE, LINE_SIZE, SOURCE_SIZE = 26, 16, 12
#: Width of an average character over the font size (Plotly's default font, Arial/Liberation Sans, is ~0.5;
#: the margin is wider than the text on purpose).
CHAR_WIDTH = 0.6
#: Room for a horizontal axis: tick labels, the axis title and the gaps between them [layout px].
X_AXIS_PX = 80
#: Room for a numeric vertical axis (tick labels and title) and for a colour bar [layout px].
Y_AXIS_PX, COLORBAR_PX = 110, 120
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class SlideText:
    """What a slide says beside its chart: the scenario in words, the total with its unit, and the sources."""

    scenario: str
    total: str
    source: str
    #: The scenario's share link, when there is one (the app's address and the link's parameters).
    link: str = ""


#: Where the figures of the charts that are not about the run's own inputs come from.
COUNTRIES_SOURCE = "grid intensity of every country, latest year: Our World in Data based on Ember and Energy Institute"
REGIONS_SOURCE = (
    "cloud regions: Google 2023, AWS and Azure via ML CO2 Impact 2019; US states: Green Algorithms 2020; Canadian "
    "provinces and Australian states (data/regions.csv)"
)
PUBLISHED_SOURCE = "published totals: model cards and papers of each run (data/presets.csv, data/published_runs.csv)"


def run_source(fp: Footprint, scenario: Scenario | None = None) -> str:
    """Where a run's own figures come from: the method, its grid figure and its accelerator's data. A grid figure
    that ``scenario``'s published run set (not typed by the user) is said to be the published run's."""
    grid, entry = fp.run.grid, fp.run.accelerator_entry
    grid_source = grid.source
    preset = scenario.preset if scenario is not None and scenario.preset in presets() else None
    if preset and not grid.iso3 and scenario is not None and scenario.grid == scenario_from_preset(preset).grid:
        grid_source = f"the published run's, {presets()[preset].name} (data/presets.csv)"
    words = (
        "energy = GPU-hours x power x utilisation (+ host power) x PUE, x grid intensity, + embodied carbon "
        f"(README, Methodology); grid {fp.run.grid_g_co2e_per_kwh:,.0f} g CO2e/kWh: {grid_source}"
    )
    return words + (f"; accelerator: {entry.source}" if entry is not None else "")


def total_words(total_t_co2e: float, interval: Interval | None = None) -> str:
    """'Total: 8,938 t CO2e (90 % range 8,100 to 9,900 t CO2e)'."""
    spread = f" (90 % range {fmt.t_co2e(interval.p5)} to {fmt.t_co2e(interval.p95)})" if interval else ""
    return f"Total: {fmt.t_co2e(total_t_co2e)}{spread}"


def scenario_link(scenario: Scenario, base_url: str) -> str:
    """The scenario's share link at ``base_url`` (the app's address), or '' without one."""
    return shared_link(base_url, link_params(scenario)) if base_url else ""


def page_text(
    fp: Footprint, scenario: Scenario, interval: Interval | None, source: str, base_url: str = ""
) -> SlideText:
    """What a slide of the page's scenario says: its title, its total and 90 % range, ``source`` and its link."""
    return SlideText(
        scenario_title(scenario), total_words(fp.total_t_co2e, interval), source, scenario_link(scenario, base_url)
    )


def _wrap(text: str, size: int, width_px: float) -> list[str]:
    """``text`` in lines that fit ``width_px`` at font ``size``; a link breaks before its '&'s."""
    chars = max(20, int(width_px / (size * CHAR_WIDTH)))
    return textwrap.wrap(text.replace("&", " &"), chars, break_long_words=True) if text else []


def _text_width_px(text: str, size: float) -> float:
    """Width of the longest line of a Plotly label (tags stripped, '<br>' breaks lines) [layout px]."""
    lines = _TAG.sub("", str(text).replace("<br>", "\n")).split("\n")
    return max((len(line) for line in lines), default=0) * size * CHAR_WIDTH


def _font_size(font: Any, fallback: float) -> float:
    return float(font.size) if font is not None and font.size is not None else fallback


def _category_labels(fig: go.Figure, axis: str) -> list[str]:
    """The category labels a figure shows on its ``axis`` ('x' or 'y'), from its bar traces."""
    labels: list[str] = []
    for trace in fig.data:
        values = getattr(trace, axis, None)
        if trace.type == "bar" and values is not None and any(isinstance(v, str) for v in values):
            labels += [str(v) for v in values]
    return list(dict.fromkeys(labels))


def _legend_width_px(fig: go.Figure) -> float:
    """Width of a vertical legend of the figure's named traces [layout px] (0 if it shows none)."""
    if fig.layout.showlegend is False:
        return 0.0
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    if not names:
        return 0.0
    size = _font_size(fig.layout.legend.font, _font_size(fig.layout.font, 16))
    return max(_text_width_px(n, size) for n in names) + 50


@dataclass(frozen=True)
class Margins:
    """The plot area's margins on the laid-out slide [layout px]."""

    left: int
    right: int
    top: int
    bottom: int


def slide_margins(fig: go.Figure, header_px: float, footer_px: float) -> Margins:
    """Margins that hold the figure's axes, legend and colour bar, the header above and the source line below."""
    base = _font_size(fig.layout.font, 16)
    x_on_top = fig.layout.xaxis.side == "top"
    cartesian = not any(t.type == "choropleth" for t in fig.data)
    left = EDGE_PX
    if cartesian and fig.layout.yaxis.visible is not False:
        labels = _category_labels(fig, "y")
        tick = _font_size(fig.layout.yaxis.tickfont, base)
        left += max(_text_width_px(s, tick) for s in labels) + 40 if labels else Y_AXIS_PX
    has_colorbar = any(t.type == "choropleth" and t.showscale is not False for t in fig.data)
    right = EDGE_PX + max(_legend_width_px(fig), COLORBAR_PX if has_colorbar else 0, 30)
    top = header_px + (X_AXIS_PX if x_on_top else 16)
    bottom = footer_px + EDGE_PX + (X_AXIS_PX if cartesian and not x_on_top else 16)
    return Margins(round(left), round(right), round(top), round(bottom))


def _header(subject: str, text: SlideText) -> tuple[str, float]:
    """The subtitle's lines (the scenario, then the total) and the header's height [layout px]."""
    lines = [*_wrap(text.scenario, LINE_SIZE, LAYOUT_WIDTH_PX - 2 * EDGE_PX), text.total]
    height = EDGE_PX + TITLE_SIZE * 1.4 + len(lines) * LINE_SIZE * 1.35 + 12
    return "<br>".join(lines), height


def _footer(text: SlideText) -> tuple[str, float]:
    """The source line (wrapped) and its height [layout px]."""
    words = f"Source: {text.source} | {PROJECT}" + (f" | {text.link}" if text.link else "")
    lines = _wrap(words, SOURCE_SIZE, LAYOUT_WIDTH_PX - 2 * EDGE_PX)
    return "<br>".join(lines).replace(" &", "&"), len(lines) * SOURCE_SIZE * 1.35


def _fit_categories(fig: go.Figure, plot_height_px: float) -> None:
    """Shrink the tick labels of a crowded category y axis so that each stays within its own row."""
    labels = _category_labels(fig, "y")
    if labels:
        size = _font_size(fig.layout.yaxis.tickfont, _font_size(fig.layout.font, 16))
        fig.update_yaxes(tickfont={"size": min(size, max(8.0, 0.8 * plot_height_px / len(labels)))})


def slide_figure(fig: go.Figure, text: SlideText, subject: str | None = None) -> go.Figure:
    """A copy of ``fig`` laid out as a 1280x720 slide (rendered at 1.5x: 1920x1080): its title (``subject``, else
    the figure's own), the scenario and its total under it, the source line and the link at the bottom."""
    slide = go.Figure(fig)
    title = subject or slide.layout.title.text or ""
    subtitle, header_px = _header(title, text)
    footer, footer_px = _footer(text)
    first_margins = slide_margins(slide, header_px, footer_px)
    # Shrunk category labels need less room on the left: measure again once they have their size.
    _fit_categories(slide, LAYOUT_HEIGHT_PX - first_margins.top - first_margins.bottom)
    m = slide_margins(slide, header_px, footer_px)
    plot_width_px = LAYOUT_WIDTH_PX - m.left - m.right
    plot_height_px = LAYOUT_HEIGHT_PX - m.top - m.bottom
    slide.update_layout(
        template="plotly_white",
        width=LAYOUT_WIDTH_PX,
        height=LAYOUT_HEIGHT_PX,
        margin={"l": m.left, "r": m.right, "t": m.top, "b": m.bottom, "pad": 0, "autoexpand": True},
        title=figures.top_left_title(
            f"<b>{title}</b>", TITLE_SIZE, EDGE_PX, EDGE_PX, subtitle={"text": subtitle, "font": {"size": LINE_SIZE}}
        ),
        # Beside the plot, in the room the right margin keeps for it (placed on the plot area, as Plotly reserves
        # room for a legend: one on the canvas edge would be pushed into the plot).
        legend={
            "orientation": "v",
            "xref": "paper",
            "x": 1 + 12 / plot_width_px,
            "xanchor": "left",
            "yref": "paper",
            "y": 1,
            "yanchor": "top",
        },
    )
    # Every label drawn level (Plotly shrinks an inside label to fit its bar rather than turning it), every
    # category named (a crowded axis shrinks its labels in _fit_categories rather than skipping every other one).
    slide.update_traces(textangle=0, selector={"type": "bar"})
    if _category_labels(slide, "y"):
        slide.update_yaxes(dtick=1)
    # One tick per power of ten on a log axis: its 2s and 5s collide at slide width.
    slide.update_xaxes(dtick=1, selector={"type": "log"})
    slide.update_yaxes(dtick=1, selector={"type": "log"})
    slide.update_xaxes(automargin=True)
    slide.update_yaxes(automargin=True)
    slide.update_traces(
        colorbar={"x": 1, "xref": "paper", "xanchor": "left", "xpad": 20}, selector={"type": "choropleth"}
    )
    slide.add_annotation(
        text=footer,
        xref="paper",
        yref="paper",
        x=-(m.left - EDGE_PX) / plot_width_px,
        y=-(m.bottom - EDGE_PX) / plot_height_px,
        xanchor="left",
        yanchor="bottom",
        align="left",
        showarrow=False,
        font={"size": SOURCE_SIZE, "color": "#333333"},
    )
    return slide


def slide_image(fig: go.Figure, text: SlideText, image_format: str, subject: str | None = None) -> bytes:
    """The slide of ``fig`` (:func:`slide_figure`) as a 1920x1080 PNG or SVG."""
    return figures.figure_image(
        slide_figure(fig, text, subject), image_format, LAYOUT_WIDTH_PX, LAYOUT_HEIGHT_PX, SCALE
    )
