"""Plotly figure builders: plain functions from carbon_core results to figures, testable without a browser.

They are given numbers and draw them: every quantity they show is computed in carbon_core (and passed in),
none here.

All figures use ``plotly.graph_objects`` (cheaper to build than plotly express) and carry no theme of
their own, so Streamlit's light and dark themes both apply. ``large=True`` is the presentation mode:
bigger fonts for the back of a room.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from carbon_core import Reproduction
from carbon_core.presets import PROVENANCE_LABELS
from carbon_core.published import RANKING_PROVENANCE_LABELS
from carbon_core.uncertainty import Sensitivity
from explorer import formatting as fmt

#: Where the app serves the world map's topology (Streamlit static serving: ./static -> /app/static).
TOPOJSON_URL = "app/static/topojson/"
#: The same topology for server-side image export (kaleido), so a downloaded map needs no internet either.
TOPOJSON_DIR = Path(__file__).resolve().parent.parent / "static" / "topojson"

# Colour-blind-safe (Okabe-Ito) colours for the parts of a footprint; highlight colour for a selection.
PART_COLOURS = {"gpu": "#0072B2", "server": "#56B4E9", "overhead": "#E69F00", "embodied": "#CC79A7"}
PART_LABELS = {
    "gpu": "GPU energy",
    "server": "Rest of server",
    "overhead": "Cooling / overhead (PUE)",
    "embodied": "Embodied (manufacturing)",
}
HIGHLIGHT = "#D55E00"
MUTED = "#8a9aa9"


def _font(large: bool) -> dict[str, Any]:
    return {"size": 22 if large else 16}


#: Height [px] of the strip above a chart's title that Plotly's mode bar takes while the pointer is over the
#: chart (``chart_config``): the title is drawn below it, the legend below the plot, so no control covers either.
MODEBAR_STRIP_PX = 34
#: Tonnes on an axis: thousands separators, no SI prefix (",~s" wrote 0.01 t as "10m", a milli-tonne).
TONNES_TICKS = {"tickformat": ",~r", "exponentformat": "none"}


def _tonnes(title: str = "t CO2e", **axis: Any) -> dict[str, Any]:
    """An axis (or colour bar) in tonnes of CO2e titled ``title``, its ticks without SI prefixes."""
    return {"title": {"text": title}, **TONNES_TICKS, **axis}


#: The charts' axis, tick, title and legend text in the theme's body text colour (``currentColor``: dark on the
#: light theme, light on the dark one), not the faded grey of Streamlit's Plotly theme (~3.7:1). Annotations keep
#: their dark text on a light box (``ANNOTATION_TEXT``). Static CSS, no user text.
CHART_CSS = """
[data-testid="stPlotlyChart"] :is(.xtick, .ytick, .g-xtitle, .g-ytitle, .legend, .colorbar) text,
[data-testid="stPlotlyChart"] text.gtitle { fill: currentColor !important; fill-opacity: 1 !important; }
"""


def _readable(fig: go.Figure, large: bool) -> go.Figure:
    """Set every text size explicitly (the Streamlit theme would otherwise shrink ticks and legends to ~12 px).

    Their colour is the theme's body text (light or dark), not its faded grey: see ``CHART_CSS``."""
    size = 22 if large else 16
    fig.update_layout(font={"size": size}, legend={"font": {"size": size}})
    fig.update_xaxes(tickfont={"size": size - 1}, title_font={"size": size})
    fig.update_yaxes(tickfont={"size": size - 1}, title_font={"size": size})
    return fig


def top_left_title(text: str, size: float, pad_top_px: float, pad_left_px: float, **extra: Any) -> dict[str, Any]:
    """A Plotly ``title`` at the canvas's top left corner (container coordinates), ``pad_*`` [px] in from it, in
    ``size`` [px] type; ``extra`` adds keys (a subtitle)."""
    return {
        "text": text,
        "x": 0,
        "xanchor": "left",
        "xref": "container",
        "y": 1,
        "yanchor": "top",
        "yref": "container",
        "pad": {"t": pad_top_px, "l": pad_left_px},
        "font": {"size": size},
        **extra,
    }


