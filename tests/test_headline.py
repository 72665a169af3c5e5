"""The headline cards (explorer/headline.py): carbon_core's figures with their units, and nothing unescaped."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from carbon_core import estimate
from carbon_core.uncertainty import monte_carlo
from explorer import formatting as fmt
from explorer.headline import (
    OUTSIDE_WORDS,
    VALUE_CLASS,
    Card,
    headline_cards,
    headline_html,
    median_words,
    run_summary,
)

FP = estimate()
INTERVAL = monte_carlo(FP.run).intervals["total_t_co2e"]


def test_cards_are_the_footprints_figures_with_units() -> None:
    cards = {c.label: c for c in headline_cards(FP, INTERVAL)}
    assert len(cards) == 8
    assert cards["Total emissions"].value == fmt.t_co2e(FP.total_t_co2e)
    assert cards["Energy drawn"].value == fmt.energy(FP.facility_energy_kwh)
    assert cards["Fleet power"].value == fmt.power_mw(FP.fleet_power_mw)
    assert cards["Market-based (electricity)"].value == fmt.t_co2e(FP.operational_market_t_co2e)
    assert cards["Whole project"].value == fmt.t_co2e(FP.project_total_t_co2e)
    assert cards["Water consumed"].value == fmt.water(FP.water_total_l)
    assert cards["90 % range [t CO2e]"].value == fmt.count_range(INTERVAL.p5, INTERVAL.p95)
    # Every card says where its number comes from: a visible line, and a tooltip for the four below.
    assert all(c.note for c in cards.values())
    assert all(c.help for c in list(cards.values())[4:])


def test_html_has_one_value_per_card_and_the_summary() -> None:
    cards = headline_cards(FP, INTERVAL)
    markup = headline_html(cards, run_summary(FP))
    assert markup.count(f'class="{VALUE_CLASS}"') == len(cards)
    assert "<style" not in markup  # a style element replaced on every move would restyle the whole page
    assert f"{FP.run.gpu_count:,} ×" in markup


def test_presentation_mode_draws_larger_values() -> None:
    cards = headline_cards(FP, INTERVAL)

    def value_rem(markup: str) -> float:
        return float(re.search(rf'class="{VALUE_CLASS}" style="font-size:([0-9.]+)rem', markup).group(1))

    assert value_rem(headline_html(cards, "", large=True)) > 1.3 * value_rem(headline_html(cards, ""))


@given(st.text(min_size=1, max_size=40))
def test_text_is_escaped(text: str) -> None:
    markup = headline_html([Card(text, text, text, text)], text)
    assert "<script" not in markup.replace("&lt;script", "")
    for tag in re.findall(r"<(/?[a-z]+)", markup):
        assert tag.lstrip("/") in {"div", "span"}, tag
    assert markup.count('"') % 2 == 0  # no attribute broken open by a quote


def test_the_90_range_note_explains_the_p50_against_the_point_estimate() -> None:
    """Issue 15: the P50 differs from the headline total; the note says why, with both numbers."""
    note = {c.label: c for c in headline_cards(FP, INTERVAL)}["90 % range [t CO2e]"].note
    assert fmt.t_co2e(INTERVAL.p50) in note and fmt.t_co2e(FP.total_t_co2e) in note
    assert "uses each input's central value" in note and "median of the samples" in note
    assert "asymmetric" in note


def test_median_words_say_which_side_and_when_they_agree() -> None:
    above, below = median_words(300.0, 326.0), median_words(24.7, 22.3)
    assert "326 t CO2e, is above the point estimate, 300 t CO2e" in above and "further above" in above
    assert "22.3 t CO2e, is below the point estimate, 24.7 t CO2e" in below and "further below" in below
    assert median_words(31.22, 31.221) == "The P50 equals the point estimate, 31.2 t CO2e."


def test_the_90_range_note_says_when_the_total_lies_outside_it() -> None:
    inside = {c.label: c for c in headline_cards(FP, INTERVAL)}["90 % range [t CO2e]"].note
    assert OUTSIDE_WORDS not in inside
    shifted = type(INTERVAL)(FP.total_t_co2e * 1.1, FP.total_t_co2e * 1.2, FP.total_t_co2e * 1.3)
    assert {c.label: c for c in headline_cards(FP, shifted)}["90 % range [t CO2e]"].note.endswith(OUTSIDE_WORDS)
