"""Save ``docs/screenshot.png``: the dashboard on Llama 3.1 405B moved to Sweden, 1400x900, as the README shows it.

    python -m harness.screenshot                          # starts the app on a free port, then stops it
    python -m harness.screenshot --base-url http://127.0.0.1:8501   # uses an app that is already running

Drives Debian's Chromium (``/usr/bin/chromium``) with Playwright; works offline (only the app is fetched).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Route, sync_playwright

from harness.chromium import VIEWPORT, is_local, launch_options
from harness.server import REPO_ROOT, start_streamlit, stop_process
from harness.settle import wait_settled

SCENARIO = "/?preset=llama-3.1-405b&country=SWE"
SERVER_LOG = REPO_ROOT / "test-artifacts" / "screenshot-server.log"


@contextlib.contextmanager
def running_app() -> Iterator[str]:
    """``streamlit run app.py`` on a free local port (its log in :data:`SERVER_LOG`); yields its base URL."""
    try:
        process, base_url = start_streamlit(SERVER_LOG)
    except RuntimeError as exc:
        raise SystemExit(f"the app did not start: {exc}") from None
    try:
        yield base_url
    finally:
        stop_process(process)


def _local_only(route: Route) -> None:
    if is_local(route.request.url):
        route.continue_()
    else:
        route.abort()


def take(base_url: str, out: Path) -> None:
    """Open the scenario at ``base_url``, wait until it has settled and stopped changing, save ``out``."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        page = browser.new_page(viewport=VIEWPORT)
        page.route("**/*", _local_only)  # offline by construction: only the app itself is fetched
        page.goto(base_url.rstrip("/") + SCENARIO)
        wait_settled(page, timeout_ms=60_000, quiet_ms=500)

        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=out)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m harness.screenshot", description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="an app already running, e.g. http://127.0.0.1:8501")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshot.png")
    args = parser.parse_args()
    if args.base_url:
        take(args.base_url, args.out)
    else:
        with running_app() as base_url:
            take(base_url, args.out)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