def _frame(fig: go.Figure, title: str, large: bool, height: int, **layout: Any) -> go.Figure:
    """A chart's layout: ``title`` at the top left below the mode bar's strip, the legend in rows under the
    plot, ``height`` [px] of plot area plus room for both, readable text."""
    size = 22 if large else 16
    top = MODEBAR_STRIP_PX + round(size * 1.4) + 14
    fig.update_layout(
        title=top_left_title(title, size + 2, MODEBAR_STRIP_PX, 10),
        height=height + top,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "bottom", "yref": "container"},
        **layout,
    )
    return _readable(fig, large)


def breakdown_figure(parts_t_co2e: dict[str, float], shares_pct: dict[str, float], large: bool = False) -> go.Figure:
    """One horizontal stacked bar of the total, split into GPU, server, overhead and embodied [t CO2e].

    ``parts_t_co2e`` is :meth:`carbon_core.Footprint.emissions_breakdown_t_co2e`, ``shares_pct`` each part's
    share of the total [%] (:func:`carbon_core.emissions.shares_pct`).

    A single stacked bar reads at a glance: the parts of one whole, in one unit, side by side on a
    common scale, each labelled with its tonnes and share. A waterfall would suggest an order the parts
    do not have, and a treemap asks the eye to compare areas, which it does worse than lengths.
    """
    fig = go.Figure()
    for key, value in parts_t_co2e.items():
        share = shares_pct[key]
        fig.add_trace(
            go.Bar(
                y=["Total"],
                x=[value],
                name=PART_LABELS[key],
                orientation="h",
                marker_color=PART_COLOURS[key],
                text=[f"{fmt.t_co2e(value)}<br>{share:.0f}%" if share >= 6 else ""],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate=f"{PART_LABELS[key]}: %{{x:,.1f}} t CO2e ({share:.1f}%)<extra></extra>",
            )
        )
    fig.update_layout(legend_traceorder="normal")
    return _frame(
        fig,
        "Where the emissions come from [t CO2e]",
        large,
        220 if large else 150,
        barmode="stack",
        font=_font(large),
        xaxis=_tonnes(),
        yaxis={"visible": False},
    )


def _text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (#rrggbb), by its relative luminance."""
    r, g, b = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "#111111" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "#ffffff"


def breakdown_bar_html(
    parts_t_co2e: dict[str, float], shares_pct: dict[str, float], total_t_co2e: float, large: bool = False
) -> str:
    """The breakdown of :func:`breakdown_figure` as plain HTML: one stacked bar and its legend [t CO2e].

    The dashboard's first view draws this instead of the Plotly figure: the page then needs no Plotly
    bundle until another view is opened, and a slider move redraws a few ``div`` widths instead of a Plotly
    chart (``benchmarks/RESULTS.md``). The Plotly figure stays the chart's PNG/SVG download. Only numbers
    and this module's own labels go into the markup, never user text.
    """
    parts = parts_t_co2e
    size = 22 if large else 14
    described = "; ".join(f"{PART_LABELS[k]} {v:,.0f} t CO2e ({shares_pct[k]:.1f} %)" for k, v in parts.items())
    # In presentation mode the legend carries each part's tonnes and share too: a narrow segment has no room.
    legend = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:1.2em">'
        f'<span style="width:0.9em;height:0.9em;background:{PART_COLOURS[k]};margin-right:0.4em;flex:none"></span>'
        + (f"<span>{PART_LABELS[k]} <b>{fmt.t_co2e(v)}</b> ({shares_pct[k]:.0f}%)</span>" if large else PART_LABELS[k])
        + "</span>"
        for k, v in parts.items()
    )
    segments = "".join(
        f'<div title="{PART_LABELS[k]}: {v:,.1f} t CO2e ({shares_pct[k]:.1f} %)" '
        f'style="width:{shares_pct[k]:.3f}%;background:{PART_COLOURS[k]};color:{_text_colour(PART_COLOURS[k])};'
        f"display:flex;flex-direction:column;justify-content:center;align-items:center;overflow:hidden;"
        f'white-space:nowrap;line-height:1.25">'
        + (f"<span>{fmt.t_co2e(v)}</span><span>{shares_pct[k]:.0f}%</span>" if shares_pct[k] >= 6 else "")
        + "</div>"
        for k, v in parts.items()
        if v > 0
    )
    return (
        f'<div class="breakdown-bar" role="img" aria-label="Breakdown of {total_t_co2e:,.0f} t CO2e: {described}" '
        f'style="font-size:{size}px;margin:0.25em 0 0.5em 0">'
        f'<div style="margin-bottom:0.5em">{legend}</div>'
        f'<div class="breakdown-segments" style="display:flex;width:100%;height:{4.2 if large else 3.6}em;'
        'border-radius:2px;overflow:hidden">'
        f"{segments}</div>"
        f'<div style="text-align:right;opacity:0.75;font-size:0.85em;margin-top:0.3em">'
        f"total {fmt.t_co2e(total_t_co2e)}</div></div>"
    )


