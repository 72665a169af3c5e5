"""The QR code of the link (explorer/qr.py): the SVG drawn is segno's code of exactly the link, and the link
is the page's own, less presentation mode."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, urlsplit

import segno

from explorer import qr
from explorer.link import link_params, scenario_from_preset

BASE = "http://127.0.0.1:8501/"


def svg_matrix(html: str) -> list[list[int]]:
    """The dark modules of the SVG drawn by :func:`explorer.qr.qr_html` (segno's path: 'M x y.5' starts a row
    segment, 'h n' draws n modules, 'm dx dy' moves), as rows of 0/1 without the quiet zone."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', html).group(1))
    grid = [[0] * size for _ in range(size)]
    x = y = 0.0
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', html).group(1)
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: ?(-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b or 0)
        else:
            for i in range(int(float(a))):
                grid[int(y)][int(x) + i] = 1
            x += float(a)
    border = qr.QUIET_ZONE
    return [row[border : size - border] for row in grid[border : size - border]]


def test_the_svg_is_the_code_of_the_link() -> None:
    link = qr.shared_link(BASE, link_params(scenario_from_preset("llama-3.1-405b")))
    svg = qr.qr_svg(link)
    code = segno.make(link, error="l", micro=False)
    assert svg_matrix(svg) == [list(row) for row in code.matrix]
    assert code.designator == qr.link_code(link).designator and not code.is_micro
    assert svg_matrix(qr.qr_svg(link + "&pue=1.2")) != svg_matrix(svg)  # another link, another code
    assert base64.b64encode(svg.encode("ascii")).decode("ascii") in qr.qr_html(link)  # the image drawn


def test_the_shared_link_is_the_pages_without_presentation_mode() -> None:
    params = link_params(scenario_from_preset("gpt-3-175b")) | {"present": "1"}
    link = qr.shared_link(BASE, params)
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == BASE
    assert {k: v[0] for k, v in parse_qs(parts.query).items()} == {k: v for k, v in params.items() if k != "present"}
    assert qr.shared_link(BASE.rstrip("/"), params) == link  # st.context.url has no "/" after the port


def test_the_link_is_only_an_escaped_attribute() -> None:
    html = qr.qr_html(BASE + '?country="><script>alert(1)</script>')
    assert "<script" not in html and "&lt;script&gt;" in html
