"""The dashboard through Streamlit's AppTest: widgets, headline numbers and the share link in the URL."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from carbon_core import estimate, presets, reproduce_all
from explorer import formatting as fmt
from explorer import presentation
from explorer.link import LINK_V1_DEFAULTS, WARNING_ITEM, link_params, parse_link, scenario_from_preset
from explorer.state import state_to_scenario
from tests.headline_reader import headline, headline_values

ROOT = Path(__file__).resolve().parents[1]
HEADLINE_LABELS = ["Total emissions", "Energy drawn", "Fleet power", "Car lifetimes"]
TABS = [
    "Breakdown",
    "Uncertainty",
    "Countries",
    "Equivalents",
    "Compare A vs B",
    "Measured run",
    "Published runs",
    "Methodology",
]
#: Below the four headline cards: market-based, whole project, uncertainty, water.
SECOND_ROW_LABELS = ["Market-based (electricity)", "Whole project", "90 % range [t CO2e]", "Water consumed"]
#: Warnings the Published runs tab always shows (one per preset that carries one).
PRESET_WARNINGS = sum(1 for r in reproduce_all() if r.warning)
ENERGY_UNITS = {"kWh": 1.0, "MWh": 1e3, "GWh": 1e6}
Params = dict[str, str | list[str]]


def open_app(params: Params | None = None) -> AppTest:
    """A fresh session opened on a link with query ``params``, after its first run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in (params or {}).items():
        at.query_params[name] = value
    return at.run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def unescape(text: str) -> str:
    """Text as displayed: the app escapes Markdown control characters with backslashes."""
    return re.sub(r"\\(.)", r"\1", text)


def link_warning_lines(at: AppTest) -> list[str]:
    """The lines of the one box listing the link's rejected parameters, as written (escaped); [] if none."""
    boxes = [w.value for w in at.warning if "not used:" in w.value.split("\n", 1)[0]]
    assert len(boxes) <= 1, boxes
    if not boxes:
        return []
    head, _, body = boxes[0].partition("\n\n")
    lines = [line.removeprefix(WARNING_ITEM) for line in body.split("\n")]
    assert head == f"{len(lines)} link parameter{'s were' if len(lines) != 1 else ' was'} not used:", head
    return lines


def link_warnings(at: AppTest) -> list[str]:
    """One line per rejected link parameter, as displayed (Markdown escapes removed)."""
    return [unescape(line) for line in link_warning_lines(at)]


def open_with_one_warning(params: Params, name: str | None = None) -> tuple[AppTest, str]:
    """The app opened on ``params``, which draw exactly one link warning (naming ``name``, if given), and it."""
    at = open_app(params)
    no_exception(at)
    warnings = link_warnings(at)
    assert len(warnings) == 1, warnings
    if name is not None:
        assert f"'{name}'" in warnings[0]
    return at, warnings[0]


def total_t(at: AppTest) -> float:
    value = headline(at, "Total emissions")
    assert value.endswith(" t CO2e"), value
    return float(value.removesuffix(" t CO2e").replace(",", ""))


def energy_kwh(at: AppTest) -> float:
    number, unit = headline(at, "Energy drawn").split()
    return float(number.replace(",", "")) * ENERGY_UNITS[unit]


def url(at: AppTest) -> dict[str, Any]:
    return {name: at.query_params[name] for name in at.query_params}


def assert_consistent(at: AppTest) -> None:
    """The URL carries exactly the scenario in the widgets, and the headline shows carbon_core's figures for it."""
    parsed = parse_link(url(at))
    assert parsed.warnings == []
    assert parsed.scenario == state_to_scenario(at.session_state)
    footprint = estimate(parsed.scenario.training_run())
    assert headline(at, "Total emissions") == fmt.t_co2e(footprint.total_t_co2e)
    assert headline(at, "Energy drawn") == fmt.energy(footprint.facility_energy_kwh)


# --- the default page -------------------------------------------------------------------------------------


