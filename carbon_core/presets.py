"""Published training runs as presets (``data/presets.csv``), and how closely each is reproduced."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from carbon_core.catalogue import find_accelerator
from carbon_core.emissions import Attribution
from carbon_core.footprint import estimate
from carbon_core.run import TrainingRun, bounded
from carbon_core.tables import data_dir, load_table

#: A published figure counts as reproduced within 1 %, or within the rounding of the printed figure.
TOLERANCE_PCT = 1.0

#: Where a preset's inputs come from: ``stated`` (every input that sets the total is printed by the source),
#: ``derived`` (one or more inputs solved from the source's own total, or assumed; named in ``derived_inputs``)
#: or ``article`` (a third-party estimate, such as the seed articles, reproduced as the article computed it).
Provenance = Literal["stated", "derived", "article"]
PROVENANCE_LABELS: dict[str, str] = {
    "stated": "inputs stated by the source",
    "derived": "inputs derived from the source's total",
    "article": "third-party article estimate",
}


class Preset(BaseModel):
    """A published run: the inputs needed to recompute it, the reported figure, source and assumptions."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    name: str = Field(min_length=1)
    org: str = Field(min_length=1)
    year: int = Field(ge=2015, le=2030)
    accelerator_id: str = Field(min_length=1)
    gpu_count: int = bounded("gpu_count")
    gpu_hours: float = Field(gt=0)
    gpu_power_w: float = bounded("gpu_power_w")
    utilisation_fraction: float = bounded("utilisation_fraction")
    server_power_w_per_gpu: float = bounded("server_power_w_per_gpu")
    pue: float = bounded("pue")
    grid_g_co2e_per_kwh: float = bounded("grid_g_co2e_per_kwh")
    embodied_kg_co2e_per_gpu: float = bounded("embodied_kg_co2e_per_gpu")
    embodied_attribution: Attribution
    hardware_lifetime_years: float = bounded("hardware_lifetime_years")
    renewable_share_fraction: float = bounded("renewable_share_fraction")
    reported_t_co2e: float = Field(ge=0)
    reported_rounding_t: float = Field(ge=0, description="half a unit of the printed figure's last digit [t]")
    reported_basis: str = Field(min_length=1)
    source: str = Field(min_length=1)
    source_url: str | None = Field(default=None, pattern=r"^https://")
    assumptions: str = Field(min_length=1)
    provenance: Provenance
    derived_inputs: str | None = Field(
        default=None, description="run inputs not printed by the source, separated by ';' (provenance 'derived')"
    )
    note: str | None = None
    warning: str | None = None

    @field_validator("accelerator_id")
    @classmethod
    def _in_catalogue(cls, value: str) -> str:
        if find_accelerator(value) is None:
            raise ValueError(f"accelerator {value!r} is not in accelerators.csv")
        return value

    @model_validator(mode="after")
    def _derived_inputs_named(self) -> Preset:
        names = self.derived_input_list
        if (self.provenance == "derived") != bool(names):
            raise ValueError("derived_inputs must name the derived inputs exactly when provenance is 'derived'")
        unknown = [name for name in names if name not in type(self).model_fields]
        if unknown:
            raise ValueError(f"derived_inputs names no input of the preset: {', '.join(unknown)}")
        return self

    @property
    def derived_input_list(self) -> list[str]:
        """The inputs solved from the source's total or assumed (``derived_inputs`` split on ';')."""
        return [name.strip() for name in (self.derived_inputs or "").split(";") if name.strip()]

    @property
    def training_hours(self) -> float:
        """Wall-clock duration: GPU-hours / GPU count [h]."""
        return self.gpu_hours / self.gpu_count

    def run(self) -> TrainingRun:
        """The preset's inputs as a :class:`TrainingRun` (every run field the preset states, by name)."""
        stated = {name: getattr(self, name) for name in TrainingRun.model_fields if name in type(self).model_fields}
        return TrainingRun(accelerator=self.accelerator_id, training_hours=self.training_hours, **stated)


class Reproduction(BaseModel):
    """A preset's reported figure beside the one computed from its inputs."""

    id: str
    name: str
    reported_t_co2e: float
    computed_t_co2e: float
    difference_pct: float
    reproduced: bool
    source: str
    source_url: str | None = None
    assumptions: str
    provenance: Provenance
    derived_inputs: list[str] = Field(default_factory=list)
    note: str | None = None
    warning: str | None = None


@cache
def _presets(folder: Path) -> dict[str, Preset]:
    rows = load_table("presets.csv", Preset, unique=["id"], folder=folder)
    return {row.id: row for row in rows}


def presets() -> dict[str, Preset]:
    """All presets by id, in the file's order."""
    return _presets(data_dir())


def get_preset(preset_id: str) -> Preset:
    """The preset ``preset_id``; ``KeyError`` if there is none."""
    return presets()[preset_id]


def reproduce(preset: Preset) -> Reproduction:
    """Recompute ``preset`` and compare: ``diff = (computed / reported - 1) * 100`` [%].

    ``reproduced`` is true when the difference is within :data:`TOLERANCE_PCT` or within the rounding
    of the printed figure (``reported_rounding_t``).
    """
    computed = estimate(preset.run()).total_t_co2e
    reported = preset.reported_t_co2e
    diff_pct = (computed / reported - 1.0) * 100.0 if reported else float("inf")
    within_rounding = abs(computed - reported) <= preset.reported_rounding_t
    return Reproduction(
        id=preset.id,
        name=preset.name,
        reported_t_co2e=reported,
        computed_t_co2e=computed,
        difference_pct=diff_pct,
        reproduced=abs(diff_pct) <= TOLERANCE_PCT or within_rounding,
        source=preset.source,
        source_url=preset.source_url,
        assumptions=preset.assumptions,
        provenance=preset.provenance,
        derived_inputs=preset.derived_input_list,
        note=preset.note,
        warning=preset.warning,
    )


def reproduce_all() -> list[Reproduction]:
    """:func:`reproduce` for every preset, in file order."""
    return [reproduce(p) for p in presets().values()]
