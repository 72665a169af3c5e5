"""The dashboard in a real browser (Debian's Chromium): shared links, widgets, every tab, the offline world map,
presentation mode, a hostile link, the whole user story, and the chart downloads.

Each test saves a screenshot into ``test-artifacts/screenshots/<test name>.png`` for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_kit import (
    VIEW_CHOSEN,
    BrowserLog,
    headline_total,
    headline_value,
    save_element_screenshot,
    save_screenshot,
    view_button,
    view_names,
    view_panel,
)
from playwright.sync_api import Locator, Page, expect

from explorer.preload import DELAY_MS
from harness.settle import wait_settled

pytestmark = pytest.mark.browser

LLAMA_405B = "/?preset=llama-3.1-405b"
LLAMA_405B_SWE = "/?preset=llama-3.1-405b&country=SWE"
TOTAL_LLAMA_405B = "8,938 t CO2e"  # README: python -m carbon_core estimate --preset llama-3.1-405b
TOTAL_LLAMA_405B_SWE = "851 t CO2e"  # README: ... --country SWE -> 850.7 t
TABS = ["Breakdown", "Countries", "Equivalents", "Published runs", "Methodology"]
OpenApp = Callable[[Page, str], None]
DOWNLOAD_BUTTON = '[data-testid="stDownloadButton"]'


def total_locator(page: Page) -> Locator:
    return headline_value(page, "Total emissions")


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def slider(page: Page, label: str) -> Locator:
    """The ``stSlider`` whose label is exactly ``label``."""
    return page.locator('[data-testid="stSlider"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]').get_by_text(label, exact=True)
    )


def presentation_switch(page: Page) -> Locator:
    return page.get_by_role("switch", name="Presentation mode", exact=True)


def metric_font_px(page: Page) -> float:
    value = headline_value(page, "Total emissions")
    return float(value.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)"))


def choose(page: Page, label: str, text: str) -> None:
    """Pick the option of the selectbox ``label`` that matches ``text``, as a person does: click, type, Enter."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)
    expect(page.get_by_role("option").first).to_contain_text(text)
    page.keyboard.press("Enter")
    wait_settled(page)


# Tabs whose views are charts (each chart must offer PNG and SVG downloads).
CHART_TABS = ["Breakdown", "Countries", "Published runs"]


def chart_download_formats(page: Page) -> list[list[str]]:
    """For each chart of the open tab (a Plotly chart, or the Breakdown's bar drawn as plain HTML), the formats of
    the download buttons right after it ("Download PNG"), its text alternative (explorer/chart_text.py) skipped."""
    return view_panel(page).evaluate(
        r"""(panel) => [...panel.querySelectorAll('[data-testid="stPlotlyChart"], .breakdown-bar')].map((chart) => {
            let next = chart.closest('[data-testid="stElementContainer"]')?.nextElementSibling;
            if (next && next.querySelector('.chart-text')) next = next.nextElementSibling;
            const labels = next ? [...next.querySelectorAll('[data-testid="stDownloadButton"] p')] : [];
            return [...new Set(labels.map((p) => (p.textContent.match(/\b(PNG|SVG)\b/) || ['?'])[0]))].sort();
        })"""
    )


LINK_WARNINGS = ".st-key-link-warnings"


def link_warning_lines(page: Page, visible: bool = True) -> list[str]:
    """One line per rejected link parameter, read from the one box that lists them (app.LINK_WARNINGS_KEY),
    after checking that box's first line counts them; [] when there is no box."""
    boxes = page.locator(f'{LINK_WARNINGS} [data-testid="stAlertContentWarning"]')
    if visible:
        boxes = boxes.filter(visible=True)
    assert boxes.count() <= 1, boxes.all_inner_texts()
    if not boxes.count():
        return []
    head = boxes.locator("p").first.inner_text().strip()
    lines = [item.strip() for item in boxes.locator("li").all_inner_texts()]
    assert head == f"{len(lines)} link parameter{'s were' if len(lines) != 1 else ' was'} not used:", head
    return lines


def visible_warnings(page: Page) -> list[str]:
    """The visible warnings: each line of the link's box, then each other warning box."""
    others = page.locator(f'[data-testid="stAlertContentWarning"]:not({LINK_WARNINGS} *)').filter(visible=True)
    rest = [w.inner_text().strip() for w in others.all()]
    return link_warning_lines(page) + rest


