"""Script injection: payloads in links and uploads are shown as text and never run, in a real browser.

Each payload, if it ever ran, would set ``window.__pwned`` or open a dialog; the test fails on either, on
any script element that appears in the page's content, and on any request that leaves 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import pytest
from browser_kit import BrowserLog, save_screenshot, view_button
from playwright.sync_api import Page
from test_dashboard import link_warning_lines

from harness.settle import wait_settled

pytestmark = pytest.mark.browser

OpenApp = Callable[[Page, str], None]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "codecarbon"

PAYLOADS = [
    "<script>window.__pwned=1;alert(1)</script>",
    '"><img src=x onerror="window.__pwned=1;alert(1)">',
    "<svg onload=window.__pwned=1>",
    "javascript:window.__pwned=1",
    "[link](javascript:window.__pwned=1)",
    "<iframe srcdoc='<script>parent.__pwned=1</script>'></iframe>",
]


def assert_nothing_ran(page: Page, log: BrowserLog) -> None:
    page.wait_for_timeout(500)  # time for an injected handler to fire
    assert page.evaluate("() => window.__pwned === undefined"), "an injected script ran"
    assert not log.dialogs, log.dialogs
    main = page.locator('[data-testid="stMain"]')
    assert not main.locator("script").count(), "a script element was injected into the page"
    assert not main.locator("iframe[srcdoc]").count(), "an iframe was injected into the page"
    assert not page.locator('[data-testid="stException"]').count()
    assert not log.external_requests, log.external_requests


@pytest.mark.parametrize("payload", PAYLOADS)
def test_link_payloads_are_shown_as_text(page: Page, open_app: OpenApp, browser_log: BrowserLog, payload: str) -> None:
    link = "/?" + urlencode({"gpu": payload, "country": payload, payload[:20]: "1", "pue": "1.3"})
    open_app(page, link)
    wait_settled(page)
    warnings = link_warning_lines(page, visible=False)  # one box, one line per rejected parameter
    assert sum("'gpu'" in w for w in warnings) == 1 and sum("'country'" in w for w in warnings) == 1, warnings
    assert any("<" in w or "javascript" in w for w in warnings), "the payload should be visible as text"
    assert_nothing_ran(page, browser_log)


def test_upload_payloads_are_shown_as_text(page: Page, open_app: OpenApp, browser_log: BrowserLog) -> None:
    source = (FIXTURES / "current_38.csv").read_text(encoding="utf-8").splitlines()
    header = source[0].split(",")
    rows = []
    for line in source[1:]:
        cells = line.split(",")
        if len(cells) == len(header):
            cells[header.index("country_name")] = '"' + PAYLOADS[1].replace('"', '""') + '"'
            cells[header.index("project_name")] = '"' + PAYLOADS[0] + '"'
        rows.append(",".join(cells))
    tampered = "\n".join([source[0], *rows]) + "\n"

    open_app(page, "/")
    view_button(page, "Measured run").click()
    wait_settled(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": "emissions.csv", "mimeType": "text/csv", "buffer": tampered.encode("utf-8")}
    )
    page.get_by_text("Measured energy").first.wait_for(timeout=30_000)
    wait_settled(page)
    save_screenshot(page, "test_upload_payloads_are_shown_as_text")
    assert page.get_by_text("onerror", exact=False).count() >= 1, "the payload should be visible as text"
    assert_nothing_ran(page, browser_log)
