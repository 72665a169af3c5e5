"""Published per-GPU manufacturing (embodied) estimates (``data/embodied.csv``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from carbon_core.tables import data_dir, load_table


class EmbodiedEstimate(BaseModel):
    """One published estimate of the manufacturing emissions of a GPU."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1)
    scope: str = Field(min_length=1)
    kg_co2e_per_gpu: float = Field(gt=0, le=10_000, allow_inf_nan=False, description="[kg CO2e per GPU]")
    lifetime_years: float | None = Field(default=None, gt=0, le=20)
    source: str = Field(min_length=1)
    notes: str | None = None


@cache
def _estimates(folder: Path) -> dict[str, EmbodiedEstimate]:
    rows = load_table("embodied.csv", EmbodiedEstimate, unique=["key"], folder=folder)
    return {row.key: row for row in rows}


def embodied_estimates() -> dict[str, EmbodiedEstimate]:
    """All per-GPU embodied estimates by key."""
    return _estimates(data_dir())