def test_shared_link_restores_the_scenario(page: Page, open_app: OpenApp, browser_log: BrowserLog) -> None:
    open_app(page, LLAMA_405B)
    expect(total_locator(page)).to_have_text(TOTAL_LLAMA_405B)
    assert headline_total(page) == TOTAL_LLAMA_405B
    assert query(page)["preset"] == ["llama-3.1-405b"]
    save_screenshot(page, "test_shared_link_restores_the_scenario-usa")

    open_app(page, LLAMA_405B_SWE)
    expect(total_locator(page)).to_have_text(TOTAL_LLAMA_405B_SWE)
    assert query(page)["country"] == ["SWE"]
    assert "grid" not in query(page), "a country in the link must replace the preset's hand-set grid"
    save_screenshot(page, "test_shared_link_restores_the_scenario")
    assert not page.locator('[data-testid="stException"]').count()
    browser_log.assert_clean()


def test_keyboard_on_pue_slider_updates_url_total_and_chart(
    page: Page, open_app: OpenApp, browser_log: BrowserLog
) -> None:
    open_app(page, LLAMA_405B)
    assert query(page)["pue"] == ["1.1"]
    before_total = headline_total(page)
    chart = page.locator(".breakdown-bar").first
    before_chart = chart.inner_html()
    assert "813 t" in chart.text_content(), "the breakdown chart should label the PUE overhead (813 t)"
    # The first view draws no Plotly chart, so its first render does not load Plotly's 4.6 MiB bundle: only the
    # idle-time preload does (explorer/preload.py), at least DELAY_MS after the page's start.
    started = page.evaluate(
        "() => performance.getEntriesByType('resource').filter((e) => e.name.includes('PlotlyChart'))"
        ".map((e) => e.startTime)"
    )
    assert all(ms >= DELAY_MS for ms in started), started

    thumb = slider(page, "PUE [-]").get_by_role("slider")
    thumb.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => new URLSearchParams(location.search).get('pue') === '1.15'", timeout=15_000)
    wait_settled(page)

    assert query(page)["pue"] == ["1.15"]
    expect(slider(page, "PUE [-]").locator('[data-testid="stSliderThumbValue"]')).to_have_text("1.15")
    expect(total_locator(page)).not_to_have_text(before_total)
    # 23,746,800 kWh / 1.1 x 1.15 x 376.392 g/kWh = 9,344 t
    assert headline_total(page) == "9,344 t CO2e"
    after_chart = chart.inner_html()
    assert after_chart != before_chart, "the breakdown chart did not redraw"
    assert "813 t" not in chart.text_content()
    save_screenshot(page, "test_keyboard_on_pue_slider_updates_url_total_and_chart")
    # Quick key presses mean quick reruns: a download button drawn by an interrupted run must not point at a
    # file the next run has already dropped (console: "Download Button source error - 404").
    browser_log.assert_clean()


# What each tab must show once drawn (a locator inside its panel).
TAB_CONTENT = {
    "Breakdown": ".breakdown-bar",
    "Countries": ".choroplethlayer",
    "Equivalents": '[data-testid="stMetric"]',
    "Published runs": '[data-testid="stExpander"]',
    "Methodology": '[data-testid="stDataFrame"]',
}


def test_every_tab_renders_without_errors(page: Page, open_app: OpenApp, browser_log: BrowserLog) -> None:
    open_app(page, LLAMA_405B_SWE)
    names = view_names(page)
    assert set(TABS) <= set(names), f"views on the page: {names}"
    for name in names:  # the five above, and any tab added since
        tab = view_button(page, name)
        tab.click()
        expect(tab).to_have_attribute(*VIEW_CHOSEN)
        wait_settled(page)
        panel = view_panel(page)
        expect(panel).to_have_count(1)
        if name in TAB_CONTENT:
            expect(panel.locator(TAB_CONTENT[name]).first).to_be_visible()
        assert panel.inner_text().strip(), f"tab {name} is empty"
        formats = chart_download_formats(page)
        assert all(f == ["PNG", "SVG"] for f in formats), f"{name}: chart without PNG/SVG downloads: {formats}"
        assert not page.locator('[data-testid="stException"]').count(), f"exception on tab {name}"
        browser_log.assert_clean()
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        save_element_screenshot(page, panel, f"test_every_tab_renders_without_errors-{slug}")
    save_screenshot(page, "test_every_tab_renders_without_errors")
    browser_log.assert_clean()


