"""How this project drives its app in a real browser: shared by the browser tests (``tests/browser``), the
benchmarks (``benchmarks``) and the README's screenshot (``python -m harness.screenshot``).

- :mod:`harness.chromium`: Debian's Chromium (path, launch flags), what counts as "this machine", the
  listeners that record what a page did wrong, and the page-side reader of Streamlit's websocket messages;
- :mod:`harness.server`: ``streamlit run`` on a free loopback port, waited for and stopped;
- :mod:`harness.settle`: waiting until a page has finished its run and stopped changing (sync Playwright);
- :mod:`harness.screenshot`: ``docs/screenshot.png``.

Development only: the deployed app (``Dockerfile``) does not include it. Playwright cannot download its own
browsers here, so every caller launches ``/usr/bin/chromium``.
"""
