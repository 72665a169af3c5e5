"""The share link: every input of a scenario in the URL's query parameters, and back.

Link format version 1 (``v=1``). The run inputs a link carries, their keys, units and ranges are the
registry's (:data:`carbon_core.inputs.INPUTS`), so a link accepts exactly what the CLI accepts. The names are
a public contract (README, "Sharing a scenario"): a link written by hand on a slide must keep meaning the same
scenario. A parameter that is missing takes the *link format's* default (``link_default`` of each row, pinned
by a test), not the calculation package's current default, so that changing a default later cannot change what
an old link shows. ``preset`` fills every input first; explicit parameters then override it.

:func:`parse_link` reads one parameter at a time through a table (:data:`PARAMETER_RULES`), then applies the
named cross-field rules (:data:`PRESENCE_RULES`, :data:`SCENARIO_RULES`). Pure Python: no Streamlit here, so
every rule is unit- and property-testable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode

from carbon_core import TrainingRun
from carbon_core.catalogue import accelerator_id, find_accelerator
from carbon_core.compute import ComputeError
from carbon_core.grid import latest_grid
from carbon_core.inputs import Input, InputError, by_link
from carbon_core.presets import presets
from carbon_core.regions import find_region, regions
from carbon_core.units import HOURS_PER_DAY
from explorer.formatting import escape_markdown

LINK_VERSION = "1"
DurationUnit = Literal["days", "hours"]
#: Link keys of the duration: they set one field, ``duration``, in the unit named by the key.
DURATION_KEYS: tuple[DurationUnit, ...] = ("hours", "days")
#: Link keys of the compute: with ``params`` and ``tokens`` the duration follows from 6 x parameters x tokens.
COMPUTE_KEYS = ("params", "active_params", "tokens")
#: The power a link gives an accelerator without a TDP in the catalogue when it names none [W].
POWER_IF_NO_TDP_W = 700.0
_TYPES = {"number": float, "integer": int, "text": str, "choice": str}
#: The dashboard's views: link name (``view=countries``) -> label on the view switcher, in the switcher's order.
VIEW_LABELS = {
    "breakdown": "Breakdown",
    "uncertainty": "Uncertainty",
    "countries": "Countries",
    "equivalents": "Equivalents",
    "compare": "Compare A vs B",
    "measured": "Measured run",
    "published": "Published runs",
    "methodology": "Methodology",
}


def _scenario_fields() -> list[tuple[str, Any, Any]]:
    """One field per run input the link carries (named by its key, with its format-1 default), then the page's."""
    fields: list[tuple[str, Any, Any]] = [
        (key, _TYPES[row.kind] | None, field(default=row.link_default))
        for key, row in by_link().items()
        if key not in DURATION_KEYS
    ]
    return [
        *fields,
        ("duration", float, field(default=by_link()["days"].link_default)),
        ("duration_unit", str, field(default="days")),
        ("preset", str | None, field(default=None)),
        ("present", bool, field(default=False)),
        ("view", str, field(default=next(iter(VIEW_LABELS)))),  # the view on screen, by its link name
        ("compare_a", str | None, field(default=None)),  # scenario A of a comparison, as its own query string
    ]


_ScenarioFields = dataclasses.make_dataclass("_ScenarioFields", _scenario_fields(), frozen=True)


@dataclass(frozen=True)
class Scenario(_ScenarioFields):  # type: ignore[misc, valid-type]
    """Everything the dashboard's inputs hold, in link units: one attribute per link key (the registry's),
    the duration with its unit, the preset it started from, presentation mode and the comparison's scenario A.

    ``power_w`` ``None`` means the accelerator's TDP; ``grid`` ``None`` the country's grid; ``params`` and
    ``tokens`` both set mean the duration follows from compute (6 x params x tokens).
    """

    @property
    def compute_mode(self) -> bool:
        """True when the duration follows from the model size and tokens rather than being given."""
        return self.params is not None and self.tokens is not None

    @property
    def hours(self) -> float:
        """Training duration [h], given or derived from compute (:meth:`TrainingRun.compute_hours`)."""
        if self.compute_mode:
            hours = self.training_run().compute_hours()
            assert hours is not None
            return hours
        return self.duration * HOURS_PER_DAY if self.duration_unit == "days" else self.duration

    def resolved_power_w(self) -> float:
        """``power_w``, or the accelerator's TDP when unset [W]."""
        if self.power_w is not None:
            return self.power_w
        entry = find_accelerator(self.gpu)
        return entry.tdp_w if entry is not None and entry.tdp_w is not None else POWER_IF_NO_TDP_W

    def training_run(self) -> TrainingRun:
        """The scenario as validated calculation inputs: each link key's value in its field's unit."""
        values = {
            row.field: getattr(self, key) for key, row in by_link().items() if key not in DURATION_KEYS
        } | {"gpu_power_w": self.resolved_power_w()}
        if self.compute_mode:
            return TrainingRun(**values)
        unit_row = by_link()[self.duration_unit]
        values |= {by_link()[key].field: None for key in (*COMPUTE_KEYS, "mfu")}
        return TrainingRun(**(values | {"training_hours": self.duration * unit_row.scale}))


