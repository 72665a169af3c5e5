"""Save ``docs/screenshot.png``: the dashboard on Llama 3.1 405B moved to Sweden, 1400x900, as the README shows it.

    python scripts/screenshot.py                          # starts the app on a free port, then stops it
    python scripts/screenshot.py --base-url http://127.0.0.1:8501   # uses an app that is already running

Drives Debian's Chromium (``/usr/bin/chromium``) with Playwright; works offline.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Route, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file (python scripts/screenshot.py), not as a module
    sys.path.insert(0, str(ROOT))
from scripts.headless_chromium import CHROMIUM, CHROMIUM_ARGS, NUMBER_DRAWN_SELECTOR  # noqa: E402

SCENARIO = "/?preset=llama-3.1-405b&country=SWE"
# Settled: no script running, no stale element, the headline drawn.
SETTLED_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && !['running', 'rerunRequested', 'initial'].includes(app.getAttribute('data-test-script-state'))
        && !document.querySelector('[data-testid="stStatusWidget"], [data-stale="true"]')
        && !!document.querySelector(NUMBER_DRAWN);
}""".replace("NUMBER_DRAWN", repr(NUMBER_DRAWN_SELECTOR))
QUIET_JS = """(quietMs) => new Promise((resolve) => {
    let timer = setTimeout(finish, quietMs);
    const cap = setTimeout(finish, 10000);
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(finish, quietMs); });
    function finish() { observer.disconnect(); clearTimeout(timer); clearTimeout(cap); resolve(); }
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
})"""


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def running_app(timeout_s: float = 60.0) -> Iterator[str]:
    """``streamlit run app.py`` on a free local port; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while not _healthy(base_url):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.communicate()[0]
                raise SystemExit(f"the app did not start:\n{output}")
            time.sleep(0.25)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _local_only(route: Route) -> None:
    url = urlsplit(route.request.url)
    if url.scheme in ("data", "blob") or url.hostname in ("127.0.0.1", "localhost", "::1"):
        route.continue_()
    else:
        route.abort()


def take(base_url: str, out: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", _local_only)  # offline by construction: only the app itself is fetched
        page.goto(base_url.rstrip("/") + SCENARIO)
        page.wait_for_function(SETTLED_JS, timeout=60_000)
        page.evaluate(QUIET_JS, 500)

        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=out)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="an app already running, e.g. http://127.0.0.1:8501")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    args = parser.parse_args()
    if args.base_url:
        take(args.base_url, args.out)
    else:
        with running_app() as base_url:
            take(base_url, args.out)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
