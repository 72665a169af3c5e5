"""The talk pack (issue 16, item 7) in a real browser: the file ``python -m explorer.report`` writes, opened from
``file://`` in Chromium with every request but the file itself aborted, must need nothing else: its total, its
four interactive charts and the world map's countries are drawn, and no request was even attempted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from browser_kit import SCREENSHOTS
from playwright.sync_api import Browser, Request, Route

from harness.server import REPO_ROOT

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
