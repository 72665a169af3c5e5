"""Accessibility kept (issue 16): axe-core finds no critical or serious violation on any view, in the light and dark
themes and in presentation mode; every chart on every view has a title with its unit and a text alternative stating
its numbers; and a keyboard alone walks from the GPU slider to the view switcher, operating the slider, with a
clearly visible focus ring at every stop. Screenshots go to ``test-artifacts/screenshots/``.

axe-core comes bundled with axe-playwright-python (axe.min.js, injected into the page): nothing is fetched, and the
``new_page`` fixture fails the test on any request that leaves the machine. One page per mode; the views are opened
through the link (``view=``). Running time, measured on a shared 2-core machine: 68 s (light), 71 s (dark) and
99 s (presentation) for the 8 views with axe, 25 s per keyboard walk; 5 min for the file. Over the ~3 minutes aimed
at: the 24 page loads and axe runs cannot be shared, and a mode less would leave a theme unchecked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_kit import BrowserLog, headline_total, save_screenshot, view_panel
from playwright.sync_api import Page
from test_talks import contrast

from explorer.chart_text import CHART_TEXT_CLASS
from explorer.link import VIEW_LABELS
from harness.settle import wait_settled

pytestmark = pytest.mark.browser

OpenApp = Callable[[Page, str], None]
NewPage = Callable[..., Page]
RERUN_MS = 60_000
#: Impacts that fail the test (axe's levels: minor, moderate, serious, critical).
FAILING_IMPACTS = ("critical", "serious")
#: The contrast a focus ring needs against what it is drawn on (WCAG 2.2, 1.4.11 non-text contrast).
RING_CONTRAST = 3.0
MAX_TAB_STOPS = 80
PRESET = "/?preset=llama-3.1-405b"
#: Scenario A of the Compare view, so it draws its two charts.
COMPARE_A = "&a=" + quote("preset=llama-3.1-405b&country=FRA")
CODECARBON_CSV = Path(__file__).resolve().parent.parent / "fixtures" / "codecarbon" / "current_38.csv"
#: How many charts each view draws with the inputs above (Plotly charts, and the Breakdown's HTML bar).
CHARTS_PER_VIEW = {
    "breakdown": 1,
    "uncertainty": 1,
    "countries": 3,
    "equivalents": 0,
    "compare": 2,
    "measured": 1,
    "published": 2,
    "methodology": 0,
}

_axe = Axe()


def open_view(page: Page, open_app: OpenApp, view: str, present: bool) -> None:
    """Open ``view`` from a link (with scenario A for Compare, a CodeCarbon file uploaded for Measured run)."""
    open_app(
        page, f"{PRESET}&view={view}" + ("&present=1" if present else "") + (COMPARE_A if view == "compare" else "")
    )
    if view == "measured":
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(CODECARBON_CSV))
        view_panel(page).get_by_text("Measured energy").first.wait_for(timeout=RERUN_MS)
        wait_settled(page, timeout_ms=RERUN_MS)


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of impact critical or serious on the page as it is (default rules)."""
    return [v for v in _axe.run(page).response["violations"] if v["impact"] in FAILING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']}; "
        + "; ".join(", ".join(node["target"]) for node in v["nodes"][:3])
        + (f" and {len(v['nodes']) - 3} more" if len(v["nodes"]) > 3 else "")
        for v in violations
    )


# Every chart in the view panel: a Plotly chart's title and Streamlit key (its container's st-key- class) and the
# text of the text alternative of that key; or the HTML bar's aria-label.
_CHARTS_JS = """(panel) => [
    ...[...panel.querySelectorAll('[data-testid="stPlotlyChart"]')].map((chart) => {
        const key = (chart.closest('[class*="st-key-"]').className.match(/st-key-(\\S+)/) || [])[1];
        const text = document.querySelector(`.CLASS[data-chart="${key}"]`);
        return {kind: 'plotly', key, title: (chart.querySelector('.gtitle') || {}).textContent || '',
                text: text ? text.textContent : null};
    }),
    ...[...panel.querySelectorAll('.breakdown-bar[role="img"]')].map((bar) => (
        {kind: 'html', key: 'breakdown-bar', title: '', text: bar.getAttribute('aria-label')})),
]""".replace("CLASS", CHART_TEXT_CLASS)


def check_chart_texts(page: Page, view: str, where: str) -> None:
    """Each chart of the view is titled with its unit and has a text alternative stating numbers with units."""
    charts = view_panel(page).evaluate(_CHARTS_JS)
    assert len(charts) == CHARTS_PER_VIEW[view], (where, charts)
    for chart in charts:
        text = chart["text"]
        assert text, f"{where}: chart {chart['key']} ({chart['title']!r}) has no text alternative"
        if chart["kind"] == "plotly":
            assert chart["title"].endswith("[t CO2e]"), (where, chart)
            assert text.startswith(f"Chart: {chart['title']}. "), (where, chart)
        numbers = text.count(" t CO2e") + text.count(" kg CO2e") + text.count(" g CO2e")
        assert numbers >= 2, (where, chart)


