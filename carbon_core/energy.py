"""Energy and power of a training run. Every function works on scalars and numpy arrays alike.

Nomenclature (units in brackets): N GPU count [-]; t training duration per GPU [h]; P_gpu average power
per GPU at full draw [W]; u fraction of P_gpu actually drawn [-]; P_srv non-GPU IT power per GPU (CPU,
memory, network, storage share of the server) [W]; PUE power usage effectiveness [-].
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

from carbon_core.units import HOURS_PER_YEAR, W_PER_KW, W_PER_MW

Number = TypeVar("Number", float, np.ndarray)


def gpu_hours(gpu_count: Number, training_hours: Number) -> Number:
    """Accelerator time: ``H = N * t`` [GPU-h]."""
    return gpu_count * training_hours


def gpu_energy_kwh(gpu_hours: Number, gpu_power_w: Number, utilisation_fraction: Number) -> Number:
    """Energy drawn by the accelerators: ``E_gpu = H * P_gpu * u / 1000`` [kWh].

    With ``u = 1`` and ``P_gpu`` the TDP this is the convention of Meta's model cards and of the BLOOM
    paper (Luccioni et al. 2022, JMLR 24(253): 1,082,990 GPU-h x 0.4 kW = 433,196 kWh).
    """
    return gpu_hours * gpu_power_w * utilisation_fraction / W_PER_KW


def server_energy_kwh(gpu_hours: Number, server_power_w_per_gpu: Number) -> Number:
    """Energy of the rest of the servers (host CPUs, memory, network): ``E_srv = H * P_srv / 1000`` [kWh].

    Luccioni et al. (2022) call the equivalent term for BLOOM "idle consumption".
    """
    return gpu_hours * server_power_w_per_gpu / W_PER_KW


def it_energy_kwh(gpu_energy_kwh: Number, server_energy_kwh: Number) -> Number:
    """IT equipment energy: ``E_IT = E_gpu + E_srv`` [kWh]."""
    return gpu_energy_kwh + server_energy_kwh


def facility_energy_kwh(it_energy_kwh: Number, pue: Number) -> Number:
    """Energy drawn by the data centre: ``E_fac = E_IT * PUE`` [kWh].

    PUE is total facility energy over IT energy (The Green Grid, ISO/IEC 30134-2); Meta's cards use 1.1,
    Patterson et al. (2021) use 1.1 for GPT-3 and Luccioni et al. (2022) 1.2 for Jean Zay.
    """
    return it_energy_kwh * pue


def overhead_energy_kwh(it_energy_kwh: Number, pue: Number) -> Number:
    """Cooling, power conversion and other facility overhead: ``E_oh = E_IT * (PUE - 1)`` [kWh]."""
    return it_energy_kwh * (pue - 1.0)


def fleet_power_mw(
    gpu_count: Number,
    gpu_power_w: Number,
    utilisation_fraction: Number,
    server_power_w_per_gpu: Number,
    pue: Number,
) -> Number:
    """Average power the run draws from the grid: ``P_fleet = N * (P_gpu * u + P_srv) * PUE / 1e6`` [MW].

    Accelerators, hosts and the facility's overhead on both. It is more than the swing the grid sees when
    the accelerators stop at once, ``dP = N * P_gpu * u * PUE / 1e6`` (:func:`power_swing_mw`): the hosts'
    ``N * P_srv * PUE / 1e6`` stays on, so ``P_fleet - dP = N * P_srv * PUE / 1e6``.
    """
    return gpu_count * (gpu_power_w * utilisation_fraction + server_power_w_per_gpu) * pue / W_PER_MW


def power_swing_mw(gpu_count: Number, gpu_power_w: Number, utilisation_fraction: Number, pue: Number) -> Number:
    """Grid power swing when every accelerator stops at once: ``dP = N * P_gpu * u * PUE / 1e6`` [MW].

    The hosts stay on, so only the accelerators' share (with its cooling overhead) drops: ``dP`` is
    :func:`fleet_power_mw` without ``P_srv``. The Llama 3 paper (Dubey et al. 2024, sec. 3.3.4) reports
    swings "on the order of tens of megawatts".
    """
    return gpu_count * gpu_power_w * utilisation_fraction * pue / W_PER_MW


def average_power_kw(annual_energy_kwh: Number) -> Number:
    """Average power of a consumer using ``annual_energy_kwh`` a year: ``P = E / 8760`` [kW]."""
    return annual_energy_kwh / HOURS_PER_YEAR
