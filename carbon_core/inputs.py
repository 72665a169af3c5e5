"""One definition per run input: the registry that the model, the CLI, the link, the sidebar and the schema derive from.

Each :class:`Input` row states, once, a run input's field name in :class:`carbon_core.run.TrainingRun`, its
unit and allowed range, the key of its documented default in ``data/parameters.csv``, its link key (link
format 1, README "Sharing a scenario"), its CLI flag, and the label and help text the dashboard shows.
Everything else is derived from these rows:

- the pydantic fields of ``TrainingRun`` and ``ResolvedRun`` (:mod:`carbon_core.run`);
- the CLI's run flags and their error messages (:mod:`carbon_core.cli`);
- the link's parameters and their ranges (``explorer/link.py``);
- the sidebar's widget bounds, labels and help (``explorer/sidebar.py``);
- the JSON schema (``python -m carbon_core schema``).

So a link accepts exactly what the CLI accepts, and adding an input is one row here plus its formula
(README, "Adding an input"). Some inputs have two spellings of one field: ``--days``/``days`` set
``training_hours`` in days (``scale`` 24). Pure Python: no pydantic model, Streamlit or argparse here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Literal

from carbon_core.units import HOURS_PER_DAY

Kind = Literal["number", "integer", "text", "choice"]
Widget = Literal["slider", "number", "select", "radio"]

#: Longest training the model accepts [h]: ten years of wall-clock time.
MAX_TRAINING_HOURS = 87_600.0


@dataclass(frozen=True)
class Input:
    """One run input: where it lives in each form, its unit, range, default and words.

    ``low``/``high`` are in the input's own ``unit``; the model's field holds ``value x scale`` (days ->
    hours). ``widget_scale`` is the sidebar's unit over the link's (parameters in billions: 1e9).
    """

    field: str
    kind: Kind
    unit: str
    label: str
    help: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    parameter: str | None = None
    link: str | None = None
    flag: str | None = None
    metavar: str = "X"
    scale: float = 1.0
    choices: tuple[str, ...] = ()
    widget: Widget | None = None
    widget_key: str | None = None
    widget_scale: float = 1.0
    step: float | None = None
    uncertain: bool = False
    #: The ``data/parameters.csv`` key of the range an uncertain input is sampled over when it is not its default's
    #: row (``parameter``): a relative spread (``value`` 1, ``low``/``high`` multipliers of the run's value).
    spread: str | None = None
    #: The default of link format 1, frozen: an old link that omits this input keeps meaning the same.
    link_default: float | str | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "integer")

    @property
    def key(self) -> str:
        """The widget's session-state key: the link key unless the widget speaks another unit."""
        return self.widget_key or self.link or self.field

    def range_words(self) -> str:
        """What the input accepts, e.g. 'a number from 1 to 3' (choices: "'amortised' or 'full'")."""
        if self.kind == "choice":
            return " or ".join(repr(c) for c in self.choices)
        if not self.numeric:
            return self.help
        return describe_range(self.kind == "integer", self.low, self.high, low_open=self.low_open)

    def describe(self) -> str:
        """:meth:`range_words` with the unit, e.g. 'a number from 1 to 3 [PUE]'."""
        return f"{self.range_words()} [{self.unit}]" if self.numeric else self.range_words()

    def accepts(self, value: float) -> bool:
        """True when ``value`` (in this input's unit) is finite, inside the range and whole if it must be."""
        if not math.isfinite(value) or (self.kind == "integer" and not float(value).is_integer()):
            return False
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return self.high is None or value <= self.high

    def parse(self, text: str) -> float | int | str:
        """The value typed as ``text`` in this input's unit; ``ValueError`` naming what is allowed."""
        if self.kind == "choice":
            if text not in self.choices:
                raise ValueError(f"must be {self.range_words()}")
            return text
        if not self.numeric:
            return text
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"must be {self.range_words()}") from None
        if not self.accepts(value):
            raise ValueError(f"must be {self.range_words()}")
        return int(value) if self.kind == "integer" else value

    def field_bounds(self) -> dict[str, float]:
        """The model field's pydantic bounds (``ge``/``gt``/``le``), in the field's unit."""
        bounds: dict[str, float] = {}
        if self.low is not None:
            bounds["gt" if self.low_open else "ge"] = self.low * self.scale
        if self.high is not None:
            bounds["le"] = self.high * self.scale
        return bounds