def test_default_page_renders() -> None:
    at = open_app()
    no_exception(at)
    assert link_warnings(at) == []
    assert list(headline_values(at)) == HEADLINE_LABELS + SECOND_ROW_LABELS
    assert headline(at, "Total emissions").endswith(" t CO2e")
    assert headline(at, "Energy drawn").endswith("Wh")
    assert headline(at, "Fleet power").endswith("W")
    assert at.segmented_control(key="view").options == TABS
    assert at.segmented_control(key="view").value == "Breakdown"
    assert_consistent(at)


def test_default_url_carries_every_input() -> None:
    at = open_app()
    params = url(at)
    assert params["v"] == "1"
    expected = {
        "gpu",
        "gpus",
        "days",
        "power_w",
        "util",
        "server_w",
        "pue",
        "country",
        "embodied_kg",
        "lifetime_y",
        "attribution",
    }
    assert expected <= set(params)
    assert params == link_params(LINK_V1_DEFAULTS)
    assert params["power_w"] == "700"


# --- every input moves the right numbers ------------------------------------------------------------------

# (widget kind, key, new value, URL parameter, its URL text, direction of the total, direction of the energy)
CHANGES = [
    ("number_input", "gpus", 2048, "gpus", "2048", +1, +1),
    ("number_input", "duration", 60.0, "days", "60", +1, +1),
    ("slider", "power_w", 350.0, "power_w", "350", -1, -1),
    ("slider", "util", 0.5, "util", "0.5", -1, -1),
    ("slider", "server_w", 500.0, "server_w", "500", +1, +1),
    ("slider", "pue", 1.5, "pue", "1.5", +1, +1),
    ("slider", "embodied_kg", 2000.0, "embodied_kg", "2000", +1, 0),
    ("radio", "attribution", "full", "attribution", "full", +1, 0),
    ("slider", "lifetime_y", 8.0, "lifetime_y", "8", -1, 0),
    ("selectbox", "country", "FRA", "country", "FRA", -1, 0),
]


def _direction(before: float, after: float) -> int:
    return (after > before) - (after < before)


@pytest.mark.parametrize(
    ("kind", "key", "value", "param", "text", "total_dir", "energy_dir"), CHANGES, ids=[c[1] for c in CHANGES]
)
def test_input_moves_the_numbers(
    kind: str, key: str, value: Any, param: str, text: str, total_dir: int, energy_dir: int
) -> None:
    at = open_app()
    total, energy = total_t(at), energy_kwh(at)
    assert url(at)[param] != text
    getattr(at.sidebar, kind)(key=key).set_value(value).run()
    no_exception(at)
    assert at.session_state[key] == value
    assert url(at)[param] == text
    assert _direction(total, total_t(at)) == total_dir
    assert _direction(energy, energy_kwh(at)) == energy_dir
    assert_consistent(at)


def test_water_sliders_move_the_water_not_the_carbon() -> None:
    at = open_app()
    total, water = total_t(at), headline(at, "Water consumed")
    expected = estimate(LINK_V1_DEFAULTS.training_run())
    assert water == fmt.water(expected.water_total_l)
    at.sidebar.slider(key="wue").set_value(1.8).run()
    no_exception(at)
    assert url(at)["wue"] == "1.8"
    changed = estimate(dataclasses.replace(LINK_V1_DEFAULTS, wue=1.8).training_run())
    assert headline(at, "Water consumed") == fmt.water(changed.water_total_l)
    assert changed.water_total_l > expected.water_total_l
    at.sidebar.slider(key="ewif").set_value(0.0).run()
    assert url(at)["ewif"] == "0"
    on_site_only = estimate(dataclasses.replace(LINK_V1_DEFAULTS, wue=1.8, ewif=0.0).training_run())
    assert on_site_only.water_total_l == on_site_only.water_on_site_l
    assert headline(at, "Water consumed") == fmt.water(on_site_only.water_total_l)
    assert total_t(at) == total  # water does not change the carbon figures


def test_water_equivalents_are_shown() -> None:
    at = open_tab(open_app({"wue": "1", "ewif": "2"}), "Equivalents")
    no_exception(at)
    fp = estimate(dataclasses.replace(LINK_V1_DEFAULTS, wue=1.0, ewif=2.0).training_run())
    shown = {m.label: m.value for m in at.metric}
    assert shown["Olympic swimming pools of water"] == fmt.count(fp.equivalents["olympic_pool"])
    assert fp.equivalents["olympic_pool"] == pytest.approx(fp.water_total_l / 2.5e6)


