"""A reference for the cold first render: the floor (one ``st.slider``, one ``st.metric``) plus one small Plotly
bar chart, the least a page must load to draw any Plotly figure.

It is not a target: it shows how much of the dashboard's cold render is Streamlit's Plotly bundle, which the
floor never loads (see RESULTS.md, section 3).
"""

import plotly.graph_objects as go
import streamlit as st

value = st.slider("Value", 0, 100, 50, key="value")
st.metric("Value doubled", value * 2)
fig = go.Figure(go.Bar(x=["GPU", "server", "overhead", "embodied"], y=[value, 20, 10, 5]))
st.plotly_chart(fig, key="chart")
