"""The talk pack (issue 16, item 7) in a real browser: the file ``python -m explorer.report`` writes, opened from
``file://`` in Chromium with every request but the file itself aborted, must need nothing else: its total, its
four interactive charts and the world map's countries are drawn, and no request was even attempted.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from browser_kit import SCREENSHOTS, BrowserLog, view_panel
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, Request, Route

from harness.server import REPO_ROOT
from harness.settle import wait_settled

#: The charts of the talk pack, by their ``data-chart`` name (explorer/report.py).
CHARTS = ("breakdown", "countries", "map", "published")


@pytest.fixture(scope="module")
def talk_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Llama 3.1 405B talk pack, written by the command line as a script would."""
    out = tmp_path_factory.mktemp("talk-pack") / "talk.html"
    done = subprocess.run(
        [sys.executable, "-m", "explorer.report", "--preset", "llama-3.1-405b", "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.timeout(180)
def test_talk_pack_draws_from_file_with_every_request_blocked(browser: Browser, talk_pack: Path) -> None:
    file_url = talk_pack.as_uri()
    attempted: list[str] = []
    problems: list[str] = []

    def route(route_: Route) -> None:
        if route_.request.url == file_url:
            route_.continue_()
            return
        route_.abort("internetdisconnected")

    def on_request(request: Request) -> None:
        if request.url != file_url and not request.url.startswith(("data:", "blob:", "about:")):
            attempted.append(request.url)

    context = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on("request", on_request)
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.goto(file_url, wait_until="load", timeout=60_000)
        for name in CHARTS:  # each chart's SVG is drawn (Plotly adds its main-svg once the figure is plotted)
            page.wait_for_selector(f'figure[data-chart="{name}"] .js-plotly-plot svg.main-svg', timeout=60_000)
        countries = page.locator('figure[data-chart="map"] .geo path.choroplethlocation')
        page.wait_for_function(
            "() => document.querySelectorAll('figure[data-chart=\"map\"] .geo path.choroplethlocation').length > 150",
            timeout=60_000,
        )
        drawn_countries = countries.count()
        bars = page.locator('figure[data-chart="breakdown"] .js-plotly-plot g.point path').count()
        text = page.inner_text("body")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "test_talk_pack.png", full_page=True)
    finally:
        context.close()
    assert not attempted, f"the talk pack asked for more than itself: {attempted}"
    assert not problems, problems
    assert "8,938 t CO2e" in text
    assert drawn_countries > 150, drawn_countries
    assert bars >= 2, "the breakdown drew no bars"


@pytest.mark.timeout(240)
def test_the_app_downloads_slides_and_the_talk_pack(
    page: Page, open_app: Callable[[Page, str], None], app_url: str, browser_log: BrowserLog, tmp_path: Path
) -> None:
    """The dashboard's breakdown PNG is a 1920x1080 slide and its SVG names the scenario and total; its "Download
    talk pack (HTML)" button gives the same file as the command line, linking back to this server."""
    open_app(page, "/?preset=llama-3.1-405b")

    def download(button: Locator) -> bytes:
        with page.expect_download(timeout=90_000) as info:
            button.click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        return target.read_bytes()

    breakdown = view_panel(page).locator('[data-testid="stElementContainer"]:has(.breakdown-bar)')
    buttons = breakdown.first.locator("xpath=following-sibling::*[1]").locator('[data-testid="stDownloadButton"]')
    png = download(buttons.get_by_role("button", name=re.compile(r"\bPNG\b")))
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)
    svg = download(buttons.get_by_role("button", name=re.compile(r"\bSVG\b"))).decode()
    assert "Llama 3.1 405B, Meta&#39;s published run" in svg or "Llama 3.1 405B, Meta's published run" in svg
    assert "Total: 8,938 t CO2e" in svg and "Training Emissions Explorer" in svg

    pack = download(page.get_by_role("button", name="Download talk pack (HTML)")).decode()
    assert "8,938 t CO2e" in pack
    assert f'href="{app_url}/?v=1&amp;preset=llama-3.1-405b&amp;' in pack
    for name in CHARTS:
        assert f'data-chart="{name}"' in pack
    wait_settled(page)
    assert not page.locator('[data-testid="stException"]').count()
    browser_log.assert_clean()
