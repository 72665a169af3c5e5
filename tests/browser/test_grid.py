"""The grid told truthfully, in a real browser: the year and region choices under the country, the grid's basis,
the Countries view's sentence on a fresh page (a real grid the cleanest, the World a reference) and the ranking
of cloud regions with the chosen one named. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from browser_kit import BrowserLog, headline_total, save_screenshot, view_panel
from playwright.sync_api import Page, expect
from test_dashboard import choose, query

from carbon_core import estimate
from explorer import formatting as fmt
from explorer.link import parse_link

pytestmark = pytest.mark.browser

OpenApp = Callable[[Page, str], None]
RERUN_MS = 60_000
LOW_PRECISION_NAMES = ("Central African Republic", "Falkland Islands", "Montserrat", "Saint Helena")


def _expected_total(page: Page) -> str:
    """carbon_core's total for the scenario in the page's URL, as the headline prints it."""
    scenario = parse_link(query(page)).scenario
    return fmt.t_co2e(estimate(scenario.training_run()).total_t_co2e)


def test_year_and_region_choices_price_the_run(page: Page, open_app: OpenApp, browser_log: BrowserLog) -> None:
    open_app(page, "/?preset=gpt-3-175b&country=USA")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Basis:", exact=False)).to_contain_text("lifecycle")
    choose(page, "Grid year", "2020")
    page.wait_for_url(lambda url: "grid_year=2020" in url, timeout=RERUN_MS)
    assert headline_total(page) == _expected_total(page)
    assert estimate(parse_link(query(page)).scenario.training_run()).grid_g_co2e_per_kwh == 411.698
    expect(page.get_by_text("(2020, 412 g CO2e/kWh; Ember lifecycle", exact=False)).to_be_visible()

    choose(page, "Cloud region, state or province", "us:TX")
    page.wait_for_url(lambda url: "region=us%3ATX" in url, timeout=RERUN_MS)
    assert "grid_year" not in query(page)
    assert headline_total(page) == _expected_total(page)
    expect(sidebar.get_by_text("Basis:", exact=False)).to_contain_text("location-based")
    save_screenshot(page, "test_year_and_region_choices-texas")
    browser_log.assert_clean()


def test_countries_view_on_a_fresh_page(page: Page, open_app: OpenApp, browser_log: BrowserLog) -> None:
    open_app(page, "/?preset=llama-3.1-405b&region=gcp:europe-north1&view=countries")
    panel = view_panel(page)
    sentence = panel.get_by_text("The same run costs", exact=False)
    expect(sentence).to_be_visible(timeout=RERUN_MS)
    text = sentence.inner_text()
    cleanest = text.split("(cleanest grid")[0].rsplit(" in ", 1)[1]
    assert cleanest not in LOW_PRECISION_NAMES
    assert "World's average grid" in text and "never named cleanest or dirtiest" in text
    expect(panel.get_by_text("Country figures:", exact=False)).to_contain_text("another basis")
    # The sentence on screen, not the regions chart's text alternative (.chart-text), which also states the rank.
    rank = panel.locator("p:not(.chart-text)").filter(has_text="Your region, gcp:europe-north1, ranks")
    expect(rank).to_be_visible()
    expect(panel.locator(".js-plotly-plot")).to_have_count(3, timeout=RERUN_MS)  # ranking, map, regions
    regions_chart = panel.locator(".js-plotly-plot").nth(2)
    expect(regions_chart).to_contain_text("Hamina, Finland (gcp:europe-north1, chosen)")
    assert query(page)["view"] == ["countries"]
    save_screenshot(page, "test_countries_view_on_a_fresh_page")
    browser_log.assert_clean()
