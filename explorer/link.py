"""The share link: every input of a scenario in the URL's query parameters, and back.

Link format version 1 (``v=1``). The names, units and ranges below are a public contract (README,
"Sharing a scenario"): a link written by hand on a slide must keep meaning the same scenario. A
parameter that is missing takes the *link format's* default (:data:`LINK_V1_DEFAULTS`, pinned by a test),
not the calculation package's current default, so that changing a default later cannot change what an
old link shows. ``preset`` fills every input first; explicit parameters then override it.

Pure Python: no Streamlit here, so every rule is unit- and property-testable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import parse_qs, urlencode

from carbon_core import TrainingRun
from carbon_core.catalogue import accelerators
from carbon_core.compute import training_flop, training_hours_for_run
from carbon_core.grid import latest_grid
from carbon_core.presets import presets
from carbon_core.run import describe_range

LINK_VERSION = "1"
DurationUnit = Literal["days", "hours"]


@dataclass(frozen=True)
class Scenario:
    """Everything the dashboard's inputs hold, in link units."""

    gpu: str = "h100-sxm"
    gpus: int = 1024
    duration: float = 30.0
    duration_unit: DurationUnit = "days"
    power_w: float | None = None  # None: the accelerator's TDP
    util: float = 1.0
    server_w: float = 237.0
    pue: float = 1.1
    country: str = "USA"
    grid: float | None = None  # None: the country's grid
    embodied_kg: float = 463.0
    lifetime_y: float = 4.0
    attribution: Literal["amortised", "full"] = "amortised"
    preset: str | None = None
    present: bool = False
    renewable: float = 0.0
    project: float = 1.0
    model_params: float | None = None  # with tokens: the duration follows from compute (6 x params x tokens)
    tokens: float | None = None
    mfu: float = 0.4
    compare_a: str | None = None  # scenario A of a comparison, as its own link query string
    wue: float = 0.55  # on-site water [L per kWh of IT energy]
    ewif: float = 3.14  # water consumed by power generation [L per kWh of electricity]

    @property
    def compute_mode(self) -> bool:
        """True when the duration follows from the model size and tokens rather than being given."""
        return self.model_params is not None and self.tokens is not None

    @property
    def hours(self) -> float:
        """Training duration [h], given or derived from compute (:mod:`carbon_core.compute`)."""
        if self.compute_mode:
            assert self.model_params is not None and self.tokens is not None
            base = TrainingRun(accelerator=self.gpu, gpu_count=self.gpus, gpu_power_w=self.resolved_power_w())
            return training_hours_for_run(base, float(training_flop(self.model_params, self.tokens)), self.mfu)
        return self.duration * 24.0 if self.duration_unit == "days" else self.duration

    def resolved_power_w(self) -> float:
        """``power_w``, or the accelerator's TDP when unset [W]."""
        if self.power_w is not None:
            return self.power_w
        tdp = accelerators()[self.gpu].tdp_w
        return tdp if tdp is not None else NUMBER_PARAMS["power_w"].default_if_no_tdp

    def training_run(self) -> TrainingRun:
        """The scenario as validated calculation inputs."""
        return TrainingRun(
            accelerator=self.gpu,
            gpu_count=self.gpus,
            training_hours=self.hours,
            gpu_power_w=self.resolved_power_w(),
            utilisation_fraction=self.util,
            server_power_w_per_gpu=self.server_w,
            pue=self.pue,
            country_iso3=self.country,
            grid_g_co2e_per_kwh=self.grid,
            embodied_kg_co2e_per_gpu=self.embodied_kg,
            embodied_attribution=self.attribution,
            hardware_lifetime_years=self.lifetime_y,
            renewable_share_fraction=self.renewable,
            project_multiplier=self.project,
            wue_l_per_kwh=self.wue,
            electricity_water_l_per_kwh=self.ewif,
        )


#: The defaults of link format 1. Never edit: add a version 2 instead (tests pin these values).
LINK_V1_DEFAULTS = Scenario()


@dataclass(frozen=True)
class NumberParam:
    """A numeric link parameter: its range (the widget's), unit and the Scenario field it sets."""

    field: str
    unit: str
    low: float
    high: float
    integer: bool = False
    low_open: bool = False
    default_if_no_tdp: float = 700.0

    def describe(self) -> str:
        return describe_range(self.integer, self.low, self.high, low_open=self.low_open) + f" [{self.unit}]"

    def accepts(self, value: float) -> bool:
        above = value > self.low if self.low_open else value >= self.low
        return above and value <= self.high


