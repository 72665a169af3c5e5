"""Made for talks and shared links (issue 16), in a real browser: a shared link on a phone opens on the numbers,
bad link parameters are listed in one compact box, and every chart is titled, in readable text, with no mode bar
over its title or legend. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from browser_kit import BrowserLog, headline_value, save_screenshot, view_button, view_panel
from PIL import Image
from playwright.sync_api import Page, expect
from test_dashboard import link_warning_lines

from explorer import qr
from explorer.figures import INPUT_UNITS
from harness.settle import wait_settled

pytestmark = pytest.mark.browser

OpenApp = Callable[[Page, str], None]
NewPage = Callable[..., Page]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}
RERUN_MS = 60_000
AA_CONTRAST = 4.5
UNITS = tuple(f"{unit})" for unit in INPUT_UNITS.values())

# The sidebar's box: a collapsed sidebar is moved off screen (or to zero width).
_SIDEBAR_BOX_JS = """() => {
    const box = document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect();
    return {left: box.left, right: box.right, width: box.width};
}"""

# Is the element's centre the topmost thing there (nothing, e.g. a sidebar, covers it)?
_ON_TOP_JS = """(e) => {
    const box = e.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && (hit === e || e.contains(hit));
}"""


def sidebar_open(page: Page) -> bool:
    box = page.evaluate(_SIDEBAR_BOX_JS)
    return box["width"] > 100 and box["right"] > 100


def test_phone_link_opens_on_the_numbers_and_desktop_keeps_the_sidebar(
    new_page: NewPage, open_app: OpenApp, browser_log: BrowserLog
) -> None:
    phone = new_page(viewport=PHONE)
    open_app(phone, "/?preset=llama-3.1-405b&country=SWE")
    total = headline_value(phone, "Total emissions")
    expect(total).to_have_text("851 t CO2e")
    assert not sidebar_open(phone), phone.evaluate(_SIDEBAR_BOX_JS)
    box = total.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box  # first screen
    assert total.evaluate(_ON_TOP_JS), "something covers the headline total"
    save_screenshot(phone, "test_phone_link-390x844", full=False)

    desktop = new_page(viewport=DESKTOP)
    open_app(desktop, "/?preset=llama-3.1-405b&country=SWE")
    expect(headline_value(desktop, "Total emissions")).to_have_text("851 t CO2e")
    assert sidebar_open(desktop), desktop.evaluate(_SIDEBAR_BOX_JS)
    browser_log.assert_clean()


def test_ten_bad_parameters_are_listed_in_one_compact_box(page: Page, open_app: OpenApp) -> None:
    bad = {f"zz{i}": "1" for i in range(7)} | {"gpus": "0", "pue": "9", "country": "<b>XYZ</b>"}
    open_app(page, "/?" + "&".join(f"{k}={v}" for k, v in bad.items()))
    lines = link_warning_lines(page)
    assert len(lines) == len(bad), lines
    for name in bad:
        assert sum(f"'{name}'" in line for line in lines) == 1, (name, lines)
    assert any("<b>XYZ</b>" in line for line in lines), "the user's text is shown as text"
    assert page.locator('[data-testid="stAlertContentWarning"]').filter(visible=True).count() == 1
    box = page.locator(".st-key-link-warnings").bounding_box()
    assert box is not None and box["height"] < 40 * (len(bad) + 1), box  # compact: about a text line each
    save_screenshot(page, "test_ten_bad_parameters-one-box", full=False)


# For every Plotly chart on the page: its title, the boxes of its title, legend and mode bar, and the font size,
# fill colour and background of its tick and axis-title text.
_CHARTS_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].map((plot) => {
    const rect = (e) => { if (!e) return null; const b = e.getBoundingClientRect();
        return b.width && b.height ? {l: b.left, t: b.top, r: b.right, b: b.bottom} : null; };
    let bg = 'rgba(0, 0, 0, 0)';
    for (let e = plot; e && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg); e = e.parentElement) {
        bg = getComputedStyle(e).backgroundColor;
    }
    if (/rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) bg = getComputedStyle(document.body).backgroundColor;
    const texts = [...plot.querySelectorAll(
        '.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext, .colorbar text')];
    return {
        title: (plot.querySelector('.gtitle') || {}).textContent || '',
        titleBox: rect(plot.querySelector('.gtitle')),
        legendBox: rect(plot.querySelector('.legend')),
        modebarBox: rect(plot.querySelector('.modebar')),
        axisTitles: [...plot.querySelectorAll('.g-xtitle text, .g-ytitle text, .colorbar [class*="title"] text')]
            .map((e) => e.textContent),
        texts: texts.map((e) => ({text: e.textContent, fill: getComputedStyle(e).fill,
                                  size: parseFloat(getComputedStyle(e).fontSize)})),
        background: bg,
    };
})"""


