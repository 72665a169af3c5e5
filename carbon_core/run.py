"""The inputs of a training run: validated (:class:`TrainingRun`) and with defaults filled (:class:`ResolvedRun`).

Both models' fields are derived from the registry of run inputs (:mod:`carbon_core.inputs`): a field's
type, range and description are stated there once, and the CLI, the link and the sidebar read the same rows.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, create_model, model_validator
from pydantic.fields import FieldInfo

from carbon_core.catalogue import CUSTOM_ACCELERATOR, Accelerator, accelerator_id, find_accelerator
from carbon_core.compute import ComputeError, peak_tflops, training_flop, training_hours_from_flop
from carbon_core.grid import GridFactor, grid_for_country, latest_grid
from carbon_core.inputs import INPUTS, MAX_TRAINING_HOURS, Input, InputError, field_inputs
from carbon_core.parameters import parameter
from carbon_core.regions import find_region, grid_for_region
from carbon_core.water_intensity import default_electricity_water

#: The source and basis of an intensity entered by hand.
ENTERED = "entered by the user"
ENTERED_BASIS = "as stated by the source of the intensity entered (not checked here)"
#: Inputs from which the duration follows (``C = 6 N D`` or a given C); used only when no duration is given.
COMPUTE_FIELDS = ("model_params", "active_params", "training_tokens", "training_flop", "mfu")
#: Fields that may stay unknown after :meth:`TrainingRun.resolve` (a grid entered by hand has no country).
OPTIONAL_RESOLVED = ("country_iso3", "grid_year", "region", *COMPUTE_FIELDS)


def _known_accelerator(value: str) -> str:
    known = accelerator_id(value)
    if known is None:
        raise ValueError(f"unknown accelerator {value!r}; use a catalogue id such as 'h100-sxm' or 'custom'")
    return known


def _known_country(value: str) -> str:
    code = value.strip().upper()
    if code not in latest_grid().index:
        raise ValueError(f"unknown country {value!r}; use an ISO 3166-1 alpha-3 code such as 'FRA'")
    return code


#: Checks of text inputs beyond their type, by field (numbers are checked by their range).
def _known_region(value: str) -> str:
    region_id = find_region(value)
    if region_id is None:
        raise ValueError(f"unknown region {value!r}; use an id of 'python -m carbon_core regions' such as 'us:TX'")
    return region_id


_TEXT_CHECKS = {"accelerator": _known_accelerator, "country_iso3": _known_country, "region": _known_region}


def _value_type(row: Input) -> Any:
    if row.kind == "choice":
        return Literal[row.choices]  # type: ignore[valid-type]
    base = {"number": float, "integer": int, "text": str}[row.kind]
    check = _TEXT_CHECKS.get(row.field)
    return Annotated[base, AfterValidator(check)] if check else base


def bounded(field: str, **extra: Any) -> FieldInfo:
    """A pydantic field with ``field``'s range and description from the registry (for other models too)."""
    row = field_inputs()[field]
    return Field(description=f"{row.help} [{row.unit}]", **row.field_bounds(), **extra)


def _fields(resolved: bool) -> dict[str, Any]:
    """The model fields of every registered input: optional (``None`` = default) or, once resolved, required."""
    fields: dict[str, Any] = {}
    for name, row in field_inputs().items():
        kind = _value_type(row)
        if row.kind == "choice":
            fields[name] = (kind, bounded(name, default=row.choices[0]))
        elif resolved and name not in OPTIONAL_RESOLVED:
            fields[name] = (kind, bounded(name))
        else:
            fields[name] = (kind | None, bounded(name, default=None))
    return fields


_RunInputs = create_model(  # type: ignore[call-overload]
    "_RunInputs", __config__=ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True), **_fields(False)
)
_ResolvedInputs = create_model("_ResolvedInputs", __config__=ConfigDict(frozen=True), **_fields(True))  # type: ignore[call-overload]


