"""Fixtures for the real-browser tests: the app served by ``streamlit run``, Debian's Chromium driven by
Playwright, and a page that records everything that would make the dashboard look broken to a person.

Playwright cannot download its own browsers here, so it always launches ``/usr/bin/chromium``. The page
must work with no internet: every request to a host other than 127.0.0.1/localhost is aborted, recorded,
and fails the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_kit import SCREENSHOTS, SERVER_LOG, BrowserLog, save_screenshot
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request, Route, sync_playwright

from harness.chromium import CHROMIUM, VIEWPORT, is_local, launch_options, watch_page
from harness.server import log_tail, start_streamlit, stop_process
from harness.settle import wait_settled

# --- the server -----------------------------------------------------------------------------------------


_server_log_path: list[Path] = []  # set while the server fixture is alive, read by the report hook


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Base URL (no trailing slash) of ``streamlit run app.py`` on a free port, stopped after the session."""
    for stale in SCREENSHOTS.glob("*-FAILED-*.png"):  # failure pictures of an earlier session
        stale.unlink()
    try:
        process, base = start_streamlit(SERVER_LOG)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    _server_log_path.append(SERVER_LOG)
    try:
        yield base
    finally:
        _server_log_path.clear()
        stop_process(process)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """On a failure: the server's log and the browser log in the report, and a screenshot of the page."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    if report.failed and _server_log_path:
        report.sections.append(("streamlit server log (tail)", log_tail(SERVER_LOG)))
    return report


# --- the browser ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless (Playwright's own browser builds cannot be downloaded here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make chromium)")
    browser = playwright_instance.chromium.launch(**launch_options())
    yield browser
    browser.close()


@pytest.fixture
def browser_log() -> BrowserLog:
    """Everything recorded by the pages this test opened (all pages of the test share one log)."""
    return BrowserLog()


def _watch(page: Page, log: BrowserLog) -> None:
    def on_request(request: Request) -> None:
        if not is_local(request.url) and request.url not in log.external_requests:
            log.external_requests.append(request.url)

    def on_dialog(dialog: Any) -> None:
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    watch_page(page, lambda kind, text: getattr(log, kind).append(text), console_types=("error", "warning"))
    page.on("request", on_request)
    page.on("response", lambda response: log.responses.append((response.url, response.status)))
    page.on("dialog", on_dialog)


@pytest.fixture
def new_page(
    browser: Browser, browser_log: BrowserLog, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Page]]:
    """Factory: a page in a new browser context (no shared cookies or storage), recorded in ``browser_log``.

    Requests that leave the machine are aborted and recorded; the test fails if there were any.
    """
    contexts: list[BrowserContext] = []

    def route(route_: Route) -> None:
        url = route_.request.url
        if is_local(url):
            route_.continue_()
            return
        if url not in browser_log.external_requests:
            browser_log.external_requests.append(url)
        route_.abort("internetdisconnected")

    def make(viewport: dict[str, int] | None = None) -> Page:
        context = browser.new_context(viewport=viewport or VIEWPORT, accept_downloads=True)
        context.set_default_timeout(30_000)
        context.route("**/*", route)
        contexts.append(context)
        page = context.new_page()
        _watch(page, browser_log)
        return page

    yield make

    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                try:
                    save_screenshot(page, f"{request.node.name}-FAILED-{i}-{j}", full=True)
                except Exception as exc:  # a crashed page must not hide the test's own failure
                    print(f"no failure screenshot: {exc}")
        print(f"browser log of {request.node.name}:\n{browser_log.summary()}")
    for context in contexts:
        context.close()
    if browser_log.external_requests:
        pytest.fail("the page requested hosts other than this machine:\n" + "\n".join(browser_log.external_requests))


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    """One recorded page (1400x900) in its own browser context."""
    return new_page()


@pytest.fixture
def open_app(app_url: str) -> Callable[[Page, str], None]:
    """Open ``path`` (e.g. '/?preset=llama-3.1-405b') of the app on ``page`` and wait until it has settled."""

    def go(page: Page, path: str = "/") -> None:
        page.goto(app_url + path)
        wait_settled(page, timeout_ms=60_000)

    return go