def test_world_map_draws_offline_from_the_apps_own_topology(
    page: Page, open_app: OpenApp, app_url: str, browser_log: BrowserLog
) -> None:
    open_app(page, LLAMA_405B_SWE)
    view_button(page, "Countries").click()
    wait_settled(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has=page.locator(".choroplethlayer"))
    expect(chart).to_have_count(1)
    expect(chart).to_be_visible()
    chart.scroll_into_view_if_needed()
    paths = chart.locator(".choroplethlayer path")
    expect(paths.nth(149)).to_be_attached(timeout=15_000)
    stats = chart.evaluate(
        """(c) => {
            const paths = [...c.querySelectorAll('.choroplethlayer path')];
            const drawn = paths.filter((p) => (p.getAttribute('d') || '').length > 20);
            const fills = new Set(drawn.map((p) => getComputedStyle(p).fill));
            const layer = c.querySelector('.choroplethlayer').getBoundingClientRect();
            const box = c.getBoundingClientRect();
            return {paths: paths.length, drawn: drawn.length, fills: fills.size,
                    widthShare: layer.width / box.width, heightShare: layer.height / box.height};
        }"""
    )
    save_element_screenshot(page, chart, "test_world_map_draws_offline_from_the_apps_own_topology")
    assert stats["paths"] >= 150, stats
    assert stats["drawn"] >= 150, f"country paths without a shape (blank map): {stats}"
    assert stats["fills"] >= 5, f"the countries are not coloured by their total (blank map): {stats}"
    assert stats["widthShare"] > 0.5 and stats["heightShare"] > 0.4, f"the map is not drawn at size: {stats}"

    topology = [(url, status) for url, status in browser_log.responses if url.endswith("/world_110m.json")]
    assert topology, f"world_110m.json was never requested; responses: {browser_log.responses}"
    for url, status in topology:
        assert url.startswith(f"{app_url}/app/static/topojson/"), f"topology not served by the app: {url}"
        assert urlsplit(url).hostname == "127.0.0.1"
        assert status == 200, f"{url} answered {status}"
    save_screenshot(page, "test_world_map_draws_offline_from_the_apps_own_topology-page")
    browser_log.assert_clean()


def test_presentation_mode_enlarges_the_numbers(
    new_page: Callable[..., Page], open_app: OpenApp, browser_log: BrowserLog
) -> None:
    page = new_page(viewport={"width": 1920, "height": 1080})
    open_app(page, LLAMA_405B_SWE)
    expect(presentation_switch(page)).not_to_be_checked()
    normal_px = metric_font_px(page)
    save_screenshot(page, "test_presentation_mode_enlarges_the_numbers-normal", full=False)

    open_app(page, LLAMA_405B_SWE + "&present=1")
    expect(presentation_switch(page)).to_be_checked()
    expect(total_locator(page)).to_have_text(TOTAL_LLAMA_405B_SWE)
    present_px = metric_font_px(page)
    assert query(page).get("present") == ["1"]
    save_screenshot(page, "test_presentation_mode_enlarges_the_numbers", full=False)
    assert present_px > normal_px * 1.2, f"presentation {present_px}px vs normal {normal_px}px"
    assert not page.locator('[data-testid="stException"]').count()
    browser_log.assert_clean()


