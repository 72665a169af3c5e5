"""The dashboard's water (issue 15 item 8): choosing a country sets its off-site factor, and the Water consumed
card and the Equivalents view say, visibly (not only in a tooltip), which factor was used and from where."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from streamlit.testing.v1 import AppTest

from carbon_core import estimate
from explorer import formatting as fmt
from explorer.state import state_to_scenario
from tests.headline_reader import headline

ROOT = Path(__file__).resolve().parents[1]


def _open(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in (params or {}).items():
        at.query_params[name] = value
    return at.run()


def _water_note(at: AppTest) -> str:
    """The visible context line of the Water consumed card."""
    body = next(el.proto.body for el in at.get("html") if 'class="headline"' in el.proto.body)
    match = re.search(r'aria-label="Water consumed".*?class="headline-note"[^>]*>([^<]*)<', body, re.S)
    assert match is not None
    return unescape(match.group(1))


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_choosing_a_country_sets_its_factor_and_the_card_says_so() -> None:
    at = _open()
    _ok(at)
    assert _water_note(at).endswith("off-site factor: U.S. average (3.14 L/kWh, Li et al. 2023)")

    at.sidebar.selectbox(key="country").set_value("SWE").run()
    _ok(at)
    assert at.sidebar.slider(key="ewif").value == 6.0315
    assert at.query_params["ewif"] == "6.0315"
    assert "own factor of Sweden, 6.03 L/kWh (WRI method, via EcoLogits)" in _water_note(at)
    fp = estimate(state_to_scenario(at.session_state).training_run())
    assert fp.run.electricity_water_l_per_kwh == 6.0315
    assert headline(at, "Water consumed") == fmt.water(fp.water_total_l)

    at.sidebar.selectbox(key="country").set_value("KEN").run()
    _ok(at)
    assert at.sidebar.slider(key="ewif").value == 3.14
    assert "U.S. average (3.14 L/kWh, Li et al. 2023) used for Kenya: no per-country factor" in _water_note(at)

    at.sidebar.slider(key="ewif").set_value(2.0).run()
    _ok(at)
    assert _water_note(at).endswith("off-site factor: 2 L/kWh set by hand")


def test_an_old_link_keeps_its_factor_and_the_card_calls_it_out() -> None:
    # link format 1: a link without ewif means 3.14, whatever the country; the card says it is not Sweden's own
    at = _open({"country": "SWE"})
    _ok(at)
    assert at.sidebar.slider(key="ewif").value == 3.14
    assert "U.S. average (3.14 L/kWh, Li et al. 2023) used for Sweden, whose own factor is 6.03 L/kWh" in _water_note(
        at
    )


def test_equivalents_water_figures_name_the_factor() -> None:
    at = _open({"country": "BRA", "ewif": "18.6033"})
    at.session_state["view"] = "Equivalents"
    at.run()
    _ok(at)
    captions = [c.value for c in at.caption]
    water = [c for c in captions if "of the water consumed" in c]
    assert len(water) == 2, captions
    assert all("off-site factor: own factor of Brazil, 18.60 L/kWh (WRI method, via EcoLogits)" in c for c in water)