class TrainingRun(_RunInputs):  # type: ignore[misc, valid-type]
    """A training run as a user describes it. ``None`` means "use the documented default".

    The fields are the registry's (:data:`carbon_core.inputs.INPUTS`). The duration is either given
    (``training_hours``) or follows from compute: ``training_flop``, or ``model_params`` with
    ``training_tokens`` (``C = 6 N D``), at ``mfu`` (:mod:`carbon_core.compute`).
    """

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

    def compute_flop(self) -> float | None:
        """Total training compute [FLOP]: given, or ``6 x params x tokens`` (the active parameters of a mixture of
        experts when given); ``None`` when the duration is given.

        Raises :class:`ComputeError` when only one of the parameters and the tokens is given, or when a
        duration is given as well.
        """
        if (self.model_params is None) != (self.training_tokens is None):
            raise ComputeError("model_params", "the parameters and the tokens go together (compute = 6 x P x T)")
        if self.active_params is not None and (self.model_params is None or self.active_params > self.model_params):
            raise ComputeError(
                "active_params", "the active parameters need the total parameters and cannot exceed them"
            )
        flop = self.training_flop
        if self.model_params is not None and self.training_tokens is not None:
            if flop is not None:
                raise ComputeError("training_flop", "give the compute or the parameters and tokens, not both")
            flop = float(training_flop(self.active_params or self.model_params, self.training_tokens))
        if flop is not None and self.training_hours is not None:
            raise ComputeError("training_hours", "give a duration or the compute, not both")
        if flop is None and self.mfu is not None:
            raise ComputeError("mfu", "the MFU needs the compute (or the parameters and tokens)")
        return flop

    def compute_hours(self) -> float | None:
        """Wall-clock duration [h] the compute needs: ``t = C / (N x F_peak x MFU x 3600)``; ``None`` without compute.

        ``F_peak`` is the accelerator's peak at the run's ``precision`` (:func:`carbon_core.compute.peak_tflops`).
        Raises :class:`ComputeError` when the accelerator has no peak throughput in the catalogue, or the
        fleet would need more than :data:`MAX_TRAINING_HOURS`; :class:`InputError` naming ``precision`` when
        'fp8' is asked of an accelerator without an FP8 peak.
        """
        flop = self.compute_flop()
        if flop is None:
            return None
        peak = peak_tflops(self.resolved_accelerator(), self.precision)
        mfu = self.mfu if self.mfu is not None else parameter("mfu").number
        gpus = self.gpu_count if self.gpu_count is not None else int(parameter("gpu_count").number)
        hours = float(training_hours_from_flop(flop, gpus, peak, mfu))
        if not 0 < hours <= MAX_TRAINING_HOURS:
            raise ComputeError(
                "training_flop" if self.model_params is None else "model_params",
                f"the fleet would need {hours:,.4g} h at MFU {mfu:g}; it must be small enough that the fleet needs "
                f"at most {MAX_TRAINING_HOURS:,.0f} h (10 years)",
            )
        return hours

    def resolve(self) -> ResolvedRun:
        """Fill every unset field with its documented default and say where each default came from.

        Raises :class:`InputError` when inputs do not fit together: compute that cannot become a duration
        (:meth:`compute_hours`), a grid year the data lacks, a region in another country.
        """
        values: dict[str, Any] = self.model_dump()
        sources: dict[str, str] = {}
        hours = self.compute_hours()
        if hours is not None:
            values["training_hours"] = hours
            sources["training_hours"] = "computed from the training compute (6 x parameters x tokens) and the MFU"
        for name, row in field_inputs().items():
            if values[name] is None and row.parameter and (name != "mfu" or hours is not None):
                param = parameter(row.parameter)
                values[name] = param.value if row.kind == "text" else param.number
                sources[name] = param.source
        values["gpu_count"] = int(values["gpu_count"])
        accelerator = self.resolved_accelerator()
        if values["gpu_power_w"] is None:
            assert accelerator is not None and accelerator.tdp_w is not None  # checked in _power_known
            values["gpu_power_w"] = accelerator.tdp_w
            sources["gpu_power_w"] = f"TDP of {accelerator.name}: {accelerator.source}"
        if self.embodied_kg_co2e_per_gpu is None and accelerator is not None:
            _accelerator_embodied(accelerator, values, sources)
        grid = self._grid(values["country_iso3"])
        values["grid_year"] = grid.year
        if grid.source == ENTERED:
            if self.country_iso3 is None:
                values["country_iso3"] = None  # the country's default does not apply to an entered intensity
                sources.pop("country_iso3", None)
        else:
            if grid.region_id:
                sources.pop("country_iso3", None)  # the region's country, not the default's
            values["country_iso3"] = grid.iso3
            values["grid_g_co2e_per_kwh"] = grid.grid_g_co2e_per_kwh
            where = f"{grid.region_name} ({grid.region_id})" if grid.region_id else grid.country
            sources["grid_g_co2e_per_kwh"] = f"{where} {grid.year}: {grid.source}"
        if self.electricity_water_l_per_kwh is None:  # the grid's country decides it, so after the grid
            values["electricity_water_l_per_kwh"], sources["electricity_water_l_per_kwh"] = (
                default_electricity_water(values["country_iso3"])
            )
        return ResolvedRun(**values, accelerator_entry=accelerator, grid=grid, default_sources=sources)


    def _grid(self, country: str) -> GridFactor:
        """The grid the run is priced on: an intensity entered by hand, else the region's, else the country's
        (in ``grid_year``, default its latest). Raises :class:`InputError` naming the input that does not fit."""
        if self.grid_g_co2e_per_kwh is not None:
            if self.grid_year is not None:
                raise InputError("grid_year", "an intensity set by hand has no data year; leave the grid year out")
            if self.region is not None:
                raise InputError("region", "an intensity set by hand replaces the region's grid; leave the region out")
            return GridFactor(
                grid_g_co2e_per_kwh=self.grid_g_co2e_per_kwh, source=ENTERED, basis=ENTERED_BASIS
            )
        if self.region is not None:
            grid = grid_for_region(self.region)
            if self.grid_year is not None and self.grid_year != grid.year:
                raise InputError("grid_year", f"{self.region}'s grid figure is for {grid.year} only")
            if self.country_iso3 is not None and self.country_iso3 != grid.iso3:
                raise InputError("region", f"{self.region} is in {grid.country} ({grid.iso3}), not {self.country_iso3}")
            return grid
        try:
            return grid_for_country(country, self.grid_year)
        except ValueError as exc:
            raise InputError("grid_year", str(exc)) from None


