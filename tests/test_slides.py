"""Slide-ready chart downloads (issue 16, item 6): every PNG/SVG is a 1920x1080 slide with the chart's title, the
scenario, its total and a source line, and nothing cut at its edges. Rendered for real with kaleido (Chromium)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from PIL import Image

from carbon_core import comparison, estimate, get_preset, reproduce_all
from carbon_core.countries import price_in_countries, world_reference
from carbon_core.emissions import shares_pct
from carbon_core.published import rank_among_published
from carbon_core.regions import price_in_regions
from carbon_core.uncertainty import monte_carlo, sensitivity
from explorer import figures, slides
from explorer.link import scenario_from_preset
from explorer.title import scenario_title

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def llama():
    return estimate(get_preset("llama-3.1-405b").run())


@pytest.fixture(scope="module")
def text(llama) -> slides.SlideText:
    scenario = scenario_from_preset("llama-3.1-405b")
    interval = monte_carlo(llama.run).intervals["total_t_co2e"]
    return slides.page_text(llama, scenario, interval, slides.run_source(llama, scenario), "http://localhost:8501")


def all_figures(fp) -> dict[str, go.Figure]:
    """One figure of every builder the dashboard downloads, for the Llama 3.1 405B run."""
    parts = fp.emissions_breakdown_t_co2e()
    frame = price_in_countries(fp)
    world = float(world_reference(fp.facility_energy_kwh, fp.embodied_t_co2e)["total_t_co2e"])
    other = estimate(get_preset("llama-3-70b").run())
    return {
        "breakdown": figures.breakdown_figure(parts, shares_pct(parts, fp.total_t_co2e)),
        "breakdown-large": figures.breakdown_figure(parts, shares_pct(parts, fp.total_t_co2e), large=True),
        "tornado": figures.tornado_figure(sensitivity(fp.run), fp.total_t_co2e),
        "compare": figures.compare_figure(parts, other.emissions_breakdown_t_co2e()),
        "difference": figures.difference_figure(comparison.difference_t_co2e(fp, other)),
        "countries": figures.countries_bar_figure(frame, "USA", world),
        "regions": figures.regions_bar_figure(price_in_regions(fp.facility_energy_kwh, fp.embodied_t_co2e), "us:TX"),
        "ranking": figures.published_ranking_figure(rank_among_published(fp.total_t_co2e).frame),
        "ranking-large": figures.published_ranking_figure(rank_among_published(fp.total_t_co2e).frame, large=True),
        "presets": figures.presets_figure(reproduce_all()),
        "map": figures.world_map_figure(frame, "USA"),
    }


def svg_text(svg: bytes) -> str:
    """Every text of an SVG, in document order, joined by spaces (Plotly splits lines into tspans)."""
    return " ".join(" ".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text"))


def test_page_text_names_the_scenario_total_and_link(llama, text: slides.SlideText) -> None:
    assert text.scenario == scenario_title(scenario_from_preset("llama-3.1-405b"))
    assert re.fullmatch(r"Total: 8,938 t CO2e \(90 % range [\d,]+ t CO2e to [\d,]+ t CO2e\)", text.total), text.total
    assert text.link.startswith("http://localhost:8501/?v=1&preset=llama-3.1-405b&")
    assert "grid 376 g CO2e/kWh: the published run's, Llama 3.1 405B (data/presets.csv)" in text.source
    assert "entered by the user" not in text.source


def test_breakdown_svg_is_a_1920x1080_slide_with_title_scenario_total_and_source(llama, text: slides.SlideText) -> None:
    """Through :func:`slides.slide_image`, as the app's download button calls it."""
    svg = slides.slide_image(all_figures(llama)["breakdown"], text, "svg")
    root = ET.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("1920", "1080")
    assert root.get("viewBox") == "0 0 1280 720"
    words = re.sub(r"\s+", " ", svg_text(svg))
    for expected in ("Where the emissions come from", text.scenario, text.total, "Source: energy = GPU-hours"):
        assert expected in words, expected
    assert "Training Emissions Explorer" in words and "preset=llama-3.1-405b" in words