#: The defaults of link format 1. Never edit: add a version 2 instead (tests pin these values).
LINK_V1_DEFAULTS = Scenario()
#: Inputs added to format 1 that a link carries only when they differ from its default, so that the links written
#: before them are written the same (the precision of the peak, issue 15: BF16 unless the link says 'fp8').
WRITTEN_UNLESS_DEFAULT = ("precision",)
#: Link keys that are not run inputs: the format's version, the preset, presentation mode and scenario A.
PAGE_PARAMS = ("v", "preset", "present", "view", "a")
ALL_PARAMS = (*PAGE_PARAMS, *by_link())
NUMBER_PARAMS: dict[str, Input] = {key: row for key, row in by_link().items() if row.numeric}
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

    def reject(self, name: str, message: str) -> None:
        """Record that parameter ``name`` was not used, and why."""
        self.rejected.append(name)
        self.warnings.append(f"Link parameter '{name}': {message}; the default is used.")


#: How each rejected parameter's line starts in the one box that lists them (a Markdown list item).
WARNING_ITEM = "- "


def warnings_markdown(warnings: Sequence[str]) -> str:
    """The one box that lists a link's rejected parameters: a short first line, then one line per warning,
    its text escaped (it quotes the user's link, shown as text, never as Markdown or HTML)."""
    n = len(warnings)
    head = f"{n} link parameter{'s were' if n != 1 else ' was'} not used:"
    return head + "\n\n" + "\n".join(WARNING_ITEM + escape_markdown(w) for w in warnings)


def _shown(text: str) -> str:
    """The user's value, shortened, for a message (it is displayed as text, never as HTML)."""
    return repr(text if len(text) <= _SHOWN_MAX else text[:_SHOWN_MAX] + "…")


def scenario_from_preset(preset_id: str, base: Scenario = LINK_V1_DEFAULTS) -> Scenario:
    """``base`` with every input taken from the published run ``preset_id`` (each link key its field's value)."""
    run = presets()[preset_id].run()
    stated = {key: getattr(run, row.field) for key, row in by_link().items() if key not in DURATION_KEYS}
    stated = {key: value for key, value in stated.items() if value is not None} | dict.fromkeys(COMPUTE_KEYS)
    return replace(
        base, **stated, duration=run.training_hours, duration_unit="hours", preset=preset_id
    )


# --- one rule per parameter: text -> the Scenario fields it sets (ValueError: the message of the warning) ---


def _run_input(key: str, row: Input) -> Callable[[str], dict[str, Any]]:
    """A numeric or choice input of the registry: its range, in its unit; the duration keys set duration and unit."""

    def read(text: str) -> dict[str, Any]:
        try:
            value = row.parse(text)
        except ValueError:
            raise ValueError(f"{_shown(text)} is not {row.describe()}") from None
        if key in DURATION_KEYS:
            return {"duration": value, "duration_unit": key}
        return {key: value}

    return read


def _accelerator(text: str) -> dict[str, Any]:
    known = accelerator_id(text)
    if known is None:
        raise ValueError(f"unknown accelerator {_shown(text)}; use a catalogue id such as 'h100-sxm' or 'custom'")
    return {"gpu": known}


def _country(text: str) -> dict[str, Any]:
    code = text.upper()
    if code not in latest_grid().index:
        raise ValueError(f"unknown country {_shown(text)}; use an ISO 3166-1 alpha-3 code such as 'SWE'")
    return {"country": code}


def _present(text: str) -> dict[str, Any]:
    if text.lower() in TRUE_WORDS | FALSE_WORDS or text == "":
        return {"present": text == "" or text.lower() in TRUE_WORDS}
    raise ValueError(f"must be 1 or 0, not {_shown(text)}")


def _view(text: str) -> dict[str, Any]:
    if text.lower() in VIEW_LABELS:
        return {"view": text.lower()}
    raise ValueError(f"unknown view {_shown(text)}; one of {', '.join(VIEW_LABELS)}")


def _region(text: str) -> dict[str, Any]:
    region_id = find_region(text)
    if region_id is None:
        raise ValueError(f"unknown region {_shown(text)}; use an id of 'python -m carbon_core regions' such as 'us:TX'")
    return {"region": region_id}


