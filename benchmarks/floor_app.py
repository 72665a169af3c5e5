"""The floor: the cheapest Streamlit page with a slider, one ``st.slider`` and one ``st.metric``, nothing else.

Every speed target of the dashboard is a ratio to this page, measured in the same run on the same machine.
"""

import streamlit as st

value = st.slider("Value", 0, 100, 50, key="value")
st.metric("Value doubled", value * 2)
