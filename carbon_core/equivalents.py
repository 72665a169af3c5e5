"""Real-world equivalents of a footprint (``data/equivalences.csv``).

An equivalent is ``n = C * 1000 / c_unit`` for a factor in kg CO2e per unit, ``n = E_fac / e_unit`` for a
factor in kWh per unit (households' electricity), or ``n = W / w_unit`` for a factor in litres per unit
(water). Each factor carries its source and year.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from carbon_core.energy import Number, average_power_kw
from carbon_core.tables import data_dir, load_table
from carbon_core.units import KG_PER_T, KW_PER_MW


class EquivalenceFactor(BaseModel):
    """One factor: kg CO2e, kWh or litres of water per unit (exactly one of the three)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1)
    kg_co2e_per_unit: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    kwh_per_unit: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    litres_per_unit: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    unit: str = Field(min_length=1)
    source: str = Field(min_length=1)
    year: str = Field(min_length=1)
    notes: str | None = None

    @model_validator(mode="after")
    def _one_basis(self) -> EquivalenceFactor:
        given = [v for v in (self.kg_co2e_per_unit, self.kwh_per_unit, self.litres_per_unit) if v is not None]
        if len(given) != 1:
            raise ValueError("exactly one of kg_co2e_per_unit, kwh_per_unit and litres_per_unit must be given")
        return self


@cache
def _factors(folder: Path) -> dict[str, EquivalenceFactor]:
    rows = load_table("equivalences.csv", EquivalenceFactor, unique=["key"], folder=folder)
    return {row.key: row for row in rows}


def equivalence_factors() -> dict[str, EquivalenceFactor]:
    """All factors by key, in the file's order."""
    return _factors(data_dir())


def equivalents(total_t_co2e: float, facility_energy_kwh: float, water_l: float) -> dict[str, float]:
    """How many of each unit the footprint equals: ``C * 1000 / c_unit``, ``E_fac / e_unit`` or ``W / w_unit``.

    ``total_t_co2e`` [t CO2e], ``facility_energy_kwh`` [kWh] and ``water_l`` [L] come from
    :func:`carbon_core.estimate`. References are in each factor's ``source`` (EPA Greenhouse Gas
    Equivalencies Calculator; Strubell et al. 2019 Table 1; Green Algorithms; Climeworks; EIA; EPA
    WaterSense; World Aquatics).
    """
    result: dict[str, float] = {}
    for key, factor in equivalence_factors().items():
        if factor.kg_co2e_per_unit is not None:
            result[key] = total_t_co2e * KG_PER_T / factor.kg_co2e_per_unit
        elif factor.kwh_per_unit is not None:
            result[key] = facility_energy_kwh / factor.kwh_per_unit
        else:
            assert factor.litres_per_unit is not None
            result[key] = water_l / factor.litres_per_unit
    return result


def households_powered(fleet_power_mw: Number) -> Number:
    """How many average US homes draw as much power as the fleet: ``n = P_fleet * 1000 / (e_home / 8760)`` [-].

    ``e_home`` is the US residential customer's annual electricity (EIA, ``us_household_electricity_year``)
    [kWh], so ``e_home / 8760`` is its average power [kW] (:func:`carbon_core.energy.average_power_kw`).
    """
    factor = equivalence_factors()["us_household_electricity_year"]
    assert factor.kwh_per_unit is not None
    return fleet_power_mw * KW_PER_MW / average_power_kw(factor.kwh_per_unit)