NUMBER_PARAMS: dict[str, NumberParam] = {
    "gpus": NumberParam("gpus", "GPUs", 1, 1_000_000, integer=True),
    "hours": NumberParam("duration", "h", 0.01, 87_600),
    "days": NumberParam("duration", "days", 0.001, 3_650),
    "power_w": NumberParam("power_w", "W per GPU", 1, 2_000),
    "util": NumberParam("util", "fraction of power", 0, 1),
    "server_w": NumberParam("server_w", "W per GPU", 0, 2_000),
    "pue": NumberParam("pue", "PUE", 1, 3),
    "grid": NumberParam("grid", "g CO2e/kWh", 0, 2_000),
    "embodied_kg": NumberParam("embodied_kg", "kg CO2e per GPU", 0, 5_000),
    "lifetime_y": NumberParam("lifetime_y", "years", 0.5, 20),
    "renewable": NumberParam("renewable", "share of electricity", 0, 1),
    "project": NumberParam("project", "x the final run", 1, 20),
    "params": NumberParam("model_params", "parameters", 1e6, 1e14),
    "tokens": NumberParam("tokens", "tokens", 1e6, 1e15),
    "mfu": NumberParam("mfu", "fraction of peak", 0.01, 1),
    "wue": NumberParam("wue", "L per kWh of IT energy", 0, 20),
    "ewif": NumberParam("ewif", "L per kWh of electricity", 0, 50),
}
TEXT_PARAMS = ("gpu", "country", "attribution", "preset", "present", "v", "a")
ALL_PARAMS = (*TEXT_PARAMS, *NUMBER_PARAMS)
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}
_SHOWN_MAX = 40
_MAX_A_CHARS = 4_000


@dataclass
class ParsedLink:
    """A scenario read from a link, and one warning per rejected parameter (each names it)."""

    scenario: Scenario
    warnings: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def _shown(text: str) -> str:
    """The user's value, shortened, for a message (it is displayed as text, never as HTML)."""
    return repr(text if len(text) <= _SHOWN_MAX else text[:_SHOWN_MAX] + "…")


def scenario_from_preset(preset_id: str, base: Scenario = LINK_V1_DEFAULTS) -> Scenario:
    """``base`` with every input taken from the published run ``preset_id``."""
    p = presets()[preset_id]
    return replace(
        base,
        gpu=p.accelerator_id,
        gpus=p.gpu_count,
        duration=p.training_hours,
        duration_unit="hours",
        power_w=p.gpu_power_w,
        util=p.utilisation_fraction,
        server_w=p.server_power_w_per_gpu,
        pue=p.pue,
        grid=p.grid_g_co2e_per_kwh,
        embodied_kg=p.embodied_kg_co2e_per_gpu,
        lifetime_y=p.hardware_lifetime_years,
        attribution=p.embodied_attribution,
        renewable=p.renewable_share_fraction,
        model_params=None,
        tokens=None,
        preset=preset_id,
    )