def test_bad_link_is_named_in_warnings_and_never_executed(
    page: Page, open_app: OpenApp, browser_log: BrowserLog
) -> None:
    open_app(page, "/?gpus=0&pue=1.3&foo=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    page.wait_for_timeout(500)  # give an injected script time to open its dialog
    save_screenshot(page, "test_bad_link_is_named_in_warnings_and_never_executed")
    warnings = visible_warnings(page)
    assert len(warnings) == 2, warnings  # one box, one line per rejected parameter, each named once
    assert sum("'gpus'" in w for w in warnings) == 1, warnings
    assert sum("'foo'" in w for w in warnings) == 1, warnings
    assert not browser_log.dialogs, browser_log.dialogs
    assert not page.locator('[data-testid="stMain"] script').count(), "the link injected a script element"

    pue = slider(page, "PUE [-]")
    expect(pue.locator('[data-testid="stSliderThumbValue"]')).to_have_text("1.30")
    expect(pue.get_by_role("slider")).to_have_value("1.3")
    expect(page.get_by_role("spinbutton", name="GPU count [GPUs]")).to_have_value("1024")
    params = query(page)
    assert params["pue"] == ["1.3"] and params["gpus"] == ["1024"] and "foo" not in params, params
    assert not page.locator('[data-testid="stException"]').count()
    browser_log.assert_clean()


def test_user_story_choose_preset_and_country_then_share(
    page: Page, new_page: Callable[..., Page], open_app: OpenApp, browser_log: BrowserLog
) -> None:
    open_app(page, "/")
    choose(page, "Published run (preset)", "Llama 3.1 405B")
    expect(page.get_by_role("combobox", name="Published run (preset)", exact=True)).to_have_value("Llama 3.1 405B")
    expect(total_locator(page)).to_have_text(TOTAL_LLAMA_405B)

    choose(page, "Country", "Sweden")
    expect(page.get_by_role("combobox", name="Country", exact=True)).to_have_value("Sweden (SWE), 36 g/kWh, 2024")
    expect(total_locator(page)).to_have_text(TOTAL_LLAMA_405B_SWE)
    save_screenshot(page, "test_user_story_choose_preset_and_country_then_share")
    shared = page.url
    assert query(page)["country"] == ["SWE"] and query(page)["preset"] == ["llama-3.1-405b"], shared

    friend = new_page()  # a new browser context: nothing shared but the link
    shared_path = "/?" + urlsplit(shared).query
    open_app(friend, shared_path)
    expect(total_locator(friend)).to_have_text(TOTAL_LLAMA_405B_SWE)
    expect(presentation_switch(friend)).not_to_be_checked()
    save_screenshot(friend, "test_user_story_choose_preset_and_country_then_share-shared")

    open_app(friend, shared_path + "&present=1")
    expect(presentation_switch(friend)).to_be_checked()
    expect(total_locator(friend)).to_have_text(TOTAL_LLAMA_405B_SWE)
    save_screenshot(friend, "test_user_story_choose_preset_and_country_then_share-present")
    assert not friend.locator('[data-testid="stException"]').count()
    browser_log.assert_clean()


@pytest.mark.timeout(180)
def test_chart_downloads_png_and_svg(page: Page, open_app: OpenApp, browser_log: BrowserLog, tmp_path: Path) -> None:
    open_app(page, LLAMA_405B)
    # Tabs are drawn lazily, so each tab's charts are checked when it is open.
    for name in CHART_TABS:
        view_button(page, name).click()
        wait_settled(page)
        buttons = chart_download_formats(page)
        assert buttons, f"no chart on tab {name}"
        assert all(formats == ["PNG", "SVG"] for formats in buttons), f"{name}: {buttons}"
    view_button(page, "Breakdown").click()
    wait_settled(page)

    # The breakdown chart is the first chart of the Breakdown tab; its buttons are the block right after it.
    first_chart = view_panel(page).locator('[data-testid="stElementContainer"]:has(.breakdown-bar)')
    breakdown_buttons = first_chart.first.locator("xpath=following-sibling::*[1]").locator(DOWNLOAD_BUTTON)
    for label, check in (
        ("SVG", lambda data: data.lstrip().startswith((b"<svg", b"<?xml"))),
        ("PNG", lambda data: data.startswith(b"\x89PNG\r\n\x1a\n")),
    ):
        with page.expect_download(timeout=60_000) as info:
            breakdown_buttons.get_by_role("button", name=re.compile(rf"\b{label}\b")).click()
        download = info.value
        assert download.failure() is None, download.failure()
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        data = target.read_bytes()
        assert download.suggested_filename == f"footprint-breakdown.{label.lower()}"
        assert check(data), data[:200]
        if label == "SVG":
            assert b"t CO2e" in data, "the SVG does not carry the chart's axis title"
    wait_settled(page)
    save_screenshot(page, "test_chart_downloads_png_and_svg")
    assert not page.locator('[data-testid="stException"]').count()
    browser_log.assert_clean()
