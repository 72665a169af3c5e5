"""The footprint of one training run: energy by part, operational, embodied and total emissions."""

from __future__ import annotations

import inspect
from typing import Any

from pydantic import BaseModel, ConfigDict

from carbon_core import emissions, energy, water
from carbon_core.emissions import Attribution
from carbon_core.energy import Number
from carbon_core.equivalents import equivalents, households_powered
from carbon_core.run import ResolvedRun, TrainingRun
from carbon_core.water_intensity import off_site_water_note


class Footprint(BaseModel):
    """Results of :func:`estimate`; every name carries its unit."""

    model_config = ConfigDict(frozen=True)

    gpu_hours: float
    gpu_energy_kwh: float
    server_energy_kwh: float
    it_energy_kwh: float
    facility_energy_kwh: float
    overhead_energy_kwh: float
    operational_t_co2e: float
    embodied_t_co2e: float
    total_t_co2e: float
    fleet_power_mw: float
    power_swing_mw: float
    operational_market_t_co2e: float
    project_total_t_co2e: float
    households_powered: float
    water_on_site_l: float
    water_off_site_l: float
    water_total_l: float
    #: Which off-site water factor was used and where it comes from (:func:`off_site_water_note`).
    water_off_site_basis: str
    grid_g_co2e_per_kwh: float
    #: The grid figure's year (``None`` for an intensity entered by hand), basis and source.
    grid_year: int | None
    grid_basis: str
    grid_source: str
    equivalents: dict[str, float]
    run: ResolvedRun

    def emissions_breakdown_t_co2e(self) -> dict[str, float]:
        """Total emissions split by cause [t CO2e]: each energy part x grid intensity, plus embodied.

        ``gpu = E_gpu * I / 1e6``, ``server = E_srv * I / 1e6``, ``overhead = E_oh * I / 1e6`` (see
        :func:`carbon_core.emissions.operational_t_co2e`) and ``embodied``; they add up to ``total_t_co2e``.
        """
        g = self.grid_g_co2e_per_kwh
        return {
            "gpu": emissions.operational_t_co2e(self.gpu_energy_kwh, g),
            "server": emissions.operational_t_co2e(self.server_energy_kwh, g),
            "overhead": emissions.operational_t_co2e(self.overhead_energy_kwh, g),
            "embodied": self.embodied_t_co2e,
        }

    def to_dict(self) -> dict[str, Any]:
        """The CLI's JSON document: results, ``equivalents`` and ``inputs`` (with default sources)."""
        data = self.model_dump(exclude={"run"})
        data["inputs"] = self.run.inputs()
        return data


def footprint_parts(
    gpu_count: Number,
    training_hours: Number,
    gpu_power_w: Number,
    utilisation_fraction: Number,
    server_power_w_per_gpu: Number,
    pue: Number,
    grid_g_co2e_per_kwh: Number,
    embodied_kg_co2e_per_gpu: Number,
    hardware_lifetime_years: Number,
    embodied_attribution: Attribution,
    renewable_share_fraction: Number = 0.0,
    project_multiplier: Number = 1.0,
    wue_l_per_kwh: Number = 0.0,
    electricity_water_l_per_kwh: Number = 0.0,
) -> dict[str, Number]:
    """The whole chain, on scalars or numpy arrays (one element per Monte Carlo sample or country).

    Applies, in order, :mod:`carbon_core.energy` (GPU, server, IT, facility and overhead energy [kWh],
    fleet power and swing [MW]), :mod:`carbon_core.emissions` (operational, embodied, total, market-based
    and whole-project [t CO2e]) and :mod:`carbon_core.water` (on-site, off-site and total water [L]).
    """
    hours = energy.gpu_hours(gpu_count, training_hours)
    gpu_kwh = energy.gpu_energy_kwh(hours, gpu_power_w, utilisation_fraction)
    server_kwh = energy.server_energy_kwh(hours, server_power_w_per_gpu)
    it_kwh = energy.it_energy_kwh(gpu_kwh, server_kwh)
    facility_kwh = energy.facility_energy_kwh(it_kwh, pue)
    operational = emissions.operational_t_co2e(facility_kwh, grid_g_co2e_per_kwh)
    share = emissions.embodied_share(training_hours, hardware_lifetime_years, embodied_attribution)
    embodied = emissions.embodied_t_co2e(gpu_count, embodied_kg_co2e_per_gpu, share)
    total = emissions.total_t_co2e(operational, embodied)
    on_site_l = water.on_site_water_l(it_kwh, wue_l_per_kwh)
    off_site_l = water.off_site_water_l(facility_kwh, electricity_water_l_per_kwh)
    fleet_mw = energy.fleet_power_mw(gpu_count, gpu_power_w, utilisation_fraction, server_power_w_per_gpu, pue)
    return {
        "gpu_hours": hours,
        "gpu_energy_kwh": gpu_kwh,
        "server_energy_kwh": server_kwh,
        "it_energy_kwh": it_kwh,
        "facility_energy_kwh": facility_kwh,
        "overhead_energy_kwh": energy.overhead_energy_kwh(it_kwh, pue),
        "operational_t_co2e": operational,
        "embodied_t_co2e": embodied,
        "total_t_co2e": total,
        "fleet_power_mw": fleet_mw,
        "power_swing_mw": energy.power_swing_mw(gpu_count, gpu_power_w, utilisation_fraction, pue),
        "operational_market_t_co2e": emissions.market_based_t_co2e(operational, renewable_share_fraction),
        "project_total_t_co2e": emissions.project_t_co2e(total, project_multiplier),
        "households_powered": households_powered(fleet_mw),
        "water_on_site_l": on_site_l,
        "water_off_site_l": off_site_l,
        "water_total_l": water.total_water_l(on_site_l, off_site_l),
    }


def run_parts(run: ResolvedRun, **overrides: Number) -> dict[str, Number]:
    """:func:`footprint_parts` for ``run``, with any input replaced (e.g. by an array of samples)."""
    values: dict[str, Any] = {name: getattr(run, name) for name in _PART_INPUTS}
    values.update(overrides)
    return footprint_parts(**values)


#: The run inputs :func:`footprint_parts` consumes: its parameters, named as the run's fields.
_PART_INPUTS = tuple(inspect.signature(footprint_parts).parameters)


def estimate(run: TrainingRun | ResolvedRun | None = None) -> Footprint:
    """Price one training run (the default run when ``run`` is ``None``): :func:`footprint_parts`
    on its resolved inputs, then :func:`carbon_core.equivalents.equivalents`."""
    resolved = (run or TrainingRun()).resolve() if not isinstance(run, ResolvedRun) else run
    parts = run_parts(resolved)
    return Footprint(
        **{key: float(value) for key, value in parts.items()},
        water_off_site_basis=off_site_water_note(
            resolved.electricity_water_l_per_kwh, resolved.country_iso3, resolved.region
        ),
        grid_g_co2e_per_kwh=resolved.grid_g_co2e_per_kwh,
        grid_year=resolved.grid.year,
        grid_basis=resolved.grid.basis or "",
        grid_source=resolved.grid.source,
        equivalents=equivalents(parts["total_t_co2e"], parts["facility_energy_kwh"], parts["water_total_l"]),
        run=resolved,
    )