_TEXT_RULES: dict[str, Callable[[str], dict[str, Any]]] = {"gpu": _accelerator, "country": _country, "region": _region}
#: How each run-input parameter is read, by link key (the page's own keys are read in :func:`parse_link`).
PARAMETER_RULES: dict[str, Callable[[str], dict[str, Any]]] = {
    key: _TEXT_RULES[key] if row.kind == "text" else _run_input(key, row) for key, row in by_link().items()
} | {"present": _present, "view": _view}


# --- cross-field rules ------------------------------------------------------------------------------------


def params_and_tokens_go_together(values: dict[str, str], parsed: ParsedLink) -> None:
    """Compute needs both the parameters and the tokens: one alone is rejected."""
    if ("params" in values) != ("tokens" in values):
        given = "params" if "params" in values else "tokens"
        parsed.reject(given, "needs both 'params' and 'tokens' (compute = 6 x params x tokens)")
        values.pop(given)


def active_params_need_params(values: dict[str, str], parsed: ParsedLink) -> None:
    """The active parameters of a mixture of experts only mean something with the model size and tokens."""
    if "active_params" in values and "params" not in values:
        parsed.reject("active_params", "needs 'params' and 'tokens' (compute = 6 x active params x tokens)")
        values.pop("active_params")


def compute_replaces_the_duration(values: dict[str, str], parsed: ParsedLink) -> None:
    """With the model size and tokens, the duration follows from compute: a given duration is rejected."""
    if "params" in values:
        for unit in DURATION_KEYS:
            if unit in values:
                parsed.reject(unit, "ignored because the duration follows from 'params' and 'tokens'")
                values.pop(unit)


def hours_win_over_days(values: dict[str, str], parsed: ParsedLink) -> None:
    """Both duration keys: the hours are kept."""
    if "hours" in values and "days" in values:
        parsed.reject("days", "ignored because 'hours' is also given")
        values.pop("days")


#: Rules on which parameters are present, applied before any value is read.
PRESENCE_RULES = (
    params_and_tokens_go_together,
    active_params_need_params,
    compute_replaces_the_duration,
    hours_win_over_days,
)


def new_accelerator_uses_its_tdp(before: Scenario, after: Scenario, given: set[str]) -> Scenario:
    """Another accelerator without an explicit power takes its own TDP."""
    if after.gpu != before.gpu and "power_w" not in given:
        return replace(after, power_w=None)
    return after


def accelerator_without_tdp_gets_a_power(before: Scenario, after: Scenario, given: set[str]) -> Scenario:
    """An accelerator without a TDP in the catalogue and no power given runs at :data:`POWER_IF_NO_TDP_W`."""
    entry = find_accelerator(after.gpu)
    if (entry is None or entry.tdp_w is None) and after.power_w is None:
        return replace(after, power_w=POWER_IF_NO_TDP_W)
    return after


def country_means_its_grid(before: Scenario, after: Scenario, given: set[str]) -> Scenario:
    """Choosing a country, or a year of its grid, means its grid: a preset's intensity no longer applies (unless
    ``grid`` is given)."""
    if given & {"country", "grid_year"} and "grid" not in given:
        return replace(after, grid=None)
    return after


def region_means_its_grid_and_country(before: Scenario, after: Scenario, given: set[str]) -> Scenario:
    """A cloud region or state is priced on its own grid, in its country (unless ``grid`` or ``country`` is given)."""
    if "region" not in given or after.region is None:
        return after
    updates: dict[str, Any] = {} if "grid" in given else {"grid": None}
    if "country" not in given:
        updates["country"] = str(regions().loc[after.region, "country_iso3"])
    return replace(after, **updates)


#: Rules between fields, applied in order once every parameter is read: (scenario before, after, keys given).
SCENARIO_RULES = (
    new_accelerator_uses_its_tdp,
    accelerator_without_tdp_gets_a_power,
    country_means_its_grid,
    region_means_its_grid_and_country,
)


def _single_values(params: Mapping[str, str | Sequence[str]], parsed: ParsedLink) -> dict[str, str]:
    """One text per known parameter: unknown names and conflicting repeats are rejected."""
    values: dict[str, str] = {}
    for name, raw in params.items():
        items = [raw] if isinstance(raw, str) else list(raw)
        if name not in ALL_PARAMS:
            parsed.rejected.append(name)
            parsed.warnings.append(f"Unknown link parameter {_shown(name)} was ignored.")
        elif len(items) > 1 and len(set(items)) > 1:
            parsed.reject(name, f"given {len(items)} times with different values")
        elif items:
            values[name] = items[-1].strip()
    return values


