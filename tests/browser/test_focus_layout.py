"""Presentation mode's focus layout (issue 16, item 2), in a real browser: at 1920x1080 and 1280x720 the
scenario's title, the hero figure and the chosen view's main chart are on the first screen, the chart filling
what the hero leaves; on a phone the sidebar is collapsed and the hero is on the first screen. In the light and
the dark theme; a screenshot of each in ``test-artifacts/screenshots/test_focus_layout-*``.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_kit import BrowserLog, headline_card, save_screenshot
from playwright.sync_api import Locator, Page, expect
from test_talks import _ON_TOP_JS, _SIDEBAR_BOX_JS, contrast, sidebar_open

from harness.settle import QUIET_JS

pytestmark = pytest.mark.browser

OpenApp = Callable[[Page, str], None]
NewPage = Callable[..., Page]
RERUN_MS = 60_000

#: The issue's "done when" link, exactly as it is written there.
DONE_WHEN = "/?preset=llama-3.1-405b&country=SWE&view=countries&present=1"
#: The views opened at each size, and the link of each.
LINKS = {
    "countries": DONE_WHEN,
    "breakdown": "/?preset=llama-3.1-405b&country=SWE&present=1",
    "uncertainty": "/?preset=llama-3.1-405b&country=SWE&view=uncertainty&present=1",
    "compare": "/?preset=llama-3.1-405b&country=SWE&view=compare&a=preset%3Dllama-3.1-405b&present=1",
}
PROJECTORS = [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}]
PHONE = {"width": 390, "height": 844}
#: The main chart fills the screen: its bottom is within this share of the viewport's height of the bottom edge.
FILL_SHARE = 0.12
#: Type sizes a room reads [CSS px]: the hero's value, its range and equivalent, the view switcher's labels.
HERO_MIN_PX, HERO_WORDS_MIN_PX, SWITCHER_MIN_PX = 38, 24, 16

_BACKGROUND_JS = "() => getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor"
_FONT_PX_JS = "(e) => parseFloat(getComputedStyle(e).fontSize)"
_COLOUR_JS = "(e) => getComputedStyle(e).color"


def hero(page: Page) -> Locator:
    """The hero figure's value: the total, as the headline's ``headline-value`` in the group 'Total emissions'."""
    return headline_card(page, "Total emissions").locator(".headline-value")


def main_chart(page: Page, view: str) -> Locator:
    """The view's main chart: the stacked bar of the Breakdown; elsewhere the Plotly chart sized to the screen (the
    tornado, the world map, scenarios A and B)."""
    if view == "breakdown":
        return page.locator(".st-key-view-panel .breakdown-bar")
    return page.locator(".st-key-main-chart .js-plotly-plot")


def box_of(locator: Locator) -> dict[str, float]:
    expect(locator).to_be_visible(timeout=RERUN_MS)
    box = locator.bounding_box()
    assert box is not None, locator
    return box


def on_first_screen(box: dict[str, float], viewport: dict[str, int]) -> bool:
    return box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] and box["x"] + box["width"] <= viewport[
        "width"
    ]


def check_theme(page: Page, theme: str) -> None:
    """The page is drawn in ``theme`` (Streamlit follows the browser's colour scheme), and the hero reads on it."""
    background = page.evaluate(_BACKGROUND_JS)
    dark = sum(int(c) for c in background[background.index("(") + 1 : background.index(")")].split(",")[:3]) < 200
    assert dark == (theme == "dark"), (theme, background)
    assert contrast(hero(page).evaluate(_COLOUR_JS), background) >= 7, "the hero does not stand out"


def check_projector(page: Page, view: str, viewport: dict[str, int]) -> None:
    """Title, hero, its words, QR code and the main chart on the first screen; the chart fills what is left."""
    where = f"{view} {viewport['width']}x{viewport['height']}"
    for name, locator in {
        "title": page.locator(".scenario-title"),
        "hero": hero(page),
        "range": page.locator(".headline-hero .hero-range"),
        "equivalent": page.locator(".headline-hero .hero-equivalent"),
        "QR code": page.locator(".link-qr img"),
        "view switcher": page.locator(".st-key-view"),
        "main chart": main_chart(page, view),
    }.items():
        box = box_of(locator)
        assert on_first_screen(box, viewport), f"{where}: the {name} is not on the first screen: {box}"
    if view != "breakdown":  # the chart takes the screen down to its bottom, not a fixed size above it
        chart = box_of(main_chart(page, view))
        assert chart["y"] + chart["height"] >= viewport["height"] * (1 - FILL_SHARE), f"{where}: {chart}"
    assert box_of(page.locator(".link-qr img"))["width"] >= 240, f"{where}: the QR code is too small for a room"
    assert hero(page).evaluate(_FONT_PX_JS) >= HERO_MIN_PX
    assert page.locator(".headline-hero .hero-range").evaluate(_FONT_PX_JS) >= HERO_WORDS_MIN_PX
    labels = page.locator(".st-key-view").get_by_role("radio")
    assert min(labels.nth(i).evaluate(_FONT_PX_JS) for i in range(labels.count())) >= SWITCHER_MIN_PX


def check_named_and_kept(page: Page) -> None:
    """The issue's link keeps view=countries in the address, and the title names Llama 3.1 405B and Sweden."""
    assert parse_qs(urlsplit(page.url).query).get("view") == ["countries"], page.url
    title = page.locator(".scenario-title").inner_text()
    assert "Llama 3.1 405B" in title and "Sweden" in title, title


def check_done_when(page: Page) -> None:
    """The issue's link opens on the countries map (and see ``check_named_and_kept``)."""
    check_named_and_kept(page)
    chart = main_chart(page, "countries")
    expect(chart.locator("text.gtitle")).to_have_text("Total per country [t CO2e]")
    expect(chart.locator(".choroplethlayer")).to_have_count(1)
    expect(hero(page)).to_have_text("851 t CO2e")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_slide_is_on_the_first_screen(
    new_page: NewPage, open_app: OpenApp, browser_log: BrowserLog, theme: str
) -> None:
    page = new_page(viewport=PROJECTORS[0])
    page.emulate_media(color_scheme=theme)
    for view, link in LINKS.items():
        open_app(page, link)
        for viewport in PROJECTORS:  # one page, the window resized: the layout follows the screen, no rerun
            page.set_viewport_size(viewport)
            page.evaluate(QUIET_JS, [300, 5_000])
            size = f"{viewport['width']}x{viewport['height']}"
            save_screenshot(page, f"test_focus_layout-{view}-{size}-{theme}", full=False)
            check_theme(page, theme)
            check_projector(page, view, viewport)
        if view == "countries":
            check_done_when(page)
    browser_log.assert_clean()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_phone_opens_on_the_hero(new_page: NewPage, open_app: OpenApp, browser_log: BrowserLog, theme: str) -> None:
    page = new_page(viewport=PHONE)
    page.emulate_media(color_scheme=theme)
    for view in ("countries", "breakdown"):
        open_app(page, LINKS[view])
        save_screenshot(page, f"test_focus_layout-{view}-390x844-{theme}", full=False)
        check_theme(page, theme)
        assert not sidebar_open(page), page.evaluate(_SIDEBAR_BOX_JS)
        box = box_of(hero(page))
        assert on_first_screen(box, PHONE), box
        assert hero(page).evaluate(_ON_TOP_JS), "something covers the hero figure"
        title = box_of(page.locator(".scenario-title"))
        assert on_first_screen(title, PHONE), title
        assert page.locator(".scenario-title").evaluate(_ON_TOP_JS), "the header's buttons cover the title"
        if view == "countries":
            check_named_and_kept(page)
    browser_log.assert_clean()


def test_the_other_figures_are_one_step_away(page: Page, open_app: OpenApp, browser_log: BrowserLog) -> None:
    page.set_viewport_size(PROJECTORS[0])
    open_app(page, DONE_WHEN)
    others = ["Energy drawn", "Fleet power", "Market-based (electricity)", "Whole project", "Water consumed"]
    for label in others:  # not eight equal cards: hidden until asked for
        expect(headline_card(page, label)).to_be_hidden()
    expect(page.locator(".headline-card")).to_have_count(1 + len(others))  # the hero and the others, once each
    page.get_by_text("All figures", exact=True).click()
    for label in others:
        expect(headline_card(page, label)).to_be_visible(timeout=RERUN_MS)
    page.evaluate(QUIET_JS, [500, 5_000])  # the expander's opening animation
    expect(headline_card(page, "Energy drawn").locator(".headline-value")).to_have_text("23.75 GWh")
    save_screenshot(page, "test_focus_layout-all-figures-1920x1080", full=False)
    browser_log.assert_clean()
