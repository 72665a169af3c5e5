"""The QR code of the page's link, for a room to scan in presentation mode: drawn on the server as inline SVG
(segno, pure Python: no network, no image service), redrawn on every rerun so it follows the inputs.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

import segno

#: Error correction level (segno raises it when the same symbol size allows) and the quiet zone [modules].
ERROR_LEVEL, QUIET_ZONE = "l", 4
#: Width of the code on the page [px, at most]: ~60 modules at ~6 px each on a 1920 px projector.
WIDTH_PX = 400
#: Link parameters the shared code leaves out: a phone in the audience opens the ordinary page.
NOT_SHARED = ("present",)


def shared_link(base_url: str, params: Mapping[str, str]) -> str:
    """The link the code carries, as the address bar writes it: ``base_url`` (the app's address, no query) and
    ``params`` but ``NOT_SHARED``."""
    query = urlencode({key: value for key, value in params.items() if key not in NOT_SHARED})
    if not urlsplit(base_url).path:  # st.context.url gives "http://host:8501", the address bar "http://host:8501/"
        base_url += "/"
    return f"{base_url}?{query}"


def link_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` (never a Micro QR: phones' cameras read full QR codes)."""
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_svg(url: str) -> str:
    """The code of ``url`` as an SVG document, black on white in both themes, scaling to its box."""
    svg = link_code(url).svg_inline(border=QUIET_ZONE, dark="#000000", light="#ffffff", omitsize=True)
    return svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" shape-rendering="crispEdges" ', 1)


def qr_html(url: str) -> str:
    """The code of ``url`` as an image (a ``data:`` URI: ``st.html`` strips inline SVG) at most ``WIDTH_PX``
    wide, with a caption. ``url`` appears only as an escaped attribute."""
    data = base64.b64encode(qr_svg(url).encode("ascii")).decode("ascii")
    return (
        f'<figure class="link-qr" style="width:min(100%, {WIDTH_PX}px);margin:0 auto">'
        f'<img src="data:image/svg+xml;base64,{data}" alt="QR code of this scenario\'s link: {html.escape(url)}" '
        'style="display:block;width:100%;height:auto;image-rendering:pixelated">'
        '<figcaption style="text-align:center;font-size:1.1rem">Scan for this scenario</figcaption></figure>'
    )
