"""How this project drives Debian's Chromium headless, shared by the browser tests, the benchmarks and
``scripts/screenshot.py``: where the browser is, its launch flags, and the page-side reader of Streamlit's
websocket messages.

Playwright cannot download its own browsers here, so every caller launches ``/usr/bin/chromium``.
"""

from __future__ import annotations

from explorer.headline import VALUE_CLASS

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