#: Text on a light annotation box: dark in both themes (a light theme colour on it would not read).
ANNOTATION_TEXT = "#1a1a1a"
#: Bars of low-precision grids are hatched; their hover says why.
LOW_PRECISION_PATTERN = "/"
LOW_PRECISION_WORDS = "low precision: a small grid, intensity not good to 2 significant figures"
#: One colour per provider of regions (Okabe-Ito), in the order of the legend.
PROVIDER_COLOURS = {
    "aws": "#E69F00",
    "azure": "#0072B2",
    "gcp": "#009E73",
    "us": "#CC79A7",
    "ca": "#56B4E9",
    "au": "#F0E442",
}
PROVIDER_NAMES = {
    "aws": "AWS",
    "azure": "Azure",
    "gcp": "Google Cloud",
    "us": "US state",
    "ca": "Canadian province",
    "au": "Australian state",
}


def _named(fig: go.Figure, x: float, y: float, text: str, role: str, large: bool, left: bool) -> None:
    """An annotation with an arrow on a light box, its text dark in both themes."""
    fig.add_annotation(
        x=x,
        y=y,
        text=text,
        showarrow=True,
        arrowhead=2,
        ax=60 if left else -60,
        ay={"cleanest": -30, "dirtiest": -40, "selected": -110}[role],
        font={"size": 20 if large else 15, "color": ANNOTATION_TEXT},
        bgcolor="rgba(255,255,255,0.9)",
        bordercolor=HIGHLIGHT if role == "selected" else MUTED,
    )


def countries_bar_figure(
    frame: pd.DataFrame,
    selected_iso3: str | None,
    world_t_co2e: float | None = None,
    large: bool = False,
) -> go.Figure:
    """Every country ranked by the run's total [t CO2e]; the selected country highlighted, the cleanest and
    dirtiest reliable grids named (low-precision grids hatched, never named), the World's average grid a line.
    ``frame`` is :func:`carbon_core.price_in_countries` output (sorted)."""
    colours = [HIGHLIGHT if code == selected_iso3 else MUTED for code in frame["iso3"]]
    low = frame["low_precision"].astype(bool)
    fig = go.Figure(
        go.Bar(
            x=list(range(1, len(frame) + 1)),
            y=frame["total_t_co2e"],
            marker={"color": colours, "pattern": {"shape": [LOW_PRECISION_PATTERN if f else "" for f in low]}},
            customdata=list(
                zip(
                    frame["country"],
                    frame["grid_g_co2e_per_kwh"],
                    frame["year"],
                    [f"<br>{LOW_PRECISION_WORDS}" if f else "" for f in low],
                    strict=True,
                )
            ),
            hovertemplate=(
                "%{customdata[0]}: %{y:,.0f} t CO2e<br>%{customdata[1]:,.0f} g CO2e/kWh (%{customdata[2]}, Ember "
                "lifecycle, per kWh generated)%{customdata[3]}<extra></extra>"
            ),
        )
    )
    reliable = frame[~low]
    named: list[tuple[int, str]] = [(int(reliable.index[0]), "cleanest"), (int(reliable.index[-1]), "dirtiest")]
    if selected_iso3 in set(frame["iso3"]):
        named.append((int(frame.index[frame["iso3"] == selected_iso3][0]), "selected"))
    for position, role in named:
        row = frame.iloc[position]
        text = f"{row['country']} ({role}): {fmt.t_co2e(row['total_t_co2e'])}"
        _named(fig, position + 1, row["total_t_co2e"], text, role, large, left=position < len(frame) / 2)
    if world_t_co2e is not None:
        fig.add_hline(
            y=world_t_co2e,
            line_dash="dot",
            line_color=MUTED,
            annotation_text=f"World average grid: {fmt.t_co2e(world_t_co2e)}",
            annotation_position="top left",
            annotation_font={"size": 20 if large else 15, "color": ANNOTATION_TEXT},
            annotation_bgcolor="rgba(255,255,255,0.9)",
        )
    return _frame(
        fig,
        "The same run in every country [t CO2e]",
        large,
        450 if large else 350,
        font=_font(large),
        xaxis={"title": {"text": "country, ranked by grid (1 = cleanest) [rank]"}},
        yaxis=_tonnes(),
        showlegend=False,
    )


