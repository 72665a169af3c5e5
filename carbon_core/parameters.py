"""Documented defaults and their cited low/high ranges (``data/parameters.csv``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from carbon_core.tables import data_dir, load_table


class Parameter(BaseModel):
    """One documented default: its value, unit, cited range and source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    value: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    low: float | None = Field(default=None, allow_inf_nan=False)
    high: float | None = Field(default=None, allow_inf_nan=False)
    source: str = Field(min_length=1)
    year: str | None = None
    notes: str | None = None

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
