"""Issue 15 item 8: the UI says how the market-based figure prices the unmatched share, and that the off-site
water factor is a U.S. default for every country."""

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
    help_text = cards["Market-based (electricity)"].help
    assert "unmatched share is priced here at the same location-based average grid" in help_text
    assert "not at a residual mix" in help_text


def test_the_formula_the_notes_describe() -> None:
    # half matched: the other half at the location-based figure, nothing else (no residual mix)
    assert market_based_t_co2e(100.0, 0.5) == 50.0
    assert market_based_t_co2e(100.0, 0.0) == 100.0


def test_water_card_says_the_off_site_factor_is_a_us_default(cards) -> None:
    water = cards["Water consumed"]
    assert "U.S. average for every country" in water.note
    assert "The off-site factor is the U.S. one whichever country is chosen" in water.help


def test_methodology_text_says_both() -> None:
    text = methodology_text()
    assert "unmatched share is priced at the\nsame location-based average grid, not at a residual mix" in text
    assert "every\ncountry's run is given the U.S. 3.14 L/kWh" in text