def world_map_figure(frame: pd.DataFrame, selected_iso3: str | None, large: bool = False) -> go.Figure:
    """World choropleth of the run's total per country [t CO2e]; low-precision grids outlined and said so on
    hover; the World row (WLD) is not a country."""
    countries = frame[frame["iso3"] != "WLD"]
    low = countries["low_precision"].astype(bool)
    fig = go.Figure(
        go.Choropleth(
            locations=countries["iso3"],
            locationmode="ISO-3",
            z=countries["total_t_co2e"],
            text=countries["country"],
            customdata=list(
                zip(
                    countries["grid_g_co2e_per_kwh"],
                    countries["year"],
                    [f"<br>{LOW_PRECISION_WORDS}" if f else "" for f in low],
                    strict=True,
                )
            ),
            colorscale="YlOrRd",
            marker_line_width=0.3,
            colorbar=_tonnes(),
            hovertemplate=(
                "%{text}: %{z:,.0f} t CO2e<br>%{customdata[0]:,.0f} g CO2e/kWh (%{customdata[1]}, Ember lifecycle)"
                "%{customdata[2]}<extra></extra>"
            ),
        )
    )
    outlines = [(countries.loc[low, "iso3"].tolist(), MUTED, 1.5)]
    if selected_iso3 in set(countries["iso3"]):
        outlines.append(([selected_iso3], HIGHLIGHT, 2.5))
    for codes, colour, width in outlines:
        fig.add_trace(
            go.Choropleth(
                locations=codes,
                locationmode="ISO-3",
                z=[1] * len(codes),
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                showscale=False,
                marker_line_color=colour,
                marker_line_width=width,
                hoverinfo="skip",
            )
        )
    # The bundled topology is centred on the antimeridian unless the rotation is set explicitly.
    fig.update_geos(
        showframe=False,
        showcoastlines=False,
        projection_type="natural earth",
        projection_rotation={"lon": 10},
        bgcolor="rgba(0,0,0,0)",  # the theme's background shows through, light or dark
    )
    return _frame(fig, "Total per country [t CO2e]", large, 500 if large else 400, font=_font(large))


