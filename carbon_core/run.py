"""The inputs of a training run: validated (:class:`TrainingRun`) and with defaults filled (:class:`ResolvedRun`).

The same model validates the CLI's flags, the dashboard's widgets and its URL parameters, so the
allowed range of a field is stated once, here, and :func:`allowed_range` words it for error messages.
"""

from __future__ import annotations

from typing import Any

import annotated_types
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from carbon_core.catalogue import CUSTOM_ACCELERATOR, Accelerator, find_accelerator
from carbon_core.emissions import Attribution
from carbon_core.grid import GridFactor, grid_for_country, latest_grid
from carbon_core.parameters import parameter

#: Fields whose default is a documented parameter (``data/parameters.csv``), by field name.
DEFAULTED_FIELDS = (
    "accelerator",
    "gpu_count",
    "training_hours",
    "utilisation_fraction",
    "server_power_w_per_gpu",
    "pue",
    "embodied_kg_co2e_per_gpu",
    "hardware_lifetime_years",
    "renewable_share_fraction",
    "project_multiplier",
    "wue_l_per_kwh",
    "electricity_water_l_per_kwh",
)
_PARAMETER_KEY = {"accelerator": "accelerator_id"}


class TrainingRun(BaseModel):
    """A training run as a user describes it. ``None`` means "use the documented default"."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)

    accelerator: str | None = Field(
        default=None, description="catalogue id or name (data/accelerators.csv), or 'custom'"
    )
    gpu_count: int | None = Field(default=None, ge=1, le=10_000_000, description="number of GPUs [-]")
    training_hours: float | None = Field(default=None, gt=0, le=87_600, description="wall-clock training duration [h]")
    gpu_power_w: float | None = Field(
        default=None, gt=0, le=5_000, description="average power per GPU at full draw [W]; default: TDP"
    )
    utilisation_fraction: float | None = Field(
        default=None, ge=0, le=1, description="fraction of gpu_power_w actually drawn [-]"
    )
    server_power_w_per_gpu: float | None = Field(
        default=None, ge=0, le=5_000, description="non-GPU IT power per GPU (CPU, memory, network) [W]"
    )
    pue: float | None = Field(default=None, ge=1, le=3, description="power usage effectiveness [-]")
    country_iso3: str | None = Field(default=None, description="ISO 3166-1 alpha-3 code of the grid's country")
    grid_g_co2e_per_kwh: float | None = Field(
        default=None, ge=0, le=2_000, description="grid carbon intensity [g CO2e/kWh]; overrides the country"
    )
    embodied_kg_co2e_per_gpu: float | None = Field(
        default=None, ge=0, le=10_000, description="manufacturing emissions per GPU [kg CO2e]"
    )
    embodied_attribution: Attribution = Field(
        default="amortised", description="'amortised' over the hardware lifetime, or 'full' to this run"
    )
    hardware_lifetime_years: float | None = Field(
        default=None, gt=0, le=20, description="service life over which embodied carbon is amortised [years]"
    )
    renewable_share_fraction: float | None = Field(
        default=None, ge=0, le=1, description="share of electricity matched by renewable contracts (market-based) [-]"
    )
    project_multiplier: float | None = Field(
        default=None, ge=1, le=20, description="whole project's emissions over the final run's [-]"
    )
    wue_l_per_kwh: float | None = Field(
        default=None, ge=0, le=20, description="on-site water usage effectiveness [L per kWh of IT energy]"
    )
    electricity_water_l_per_kwh: float | None = Field(
        default=None, ge=0, le=50, description="water consumed to generate the electricity [L/kWh]"
    )

    @field_validator("accelerator")
    @classmethod
    def _known_accelerator(cls, value: str | None) -> str | None:
        if value is None or value.strip().lower() == CUSTOM_ACCELERATOR:
            return None if value is None else CUSTOM_ACCELERATOR
        entry = find_accelerator(value)
        if entry is None:
            raise ValueError(f"unknown accelerator {value!r}; use a catalogue id such as 'h100-sxm' or 'custom'")
        return entry.id

    @field_validator("country_iso3")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().upper()
        if code not in latest_grid().index:
            raise ValueError(f"unknown country {value!r}; use an ISO 3166-1 alpha-3 code such as 'FRA'")
        return code

    @model_validator(mode="after")
    def _power_known(self) -> TrainingRun:
        if self.gpu_power_w is None:
            accelerator = self.resolved_accelerator()
            if accelerator is None or accelerator.tdp_w is None:
                name = "a custom accelerator" if accelerator is None else accelerator.name
                raise ValueError(f"gpu_power_w is required: {name} has no TDP in the catalogue")
        return self

    def resolved_accelerator(self) -> Accelerator | None:
        """The catalogue entry (default accelerator when unset), or ``None`` for 'custom'."""
        key = self.accelerator or parameter("accelerator_id").value
        return None if key == CUSTOM_ACCELERATOR else find_accelerator(key)

    def resolve(self) -> ResolvedRun:
        """Fill every unset field with its documented default and say where each default came from."""
        values: dict[str, Any] = self.model_dump()
        sources: dict[str, str] = {}
        for name in DEFAULTED_FIELDS:
            if values[name] is None:
                param = parameter(_PARAMETER_KEY.get(name, name))
                values[name] = param.value if name == "accelerator" else param.number
                sources[name] = param.source
        values["gpu_count"] = int(values["gpu_count"])
        accelerator = self.resolved_accelerator()
        if values["gpu_power_w"] is None:
            assert accelerator is not None and accelerator.tdp_w is not None  # checked in _power_known
            values["gpu_power_w"] = accelerator.tdp_w
            sources["gpu_power_w"] = f"TDP of {accelerator.name}: {accelerator.source}"
        if values["grid_g_co2e_per_kwh"] is not None:
            grid = GridFactor(grid_g_co2e_per_kwh=values["grid_g_co2e_per_kwh"], source="entered by the user")
        else:
            country = values["country_iso3"]
            if country is None:
                country = parameter("country_iso3").value
                sources["country_iso3"] = parameter("country_iso3").source
            grid = grid_for_country(country)
            values["country_iso3"] = country
            values["grid_g_co2e_per_kwh"] = grid.grid_g_co2e_per_kwh
            sources["grid_g_co2e_per_kwh"] = f"{grid.country} {grid.year}: {grid.source}"
        return ResolvedRun(**values, accelerator_entry=accelerator, grid=grid, default_sources=sources)


class ResolvedRun(BaseModel):
    """A run with every input known: what the formulas consume."""

    model_config = ConfigDict(frozen=True)

    accelerator: str
    gpu_count: int
    training_hours: float
    gpu_power_w: float
    utilisation_fraction: float
    server_power_w_per_gpu: float
    pue: float
    country_iso3: str | None
    grid_g_co2e_per_kwh: float
    embodied_kg_co2e_per_gpu: float
    embodied_attribution: Attribution
    hardware_lifetime_years: float
    renewable_share_fraction: float
    project_multiplier: float
    wue_l_per_kwh: float
    electricity_water_l_per_kwh: float
    accelerator_entry: Accelerator | None = Field(exclude=True)
    grid: GridFactor = Field(exclude=True)
    default_sources: dict[str, str] = Field(exclude=True)

    def inputs(self) -> dict[str, Any]:
        """The validated inputs with the source of each default used (the CLI's ``inputs`` JSON)."""
        return self.model_dump() | {
            "accelerator_name": self.accelerator_entry.name if self.accelerator_entry else "custom",
            "grid_year": self.grid.year,
            "grid_source": self.grid.source,
            "default_sources": dict(self.default_sources),
        }


def allowed_range(field: str) -> str:
    """Human wording of what ``field`` of :class:`TrainingRun` accepts, e.g. 'a number from 1 to 3'."""
    info = TrainingRun.model_fields[field]
    low = high = None
    low_open = high_open = False
    for meta in info.metadata:
        if isinstance(meta, annotated_types.Ge):
            low = meta.ge
        elif isinstance(meta, annotated_types.Gt):
            low, low_open = meta.gt, True
        elif isinstance(meta, annotated_types.Le):
            high = meta.le
        elif isinstance(meta, annotated_types.Lt):
            high, high_open = meta.lt, True
    if low is None and high is None:
        return str(info.description or "a valid value")
    integer = info.annotation in (int, int | None)
    return describe_range(integer, low, high, low_open=low_open, high_open=high_open)


def describe_range(
    integer: bool, low: float | None, high: float | None, low_open: bool = False, high_open: bool = False
) -> str:
    """Words for a numeric range, e.g. 'a whole number from 1 to 1,000,000' (used in every error message)."""
    kind = "a whole number" if integer else "a number"
    lo = f"{low:,}" if low is not None else ""
    hi = f"{high:,}" if high is not None else ""
    if low is None:
        return f"{kind} at most {hi}"
    if high is None:
        return f"{kind} greater than {lo}" if low_open else f"{kind} of at least {lo}"
    if low_open:
        return f"{kind} greater than {lo} and at most {hi}"
    if high_open:
        return f"{kind} from {lo} to below {hi}"
    return f"{kind} from {lo} to {hi}"
