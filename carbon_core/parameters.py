"""Documented defaults and their cited low/high ranges (``data/parameters.csv``)."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from carbon_core.tables import data_dir, load_table

#: Defaults that are text, not numbers; every other default must be a finite number inside its range.
TEXT_KEYS = {"country_iso3", "accelerator_id"}
POSITIVE_KEYS = {"gpu_count", "training_hours", "pue", "hardware_lifetime_years"}


class Parameter(BaseModel):
    """One documented default: its value, unit, cited range and source."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    #: The file's column order; ``value`` is declared after ``low``/``high`` so its check can read them.
    CSV_COLUMNS: ClassVar[tuple[str, ...]] = ("key", "value", "unit", "low", "high", "source", "year", "notes")

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    unit: str = Field(min_length=1)
    low: float | None = Field(default=None, allow_inf_nan=False)
    high: float | None = Field(default=None, allow_inf_nan=False)
    value: str = Field(min_length=1)
    source: str = Field(min_length=1)
    year: str | None = None
    notes: str | None = None

    @field_validator("value")
    @classmethod
    def _numeric_default_in_range(cls, text: str, info: ValidationInfo) -> str:
        key, low, high = info.data.get("key"), info.data.get("low"), info.data.get("high")
        if key in TEXT_KEYS:
            return text
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"the default of '{key}' must be a number") from None
        if not math.isfinite(value):
            raise ValueError(f"the default of '{key}' must be finite")
        if low is not None and high is not None and low > high:
            raise ValueError(f"low {low} is above high {high}")
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"the default of '{key}' lies outside its range {low} to {high}")
        if value < 0 or (key in POSITIVE_KEYS and value <= 0):
            raise ValueError(f"the default of '{key}' must be {'positive' if key in POSITIVE_KEYS else 'at least 0'}")
        return text

    @property
    def number(self) -> float:
        """The value as a number (raises ``ValueError`` for a text default such as a country code)."""
        return float(self.value)


@cache
def _parameters(folder: Path) -> dict[str, Parameter]:
    rows = load_table("parameters.csv", Parameter, unique=["key"], folder=folder)
    return {row.key: row for row in rows}


def parameters() -> dict[str, Parameter]:
    """All documented defaults by key."""
    return _parameters(data_dir())


def parameter(key: str) -> Parameter:
    """The documented default ``key``."""
    return parameters()[key]