def regions_bar_figure(frame: pd.DataFrame, selected_id: str | None, large: bool = False) -> go.Figure:
    """The run in every cloud region and state/province, ranked by total [t CO2e], one colour per provider,
    the chosen region named. ``frame`` is :func:`carbon_core.regions.price_in_regions` output (sorted)."""
    fig = go.Figure()
    rank = pd.Series(range(1, len(frame) + 1), index=frame.index)
    for provider, colour in PROVIDER_COLOURS.items():
        rows = frame[frame["provider"] == provider]
        fig.add_trace(
            go.Bar(
                x=rank[rows.index],
                y=rows["total_t_co2e"],
                name=PROVIDER_NAMES[provider],
                marker_color=colour,
                customdata=list(zip(rows["name"], rows["id"], rows["grid_g_co2e_per_kwh"], rows["year"], strict=True)),
                hovertemplate=(
                    "%{customdata[0]} (%{customdata[1]}): %{y:,.0f} t CO2e<br>%{customdata[2]:,.0f} g CO2e/kWh "
                    "(%{customdata[3]}, location-based)<extra></extra>"
                ),
            )
        )
    if selected_id in set(frame["id"]):
        position = int(frame.index[frame["id"] == selected_id][0])
        row = frame.iloc[position]
        text = f"{row['name']} ({row['id']}, chosen): {fmt.t_co2e(row['total_t_co2e'])}"
        _named(fig, position + 1, row["total_t_co2e"], text, "selected", large, left=position < len(frame) / 2)
    return _frame(
        fig,
        "The same run in every cloud region, state and province [t CO2e]",
        large,
        450 if large else 350,
        xaxis={"title": {"text": "region, ranked by grid (1 = cleanest) [rank]"}},
        yaxis=_tonnes(),
        bargap=0.1,
    )


#: Marker colour of each preset provenance (Okabe-Ito palette, readable by colour-blind viewers).
PROVENANCE_COLOURS = {"stated": "#0072B2", "derived": "#009E73", "article": "#D55E00"}


def presets_figure(results: list[Reproduction], large: bool = False) -> go.Figure:
    """Published (reported) vs computed totals of every preset on log axes, with the line y = x, coloured by
    provenance (inputs stated by the source, derived from its total, or a third-party article); a preset with a
    warning has an open marker."""
    fig = go.Figure()
    for provenance, colour in PROVENANCE_COLOURS.items():
        group = [r for r in results if r.provenance == provenance]
        if not group:
            continue
        fig.add_trace(
            go.Scatter(
                x=[r.reported_t_co2e for r in group],
                y=[r.computed_t_co2e for r in group],
                mode="markers",
                name=PROVENANCE_LABELS[provenance],
                marker={
                    "size": 14 if large else 10,
                    "color": colour,
                    "symbol": ["circle-open" if r.warning else "circle" for r in group],
                    "line": {"width": 2, "color": colour},
                },
                text=[r.name + (" (see its warning)" if r.warning else "") for r in group],
                hovertemplate="%{text}<br>reported %{x:,.2f} t, computed %{y:,.2f} t<extra></extra>",
            )
        )
    values = [r.reported_t_co2e for r in results] + [r.computed_t_co2e for r in results]
    low, high = min(v for v in values if v > 0) / 2, max(values) * 2
    fig.add_trace(
        go.Scatter(
            x=[low, high],
            y=[low, high],
            mode="lines",
            name="computed = reported",
            line={"dash": "dot", "color": MUTED},
            hoverinfo="skip",
        )
    )
    return _frame(
        fig,
        "Published runs: computed against reported [t CO2e]",
        large,
        420 if large else 340,
        font=_font(large),
        xaxis=_tonnes("reported [t CO2e]", type="log"),
        yaxis=_tonnes("computed [t CO2e]", type="log"),
    )


def chart_config(filename: str) -> dict[str, Any]:
    """Plotly config: the camera button saves a 1600x900 PNG named ``filename``; maps load offline. The mode
    bar shows only while the pointer is over the chart, in a strip above the title (see ``_frame``), so it never
    covers a title or a legend on a projector or a phone."""
    return {
        "displaylogo": False,
        "displayModeBar": "hover",
        "topojsonURL": TOPOJSON_URL,
        "toImageButtonOptions": {"format": "png", "filename": filename, "width": 1600, "height": 900, "scale": 1},
    }


def figure_image(fig: go.Figure, fmt: str, width: int = 1600, height: int = 900, scale: float = 1.0) -> bytes:
    """The figure rendered to ``fmt`` ('png' or 'svg') with kaleido (headless Chromium), laid out at
    ``width`` x ``height`` [px] and drawn at ``scale`` (a PNG of ``width x scale`` pixels; an SVG of that size over
    a ``width x height`` viewBox). The world map's topology is read from ``static/topojson``, never the internet."""
    pio.defaults.topojson = TOPOJSON_DIR.as_uri() + "/"
    return fig.to_image(format=fmt, width=width, height=height, scale=scale)


