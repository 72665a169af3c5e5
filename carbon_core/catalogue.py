"""The accelerator catalogue (``data/accelerators.csv``): TDP, peak dense tensor FLOP/s and embodied carbon per chip."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from carbon_core.tables import data_dir, load_table

#: Catalogue id that means "not in the catalogue": power must then be given explicitly.
CUSTOM_ACCELERATOR = "custom"
#: Number formats whose peak a run's MFU can apply to (the run input ``precision``).
Precision = Literal["bf16", "fp8"]


class Accelerator(BaseModel):
    """One row of ``data/accelerators.csv``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$", description="catalogue id used in links and the CLI")
    name: str = Field(min_length=1)
    vendor: str = Field(min_length=1)
    form_factor: str | None = None
    release_year: int | None = Field(default=None, ge=2010, le=2030)
    tdp_w: float | None = Field(default=None, gt=0, le=5000, description="thermal design power [W]")
    peak_dense_tflops: float | None = Field(
        default=None, gt=0, le=100_000, description="peak dense tensor throughput [TFLOP/s]"
    )
    peak_tflops_precision: Literal["bf16", "fp16"] | None = None
    peak_dense_fp8_tflops: float | None = Field(
        default=None, gt=0, le=100_000, description="peak dense FP8 tensor throughput [TFLOP/s]; blank: none known"
    )
    peak_fp8_source: str | None = Field(default=None, description="where the FP8 peak comes from (or how derived)")
    memory_gb: float | None = Field(default=None, gt=0, le=10_000)
    source: str = Field(min_length=1)
    notes: str | None = None
    embodied_kg_co2e: float | None = Field(
        default=None, ge=0, le=10_000, description="default manufacturing emissions per accelerator [kg CO2e]"
    )
    embodied_scope: str | None = Field(default=None, description="what the embodied figure covers")
    embodied_source: str | None = Field(default=None, description="where the embodied figure comes from")


    def peak_tflops(self, precision: Precision) -> float | None:
        """The dense peak [TFLOP/s] at ``precision``: 'bf16' is the 16-bit peak (BF16, or FP16 where the chip has no
        BF16, as ``peak_tflops_precision`` says), 'fp8' the FP8 peak; ``None`` when the catalogue has none."""
        return self.peak_dense_fp8_tflops if precision == "fp8" else self.peak_dense_tflops


@cache
def _catalogue(folder: Path) -> dict[str, Accelerator]:
    rows = load_table("accelerators.csv", Accelerator, unique=["id"], folder=folder)
    return {row.id: row for row in rows}


def accelerators() -> dict[str, Accelerator]:
    """All catalogue entries by id, in the file's order (oldest generation first)."""
    return _catalogue(data_dir())


def accelerator_frame() -> pd.DataFrame:
    """The catalogue as a DataFrame (one row per accelerator)."""
    return pd.DataFrame([a.model_dump() for a in accelerators().values()])


def with_fp8_peak() -> list[str]:
    """Ids of the accelerators whose FP8 peak the catalogue has, in the file's order."""
    return [key for key, entry in accelerators().items() if entry.peak_dense_fp8_tflops is not None]


def find_accelerator(name_or_id: str) -> Accelerator | None:
    """The entry whose id or name matches ``name_or_id`` (case-insensitive), or ``None``."""
    wanted = name_or_id.strip().lower()
    catalogue = accelerators()
    if wanted in catalogue:
        return catalogue[wanted]
    for entry in catalogue.values():
        if entry.name.lower() == wanted:
            return entry
    return None


def accelerator_id(name_or_id: str) -> str | None:
    """The catalogue id of ``name_or_id`` (an id or a name, case-insensitive), ``'custom'``, or ``None``."""
    if name_or_id.strip().lower() == CUSTOM_ACCELERATOR:
        return CUSTOM_ACCELERATOR
    entry = find_accelerator(name_or_id)
    return None if entry is None else entry.id