def _version_and_preset(values: dict[str, str], parsed: ParsedLink) -> None:
    version = values.pop("v", LINK_VERSION)
    if version != LINK_VERSION:
        parsed.warnings.append(
            f"Link parameter 'v': link format {_shown(version)} is not known; it is read as version {LINK_VERSION}."
        )
        parsed.rejected.append("v")
    preset = values.pop("preset", "")
    if preset in presets():
        parsed.scenario = scenario_from_preset(preset)
    elif preset:
        parsed.reject("preset", f"unknown published run {_shown(preset)}")


def _comparison(text: str, nested: bool, parsed: ParsedLink) -> None:
    """Scenario A of a comparison: a link of its own, read by the same rules (one level deep)."""
    if nested:
        parsed.reject("a", "a comparison cannot contain another comparison")
        return
    inner = parse_link(parse_qs(text[:_MAX_A_CHARS], keep_blank_values=True), nested=True)
    parsed.warnings.extend(f"Scenario A: {w}" for w in inner.warnings)
    parsed.scenario = replace(parsed.scenario, compare_a=urlencode(link_params(inner.scenario)))


_MAX_FIT_RULES = 4


def inputs_fit_together(parsed: ParsedLink) -> None:
    """The run must resolve (:meth:`TrainingRun.resolve`): compute that becomes a duration, a grid year the data
    has, a region in the country. The input the model names is rejected and takes its default; compute is
    dropped whole."""
    for _ in range(_MAX_FIT_RULES):
        try:
            parsed.scenario.training_run().resolve()
            return
        except InputError as exc:
            key = next((k for k, row in by_link().items() if row.field == exc.field), "params")
            if isinstance(exc, ComputeError):  # the compute is dropped whole, whichever input it names
                key = "active_params" if key == "active_params" else "params"
                parsed.scenario = replace(parsed.scenario, **dict.fromkeys(COMPUTE_KEYS))
            else:
                parsed.scenario = replace(parsed.scenario, **{key: getattr(LINK_V1_DEFAULTS, key)})
            parsed.reject(key, str(exc))


def parse_link(params: Mapping[str, str | Sequence[str]], nested: bool = False) -> ParsedLink:
    """Read a scenario from query parameters (``{name: value or [values]}``).

    Unknown, malformed or out-of-range parameters are rejected one by one: each gets a warning naming it
    and what is allowed, its field keeps the default, and every other field keeps its value.
    """
    parsed = ParsedLink(scenario=LINK_V1_DEFAULTS)
    values = _single_values(params, parsed)
    _version_and_preset(values, parsed)
    compare_a = values.pop("a", "")
    for rule in PRESENCE_RULES:
        rule(values, parsed)
    before, updates, given = parsed.scenario, {}, set()
    for name, text in values.items():
        try:
            updates |= PARAMETER_RULES[name](text)
            given.add(name)
        except ValueError as exc:
            parsed.reject(name, str(exc))
    parsed.scenario = replace(before, **updates)
    for scenario_rule in SCENARIO_RULES:
        parsed.scenario = scenario_rule(before, parsed.scenario, given)
    if compare_a:
        _comparison(compare_a, nested, parsed)
    inputs_fit_together(parsed)
    return parsed


def _number_text(value: float) -> str:
    """Shortest text that reads back to exactly ``value`` (``1024``, ``1.1``, ``1882.32421875``)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def link_params(scenario: Scenario) -> dict[str, str]:
    """Every input of ``scenario`` as query parameters (all written, so a later default change is harmless).

    The duration is written in its unit unless it follows from compute; ``params``/``tokens`` only in compute
    mode; ``grid`` only when set by hand; the power always (the TDP when unset); ``precision`` only when not 'bf16'.
    """
    params: dict[str, str] = {"v": LINK_VERSION}
    if scenario.preset:
        params["preset"] = scenario.preset
    values = dataclasses.asdict(scenario) | {"power_w": scenario.resolved_power_w()}
    if not scenario.compute_mode:
        values |= {scenario.duration_unit: scenario.duration} | dict.fromkeys(COMPUTE_KEYS)
    for key, row in by_link().items():
        value = values.get(key)
        if key in WRITTEN_UNLESS_DEFAULT and value == getattr(LINK_V1_DEFAULTS, key):
            continue
        if value is not None:
            params[key] = _number_text(value) if row.numeric else str(value)
    if scenario.present:
        params["present"] = "1"
    if scenario.view != LINK_V1_DEFAULTS.view:
        params["view"] = scenario.view
    if scenario.compare_a:
        params["a"] = scenario.compare_a
    return params
