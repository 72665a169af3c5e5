"""Training Emissions Explorer: the Streamlit front end over carbon_core (headline numbers for now)."""

import streamlit as st

from carbon_core import estimate

st.set_page_config(page_title="Training Emissions Explorer", page_icon="🌍", layout="wide")
st.title("Training Emissions Explorer")
footprint = estimate()
run = footprint.run
st.caption(
    f"Default run: {run.gpu_count:,} × {run.accelerator_entry.name if run.accelerator_entry else 'custom'} "
    f"for {run.training_hours:,.0f} h on the grid of {run.grid.country} ({run.grid.year})."
)
cols = st.columns(4)
cols[0].metric("Total emissions", f"{footprint.total_t_co2e:,.0f} t CO2e")
cols[1].metric("Facility energy", f"{footprint.facility_energy_kwh / 1e3:,.0f} MWh")
cols[2].metric("Fleet power", f"{footprint.fleet_power_mw:,.2f} MW")
cols[3].metric("Car lifetimes", f"{footprint.equivalents['car_lifetime']:,.1f}")
