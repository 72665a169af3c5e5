"""Debian's Chromium, headless, as this project drives it: where the browser is, its launch flags and
viewport, which URLs stay on this machine, the listeners that record what a page did wrong, and the
page-side reader of Streamlit's websocket messages.

No Playwright import here (the listeners take any Playwright page, sync or async): the benchmarks' and the
tests' plain-Python parts import this module too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from explorer.headline import VALUE_CLASS
from explorer.preload import CHUNK_PREFIX

CHROMIUM = "/usr/bin/chromium"

#: A page's first number is drawn: a Streamlit metric's value (the floor app, the Compare and Equivalents
#: views) or a card of the dashboard's headline. A CSS selector list.
NUMBER_DRAWN_SELECTOR = f'[data-testid="stMetricValue"], .{VALUE_CLASS}'

# --no-sandbox: we run as root in a container; --disable-gpu: no GPU on these machines. The rest keeps the
# browser from calling home (the tests fail on any request off the machine) and from spending CPU on updates.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
#: The window every page opens in (as the README's screenshot shows the dashboard) [CSS px].
VIEWPORT = {"width": 1400, "height": 900}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def launch_options(*extra_args: str) -> dict[str, Any]:
    """Keyword arguments of Playwright's ``chromium.launch`` (sync or async): this Chromium, headless, with
    :data:`CHROMIUM_ARGS` and ``extra_args``."""
    return {"executable_path": CHROMIUM, "headless": True, "args": [*CHROMIUM_ARGS, *extra_args]}


def is_local(url: str) -> bool:
    """Whether ``url`` stays on this machine (the app itself, or an in-page data:/blob:/about: URL)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


def _preload_cut_off(url: str, failure: str) -> bool:
    """The idle-time import of Plotly's code (explorer/preload.py), aborted because the page was left while it
    was still loading: nothing a person sees."""
    return "ERR_ABORTED" in failure and urlsplit(url).path.rsplit("/", 1)[-1].startswith(CHUNK_PREFIX)


def watch_page(page: Any, report: Callable[[str, str], None], console_types: tuple[str, ...] = ("error",)) -> None:
    """Call ``report(kind, text)`` for each thing ``page`` does that a person would see as broken, or that
    leaves the machine: ``kind`` is ``console`` (a console message of ``console_types``), ``page_errors``
    (an uncaught JavaScript error), ``failed_requests`` (a request to this machine that failed; the others
    are aborted on purpose by the caller's route) or ``external_requests`` (a websocket to another host).
    """

    def on_console(message: Any) -> None:
        if message.type in console_types:
            where = message.location.get("url", "") if message.location else ""
            report("console", f"{message.type}: {message.text} ({where})")

    def on_request_failed(request: Any) -> None:
        if is_local(request.url) and not _preload_cut_off(request.url, str(request.failure)):
            report("failed_requests", f"{request.method} {request.url}: {request.failure}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: report("page_errors", str(error)))
    page.on("requestfailed", on_request_failed)
    page.on("websocket", lambda ws: None if is_local(ws.url) else report("external_requests", f"websocket {ws.url}"))


# A JavaScript function declaration, ``scriptFinishedStatus(buffer)``: reads a binary websocket message as a
# Streamlit ``ForwardMsg`` protobuf at its top level and returns its field 6, ``script_finished`` (a varint enum:
# 0 finished, 2 stopped for a rerun, ...), or null when the message carries none. Paste it into an init script.
SCRIPT_FINISHED_STATUS_JS = r"""
function scriptFinishedStatus(buffer) {
  const b = new Uint8Array(buffer);
  function varint(pos) {
    let value = 0, scale = 1, byte;
    do {
      if (pos >= b.length) return [NaN, pos];
      byte = b[pos++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return [value, pos];
  }
  let pos = 0, key, value;
  while (pos < b.length) {
    [key, pos] = varint(pos);
    if (Number.isNaN(key)) return null;
    const fieldNo = Math.floor(key / 8), wire = key % 8;
    if (wire === 0) {
      [value, pos] = varint(pos);
      if (fieldNo === 6) return Number.isNaN(value) ? null : value;
    } else if (wire === 2) { [value, pos] = varint(pos); pos += value; }
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else return null;
  }
  return null;
}
"""
