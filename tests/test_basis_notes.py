"""Issue 15 item 8: the UI says, visibly, how the market-based figure prices the unmatched share, and which
off-site water factor was used and where it comes from."""

from __future__ import annotations

import pytest

from carbon_core import TrainingRun, estimate
from carbon_core.emissions import market_based_t_co2e
from carbon_core.uncertainty import monte_carlo
from explorer.headline import headline_cards
from explorer.views import methodology_text


@pytest.fixture(scope="module")
def cards():
    fp = estimate(TrainingRun(gpu_count=1024, training_hours=720.0, country_iso3="FRA", renewable_share_fraction=0.5))
    return {card.label: card for card in headline_cards(fp, monte_carlo(fp.run, samples=200).intervals["total_t_co2e"])}


def test_market_based_card_says_the_unmatched_share_is_priced_at_the_average_grid(cards) -> None:
    assert "the rest at the average grid, not a residual mix" in cards["Market-based (electricity)"].note
    help_text = cards["Market-based (electricity)"].help
    assert "unmatched share is priced here at the same location-based average grid" in help_text
    assert "not at a residual mix" in help_text


def test_the_formula_the_notes_describe() -> None:
    # half matched: the other half at the location-based figure, nothing else (no residual mix)
    assert market_based_t_co2e(100.0, 0.5) == 50.0
    assert market_based_t_co2e(100.0, 0.0) == 100.0


def test_water_card_names_the_countrys_own_factor_visibly(cards) -> None:
    water = cards["Water consumed"]
    assert "off-site factor: own factor of France, 3.67 L/kWh (WRI method, via EcoLogits)" in water.note
    assert "x 3.6737 L/kWh" in water.help


def test_methodology_text_says_both() -> None:
    text = methodology_text()
    assert "unmatched share is priced at the\nsame location-based average grid, not at a residual mix" in text
    words = " ".join(text.split())
    assert "The electricity figure (EWIF) follows the country" in words
    assert "a country without a factor (or a grid set by hand) takes that U.S. average" in words