def test_country_fra_is_cleaner_than_pol() -> None:
    at = open_app()
    country = at.sidebar.selectbox(key="country")
    country.set_value("FRA").run()
    fra, fra_energy = total_t(at), energy_kwh(at)
    assert url(at)["country"] == "FRA"
    at.sidebar.selectbox(key="country").set_value("POL").run()
    no_exception(at)
    assert url(at)["country"] == "POL"
    assert fra < total_t(at)
    assert energy_kwh(at) == fra_energy
    assert_consistent(at)


def test_grid_override() -> None:
    at = open_app()
    usa, energy = total_t(at), energy_kwh(at)
    assert "grid" not in url(at)
    at.sidebar.toggle(key="grid_override").set_value(True).run()
    no_exception(at)
    assert "grid" in url(at)
    at.sidebar.slider(key="grid").set_value(50.0).run()
    no_exception(at)
    assert url(at)["grid"] == "50"
    assert total_t(at) < usa
    assert energy_kwh(at) == energy
    assert_consistent(at)
    at.sidebar.slider(key="grid").set_value(1000.0).run()
    assert url(at)["grid"] == "1000"
    assert total_t(at) > usa
    assert_consistent(at)
    at.sidebar.toggle(key="grid_override").set_value(False).run()
    no_exception(at)
    assert "grid" not in url(at)
    assert total_t(at) == usa


def test_duration_unit_keeps_the_duration() -> None:
    at = open_app()
    total = headline(at, "Total emissions")
    at.sidebar.radio(key="duration_unit").set_value("hours").run()
    no_exception(at)
    assert at.session_state["duration"] == 720.0
    assert url(at)["hours"] == "720"
    assert "days" not in url(at)
    assert headline(at, "Total emissions") == total
    at.sidebar.radio(key="duration_unit").set_value("days").run()
    assert at.session_state["duration"] == 30.0
    assert url(at)["days"] == "30"
    assert headline(at, "Total emissions") == total


def test_gpu_scale_slider_and_exact_count() -> None:
    at = open_app()
    at.sidebar.select_slider(key="gpus_scale").set_value(16384).run()
    no_exception(at)
    assert at.sidebar.number_input(key="gpus").value == 16384
    assert url(at)["gpus"] == "16384"
    assert_consistent(at)
    at.sidebar.number_input(key="gpus").set_value(8).run()
    no_exception(at)
    assert at.sidebar.number_input(key="gpus").value == 8
    assert at.sidebar.select_slider(key="gpus_scale").value == 8
    assert url(at)["gpus"] == "8"
    assert_consistent(at)


def test_new_accelerator_sets_power_to_its_tdp() -> None:
    at = open_app()
    total = total_t(at)
    at.sidebar.selectbox(key="gpu").set_value("a100-sxm4-80gb").run()
    no_exception(at)
    assert at.sidebar.slider(key="power_w").value == 400.0
    assert url(at)["gpu"] == "a100-sxm4-80gb"
    assert url(at)["power_w"] == "400"
    assert total_t(at) < total
    assert_consistent(at)


def test_preset_fills_every_input_then_country_drops_the_override() -> None:
    at = open_app()
    at.sidebar.selectbox(key="preset").set_value("llama-3.1-405b").run()
    no_exception(at)
    sb = at.sidebar
    assert sb.number_input(key="gpus").value == 16384
    assert sb.slider(key="power_w").value == 700.0
    assert sb.slider(key="pue").value == 1.1
    assert sb.slider(key="server_w").value == 0.0
    assert sb.slider(key="embodied_kg").value == 0.0
    assert sb.toggle(key="grid_override").value is True
    assert sb.slider(key="grid").value == 376.392
    assert sb.radio(key="attribution").value == "full"
    assert sb.radio(key="duration_unit").value == "hours"
    assert sb.number_input(key="duration").value == 1882.32421875
    assert headline(at, "Total emissions") == "8,938 t CO2e"
    assert url(at)["preset"] == "llama-3.1-405b"
    assert_consistent(at)

    at.sidebar.selectbox(key="country").set_value("SWE").run()
    no_exception(at)
    assert at.sidebar.toggle(key="grid_override").value is False
    assert "grid" not in url(at)
    assert url(at)["country"] == "SWE"
    assert total_t(at) < 1_000
    assert_consistent(at)


