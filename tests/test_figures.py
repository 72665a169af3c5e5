"""Figure builders are plain functions: checked here without a browser."""

from __future__ import annotations

import re

import pytest

from carbon_core import TrainingRun, comparison, estimate
from carbon_core.emissions import shares_pct
from explorer import figures
from explorer import formatting as fmt


@pytest.fixture(scope="module")
def footprint():
    return estimate(TrainingRun(gpu_count=1024, training_hours=720.0, country_iso3="USA"))


def bar_html(footprint, large: bool = False) -> str:
    """The breakdown bar of ``footprint`` as the Breakdown view draws it."""
    parts = footprint.emissions_breakdown_t_co2e()
    return figures.breakdown_bar_html(parts, shares_pct(parts, footprint.total_t_co2e), footprint.total_t_co2e, large)


def test_breakdown_bar_html_has_one_segment_per_part_and_adds_up(footprint) -> None:
    html = bar_html(footprint)
    widths = [float(w) for w in re.findall(r'title="[^"]*" style="width:([0-9.]+)%', html)]
    parts = {k: v for k, v in footprint.emissions_breakdown_t_co2e().items() if v > 0}
    assert len(widths) == len(parts)
    assert sum(widths) == pytest.approx(100.0, abs=0.01)
    for (key, value), width in zip(parts.items(), widths, strict=True):
        assert width == pytest.approx(value / footprint.total_t_co2e * 100, abs=0.001), key
        assert figures.PART_LABELS[key] in html
    assert f"Breakdown of {footprint.total_t_co2e:,.0f} t CO2e" in html
    assert "<script" not in html


def test_breakdown_bar_html_names_small_parts_in_their_tooltip_only(footprint) -> None:
    html = bar_html(footprint)
    embodied = footprint.emissions_breakdown_t_co2e()["embodied"]
    assert embodied / footprint.total_t_co2e < 0.06
    assert f'title="Embodied (manufacturing): {embodied:,.1f} t CO2e' in html
    assert f"<span>{embodied:,.0f} t</span>" not in html


def test_breakdown_bar_html_text_reads_on_its_colour() -> None:
    assert figures._text_colour("#0072B2") == "#ffffff"  # dark blue: white text
    assert figures._text_colour("#E69F00") == "#111111"  # orange: black text
    assert figures._text_colour("#56B4E9") == "#111111"  # light blue: black text


def test_breakdown_bar_html_is_larger_in_presentation_mode(footprint) -> None:
    assert "font-size:22px" in bar_html(footprint, large=True)
    assert "font-size:14px" in bar_html(footprint)


def test_difference_figure_draws_the_numbers_it_is_given(footprint) -> None:
    b = estimate(TrainingRun(gpu_count=2048, training_hours=720.0, country_iso3="FRA"))
    difference = comparison.difference_t_co2e(footprint, b)
    fig = figures.difference_figure(difference)
    (bar,) = fig.data
    assert list(bar.y) == list(difference.values())
    assert list(bar.x) == [*figures.PART_LABELS.values(), "Total"]
    assert list(bar.text) == [("+" if d > 0 else "") + fmt.t_co2e(d) for d in difference.values()]


def test_compare_and_breakdown_figures_draw_the_parts_they_are_given(footprint) -> None:
    parts = footprint.emissions_breakdown_t_co2e()
    shares = shares_pct(parts, footprint.total_t_co2e)
    breakdown = figures.breakdown_figure(parts, shares)
    assert [trace.x[0] for trace in breakdown.data] == list(parts.values())
    halved = {key: value / 2 for key, value in parts.items()}
    side_by_side = figures.compare_figure(halved, parts)
    assert [list(trace.y) for trace in side_by_side.data] == [[halved[k], parts[k]] for k in parts]
