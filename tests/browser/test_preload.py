"""Plotly's code is fetched and compiled while the page is idle (explorer/preload.py), so the first switch to a
view with a chart does not wait for it (issue 17 item 5), and the page is otherwise unchanged."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from browser_kit import BrowserLog, view_button, view_panel
from playwright.sync_api import Page

from explorer.preload import DELAY_MS, plotly_chunk
from harness.settle import wait_settled

pytestmark = pytest.mark.browser


def test_the_chart_code_is_loaded_once_while_the_page_is_idle(
    page: Page, open_app: Callable[[Page, str], None], browser_log: BrowserLog
) -> None:
    assert plotly_chunk() is not None, "this Streamlit has no PlotlyChart chunk: the preload does nothing"
    open_app(page, "/")
    page.wait_for_function("() => window.__chartCode === 'loaded'", timeout=30_000)
    fetched = page.evaluate(
        "() => performance.getEntriesByType('resource').filter((e) => e.name.includes('PlotlyChart'))"
        ".map((e) => e.startTime)"
    )
    assert len(fetched) == 1 and fetched[0] >= DELAY_MS, fetched
    left = page.evaluate("() => [...document.scripts].filter((s) => s.textContent.includes('__chartCode')).length")
    assert left == 0, "the preload's script element stayed in the page"

    view_button(page, "Uncertainty").click()
    wait_settled(page)
    view_panel(page).locator(".main-svg").first.wait_for(state="visible")
    # Streamlit's own import of the chunk is the module already loaded: no second request.
    again = page.evaluate(
        "() => performance.getEntriesByType('resource').filter((e) => e.name.includes('PlotlyChart')).length"
    )
    assert again == 1
    browser_log.assert_clean()
