"""Helpers of the real-browser tests (imported by conftest.py and the tests): the dashboard's views and
headline, screenshots, and the log of what a page did. Starting the server, launching Chromium and waiting
for a page to settle are the harness's (``harness/``), shared with the benchmarks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page

from explorer.headline import VALUE_CLASS
from harness.chromium import VIEWPORT
from harness.server import REPO_ROOT
from harness.settle import QUIET_JS

SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
SERVER_LOG = REPO_ROOT / "test-artifacts" / "streamlit-server.log"
TALL_SCREENSHOT_MAX_PX = 8000

# Height of everything a person can scroll to: the main area, and the sidebar when it is open (a collapsed
# sidebar keeps its content, wrapped into a tall, invisible column).
_CONTENT_HEIGHT_JS = """() => {
    const heights = [window.innerHeight];
    const main = document.querySelector('[data-testid="stMain"]');
    if (main) heights.push(main.scrollHeight);
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    const content = document.querySelector('[data-testid="stSidebarContent"]');
    if (sidebar && content) {
        const box = sidebar.getBoundingClientRect();
        if (box.width > 50 && box.right > 50) heights.push(content.scrollHeight);
    }
    return Math.max(...heights);
}"""


#: The app's view switcher (a segmented control keyed "view", app.VIEW_KEY) and the container of the chosen view
#: (keyed "view-panel"). The switcher is a radio group; the chosen view's radio carries this attribute and value.
VIEW_SWITCH, VIEW_PANEL = ".st-key-view", ".st-key-view-panel"
VIEW_CHOSEN = ("aria-checked", "true")


def view_button(page: Page, name: str) -> Locator:
    """The button that opens the view ``name`` ("Countries", ...)."""
    return page.locator(VIEW_SWITCH).get_by_role("radio", name=name, exact=True)


def view_names(page: Page) -> list[str]:
    """The views offered, in order."""
    return [name.strip() for name in page.locator(VIEW_SWITCH).get_by_role("radio").all_inner_texts()]


def view_panel(page: Page) -> Locator:
    """What the chosen view draws."""
    return page.locator(VIEW_PANEL)


def headline_card(scope: Page | Locator, label: str) -> Locator:
    """The headline card labelled ``label`` (explorer/headline.py)."""
    return scope.locator(f'.headline-card[aria-label="{label}"]')


def headline_value(page: Page, label: str) -> Locator:
    """The value of the headline card labelled ``label``."""
    return headline_card(page, label).locator(f".{VALUE_CLASS}")


def headline_total(page: Page) -> str:
    """The text of the "Total emissions" headline card, e.g. '8,938 t CO2e'."""
    return headline_value(page, "Total emissions").inner_text().strip()


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")


def save_screenshot(page: Page, name: str, full: bool = True) -> Path:
    """Save ``test-artifacts/screenshots/<name>.png``.

    Streamlit scrolls its main area and its sidebar inside their own containers, so Playwright's
    ``full_page`` sees only the viewport. For a full screenshot the viewport is made as tall as the
    taller of the two (bounded), the page is shot, and the viewport is restored.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{_safe_name(name)}.png"
    size = page.viewport_size or VIEWPORT
    if not full:
        page.screenshot(path=path)
        return path
    needed = page.evaluate(_CONTENT_HEIGHT_JS)
    height = min(int(needed), TALL_SCREENSHOT_MAX_PX)
    if height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": height})
        page.evaluate(QUIET_JS, [300, 5_000])
    try:
        page.screenshot(path=path)
    finally:
        if height > size["height"]:
            page.set_viewport_size(size)
    return path


def save_element_screenshot(page: Page, selector_or_locator: Any, name: str) -> Path:
    """Save a screenshot of one element (taller elements: the viewport is enlarged, as above)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{_safe_name(name)}.png"
    locator = page.locator(selector_or_locator) if isinstance(selector_or_locator, str) else selector_or_locator
    size = page.viewport_size or VIEWPORT
    box = locator.bounding_box()
    tall = box is not None and box["height"] > size["height"] - 100
    if tall:
        height = min(int(box["height"]) + 400, TALL_SCREENSHOT_MAX_PX)
        page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
        page.evaluate(QUIET_JS, [300, 5_000])
    try:
        locator.scroll_into_view_if_needed()
        page.mouse.move(size["width"] // 2, 5)  # park the mouse on the blank header: no hover state in the picture
        locator.screenshot(path=path)
    finally:
        if tall:
            page.set_viewport_size(size)
    return path


@dataclass
class BrowserLog:
    """What the pages of one test did that a person would notice, or that must not happen offline."""

    console: list[str] = field(default_factory=list)  # "error: ..." / "warning: ..."
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    responses: list[tuple[str, int]] = field(default_factory=list)  # (url, status) of every response

    @property
    def console_errors(self) -> list[str]:
        return [m for m in self.console if m.startswith("error:")]

    def summary(self) -> str:
        parts = []
        for name in ("console", "page_errors", "failed_requests", "external_requests", "dialogs"):
            items = getattr(self, name)
            parts.append(f"{name} ({len(items)}):" + "".join(f"\n  {item}" for item in items))
        return "\n".join(parts)

    def assert_clean(self) -> None:
        """No console error, page error, failed or external request, dialog."""
        assert not self.external_requests, f"requests left this machine:\n{self.summary()}"
        assert not self.page_errors, f"JavaScript errors on the page:\n{self.summary()}"
        assert not self.console_errors, f"console errors:\n{self.summary()}"
        assert not self.failed_requests, f"failed requests:\n{self.summary()}"
        assert not self.dialogs, f"dialogs opened:\n{self.summary()}"
