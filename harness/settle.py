"""Waiting until a page of the app has finished its run and stopped changing (sync Playwright): the browser
tests wait so before every look, and :mod:`harness.screenshot` before its picture.
"""

from __future__ import annotations

import time

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from harness.chromium import NUMBER_DRAWN_SELECTOR

# Streamlit's own markers: the script run state on the app root, the "Running..." widget, stale elements.
SETTLED_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return false;
    const runState = app.getAttribute('data-test-script-state');
    if (runState === 'running' || runState === 'rerunRequested' || runState === 'initial') return false;
    if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    if (document.querySelector('[data-testid="stException"]')) return true;  // finished, with an error
    return document.querySelector(NUMBER_DRAWN) !== null;
}""".replace("NUMBER_DRAWN", repr(NUMBER_DRAWN_SELECTOR))

# Resolves once the DOM has not changed for ``quietMs`` (true), or after ``maxMs`` regardless (false).
QUIET_JS = """([quietMs, maxMs]) => new Promise((resolve) => {
    let timer = null;
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quietMs, true); });
    const cap = setTimeout(done, maxMs, false);
    function done(quiet) { observer.disconnect(); clearTimeout(timer); clearTimeout(cap); resolve(quiet); }
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    timer = setTimeout(done, quietMs, true);
})"""


def wait_settled(page: Page, timeout_ms: float = 30_000, quiet_ms: int = 300, max_quiet_ms: int = 10_000) -> None:
    """Wait until Streamlit has finished its run and the page has stopped changing; fail on an app exception.

    First Streamlit's own state (no script running, no "Running..." widget, no stale element, the headline
    metric drawn), then a quiet period: no DOM mutation for ``quiet_ms`` (bounded to ``max_quiet_ms``, as a
    chart may keep animating). A rerun that starts during the quiet period is waited for too.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        remaining_ms = max(1_000.0, (deadline - time.monotonic()) * 1000)
        try:
            page.wait_for_function(SETTLED_JS, timeout=remaining_ms)
        except PlaywrightTimeoutError:
            shown = page.locator('[data-testid="stException"], [data-testid="stAlert"]').all_inner_texts()
            raise AssertionError(
                f"the app did not settle with its headline drawn within {timeout_ms / 1000:.0f} s "
                f"({page.url}); errors and alerts on the page: {shown}"
            ) from None
        page.evaluate(QUIET_JS, [quiet_ms, max_quiet_ms])
        if page.evaluate(SETTLED_JS) or time.monotonic() > deadline:
            break
    exceptions = page.locator('[data-testid="stException"]').all_inner_texts()
    assert not exceptions, f"the app raised an exception ({page.url}):\n" + "\n".join(exceptions)