INPUT_LABELS = {
    "gpu_count": "GPU count",
    "training_hours": "Duration",
    "gpu_power_w": "Power per GPU",
    "utilisation_fraction": "Utilisation",
    "server_power_w_per_gpu": "Host power per GPU",
    "pue": "PUE",
    "embodied_kg_co2e_per_gpu": "Embodied per GPU",
    "hardware_lifetime_years": "Hardware lifetime",
    "grid_g_co2e_per_kwh": "Grid intensity",
}
#: The unit after each input's range in the tornado's labels.
INPUT_UNITS = {
    "gpu_count": " GPUs",
    "training_hours": " h",
    "gpu_power_w": " W",
    "utilisation_fraction": " of peak power",
    "server_power_w_per_gpu": " W",
    "pue": ", ratio",
    "embodied_kg_co2e_per_gpu": " kg CO2e",
    "hardware_lifetime_years": " years",
    "grid_g_co2e_per_kwh": " g CO2e/kWh",
}


def tornado_figure(bars: list[Sensitivity], total_t_co2e: float, large: bool = False) -> go.Figure:
    """Which input moves the total most: each bar spans the total [t CO2e] with that input at the low and
    the high end of its cited range, the others at their value (largest swing on top)."""
    ordered = list(reversed(bars))
    # Two lines each (name, then the range and its unit): the plot keeps its width on a phone.
    labels = [
        f"{INPUT_LABELS.get(b.name, b.name)}<br>({fmt.input_number(b.low_input)} to {fmt.input_number(b.high_input)}"
        f"{INPUT_UNITS.get(b.name, '')})"
        for b in ordered
    ]
    fig = go.Figure()
    for end, totals, colour in [
        ("low", [b.total_at_low_t_co2e for b in ordered], PART_COLOURS["server"]),
        ("high", [b.total_at_high_t_co2e for b in ordered], PART_COLOURS["overhead"]),
    ]:
        fig.add_trace(
            go.Bar(
                y=labels,
                x=[t - total_t_co2e for t in totals],  # bar lengths from the run's total, where every bar starts
                base=total_t_co2e,
                orientation="h",
                name=f"input at its {end} end",
                marker_color=colour,
                hovertemplate=f"%{{y}}: {end} end gives %{{x:+,.1f}} t CO2e from the value<extra></extra>",
            )
        )
    fig.add_vline(x=total_t_co2e, line_dash="dot", line_color=MUTED)
    axis = _tonnes("total [t CO2e]")
    return _frame(
        fig, "Which input moves the total most [t CO2e]", large, 320 if large else 260, barmode="overlay", xaxis=axis
    )


def compare_figure(parts_a: dict[str, float], parts_b: dict[str, float], large: bool = False) -> go.Figure:
    """Scenarios A and B side by side, each a stacked bar of its parts [t CO2e] (each scenario's
    :meth:`carbon_core.Footprint.emissions_breakdown_t_co2e`)."""
    fig = go.Figure()
    for key in parts_a:
        fig.add_trace(
            go.Bar(
                x=["A", "B"],
                y=[parts_a[key], parts_b[key]],
                name=PART_LABELS[key],
                marker_color=PART_COLOURS[key],
                hovertemplate=f"{PART_LABELS[key]}: %{{y:,.1f}} t CO2e<extra></extra>",
            )
        )
    axis = _tonnes()
    xaxis = {"title": {"text": "scenario"}}
    return _frame(
        fig, "Scenarios A and B [t CO2e]", large, 360 if large else 300, barmode="stack", xaxis=xaxis, yaxis=axis
    )


