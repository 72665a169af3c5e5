"""Training Emissions Explorer: a thin Streamlit front end over carbon_core.

It reads the widgets (their state mirrors the URL, see explorer/state.py), calls carbon_core once for the
run and once for every country, and draws the views. No footprint is computed here.
"""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from carbon_core import DataFileError
from carbon_core.inputs import InputError
from explorer import cache, figures, qr, sidebar, state, views
from explorer.formatting import escape_markdown
from explorer.link import link_params, warnings_markdown
from explorer.page import Page
from explorer.preload import preload_chart_code
from explorer.title import scenario_title
from explorer.warmup import warm_up_and_freeze


def presentation_css() -> None:
    """Large numbers and high contrast for a projector (static CSS, no user text)."""
    st.html(
        """<style>
        [data-testid="stMetricValue"] { font-size: 3.4rem !important; font-weight: 700; }
        [data-testid="stMetricLabel"] p { font-size: 1.4rem !important; }
        [data-testid="stCaptionContainer"] p { font-size: 1.1rem !important; }
        .stMainBlockContainer { max-width: 100% !important; padding-top: 2rem; }
        </style>"""
    )


#: Session-state key of the chosen view (restored from the link's ``view``), and the key (CSS class
#: ``st-key-view-panel``) of the view's container.
VIEW_KEY, VIEW_PANEL_KEY = state.VIEW_KEY, "view-panel"


#: Key (CSS class ``st-key-link-warnings``) of the box listing the link's rejected parameters, and its CSS.
LINK_WARNINGS_KEY = "link-warnings"
LINK_WARNINGS_CSS = """
.st-key-link-warnings li { margin: 0; padding: 0; font-size: 0.92em; line-height: 1.35; }
.st-key-link-warnings ul { margin: 0; }
.st-key-link-warnings p { margin-bottom: 0.2em; }
"""


def main() -> None:
    try:
        warm_up_and_freeze()
        state.init_from_url()
    except DataFileError as exc:
        st.error(f"The bundled data is broken, so no figure can be trusted: {escape_markdown(str(exc))}")
        st.stop()
    present = bool(st.session_state.get("present"))
    st.set_page_config(
        page_title="Training Emissions Explorer",
        page_icon="🌍",
        layout="wide",
        # "auto": expanded on a wide screen, collapsed on a phone, where a shared link then opens on the numbers.
        initial_sidebar_state="collapsed" if present else "auto",
    )
    st.html(f"<style>{figures.CHART_CSS}{LINK_WARNINGS_CSS}</style>")
    link_warnings = st.session_state.get(state.WARNINGS, [])
    if link_warnings:  # one box for all of them, one compact line each (explorer.link.warnings_markdown)
        with st.container(key=LINK_WARNINGS_KEY):
            st.warning(warnings_markdown(link_warnings), icon="⚠️")

    sidebar.render_inputs()
    scenario = state.state_to_scenario(st.session_state)
    state.sync_url(scenario)

    head_left, head_right = st.columns([4, 1.3], vertical_alignment="center")
    head_left.title("Training Emissions Explorer")
    head_right.toggle("Presentation mode", key="present", help="Large numbers for a projector; also ?present=1.")
    if present:
        presentation_css()
    st.markdown(f"#### {escape_markdown(scenario_title(scenario))}")

    try:
        footprint = cache.footprint(scenario.training_run())
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "gpu_power_w"
        st.error(escape_markdown(sidebar.input_problem(field, str(err["msg"]).removeprefix("Value error, "))))
        st.stop()
    except InputError as exc:  # inputs that do not fit together: compute, grid year, region
        st.error(escape_markdown(sidebar.input_problem(exc.field, str(exc))))
        st.stop()
    page = Page(footprint, scenario, cache.uncertainty(footprint.run), present)
    if present:  # the headline and, beside it, the QR code of the link for the room (explorer/qr.py)
        numbers, code = st.columns([4, 1.3])
        with numbers:
            views.headline(page)
        code.html(qr.qr_html(qr.shared_link(st.context.url or "", link_params(scenario))))
    else:
        views.headline(page)
    views.downloads(page)

    # One view at a time: only the chosen view runs and is sent, so a slider move redraws one view, not eight.
    # A segmented control rather than lazy st.tabs: the tab bar alone cost the browser ~40 ms per slider move
    # (README, "Speed").
    st.session_state.setdefault(VIEW_KEY, next(iter(views.VIEWS)))
    chosen = st.segmented_control("View", list(views.VIEWS), key=VIEW_KEY, required=True, label_visibility="collapsed")
    with st.container(key=VIEW_PANEL_KEY):
        views.VIEWS.get(chosen, views.breakdown)(page)
    preload_chart_code()  # so the first view with a chart does not wait for Plotly's code (explorer/preload.py)


main()
