"""Serving the app to many people at once: N Streamlit replicas behind HAProxy (``make serve``, compose.yaml)."""