def _rgb(css: str) -> tuple[float, float, float]:
    numbers = css[css.index("(") + 1 : css.index(")")].split(",")
    return float(numbers[0]), float(numbers[1]), float(numbers[2])


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(css: str) -> float:
        channels = [c / 255 for c in _rgb(css)]
        r, g, bl = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _overlap(a: dict[str, float] | None, b: dict[str, float] | None) -> bool:
    if a is None or b is None:
        return False
    return a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]


def _check_charts(page: Page, count: int, where: str) -> list[dict[str, Any]]:
    panel = view_panel(page)
    expect(panel.locator(".js-plotly-plot")).to_have_count(count, timeout=RERUN_MS)
    for i in range(count):  # the mode bar shows while the pointer is over a chart: put it there
        panel.locator(".js-plotly-plot").nth(i).hover(position={"x": 40, "y": 60})
        charts = page.evaluate(_CHARTS_JS)
        chart = charts[i]
        assert chart["title"].strip(), f"{where}: chart {i} has no title"
        assert chart["modebarBox"] is not None, f"{where}: chart {i} shows no mode bar on hover"
        assert not _overlap(chart["modebarBox"], chart["titleBox"]), (where, chart["title"], chart)
        assert not _overlap(chart["modebarBox"], chart["legendBox"]), (where, chart["title"], chart)
    charts = page.evaluate(_CHARTS_JS)
    for chart in charts:
        assert chart["texts"], chart["title"]
        assert chart["axisTitles"] and all(t.strip() for t in chart["axisTitles"]), chart["title"]
        for text in chart["texts"]:
            assert text["size"] >= 14, (where, chart["title"], text)
            assert contrast(text["fill"], chart["background"]) >= AA_CONTRAST, (where, chart["title"], text, chart)
            assert not text["text"].rstrip().endswith("m"), (where, chart["title"], text)  # no milli-tonnes
    return charts


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_charts_are_titled_readable_and_uncovered(
    new_page: NewPage, open_app: OpenApp, browser_log: BrowserLog, theme: str
) -> None:
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport=viewport)
        page.emulate_media(color_scheme=theme)
        size = f"{viewport['width']}x{viewport['height']}"
        open_app(page, "/?preset=llama-3.1-405b&view=countries")
        charts = _check_charts(page, 3, f"countries {size} {theme}")
        assert [c["title"] for c in charts] == [
            "The same run in every country [t CO2e]",
            "Total per country [t CO2e]",
            "The same run in every cloud region, state and province [t CO2e]",
        ]
        save_screenshot(page, f"test_charts-countries-{size}-{theme}")
        open_app(page, "/?preset=llama-3.1-405b&view=uncertainty")
        (tornado,) = _check_charts(page, 1, f"uncertainty {size} {theme}")
        labels = [t["text"] for t in tornado["texts"] if " to " in t["text"]]  # "PUE (1.08 to 1.56, ratio)"
        assert len(labels) >= 3 and all(label.endswith(UNITS) for label in labels), labels
        save_screenshot(page, f"test_charts-uncertainty-{size}-{theme}")
    browser_log.assert_clean()


def shown_code_matches_the_link(page: Page) -> str:
    """Read the QR code on screen module by module (a screenshot, sampled at each module's centre) and check it
    is exactly the code of the page's link (less ``present``); return that link."""
    parts = urlsplit(page.url)
    link = qr.shared_link(f"{parts.scheme}://{parts.netloc}{parts.path}", dict(parse_qsl(parts.query)))
    expected = [list(row) for row in qr.link_code(link).matrix]
    n = len(expected) + 2 * qr.QUIET_ZONE
    image = Image.open(BytesIO(page.locator(".link-qr img").screenshot())).convert("L")
    width, height = image.size
    seen = [
        [int(image.getpixel((int((c + 0.5) * width / n), int((r + 0.5) * height / n))) < 128) for c in range(n)]
        for r in range(n)
    ]
    border = qr.QUIET_ZONE
    assert all(not any(row) for row in seen[:border] + seen[-border:]), "no quiet zone above or below"
    assert [row[border:-border] for row in seen[border:-border]] == expected, f"the code on screen is not {link}"
    return link


def test_presentation_mode_shows_the_links_qr_code(
    new_page: NewPage, open_app: OpenApp, browser_log: BrowserLog
) -> None:
    page = new_page(viewport={"width": 1920, "height": 1080})
    open_app(page, "/?preset=llama-3.1-405b&present=1")
    code = page.locator(".link-qr img")
    expect(code).to_be_visible()
    box = code.bounding_box()
    assert box is not None and box["width"] >= 300 and box["y"] + box["height"] <= 1080, box  # first screen, large
    first = shown_code_matches_the_link(page)
    assert "present" not in first and "preset=llama-3.1-405b" in first
    save_screenshot(page, "test_presentation_qr-1920x1080", full=False)

    view_button(page, "Countries").click()  # the link changes: so does the code
    page.wait_for_url(lambda url: "view=countries" in url, timeout=RERUN_MS)
    wait_settled(page)
    assert "view=countries" in shown_code_matches_the_link(page)
    browser_log.assert_clean()