def _edge_is_blank(image: Image.Image, band_px: int) -> list[str]:
    """The sides of ``image`` whose outer ``band_px`` are not all white (something drawn there, or cut)."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    boxes = {
        "left": (0, 0, band_px, height),
        "right": (width - band_px, 0, width, height),
        "top": (0, 0, width, band_px),
        "bottom": (0, height - band_px, width, height),
    }
    return [side for side, box in boxes.items() if rgb.crop(box).getextrema() != ((255, 255), (255, 255), (255, 255))]


def test_breakdown_png_is_1920x1080_and_nothing_touches_its_edges(llama, text: slides.SlideText) -> None:
    """The issue's clipped axis numbers: every tick label, the title and the source line stay inside the slide,
    with a blank band on every side (half the layout's edge band, at the 1.5 scale)."""
    png = slides.slide_image(all_figures(llama)["breakdown"], text, "png")
    image = Image.open(io.BytesIO(png))
    assert image.size == (1920, 1080)
    assert _edge_is_blank(image, round(slides.EDGE_PX * slides.SCALE / 2)) == []


def test_the_edge_check_sees_a_cut_label() -> None:
    """The check above can fail: a figure laid out without margins has its tick labels at the edge."""
    fig = go.Figure(go.Bar(x=[1, 2], y=[8938, 4000]), layout={"margin": {"l": 0, "r": 0, "t": 0, "b": 0}})
    fig.update_yaxes(automargin=False)
    png = figures.figure_image(fig, "png", 640, 360, 1)
    assert "left" in _edge_is_blank(Image.open(io.BytesIO(png)), 6)


@pytest.fixture(scope="module")
def rendered(llama, text: slides.SlideText, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """Every builder's slide as SVG and PNG (one kaleido session), with the margins the slide asked for."""
    folder = tmp_path_factory.mktemp("slides")
    made = {name: slides.slide_figure(fig, text, "A subject" if "ranking" in name else None)
            for name, fig in all_figures(llama).items()}  # fmt: skip
    pio.defaults.topojson = figures.TOPOJSON_DIR.as_uri() + "/"
    names = list(made)
    files = [folder / f"{n}.{ext}" for n in names for ext in ("svg", "png")]
    pio.write_images(
        [made[n] for n in names for _ in ("svg", "png")],
        files,
        width=slides.LAYOUT_WIDTH_PX,
        height=slides.LAYOUT_HEIGHT_PX,
        scale=slides.SCALE,
    )
    return {n: (made[n], folder / f"{n}.svg", folder / f"{n}.png") for n in names}


@pytest.mark.parametrize(
    "name",
    ["breakdown", "breakdown-large", "tornado", "compare", "difference", "countries", "regions", "ranking",
     "ranking-large", "presets", "map"],
)  # fmt: skip
def test_every_chart_slide_fits(rendered: dict[str, tuple], name: str) -> None:
    """Each slide is 1920x1080 with blank edges, and its plot area is exactly where the slide's margins put it:
    Plotly had to push no margin for a long label, so the title above and the source line below do not move
    onto the chart."""
    fig, svg_path, png_path = rendered[name]
    image = Image.open(png_path)
    assert image.size == (1920, 1080)
    assert _edge_is_blank(image, round(slides.EDGE_PX * slides.SCALE / 2)) == [], name
    svg = Path(svg_path).read_text(encoding="utf-8")
    margin = fig.layout.margin
    clip = re.search(r'<clipPath id="clip\w+?xyplot" class="plotclip"><rect width="([\d.]+)" height="([\d.]+)"', svg)
    if name == "map":
        geo = re.search(r'<g class="geo\b', svg)
        assert geo is not None
        return
    assert clip is not None, name
    width, height = float(clip.group(1)), float(clip.group(2))
    assert width == pytest.approx(slides.LAYOUT_WIDTH_PX - margin.l - margin.r, abs=1), name
    assert height == pytest.approx(slides.LAYOUT_HEIGHT_PX - margin.t - margin.b, abs=1), name
    assert "Source: " in svg_text(svg.encode())
