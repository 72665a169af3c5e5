"""Once per server process: load everything long-lived, then take it out of the garbage collector's way.

Streamlit runs a full ``gc.collect()`` after every script run (``runner.postScriptGC``); its cost grows with
the number of tracked objects, and pandas, plotly and our data tables are many. ``gc.freeze()`` moves every
object alive now into a permanent generation that later collections skip (PERFORMANCE_NOTES.md: ~2x -> ~1.1x
the floor app's rerun time in a prototype).
"""

from __future__ import annotations

import gc

import plotly.graph_objects as go

from carbon_core import estimate, price_in_countries
from carbon_core.data_check import check_data
from carbon_core.uncertainty import monte_carlo

_done = False


def warm_up_and_freeze() -> None:
    """Load the data, build one figure of each kind's building blocks, then ``gc.freeze()`` (first call only)."""
    global _done
    if _done:
        return
    check_data()
    footprint = estimate()
    price_in_countries(footprint)
    monte_carlo(footprint.run, samples=100)
    go.Figure(go.Bar(x=[1], y=[1])).to_plotly_json()
    go.Figure(go.Choropleth(locations=["FRA"], z=[1])).to_plotly_json()
    gc.collect()
    gc.freeze()
    _done = True
