"""Figure builders are plain functions: checked here without a browser."""

from __future__ import annotations

import re

import pytest

from carbon_core import TrainingRun, estimate
from explorer import figures


@pytest.fixture(scope="module")
def footprint():
    return estimate(TrainingRun(gpu_count=1024, training_hours=720.0, country_iso3="USA"))


def test_breakdown_bar_html_has_one_segment_per_part_and_adds_up(footprint) -> None:
    html = figures.breakdown_bar_html(footprint)
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
    html = figures.breakdown_bar_html(footprint)
    embodied = footprint.emissions_breakdown_t_co2e()["embodied"]
    assert embodied / footprint.total_t_co2e < 0.06
    assert f'title="Embodied (manufacturing): {embodied:,.1f} t CO2e' in html
    assert f"<span>{embodied:,.0f} t</span>" not in html


def test_breakdown_bar_html_text_reads_on_its_colour() -> None:
    assert figures._text_colour("#0072B2") == "#ffffff"  # dark blue: white text
    assert figures._text_colour("#E69F00") == "#111111"  # orange: black text
    assert figures._text_colour("#56B4E9") == "#111111"  # light blue: black text


def test_breakdown_bar_html_is_larger_in_presentation_mode(footprint) -> None:
    assert "font-size:22px" in figures.breakdown_bar_html(footprint, large=True)
    assert "font-size:14px" in figures.breakdown_bar_html(footprint)
