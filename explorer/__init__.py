"""The dashboard's UI package: share links, session state, sidebar, views and Plotly figure builders."""
