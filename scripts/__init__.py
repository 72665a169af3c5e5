"""Scripts that build the data files (``build_data.py``, from the curated figures of ``curated.py``).

The browser harness (Chromium, the server, the screenshot) is the ``harness`` package.
"""
