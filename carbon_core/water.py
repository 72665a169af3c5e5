"""Water consumed by a training run: evaporated on site for cooling, and by the power plants off site.

Li, Yang, Islam, Ren 2023, "Making AI Less Thirsty" (arXiv 2304.03271): the operational water
footprint is the on-site part, IT energy x WUE, plus the off-site part, facility energy x the electricity
water intensity factor (EWIF). Both are *consumption* (water that leaves the local watershed, mostly as
vapour), not withdrawal. All functions take scalars or numpy arrays.
"""

from __future__ import annotations

from carbon_core.energy import Number


def on_site_water_l(it_energy_kwh: Number, wue_l_per_kwh: Number) -> Number:
    """Cooling water evaporated at the data centre: ``W_on = E_IT * WUE`` [L].

    ``it_energy_kwh`` [kWh] is the servers' energy (before PUE); ``wue_l_per_kwh`` [L/kWh] is The Green
    Grid's water usage effectiveness, site water over IT energy.
    """
    return it_energy_kwh * wue_l_per_kwh


def off_site_water_l(facility_energy_kwh: Number, electricity_water_l_per_kwh: Number) -> Number:
    """Water consumed by generating the electricity: ``W_off = E_fac * EWIF`` [L].

    ``facility_energy_kwh`` [kWh] is what the data centre draws (PUE included); ``electricity_water_l_per_kwh``
    [L/kWh] is the grid's electricity water intensity factor.
    """
    return facility_energy_kwh * electricity_water_l_per_kwh


def total_water_l(on_site_l: Number, off_site_l: Number) -> Number:
    """Operational water footprint: ``W = W_on + W_off`` [L]."""
    return on_site_l + off_site_l