def parse_link(params: Mapping[str, str | Sequence[str]], nested: bool = False) -> ParsedLink:
    """Read a scenario from query parameters (``{name: value or [values]}``).

    Unknown, malformed or out-of-range parameters are rejected one by one: each gets a warning naming it
    and what is allowed, its field keeps the default, and every other field keeps its value.
    """
    warnings: list[str] = []
    rejected: list[str] = []

    def reject(name: str, message: str) -> None:
        rejected.append(name)
        warnings.append(f"Link parameter '{name}': {message}; the default is used.")

    values: dict[str, str] = {}
    for name, raw in params.items():
        items = [raw] if isinstance(raw, str) else list(raw)
        if name not in ALL_PARAMS:
            rejected.append(name)
            warnings.append(f"Unknown link parameter {_shown(name)} was ignored.")
            continue
        if not items:
            continue
        if len(items) > 1 and len(set(items)) > 1:
            reject(name, f"given {len(items)} times with different values")
            continue
        values[name] = items[-1].strip()

    version = values.pop("v", LINK_VERSION)
    if version != LINK_VERSION:
        warnings.append(
            f"Link parameter 'v': link format {_shown(version)} is not known; it is read as version {LINK_VERSION}."
        )
        rejected.append("v")

    scenario = LINK_V1_DEFAULTS
    preset = values.pop("preset", None)
    if preset is not None and preset != "":
        if preset in presets():
            scenario = scenario_from_preset(preset)
        else:
            reject("preset", f"unknown published run {_shown(preset)}")

    gpu = values.pop("gpu", None)
    if gpu is not None:
        if gpu in accelerators():
            # A new accelerator without an explicit power uses its own TDP.
            scenario = replace(scenario, gpu=gpu, power_w=None if gpu != scenario.gpu else scenario.power_w)
        else:
            reject("gpu", f"unknown accelerator {_shown(gpu)}; use a catalogue id such as 'h100-sxm'")
    if accelerators()[scenario.gpu].tdp_w is None and scenario.power_w is None and "power_w" not in values:
        scenario = replace(scenario, power_w=NUMBER_PARAMS["power_w"].default_if_no_tdp)

    country = values.pop("country", None)
    if country is not None:
        code = country.upper()
        if code in latest_grid().index:
            scenario = replace(scenario, country=code, grid=None)
        else:
            reject("country", f"unknown country {_shown(country)}; use an ISO 3166-1 alpha-3 code such as 'SWE'")

    attribution = values.pop("attribution", None)
    if attribution is not None:
        if attribution in ("amortised", "full"):
            scenario = replace(scenario, attribution=attribution)  # type: ignore[arg-type]
        else:
            reject("attribution", f"must be 'amortised' or 'full', not {_shown(attribution)}")

    present = values.pop("present", None)
    if present is not None:
        if present.lower() in TRUE_WORDS | FALSE_WORDS or present == "":
            scenario = replace(scenario, present=present == "" or present.lower() in TRUE_WORDS)
        else:
            reject("present", f"must be 1 or 0, not {_shown(present)}")

    compare_a = values.pop("a", None)
    if compare_a is not None and compare_a != "":
        if nested:
            reject("a", "a comparison cannot contain another comparison")
        else:
            parsed_a = parse_link(parse_qs(compare_a[:_MAX_A_CHARS], keep_blank_values=True), nested=True)
            warnings.extend(f"Scenario A: {w}" for w in parsed_a.warnings)
            scenario = replace(scenario, compare_a=urlencode(link_params(parsed_a.scenario)))
    if ("params" in values) != ("tokens" in values):
        given = "params" if "params" in values else "tokens"
        reject(given, "needs both 'params' and 'tokens' (compute = 6 x params x tokens)")
        values.pop(given)
    if "params" in values:
        for unit in ("hours", "days"):
            if unit in values:
                reject(unit, "ignored because the duration follows from 'params' and 'tokens'")
                values.pop(unit)
    if "hours" in values and "days" in values:
        reject("days", "ignored because 'hours' is also given")
        values.pop("days")
    for name, text in values.items():
        spec = NUMBER_PARAMS[name]
        try:
            number = float(text)
        except ValueError:
            reject(name, f"{_shown(text)} is not {spec.describe()}")
            continue
        if not math.isfinite(number) or not spec.accepts(number) or (spec.integer and not number.is_integer()):
            reject(name, f"{_shown(text)} is not {spec.describe()}")
            continue
        if name in ("days", "hours"):
            scenario = replace(scenario, duration=number, duration_unit=name)
        else:
            scenario = replace(scenario, **{spec.field: int(number) if spec.integer else number})
    if scenario.compute_mode:
        try:
            scenario.hours  # noqa: B018 - checks the accelerator can turn compute into hours
        except ValueError as exc:
            reject("params", str(exc))
            scenario = replace(scenario, model_params=None, tokens=None)
    return ParsedLink(scenario=scenario, warnings=warnings, rejected=rejected)


def _number_text(value: float) -> str:
    """Shortest text that reads back to exactly ``value`` (``1024``, ``1.1``, ``1882.32421875``)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def link_params(scenario: Scenario) -> dict[str, str]:
    """Every input of ``scenario`` as query parameters (all written, so a later default change is harmless)."""
    params: dict[str, str] = {"v": LINK_VERSION}
    if scenario.preset:
        params["preset"] = scenario.preset
    params["gpu"] = scenario.gpu
    params["gpus"] = str(scenario.gpus)
    if scenario.compute_mode:
        assert scenario.model_params is not None and scenario.tokens is not None
        params["params"] = _number_text(scenario.model_params)
        params["tokens"] = _number_text(scenario.tokens)
    else:
        params[scenario.duration_unit] = _number_text(scenario.duration)
    params["power_w"] = _number_text(scenario.resolved_power_w())
    params["util"] = _number_text(scenario.util)
    params["server_w"] = _number_text(scenario.server_w)
    params["pue"] = _number_text(scenario.pue)
    params["country"] = scenario.country
    if scenario.grid is not None:
        params["grid"] = _number_text(scenario.grid)
    params["embodied_kg"] = _number_text(scenario.embodied_kg)
    params["lifetime_y"] = _number_text(scenario.lifetime_y)
    params["attribution"] = scenario.attribution
    params["mfu"] = _number_text(scenario.mfu)
    params["renewable"] = _number_text(scenario.renewable)
    params["project"] = _number_text(scenario.project)
    params["wue"] = _number_text(scenario.wue)
    params["ewif"] = _number_text(scenario.ewif)
    if scenario.present:
        params["present"] = "1"
    if scenario.compare_a:
        params["a"] = scenario.compare_a
    return params