class InputError(ValueError):
    """A run's inputs do not fit together; ``field`` names the input to change (a model field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def describe_range(
    integer: bool, low: float | None, high: float | None, low_open: bool = False, high_open: bool = False
) -> str:
    """Words for a numeric range, e.g. 'a whole number from 1 to 1,000,000' (used in every error message)."""
    kind = "a whole number" if integer else "a number"
    lo = _number_words(low) if low is not None else ""
    hi = _number_words(high) if high is not None else ""
    if low is None:
        return f"{kind} at most {hi}" if high is not None else kind
    if high is None:
        return f"{kind} greater than {lo}" if low_open else f"{kind} of at least {lo}"
    if low_open:
        return f"{kind} greater than {lo} and at most {hi}"
    if high_open:
        return f"{kind} from {lo} to below {hi}"
    return f"{kind} from {lo} to {hi}"


def _number_words(value: float) -> str:
    """``1,000,000`` for a whole number (not ``1,000,000.0``), ``0.5`` otherwise."""
    return f"{int(value):,}" if float(value).is_integer() and abs(value) < 1e18 else f"{value:,}"


#: Every run input, in the order the CLI's help and the schema list them.
INPUTS: tuple[Input, ...] = (
    Input(
        "accelerator", "text", "catalogue id", "Accelerator",
        "accelerator: catalogue id (e.g. h100-sxm) or name (data/accelerators.csv), or 'custom'",
        parameter="accelerator_id", link="gpu", flag="--gpu", metavar="NAME", widget="select", link_default="h100-sxm",
    ),
    Input(
        "gpu_count", "integer", "GPUs", "GPU count [GPUs]", "number of accelerators",
        low=1, high=10_000_000, parameter="gpu_count", link="gpus", flag="--gpus", metavar="N", widget="number",
        step=1, link_default=1024,
    ),
    Input(
        "training_hours", "number", "h", "Training duration [hours]", "wall-clock training duration",
        low=0, high=MAX_TRAINING_HOURS, low_open=True, parameter="training_hours", link="hours", flag="--hours",
        metavar="H", widget="number", widget_key="duration", step=1.0, uncertain=True, spread="training_hours_spread",
    ),
    Input(
        "training_hours", "number", "days", "Training duration [days]", "wall-clock training duration",
        low=0, high=MAX_TRAINING_HOURS / HOURS_PER_DAY, low_open=True, link="days", flag="--days", metavar="D",
        scale=HOURS_PER_DAY, widget="number", widget_key="duration", step=1.0, link_default=30.0,
    ),
    Input(
        "model_params", "number", "parameters", "Model parameters [billions]",
        "model parameters; with the tokens, compute = 6 x parameters x tokens and the duration follows",
        low=1e6, high=1e14, link="params", flag="--params", metavar="P", widget="number", widget_key="params_b",
        widget_scale=1e9,
    ),
    Input(
        "active_params", "number", "parameters", "Active parameters per token [billions]",
        "parameters active per token, for a mixture of experts (e.g. Llama 4 Scout: 17e9 of 109e9); compute is "
        "then 6 x active parameters x tokens; leave unset for a dense model", low=1e6, high=1e14, link="active_params",
        flag="--active-params", metavar="A", widget="number", widget_key="active_params_b", widget_scale=1e9,
    ),
    Input(
        "training_tokens", "number", "tokens", "Training tokens [trillions]", "training tokens (with the parameters)",
        low=1e6, high=1e15, link="tokens", flag="--tokens", metavar="T", widget="number", widget_key="tokens_t",
        widget_scale=1e12,
    ),
    Input(
        "training_flop", "number", "FLOP", "Training compute [FLOP]",
        "total training compute, instead of a duration (command line only: a link carries the duration it gives)",
        low=0, high=1e40, low_open=True, flag="--flops",
    ),
    Input(
        "gpu_power_w", "number", "W per GPU", "Power draw per GPU [W]",
        "average board power per GPU at full draw; default: the accelerator's TDP (data/accelerators.csv)",
        low=1, high=5_000, link="power_w", flag="--gpu-power-w", metavar="W", widget="slider", step=1.0,
        uncertain=True, spread="gpu_power_spread",
    ),
    Input(
        "utilisation_fraction", "number", "fraction of power", "Utilisation [fraction of that power]",
        "fraction of that power actually drawn", low=0, high=1, parameter="utilisation_fraction", link="util",
        flag="--utilisation", metavar="F", widget="slider", step=0.01, uncertain=True, link_default=1.0,
    ),
    Input(
        "server_power_w_per_gpu", "number", "W per GPU", "Non-GPU server power [W per GPU]",
        "non-GPU IT power per GPU (CPU, memory, network)", low=0, high=5_000, parameter="server_power_w_per_gpu",
        link="server_w", flag="--server-power-w-per-gpu", metavar="W", widget="slider", step=1.0, uncertain=True,
        link_default=237.0,
    ),
    Input(
        "pue", "number", "PUE", "PUE [-]", "power usage effectiveness of the data centre", low=1, high=3,
        parameter="pue", link="pue", flag="--pue", metavar="P", widget="slider", step=0.01, uncertain=True,
        link_default=1.1,
    ),
    Input(
        "country_iso3", "text", "ISO 3166-1 alpha-3", "Country",
        "grid of this country: ISO 3166-1 alpha-3 code such as 'FRA' (latest year in the data)",
        parameter="country_iso3", link="country", flag="--country", metavar="ISO3", widget="select",
        link_default="USA",
    ),
    Input(
        "grid_year", "integer", "year", "Grid year",
        "year of the country's grid data (default: the latest year the data has for that country; the years "
        "available depend on the country)", link="grid_year", flag="--grid-year", metavar="Y", widget="select",
    ),
    Input(
        "region", "text", "region id", "Cloud region, state or province",
        "grid of a cloud region or a state/province instead of the country's average: an id of 'python -m "
        "carbon_core regions' such as 'gcp:europe-north1', 'aws:us-east-1', 'us:TX' (data/regions.csv)",
        link="region", flag="--region", metavar="ID", widget="select",
    ),
    Input(
        "grid_g_co2e_per_kwh", "number", "g CO2e/kWh", "Grid intensity [g CO2e/kWh]",
        "grid carbon intensity set by hand; overrides the country's", low=0, high=2_000, link="grid",
        flag="--grid-g-per-kwh", metavar="G", widget="slider", step=1.0,
    ),
    Input(
        "embodied_kg_co2e_per_gpu", "number", "kg CO2e per GPU", "Embodied carbon per GPU [kg CO2e]",
        "manufacturing emissions per GPU; default: the accelerator's own figure (data/accelerators.csv), else the "
        "documented one", low=0, high=10_000, parameter="embodied_kg_co2e_per_gpu",
        link="embodied_kg", flag="--embodied-kg-per-gpu", metavar="K", widget="slider", step=1.0, uncertain=True,
        link_default=463.0,
    ),
    Input(
        "hardware_lifetime_years", "number", "years", "Hardware lifetime [years]",
        "service life over which embodied carbon is amortised", low=0.5, high=20,
        parameter="hardware_lifetime_years", link="lifetime_y", flag="--lifetime-years", metavar="Y",
        widget="slider", step=0.5, uncertain=True, link_default=4.0,
    ),
    Input(
        "embodied_attribution", "choice", "attribution", "Attribution",
        "'amortised' over the hardware lifetime, or 'full' to this run", choices=("amortised", "full"),
        link="attribution", flag="--embodied-attribution", metavar="MODE", widget="radio", link_default="amortised",
    ),
    Input(
        "mfu", "number", "fraction of peak", "MFU [fraction of peak]",
        "model FLOPs utilisation: achieved fraction of the accelerators' peak dense throughput",
        low=0.01, high=1, parameter="mfu", link="mfu", flag="--mfu", metavar="F", widget="slider", step=0.01,
        link_default=0.4,
    ),
    Input(
        "precision", "choice", "number format", "Precision of the peak",
        "number format whose peak dense throughput the MFU is a fraction of: 'bf16' (the 16-bit peak: BF16, or FP16 "
        "where the chip has no BF16) or 'fp8' (accelerators with an FP8 peak in data/accelerators.csv); used when "
        "the duration follows from compute", choices=("bf16", "fp8"), link="precision", flag="--precision",
        metavar="FORMAT", widget="select", link_default="bf16",
    ),
    Input(
        "renewable_share_fraction", "number", "share of electricity", "Renewable electricity matched [share]",
        "share of electricity matched by renewable contracts (market-based figure)", low=0, high=1,
        parameter="renewable_share_fraction", link="renewable", flag="--renewable-share", metavar="F",
        widget="slider", step=0.01, link_default=0.0,
    ),
    Input(
        "project_multiplier", "number", "x the final run", "Project multiplier [x the final run]",
        "whole project's emissions over the final run's", low=1, high=20, parameter="project_multiplier",
        link="project", flag="--project-multiplier", widget="slider", step=0.01, link_default=1.0,
    ),
    Input(
        "wue_l_per_kwh", "number", "L per kWh of IT energy", "On-site water (WUE) [L per kWh of IT energy]",
        "cooling water evaporated on site per kWh of IT energy", low=0, high=20, parameter="wue_l_per_kwh",
        link="wue", flag="--wue-l-per-kwh", metavar="L", widget="slider", step=0.01, link_default=0.55,
    ),
    Input(
        "electricity_water_l_per_kwh", "number", "L per kWh of electricity", "Water of the electricity [L per kWh]",
        "water consumed by the power plants per kWh generated", low=0, high=50,
        parameter="electricity_water_l_per_kwh", link="ewif", flag="--electricity-water-l-per-kwh", metavar="L",
        widget="slider", step=0.01, link_default=3.14,
    ),
)  # fmt: skip


@cache  # INPUTS is a constant and these are read on every rerun of the page: built once, never changed
def field_inputs() -> dict[str, Input]:
    """The input that defines each model field (the field's own unit, ``scale`` 1), by field name."""
    return {row.field: row for row in INPUTS if row.scale == 1.0}


@cache
def by_link() -> dict[str, Input]:
    """The inputs a link carries, by link key."""
    return {row.link: row for row in INPUTS if row.link}


@cache
def by_flag() -> dict[str, Input]:
    """The inputs the CLI takes, by flag."""
    return {row.flag: row for row in INPUTS if row.flag}


def flag_for_field(field: str, used: dict[str, str] | None = None) -> str:
    """The flag that set ``field`` (``used``: field -> flag typed), else the field's own flag."""
    if used and field in used:
        return used[field]
    row = field_inputs().get(field)
    return row.flag if row is not None and row.flag else f"--{field}"
