"""The footprint of one training run: energy by part, operational, embodied and total emissions."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from carbon_core import emissions, energy
from carbon_core.equivalents import equivalents
from carbon_core.run import ResolvedRun, TrainingRun


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
    grid_g_co2e_per_kwh: float
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


def estimate(run: TrainingRun | ResolvedRun | None = None) -> Footprint:
    """Price one training run (the default run when ``run`` is ``None``).

    Applies, in order, :mod:`carbon_core.energy` (GPU, server, IT and facility energy) and
    :mod:`carbon_core.emissions` (operational, embodied, total), then :func:`carbon_core.equivalents.equivalents`.
    """
    resolved = (run or TrainingRun()).resolve() if not isinstance(run, ResolvedRun) else run
    hours = energy.gpu_hours(resolved.gpu_count, resolved.training_hours)
    gpu_kwh = energy.gpu_energy_kwh(hours, resolved.gpu_power_w, resolved.utilisation_fraction)
    server_kwh = energy.server_energy_kwh(hours, resolved.server_power_w_per_gpu)
    it_kwh = energy.it_energy_kwh(gpu_kwh, server_kwh)
    facility_kwh = energy.facility_energy_kwh(it_kwh, resolved.pue)
    operational = emissions.operational_t_co2e(facility_kwh, resolved.grid_g_co2e_per_kwh)
    embodied = embodied_t_co2e_of(resolved)
    total = emissions.total_t_co2e(operational, embodied)
    return Footprint(
        gpu_hours=hours,
        gpu_energy_kwh=gpu_kwh,
        server_energy_kwh=server_kwh,
        it_energy_kwh=it_kwh,
        facility_energy_kwh=facility_kwh,
        overhead_energy_kwh=energy.overhead_energy_kwh(it_kwh, resolved.pue),
        operational_t_co2e=operational,
        embodied_t_co2e=embodied,
        total_t_co2e=total,
        fleet_power_mw=energy.fleet_power_mw(
            resolved.gpu_count,
            resolved.gpu_power_w,
            resolved.utilisation_fraction,
            resolved.server_power_w_per_gpu,
            resolved.pue,
        ),
        grid_g_co2e_per_kwh=resolved.grid_g_co2e_per_kwh,
        equivalents=equivalents(total, facility_kwh),
        run=resolved,
    )


def embodied_t_co2e_of(run: ResolvedRun) -> float:
    """Embodied emissions of ``run`` [t CO2e] (see :func:`carbon_core.emissions.embodied_t_co2e`)."""
    share = emissions.embodied_share(run.training_hours, run.hardware_lifetime_years, run.embodied_attribution)
    return emissions.embodied_t_co2e(run.gpu_count, run.embodied_kg_co2e_per_gpu, share)