# --- a link restores every input --------------------------------------------------------------------------

# parameter: (non-default valid value, {session-state key: value it must restore})
RESTORE: dict[str, tuple[str, dict[str, Any]]] = {
    "v": ("1", {}),
    "preset": (
        "gpt-3-175b",
        {"preset": "gpt-3-175b", "gpu": "v100-sxm2-32gb", "gpus": 10000, "power_w": 330.0, "grid": 429.0},
    ),
    "gpu": ("mi300x", {"gpu": "mi300x", "power_w": 750.0}),
    "gpus": ("4096", {"gpus": 4096, "gpus_scale": 4096}),
    "hours": ("100", {"duration_unit": "hours", "duration": 100.0}),
    "days": ("12.5", {"duration_unit": "days", "duration": 12.5}),
    "power_w": ("450", {"power_w": 450.0}),
    "util": ("0.55", {"util": 0.55}),
    "server_w": ("100", {"server_w": 100.0}),
    "pue": ("1.3", {"pue": 1.3}),
    "country": ("FRA", {"country": "FRA", "grid_override": False}),
    "grid": ("57", {"grid_override": True, "grid": 57.0}),
    "embodied_kg": ("150", {"embodied_kg": 150.0}),
    "lifetime_y": ("6.5", {"lifetime_y": 6.5}),
    "attribution": ("full", {"attribution": "full"}),
    "present": ("1", {"present": True}),
    "renewable": ("0.5", {"renewable": 0.5}),
    "project": ("2.45", {"project": 2.45}),
    "wue": ("1.8", {"wue": 1.8}),
    "ewif": ("0", {"ewif": 0.0}),
    "view": ("countries", {"view": "Countries"}),
    "grid_year": ("2020", {"grid_year": 2020, "country": "USA"}),
    "region": ("gcp:europe-north1", {"region": "gcp:europe-north1", "country": "FIN", "grid_override": False}),
}
#: Parameters that only make sense together or nest a whole link: tested on their own below (and the precision of
#: the peak, with the compute, in tests/test_precision.py).
COMBINED = {"params", "active_params", "tokens", "mfu", "a", "precision"}


def test_restore_table_covers_every_documented_parameter() -> None:
    from explorer.link import ALL_PARAMS

    assert set(RESTORE) | COMBINED == set(ALL_PARAMS)


def test_compute_mode_on_an_accelerator_without_peak_throughput_says_why() -> None:
    at = open_app()
    at.sidebar.radio(key="duration_mode").set_value("compute").run()
    at.sidebar.selectbox(key="gpu").set_value("a10g").run()  # no tensor peak in any source read (the A10 has one)
    assert not at.exception
    assert len(at.error) == 1
    assert "has no peak dense TFLOP/s" in at.error[0].value and '"the duration"' in at.error[0].value
    at.sidebar.radio(key="duration_mode").set_value("duration").run()
    no_exception(at)
    assert not at.error
    assert url(at)["gpu"] == "a10g"
    assert_consistent(at)


def test_compute_parameters_restore_the_compute_mode() -> None:
    at = open_app({"params": "70000000000", "tokens": "15000000000000", "mfu": "0.38"})
    no_exception(at)
    assert link_warnings(at) == []
    assert at.session_state["duration_mode"] == "compute"
    assert at.session_state["params_b"] == 70.0
    assert at.session_state["tokens_t"] == 15.0
    assert at.get_by_key("mfu").value == 0.38 and url(at)["mfu"] == "0.38"
    # Back to a given duration and into compute mode again: the model size, tokens and MFU are kept.
    at.sidebar.radio(key="duration_mode").set_value("duration").run()
    at.sidebar.radio(key="duration_mode").set_value("compute").run()
    no_exception(at)
    assert (at.session_state["params_b"], at.session_state["tokens_t"], at.session_state["mfu"]) == (70.0, 15.0, 0.38)
    assert url(at)["params"] == "70000000000" and url(at)["tokens"] == "15000000000000"
    assert "days" not in url(at) and "hours" not in url(at)