@pytest.mark.timeout(420)
@pytest.mark.parametrize("mode", ["light", "dark", "present"])
def test_no_serious_accessibility_violation_and_every_chart_described(
    new_page: NewPage, open_app: OpenApp, browser_log: BrowserLog, mode: str
) -> None:
    page = new_page()
    page.emulate_media(color_scheme="dark" if mode == "dark" else "light")
    found: dict[str, list[dict[str, Any]]] = {}
    for view in VIEW_LABELS:
        open_view(page, open_app, view, present=mode == "present")
        background = page.evaluate("() => getComputedStyle(document.querySelector('.stApp')).backgroundColor")
        assert (background == "rgb(11, 15, 14)") == (mode == "dark"), f"{mode}: the theme is not applied"
        violations = serious_violations(page)
        if violations:
            found[view] = violations
            save_screenshot(page, f"test_accessibility-{mode}-{view}-violations")
        check_chart_texts(page, view, f"{mode} {view}")
    assert not found, f"axe-core ({mode}): critical or serious violations\n" + "\n".join(
        f"{view}:\n{describe(violations)}" for view, violations in found.items()
    )
    browser_log.assert_clean()


_RING_JS = (Path(__file__).resolve().parent / "focus_ring.js").read_text(encoding="utf-8")
# Resolves when the page's CSS transitions and animations have finished (a link icon fades in on focus), or 1 s.
_ANIMATIONS_DONE_JS = """() => Promise.race([
    Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null))),
    new Promise((resolve) => setTimeout(resolve, 1000)),
])"""


def focus_stop(page: Page) -> dict[str, Any]:
    """Where the keyboard focus is and how its ring looks (see focus_ring.js)."""
    page.evaluate(_ANIMATIONS_DONE_JS)
    return page.evaluate(_RING_JS)


def assert_ring_visible(stop: dict[str, Any], where: str) -> None:
    assert stop["inViewport"] and not stop["hidden"] and stop["onTop"], f"{where}: focus on something unseen: {stop}"
    assert stop["ringWidth"] >= 2, f"{where}: no focus ring 2 px wide or more: {stop}"
    ratio = contrast(stop["ring"], stop["background"])
    assert ratio >= RING_CONTRAST, f"{where}: focus ring contrast {ratio:.2f}:1 < {RING_CONTRAST}:1: {stop}"


def gpu_count(page: Page) -> str:
    return parse_qs(urlsplit(page.url).query).get("gpus", [""])[0]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_keyboard_walk_from_the_gpu_slider_to_the_view_switcher(
    page: Page, open_app: OpenApp, browser_log: BrowserLog, theme: str
) -> None:
    page.emulate_media(color_scheme=theme)
    open_app(page, PRESET)
    for _ in range(MAX_TAB_STOPS):  # from the top of the page, by keyboard only, to the GPU slider
        page.keyboard.press("Tab")
        stop = focus_stop(page)
        if stop["name"] == "GPU count (scale)":
            break
    else:
        pytest.fail("Tab never reached the GPU count (scale) slider")
    assert_ring_visible(stop, "GPU slider")
    save_screenshot(page, f"test_keyboard_walk-{theme}-gpu-slider", full=False)

    slider = page.get_by_role("slider", name="GPU count (scale)")
    before_value, before_total, before_gpus = (
        slider.get_attribute("aria-valuetext"),
        headline_total(page),
        gpu_count(page),
    )
    page.keyboard.press("ArrowRight")  # operated by the keyboard: one step up the scale
    page.wait_for_function(
        f"() => new URLSearchParams(location.search).get('gpus') !== '{before_gpus}'", timeout=RERUN_MS
    )
    wait_settled(page, timeout_ms=RERUN_MS)
    after_value = slider.get_attribute("aria-valuetext")
    assert after_value != before_value and int(after_value.replace(",", "")) > int(before_value.replace(",", ""))
    assert gpu_count(page) == after_value.replace(",", ""), (page.url, after_value)
    assert headline_total(page) != before_total, "the page did not update"
    stop = focus_stop(page)
    assert stop["name"] == "GPU count (scale)", f"the slider lost the focus after the page updated: {stop}"

    stops = []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = focus_stop(page)
        stops.append(stop["name"])
        assert_ring_visible(stop, f"{theme}, Tab stop {len(stops)} ({stop['name']!r})")
        if stop["key"] == "view":
            break
    else:
        pytest.fail(f"Tab never reached the view switcher; stops: {stops}")
    assert stop["role"] == "radio" and stop["name"] == next(iter(VIEW_LABELS.values())), stop
    assert "Presentation mode" in stops and "GPU count [GPUs]" in stops, stops
    save_screenshot(page, f"test_keyboard_walk-{theme}-view-switcher", full=False)
    browser_log.assert_clean()
