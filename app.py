"""Training Emissions Explorer: a thin Streamlit front end over carbon_core.

It reads the widgets (their state mirrors the URL, see explorer/state.py), calls carbon_core once for the
run and once for every country, and draws the views. No footprint is computed here.
"""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError
from streamlit.delta_generator import DeltaGenerator

from carbon_core import DataFileError
from carbon_core.inputs import InputError
from explorer import cache, chart_text, figures, presentation, qr, sidebar, state, views
from explorer.formatting import escape_markdown
from explorer.link import Scenario, link_params, warnings_markdown
from explorer.page import Page
from explorer.preload import preload_chart_code
from explorer.title import scenario_title
from explorer.warmup import warm_up_and_freeze

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

#: A keyboard focus ring that reads in both themes: 3 px of the theme's primary colour (.streamlit/config.toml;
#: ``light-dark()`` follows the ``color-scheme`` Streamlit sets on the app) drawn outside the element, instead of
#: Streamlit's half-transparent glow (about 2:1 on white). Contrast with what it is drawn on (measured by
#: tests/browser/test_accessibility.py): 6.3:1 on the white page, 5.6:1 on the light sidebar, 9.2:1 on the dark
#: sidebar, 10.9:1 on the dark page. Sliders, radios and switches focus a visually hidden input: the part one sees
#: (a slider's thumb, a radio's label), marked ``data-focus-visible``, carries the ring (a thumb loses its glow, so a
#: gap sets the ring apart). A heading's link icon, invisible until hovered, shows while it has focus. The main
#: area, focusable as a scroll region, has its ring inside (it fills the window). Static CSS, no user text.
FOCUS_RING_COLOUR = "light-dark(#0b6e4f, #3ddc97)"
FOCUS_CSS = f"""
:focus-visible, [data-focus-visible="true"] {{
    outline: 3px solid {FOCUS_RING_COLOUR} !important; outline-offset: 2px !important;
}}
[data-testid="stSlider"] [data-focus-visible="true"] {{ box-shadow: none !important; }}
[data-testid="stMain"]:focus-visible {{ outline-offset: -3px !important; }}
[data-testid="stHeaderActionElements"] a:focus-visible {{ opacity: 1 !important; }}
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
    st.html(f"<style>{figures.CHART_CSS}{chart_text.CHART_TEXT_CSS}{LINK_WARNINGS_CSS}{FOCUS_CSS}</style>")
    link_warnings = st.session_state.get(state.WARNINGS, [])
    if link_warnings:  # one box for all of them, one compact line each (explorer.link.warnings_markdown)
        with st.container(key=LINK_WARNINGS_KEY):
            st.warning(warnings_markdown(link_warnings), icon="⚠️")

    sidebar.render_inputs()
    scenario = state.state_to_scenario(st.session_state)
    state.sync_url(scenario)
    if present:
        focus_layout(scenario)
    else:
        head_left, head_right = st.columns([4, 1.3], vertical_alignment="center")
        head_left.title("Training Emissions Explorer")
        presentation_toggle(head_right)
        st.markdown(f"#### {escape_markdown(scenario_title(scenario))}")
        page = compute_page(scenario, present)
        views.headline(page)
        views.downloads(page)
        view_panel(view_switcher(), page)


def presentation_toggle(where: DeltaGenerator) -> None:
    where.toggle("Presentation mode", key="present", help="Large numbers for a projector; also ?present=1.")


def compute_page(scenario: Scenario, present: bool) -> Page:
    """The run's footprint and Monte Carlo result; on inputs that do not fit, a message naming the input, and stop."""
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
    return Page(footprint, scenario, cache.uncertainty(footprint.run), present)


def view_switcher() -> str:
    """The view switcher; returns the chosen view's label.

    One view at a time: only the chosen view runs and is sent, so a slider move redraws one view, not eight.
    A segmented control rather than lazy st.tabs: the tab bar alone cost the browser ~40 ms per slider move
    (README, "Speed").
    """
    st.session_state.setdefault(VIEW_KEY, next(iter(views.VIEWS)))
    chosen = st.segmented_control("View", list(views.VIEWS), key=VIEW_KEY, required=True, label_visibility="collapsed")
    return str(chosen)


def view_panel(chosen: str, page: Page) -> None:
    with st.container(key=VIEW_PANEL_KEY):
        views.VIEWS.get(chosen, views.breakdown)(page)
    preload_chart_code()  # so the first view with a chart does not wait for Plotly's code (explorer/preload.py)


def focus_layout(scenario: Scenario) -> None:
    """Presentation mode (explorer/presentation.py): the scenario's title and the view switcher across the page;
    below, the hero figure and the chosen view with its main chart filling the first screen, and beside them the
    switch back, the QR code of the link for the room (explorer/qr.py), the other figures and the downloads."""
    st.html(f"<style>{presentation.CSS}</style>")
    st.html(presentation.title_html(scenario_title(scenario)))
    chosen = view_switcher()
    body, side = st.columns([3.3, 1], gap="medium")
    with side:
        st.caption("Training Emissions Explorer")
        presentation_toggle(st)
        st.html(qr.qr_html(qr.shared_link(st.context.url or "", link_params(scenario))))
    with body:
        page = compute_page(scenario, present=True)
        views.hero(page)
        view_panel(chosen, page)
    with side:
        views.all_figures(page)
        views.downloads(page)


main()
