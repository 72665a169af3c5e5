"""Your run among published runs, in a real browser at a laptop-projector size (1280x720): the sentence, the
ranking's bars with the user's run labelled and highlighted, in normal and presentation mode. Screenshots go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from browser_kit import BrowserLog, headline_total, save_element_screenshot, save_screenshot, view_panel
from playwright.sync_api import Page, expect

from carbon_core.published import rank_among_published
from explorer import figures

pytestmark = pytest.mark.browser

OpenApp = Callable[[Page, str], None]
PROJECTOR = {"width": 1280, "height": 720}
RERUN_MS = 60_000


def _user_colour() -> str:
    """The user's bar colour as the browser writes it in a style (``rgb(r, g, b)``)."""
    hex_colour = figures.RANKING_USER_COLOUR.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4)))


@pytest.mark.parametrize("present", [False, True], ids=["normal", "presentation"])
def test_your_run_among_published_runs(
    new_page: Callable[..., Page], open_app: OpenApp, browser_log: BrowserLog, present: bool
) -> None:
    page = new_page(PROJECTOR)
    open_app(page, "/?preset=llama-3.1-405b&view=published" + ("&present=1" if present else ""))
    panel = view_panel(page)
    total = headline_total(page)
    sentence = panel.get_by_text("Your run, ", exact=False).first
    expect(sentence).to_be_visible(timeout=RERUN_MS)
    assert sentence.inner_text().startswith(f"Your run, {total}, ranks 6 of 47 published training runs")

    chart = panel.locator(".js-plotly-plot").first
    expect(chart).to_be_visible(timeout=RERUN_MS)
    label = chart.locator("g.ytick text", has_text=f"Your run: {total}")
    expect(label).to_have_count(1)
    ticks = chart.locator("g.ytick text")
    expect(ticks).to_have_count(rank_among_published(8938.11).count)
    expect(chart.locator("text.xtitle")).to_have_text("t CO2e (log scale)")
    user_bars = chart.locator(f'g.trace.bars path[style*="fill: {_user_colour()}"]')
    expect(user_bars).to_have_count(1)
    # the user's bar sits on the row of its label (same height on the page, within a row)
    bar, text = user_bars.bounding_box(), label.bounding_box()
    assert bar is not None and text is not None
    assert abs((bar["y"] + bar["height"] / 2) - (text["y"] + text["height"] / 2)) < bar["height"]
    font_px = float(label.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
    assert font_px >= (20 if present else 12)
    name = "present" if present else "normal"
    sentence.scroll_into_view_if_needed()
    save_screenshot(page, f"published_ranking-viewport-{name}", full=False)  # what a 1280x720 screen shows first
    save_element_screenshot(page, chart, f"published_ranking-{name}")
    browser_log.assert_clean()
