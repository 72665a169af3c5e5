"""Helpers of the real-browser tests (imported by conftest.py and the tests): starting ``streamlit run app.py``,
waiting for Streamlit to settle, reading the headline, screenshots, and the log of what a page did.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from explorer.headline import VALUE_CLASS
from scripts.headless_chromium import NUMBER_DRAWN_SELECTOR

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
SERVER_LOG = REPO_ROOT / "test-artifacts" / "streamlit-server.log"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}
VIEWPORT = {"width": 1400, "height": 900}
TALL_SCREENSHOT_MAX_PX = 8000
SERVER_START_TIMEOUT_S = 60.0

# Streamlit's own markers: the script run state on the app root, the "Running..." widget, stale elements.
_SETTLED_JS = """() => {
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
_QUIET_JS = """([quietMs, maxMs]) => new Promise((resolve) => {
    let timer = null;
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quietMs, true); });
    const cap = setTimeout(done, maxMs, false);
    function done(quiet) { observer.disconnect(); clearTimeout(timer); clearTimeout(cap); resolve(quiet); }
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    timer = setTimeout(done, quietMs, true);
})"""


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


# --- the server -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_get(url: str, timeout_s: float = 2.0) -> str | None:
    """The body of ``url`` as text, or None when it does not answer (a server's /_stcore/health, /metrics)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return response.read().decode("utf-8", "replace").strip()
    except (urllib.error.URLError, OSError):
        return None


def log_tail(path: Path, limit: int = 8_000) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no server log)"
    return text[-limit:]


def start_streamlit(
    log_path: Path,
    *options: str,
    launcher: Sequence[str] = ("-m", "streamlit"),
    env: Mapping[str, str] | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run app.py`` on a free loopback port (plus ``options``), its output in ``log_path``.

    ``launcher``: what follows the Python interpreter on the command line (a script that ends in Streamlit's
    own command line, for instance); ``env``: variables added to the server's environment.
    Returns the process and the base URL (no trailing slash) once /_stcore/health answers 'ok'; raises
    RuntimeError, with the log's tail, when the server exits or does not answer within SERVER_START_TIMEOUT_S.
    """
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    server_env = {**os.environ, **(env or {})}
    server_env.pop("CARBON_CORE_DATA_DIR", None)  # the app under test reads its bundled data
    command = [
        sys.executable, *launcher, "run", "app.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        *options,
    ]  # fmt: skip
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while http_get(f"{base}/_stcore/health") != "ok":
        if process.poll() is not None or time.monotonic() > deadline:
            stop_process(process)
            why = f"exited with status {process.returncode}" if process.returncode is not None else "timed out"
            raise RuntimeError(
                f"streamlit server {why} before /_stcore/health answered 'ok'. Log:\n{log_tail(log_path)}"
            )
        time.sleep(0.25)
    return process, base


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate ``process`` (kill it after 10 s) and reap it."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- pages ----------------------------------------------------------------------------------------------


def is_local(url: str) -> bool:
    """Whether ``url`` stays on this machine (the app itself, or an in-page data:/blob: URL)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


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
            page.wait_for_function(_SETTLED_JS, timeout=remaining_ms)
        except PlaywrightTimeoutError:
            shown = page.locator('[data-testid="stException"], [data-testid="stAlert"]').all_inner_texts()
            raise AssertionError(
                f"the app did not settle with its headline drawn within {timeout_ms / 1000:.0f} s "
                f"({page.url}); errors and alerts on the page: {shown}"
            ) from None
        page.evaluate(_QUIET_JS, [quiet_ms, max_quiet_ms])
        if page.evaluate(_SETTLED_JS) or time.monotonic() > deadline:
            break
    exceptions = page.locator('[data-testid="stException"]').all_inner_texts()
    assert not exceptions, f"the app raised an exception ({page.url}):\n" + "\n".join(exceptions)


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
        page.evaluate(_QUIET_JS, [300, 5_000])
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
        page.evaluate(_QUIET_JS, [300, 5_000])
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