def test_scenario_a_travels_in_the_link_and_is_compared() -> None:
    at = open_tab(open_app(), "Compare A vs B")
    at.button(key="keep-a").click().run()
    at.sidebar.selectbox(key="country").select("FRA").run()
    no_exception(at)
    params = url(at)
    assert "a" in params and "country=USA" in params["a"] and params["country"] == "FRA"
    reopened = open_tab(open_app(params), "Compare A vs B")
    no_exception(reopened)
    assert link_warnings(reopened) == []
    labels = [m.label for m in reopened.metric]
    assert "A: total" in labels and "B: total" in labels
    a_total = next(m.value for m in reopened.metric if m.label == "A: total")
    b_total = next(m.value for m in reopened.metric if m.label == "B: total")
    assert a_total != b_total


@pytest.mark.parametrize("param", list(RESTORE))
def test_url_parameter_restores_its_input(param: str) -> None:
    value, expected = RESTORE[param]
    at = open_app({param: value})
    no_exception(at)
    assert link_warnings(at) == []
    for key, want in expected.items():
        assert at.session_state[key] == want, key
        assert at.get_by_key(key).value == want, key
    assert url(at)[param] == value
    assert_consistent(at)
    at.run()  # a rerun with nothing touched keeps the scenario
    no_exception(at)
    assert url(at)[param] == value
    for key, want in expected.items():
        assert at.get_by_key(key).value == want, key


@pytest.mark.parametrize("preset_id", list(presets()))
def test_preset_link_opens_on_the_same_scenario(preset_id: str) -> None:
    params = link_params(scenario_from_preset(preset_id))
    at = open_app(params)
    no_exception(at)
    assert link_warnings(at) == []
    assert url(at) == params
    expected = estimate(presets()[preset_id].run()).total_t_co2e
    assert headline(at, "Total emissions") == fmt.t_co2e(expected)


def test_golden_bloom_link_in_the_app() -> None:
    at = open_app(
        {
            "gpu": "a100-sxm4-80gb",
            "gpus": "384",
            "hours": "2820.2864583333335",
            "power_w": "400",
            "util": "1",
            "server_w": "0",
            "pue": "1",
            "grid": "57",
            "embodied_kg": "0",
            "attribution": "full",
        }
    )
    no_exception(at)
    assert link_warnings(at) == []
    assert headline(at, "Total emissions") == "24.7 t CO2e"
    assert url(at)["hours"] == "2820.2864583333335"


def test_url_after_interactions_reopens_the_same_page() -> None:
    at = open_app()
    at.sidebar.selectbox(key="preset").set_value("llama-3.1-405b").run()
    at.sidebar.selectbox(key="country").set_value("SWE").run()
    at.sidebar.number_input(key="gpus").set_value(8).run()
    at.sidebar.radio(key="duration_unit").set_value("days").run()
    at.sidebar.slider(key="pue").set_value(1.25).run()
    at.toggle(key="present").set_value(True).run()
    no_exception(at)
    shared = url(at)
    assert shared["present"] == "1"
    assert shared["pue"] == "1.25"
    again = open_app(shared)
    no_exception(again)
    assert link_warnings(again) == []
    assert url(again) == shared
    assert headline_values(again) == headline_values(at)
    assert state_to_scenario(again.session_state) == state_to_scenario(at.session_state)


EXTREMES: list[Params] = [
    {"util": "0", "server_w": "0", "embodied_kg": "0"},
    {"grid": "0", "embodied_kg": "0"},
    {
        "gpus": "1000000",
        "days": "3650",
        "power_w": "2000",
        "pue": "3",
        "server_w": "2000",
        "embodied_kg": "5000",
        "grid": "2000",
        "attribution": "full",
    },
    {"gpus": "1", "hours": "0.01", "power_w": "1", "util": "0", "server_w": "0", "lifetime_y": "0.5"},
    {"gpu": "tpu-v5e"},
    {"country": "WLD", "preset": "seed-000-llama-3-350k-h100"},
]


