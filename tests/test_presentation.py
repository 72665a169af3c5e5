"""Presentation mode's focus layout (explorer/presentation.py): the title, the hero figure and what goes one
step away, as plain HTML with carbon_core's numbers and their units, and nothing unescaped."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_core import TrainingRun, estimate
from carbon_core.uncertainty import monte_carlo
from explorer import figures
from explorer import formatting as fmt
from explorer.headline import VALUE_CLASS, Card, headline_cards
from explorer.presentation import HERO_LABELS, hero_equivalent, hero_html, secondary_cards, title_html

LARGE = estimate(TrainingRun(accelerator="h100-sxm", gpu_count=16_384, training_hours=1_882.3, country_iso3="SWE"))
INTERVAL = monte_carlo(LARGE.run).intervals["total_t_co2e"]


def _run(gpus: int, hours: float):
    return estimate(TrainingRun(accelerator="h100-sxm", gpu_count=gpus, training_hours=hours, country_iso3="SWE"))


@pytest.mark.parametrize(
    ("gpus", "hours", "key", "noun"),
    [
        (16_384, 1_882.3, "car_lifetime", "car lifetimes"),  # tens of cars
        (1_024, 24, "transatlantic_flight", "transatlantic flights"),  # a fraction of a car, a few flights
        (8, 24, "miles_driven", "miles driven"),  # not one flight
        (1, 1, "miles_driven", "miles driven"),  # not even one mile: still miles, the last resort
    ],
)
def test_the_hero_names_the_first_equivalent_that_counts_one_or_more(gpus: int, hours: float, key: str, noun: str):
    fp = _run(gpus, hours)
    words, source = hero_equivalent(fp)
    assert words == f"about {fmt.count(fp.equivalents[key])} {noun}"
    assert " t CO2e each" in source or " kg CO2e each" in source or " g CO2e each" in source, source


def test_the_hero_is_the_total_with_its_range_and_an_equivalent() -> None:
    cards = headline_cards(LARGE, INTERVAL)
    markup = hero_html(LARGE, INTERVAL, cards[0])
    assert markup.count(f'class="{VALUE_CLASS}"') == 1  # the page's one total: what tests and benchmarks wait for
    assert 'aria-label="Total emissions"' in markup
    value = re.search(rf'class="{VALUE_CLASS}"[^>]*>([^<]*)<', markup).group(1)
    assert value == fmt.t_co2e(LARGE.total_t_co2e)
    assert f"90 % range {fmt.t_co2e(INTERVAL.p5)} to {fmt.t_co2e(INTERVAL.p95)}" in markup
    assert f"about {fmt.count(LARGE.equivalents['car_lifetime'])} car lifetimes" in markup
    assert "Strubell" in markup  # the equivalent's source
    assert "<style" not in markup


def test_all_figures_are_the_cards_the_hero_does_not_carry() -> None:
    cards = headline_cards(LARGE, INTERVAL)
    others = secondary_cards(cards)
    assert [c.label for c in others] == [c.label for c in cards if c.label not in HERO_LABELS]
    assert {"Energy drawn", "Fleet power", "Market-based (electricity)", "Whole project", "Water consumed"} == {
        c.label for c in others
    }
    assert set(HERO_LABELS) <= {c.label for c in cards}  # a renamed card would silently come back twice


def _title_vw(markup: str) -> float:
    return float(re.search(r"calc\(\(100vw - [0-9.]+rem\) / ([0-9.]+)\)", markup).group(1))


def test_a_longer_title_is_set_smaller_within_bounds() -> None:
    short, long = title_html("Llama 3.1 405B"), title_html("Llama 3.1 405B, " * 8)
    assert _title_vw(long) > _title_vw(short)  # the same width divided among more characters
    for markup in (short, long):
        assert re.search(r"font-size:min\([0-9.]+rem, max\([0-9.]+rem, calc", markup), markup


@given(st.text(min_size=1, max_size=60))
def test_the_title_is_escaped(text: str) -> None:
    markup = title_html(text)
    assert [tag.lstrip("/") for tag in re.findall(r"<(/?[a-z0-9]+)", markup)] == ["h2", "h2"]
    assert markup.count('"') % 2 == 0


def test_the_hero_escapes_the_cards_text() -> None:
    markup = hero_html(LARGE, INTERVAL, Card("Total emissions", "<script>x</script>"))
    assert "<script" not in markup and "&lt;script&gt;" in markup


def test_the_breakdowns_legend_carries_the_tonnes_in_presentation_mode() -> None:
    parts = LARGE.emissions_breakdown_t_co2e()
    shares = {k: 100 * v / LARGE.total_t_co2e for k, v in parts.items()}
    large = figures.breakdown_bar_html(parts, shares, LARGE.total_t_co2e, large=True)
    plain = figures.breakdown_bar_html(parts, shares, LARGE.total_t_co2e)
    for key, value in parts.items():
        assert f"{figures.PART_LABELS[key]} <b>{fmt.t_co2e(value)}</b> ({shares[key]:.0f}%)" in large
        assert f"<b>{fmt.t_co2e(value)}</b>" not in plain