def _accelerator_embodied(accelerator: Accelerator, values: dict[str, Any], sources: dict[str, str]) -> None:
    """The accelerator's own embodied default (``data/accelerators.csv``) in place of the documented one, if it has
    one; a custom accelerator, or one without a figure, keeps ``data/parameters.csv``'s."""
    if accelerator.embodied_kg_co2e is not None:
        values["embodied_kg_co2e_per_gpu"] = accelerator.embodied_kg_co2e
        sources["embodied_kg_co2e_per_gpu"] = (
            f"embodied default of {accelerator.name} ({accelerator.embodied_scope}): {accelerator.embodied_source}"
        )


class ResolvedRun(_ResolvedInputs):  # type: ignore[misc, valid-type]
    """A run with every input known: what the formulas consume (fields: the registry's)."""

    accelerator_entry: Accelerator | None = Field(exclude=True)
    grid: GridFactor = Field(exclude=True)
    default_sources: dict[str, str] = Field(exclude=True)

    def peak_dense_tflops(self) -> float | None:
        """The peak [TFLOP/s] the duration was computed from (at ``precision``); ``None`` when the duration is given."""
        if self.mfu is None or self.accelerator_entry is None:
            return None
        return self.accelerator_entry.peak_tflops(self.precision)

    def inputs(self) -> dict[str, Any]:
        """The validated inputs with the source of each default used (the CLI's ``inputs`` JSON), and the peak the
        duration was computed from (``peak_dense_tflops``, at ``precision``; ``null`` when the duration is given)."""
        return self.model_dump() | {
            "peak_dense_tflops": self.peak_dense_tflops(),
            "accelerator_name": self.accelerator_entry.name if self.accelerator_entry else "custom",
            "grid_year": self.grid.year,
            "grid_source": self.grid.source,
            "default_sources": dict(self.default_sources),
        }


def run_schema() -> dict[str, Any]:
    """The JSON schema of :class:`TrainingRun`, each property with its registry row: unit, link key, CLI flag(s),
    sidebar label and the key of its documented default (``x-`` keywords, JSON Schema's extension prefix)."""
    schema = TrainingRun.model_json_schema()
    for name, prop in schema["properties"].items():
        rows = [row for row in INPUTS if row.field == name]
        prop |= {
            "x-unit": rows[0].unit,
            "x-label": rows[0].label,
            "x-parameter": rows[0].parameter,
            "x-link": {row.link: row.unit for row in rows if row.link},
            "x-flags": {row.flag: row.unit for row in rows if row.flag},
        }
    return schema