@pytest.mark.parametrize("params", EXTREMES, ids=range(len(EXTREMES)))
def test_range_ends_render(params: Params) -> None:
    at = open_app(params)
    no_exception(at)
    assert link_warnings(at) == []
    for name, value in params.items():
        assert url(at)[name] == value
    assert_consistent(at)


# --- bad links --------------------------------------------------------------------------------------------


def test_bad_gpus_with_good_pue() -> None:
    at, _ = open_with_one_warning({"gpus": "0", "pue": "1.3"}, "gpus")
    assert len(at.warning) == 1  # the Published runs tab (with its preset warnings) is not open: tabs are lazy
    assert at.sidebar.number_input(key="gpus").value == 1024
    assert at.sidebar.slider(key="pue").value == 1.3
    assert url(at)["gpus"] == "1024"
    assert url(at)["pue"] == "1.3"
    assert_consistent(at)


def test_repeated_key_in_the_app() -> None:
    at, _ = open_with_one_warning({"gpus": ["8", "16"], "pue": "1.3"}, "gpus")
    assert at.sidebar.number_input(key="gpus").value == 1024
    assert at.sidebar.slider(key="pue").value == 1.3


def test_unknown_key_warns_and_leaves_the_url() -> None:
    at, _ = open_with_one_warning({"foo": "1", "pue": "1.3"}, "foo")
    assert "foo" not in url(at)
    assert at.sidebar.slider(key="pue").value == 1.3


def test_script_payload_is_shown_as_text() -> None:
    payload = "<script>alert(1)</script>"
    at, warning = open_with_one_warning({"gpu": payload}, "gpu")
    assert payload in warning
    raw = [w.value for w in at.warning if "alert" in w.value]
    assert len(raw) == 1
    assert "<script>" not in raw[0]  # escaped, so Markdown shows it literally
    assert all("alert" not in h.value for h in at.html)
    assert at.sidebar.selectbox(key="gpu").value == "h100-sxm"
    assert url(at)["gpu"] == "h100-sxm"


def test_long_value_gives_a_short_warning() -> None:
    _, warning = open_with_one_warning({"gpu": "x" * 10_000})
    assert len(warning) <= 300


# --- presentation mode and the published runs -----------------------------------------------------------