def difference_figure(difference_t_co2e: dict[str, float], large: bool = False) -> go.Figure:
    """B minus A for each part and the total [t CO2e]: what the change did. ``difference_t_co2e`` is
    :func:`carbon_core.comparison.difference_t_co2e` (the parts, then ``total``)."""
    difference = difference_t_co2e
    labels = [PART_LABELS.get(k, "Total") for k in difference]
    diffs = list(difference.values())
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=diffs,
            marker_color=[HIGHLIGHT if d > 0 else PART_COLOURS["gpu"] for d in diffs],
            text=[("+" if d > 0 else "") + fmt.t_co2e(d) for d in diffs],
            textposition="outside",
            hovertemplate="%{x}: %{y:+,.1f} t CO2e (B - A)<extra></extra>",
        )
    )
    axes = {"xaxis": {"title": {"text": "part of the footprint"}}, "yaxis": _tonnes("B - A [t CO2e]", zeroline=True)}
    return _frame(
        fig, "What the change did: B minus A [t CO2e]", large, 320 if large else 260, showlegend=False, **axes
    )


#: Bar colour of each provenance in the published-runs ranking; the user's run is drawn in RANKING_USER_COLOUR
#: (not HIGHLIGHT, which is the 'article' colour here).
RANKING_COLOURS = {**PROVENANCE_COLOURS, "reported": MUTED}
RANKING_USER_COLOUR = "#CC79A7"
RANKING_LABEL_CHARS = 44


def _ranking_label(name: str, is_user: bool, t_co2e: float) -> str:
    """A bar's axis label: the run's name cut to RANKING_LABEL_CHARS, the user's run in bold with its total."""
    if is_user:
        return f"<b>{name}: {fmt.t_co2e(t_co2e)}</b>"
    if len(name) <= RANKING_LABEL_CHARS:
        return name
    head = RANKING_LABEL_CHARS // 2  # keep both ends: names of one source differ at the end (a country, a grid)
    return name[:head] + "…" + name[-(RANKING_LABEL_CHARS - head - 1) :]


def published_ranking_figure(frame: pd.DataFrame, large: bool = False) -> go.Figure:
    """Published training footprints ranked, largest at the top, on a log axis [t CO2e], the user's run among
    them in its own colour; colour = provenance, hover = name, total, provenance and basis.

    ``frame`` is :attr:`carbon_core.published.Ranking.frame` (columns name, t_co2e, provenance,
    provenance_label, basis, is_user), largest first.
    """
    labels = [_ranking_label(n, u, t) for n, u, t in zip(frame["name"], frame["is_user"], frame["t_co2e"], strict=True)]
    if len(set(labels)) < len(labels):  # a shortened label would merge two bars: show the names in full
        labels = [label if u else n for label, n, u in zip(labels, frame["name"], frame["is_user"], strict=True)]
    frame = frame.assign(label=labels)
    fig = go.Figure()
    groups = [(p, RANKING_COLOURS[p], RANKING_PROVENANCE_LABELS[p]) for p in RANKING_COLOURS]
    groups.append(("user", RANKING_USER_COLOUR, "your run (this page's scenario)"))
    for provenance, colour, legend in groups:
        group = frame[frame["provenance"] == provenance]
        if group.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=group["t_co2e"],
                y=group["label"],
                orientation="h",
                name=legend,
                marker={"color": colour, "line": {"width": 3 if provenance == "user" else 0, "color": "#000000"}},
                customdata=group[["name", "provenance_label", "basis"]].to_numpy(),
                hovertemplate="<b>%{customdata[0]}</b><br>%{x:,.4g} t CO2e<br>provenance: %{customdata[1]}"
                "<br>basis: %{customdata[2]}<extra></extra>",
            )
        )
    row = 30 if large else 20
    fig = _frame(
        fig,
        "Published training footprints, largest first [t CO2e]",
        large,
        row * len(frame) + (170 if large else 110),
        barmode="overlay",
        xaxis={
            "type": "log",
            "title": {"text": "t CO2e (log scale)"},
            "side": "top",
            "automargin": True,
            **TONNES_TICKS,
        },
        yaxis={"categoryorder": "array", "categoryarray": labels[::-1], "automargin": True, "title": None},
    )
    # The scale is on top (read first on a tall chart): room for its ticks and title between the chart's title
    # and the bars, which axis automargin would not add (the margin already exceeds what the axis needs).
    fig.update_layout(margin_t=fig.layout.margin.t + (80 if large else 60))
    return fig
