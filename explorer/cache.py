"""One computation per scenario per server process, shared by every session that opens the same inputs.

A room opening one shared link starts hundreds of sessions with the same inputs within seconds; without a
cache each runs the footprint, the 10,000-sample Monte Carlo, every country and the sensitivity again. These
wrappers put carbon_core's results in Streamlit's data cache (``st.cache_data``: each caller receives its own
copy of the stored value, so no session can change what another one reads), keyed on :func:`run_key`: the
complete validated inputs and the data folder they were priced with. Only identical inputs share an entry;
a run that fails validation or cannot become a duration raises in the caller, and nothing is stored.

Bounded: at most :data:`MAX_ENTRIES` scenarios per function (least recently used dropped first), each for
at most :data:`TTL_S`. Concurrent sessions asking for the same key while it is being computed wait for the
first computation (Streamlit holds a lock per key) instead of repeating it.

``EXPLORER_CACHE=off`` in the server's environment bypasses the cache (read once, at import): for measuring
what the cache saves (``python -m benchmarks.audience --no-cache``), not for production.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from carbon_core import Footprint, estimate, price_in_countries
from carbon_core import uncertainty as core_uncertainty
from carbon_core.run import ResolvedRun, TrainingRun
from carbon_core.tables import data_dir

#: Scenarios kept per cached function, and how long one is kept [s]. A talk's audience opens one link (one
#: entry); a few hundred leaves room for everyone who then moves a slider, at ~10-30 kB per entry.
MAX_ENTRIES = 300
TTL_S = 3600
CACHE_ENV = "EXPLORER_CACHE"
ENABLED = os.environ.get(CACHE_ENV, "on").strip().lower() not in {"off", "0", "false", "no"}

_cached = st.cache_data(max_entries=MAX_ENTRIES, ttl=TTL_S, show_spinner=False)


def run_key(run: TrainingRun | ResolvedRun) -> str:
    """Everything the results of ``run`` depend on, as one JSON text: the data folder and every input.

    A :class:`TrainingRun` is the user's inputs (frozen, no extra fields). A :class:`ResolvedRun` also carries,
    outside its dump, the accelerator entry, the grid factor it was priced with (a country's, or one entered
    by hand: the same number, but not the same uncertainty range) and the source of each default: all in.
    """
    parts: dict[str, object] = {
        "data": str(data_dir()),
        "kind": type(run).__name__,
        "inputs": run.model_dump(mode="json"),
    }
    if isinstance(run, ResolvedRun):
        entry = run.accelerator_entry
        parts |= {
            "accelerator": entry.model_dump(mode="json") if entry is not None else None,
            "grid": run.grid.model_dump(mode="json"),
            "sources": run.default_sources,
        }
    return json.dumps(parts, sort_keys=True, separators=(",", ":"))


# The underscore-prefixed argument is not hashed by Streamlit: the key stands for it.
@_cached
def _footprint(key: str, _run: TrainingRun) -> Footprint:
    return estimate(_run)


@_cached
def _uncertainty(key: str, _run: ResolvedRun) -> core_uncertainty.UncertaintyResult:
    return core_uncertainty.monte_carlo(_run)


@_cached
def _countries(key: str, _footprint: Footprint) -> pd.DataFrame:
    return price_in_countries(_footprint)


@_cached
def _sensitivity(key: str, _run: ResolvedRun) -> list[core_uncertainty.Sensitivity]:
    return core_uncertainty.sensitivity(_run)


# Shared, not copied (st.cache_resource): a copy of a Plotly figure is rebuilt through its validators, which is
# what costs (the Countries view's three figures: ~0.3-0.6 s of a rerun).
@st.cache_resource(max_entries=MAX_ENTRIES, ttl=TTL_S, show_spinner=False)
def _figure(key: str, _build: Callable[[], go.Figure]) -> go.Figure:
    return _build()


def figure(
    name: str, run: TrainingRun | ResolvedRun | None, build: Callable[[], go.Figure], *options: object
) -> go.Figure:
    """``build()``, once per figure ``name``, run (``None``: a figure of the bundled data alone) and ``options``
    (the builder's other arguments, e.g. the chosen country and presentation mode): ``build`` must depend on
    nothing else. Every session gets the same object, so no caller may change it (``st.plotly_chart`` and the
    image downloads only read it)."""
    if not ENABLED:
        return build()
    run_part = run_key(run) if run is not None else str(data_dir())
    return _figure(json.dumps([name, run_part, [repr(o) for o in options]]), build)


def footprint(run: TrainingRun) -> Footprint:
    """:func:`carbon_core.estimate` of ``run``, computed once per distinct inputs."""
    return _footprint(run_key(run), run) if ENABLED else estimate(run)


def uncertainty(run: ResolvedRun) -> core_uncertainty.UncertaintyResult:
    """The 10,000-sample Monte Carlo (:func:`carbon_core.uncertainty.monte_carlo`, seed 0) of ``run``."""
    return _uncertainty(run_key(run), run) if ENABLED else core_uncertainty.monte_carlo(run)


def countries(fp: Footprint) -> pd.DataFrame:
    """The footprint's run priced in every country (:func:`carbon_core.price_in_countries`)."""
    return _countries(run_key(fp.run), fp) if ENABLED else price_in_countries(fp)


def sensitivity(run: ResolvedRun) -> list[core_uncertainty.Sensitivity]:
    """The one-at-a-time sensitivity of ``run`` (:func:`carbon_core.uncertainty.sensitivity`)."""
    return _sensitivity(run_key(run), run) if ENABLED else core_uncertainty.sensitivity(run)


def clear() -> None:
    """Drop every stored result (tests)."""
    for function in (_footprint, _uncertainty, _countries, _sensitivity, _figure):
        function.clear()