def test_presentation_mode_from_the_link() -> None:
    plain = open_app()
    assert plain.toggle(key="present").value is False
    assert not any("stMetricValue" in h.value for h in plain.html)

    at = open_app({"present": "1"})
    no_exception(at)
    assert at.toggle(key="present").value is True
    assert any("stMetricValue" in h.value for h in at.html)
    assert url(at)["present"] == "1"
    # The focus layout: the total as the hero figure, with the range and the car lifetimes in its words; the
    # other figures, the same as on the plain page, one step away in "All figures".
    shown, everything = headline_values(at), headline_values(plain)
    assert list(shown) == [label for label in everything if label not in presentation.HERO_LABELS[1:]]
    assert shown == {label: everything[label] for label in shown}
    hero = next(h.value for h in at.html if "headline-hero" in h.value)
    assert f"about {everything['Car lifetimes']} car lifetimes" in hero
    assert [e.label for e in at.expander] == ["All figures"]
    assert at.expander[0].get("html")[0].value.count('class="headline-card"') == len(shown) - 1
    at.toggle(key="present").set_value(False).run()
    no_exception(at)
    assert "present" not in url(at)


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open a view (only the chosen view runs) and rerun."""
    at.session_state["view"] = label
    return at.run()


def test_only_the_open_tab_runs() -> None:
    at = open_app()
    # Breakdown: the stacked bar as plain HTML, so the first view loads no Plotly at all.
    assert len(at.get("plotly_chart")) == 0
    bars = [el for el in at.get("html") if "breakdown-bar" in el.proto.body]
    assert len(bars) == 1
    fp = estimate(state_to_scenario(at.session_state).training_run())
    assert f"Breakdown of {fp.total_t_co2e:,.0f} t CO2e" in bars[0].proto.body
    open_tab(at, "Uncertainty")
    no_exception(at)
    assert len(at.get("plotly_chart")) == 1  # Uncertainty: the tornado
    open_tab(at, "Countries")
    no_exception(at)
    assert len(at.get("plotly_chart")) == 3  # Countries: ranked bars, the map and the regions
    at.segmented_control(key="view").set_value("Breakdown").run()  # as a click on the view switcher
    no_exception(at)
    assert len(at.get("plotly_chart")) == 0


def test_published_runs_tab_lists_every_preset() -> None:
    at = open_tab(open_app(), "Published runs")
    assert len(at.warning) == PRESET_WARNINGS
    tab = at.main  # only the open view is drawn, and the sidebar has no table or expander
    frame = tab.dataframe[0].value
    assert len(frame) == len(presets()) == 25
    assert set(frame["run"]) == {p.name for p in presets().values()}
    assert len(tab.expander) == 25


def test_view_in_the_link_survives_a_preset_and_a_click() -> None:
    at = open_app({"preset": "llama-3.1-405b", "country": "SWE", "view": "countries"})
    no_exception(at)
    assert at.segmented_control(key="view").value == "Countries"
    at.sidebar.selectbox(key="preset").set_value("gpt-3-175b").run()
    no_exception(at)
    assert url(at)["view"] == "countries"
    at.segmented_control(key="view").set_value("Breakdown").run()
    assert "view" not in url(at)  # the default view is not written, as before
    at.segmented_control(key="view").set_value("Methodology").run()
    assert url(at)["view"] == "methodology"


def test_countries_view_names_a_real_grid_cleanest_and_the_world_as_a_reference() -> None:
    at = open_tab(open_app({"preset": "llama-3.1-405b"}), "Countries")
    no_exception(at)
    text = unescape(next(m.value for m in at.main.markdown if "The same run costs" in m.value))
    cleanest = text.split("(cleanest grid")[0].rsplit(" in ", 1)[1]
    assert cleanest not in {"Central African Republic", "Falkland Islands", "Montserrat", "Saint Helena"}
    assert "(cleanest grid, 0 g" not in text
    assert "World's average grid" in text and "never named cleanest or dirtiest" in text
    notes = " ".join(c.value for c in at.main.caption)
    assert "lifecycle" in notes  # the basis of the country figures
    assert "another basis" in notes  # the preset's own factor is compared with Ember's figures


def test_choosing_an_accelerator_sets_its_embodied_default() -> None:
    at = open_app()
    assert at.sidebar.slider(key="embodied_kg").value == 463.0  # H100 SXM: Morrison's server share
    at.sidebar.selectbox(key="gpu").set_value("t4").run()
    no_exception(at)
    assert at.sidebar.slider(key="embodied_kg").value == 12.9  # die + memory model, GPU only
    assert at.sidebar.slider(key="power_w").value == 70.0
    assert url(at)["embodied_kg"] == "12.9"
    at.sidebar.selectbox(key="gpu").set_value("tpu-v2").run()  # no figure of its own: the documented default
    assert at.sidebar.slider(key="embodied_kg").value == 463.0
    at.sidebar.selectbox(key="gpu").set_value("b200").run()
    assert at.sidebar.slider(key="embodied_kg").value == 797.7
    assert_consistent(at)


def test_uncertainty_view_shows_points_held_inputs_and_the_p50_against_the_point() -> None:
    """Issue 15 on the page: Llama 3.1 405B's table has a point column, and the captions say what is held and why the
    P50 differs from the point estimate, with both numbers."""
    at = open_app({"preset": "llama-3.1-405b", "view": "uncertainty"})
    no_exception(at)
    table = next(m.value for m in at.markdown if m.value.startswith("| result | point estimate |"))
    fp = estimate(state_to_scenario(at.session_state).training_run())
    assert f"| total | {fmt.t_co2e(fp.total_t_co2e)} |" in table
    captions = " ".join(c.value for c in at.caption)
    assert "Held at your value" in captions and "Meta's cards count no host power and no embodied carbon" in captions
    assert "Power per GPU" in captions and "Duration" in captions and "Grid intensity" in captions
    assert "median of the samples" in captions and fmt.t_co2e(fp.total_t_co2e) in captions
