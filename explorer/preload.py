"""The Plotly chart's code (Streamlit's 4.7 MB ``PlotlyChart`` chunk), fetched and compiled while the page is idle.

Streamlit loads an element's code the first time such an element is drawn, so the first switch to a view with
a chart waited seconds for Plotly (issue 17 item 5: 1.9-5.4 s against ~0.1 s for the floor's slider). The
first view draws no Plotly chart (its bar is HTML), so the page imports the very module Streamlit will import
(same URL: the browser's module map then hands Streamlit the module already evaluated), once, 2 s after the
page opened and when the main thread is idle, so neither the first render nor a first slider move waits.
A page left before the import has finished aborts its request (:data:`CHUNK_PREFIX`): not an error.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st

#: Streamlit's compiled frontend scripts (their names carry a content hash, different in every release).
STATIC_JS = Path(st.__file__).parent / "static" / "static" / "js"
DELAY_MS = 2000
#: How the preloaded file's name starts (the browser tests do not count its request as failed when a test
#: leaves the page while it is still loading).
CHUNK_PREFIX = "PlotlyChart."

# The script removes its own element once run: the page keeps no script element of its own (a test checks
# that nothing in the page, a link's text included, leaves one there).
SCRIPT = """<script>
(() => {
  if (document.currentScript) document.currentScript.remove();
  if (window.__chartCode) return;
  window.__chartCode = "waiting";
  const load = () => {
    window.__chartCode = "loading";
    import(new URL("static/js/CHUNK", document.baseURI).href).then(
      () => { window.__chartCode = "loaded"; },
      () => { window.__chartCode = "failed"; });
  };
  setTimeout(() => (window.requestIdleCallback || setTimeout)(load, { timeout: 5000 }), DELAY);
})();
</script>"""


@cache
def plotly_chunk() -> str | None:
    """The file name of Streamlit's Plotly chart chunk, or None if this Streamlit has none."""
    found = sorted(STATIC_JS.glob(f"{CHUNK_PREFIX}*.js"))
    return found[0].name if found else None


def preload_chart_code() -> None:
    """Add the script that imports the Plotly chunk once the page is idle (nothing visible; at the page's end)."""
    chunk = plotly_chunk()
    if chunk is not None:
        st.html(SCRIPT.replace("CHUNK", chunk).replace("DELAY", str(DELAY_MS)), unsafe_allow_javascript=True)
