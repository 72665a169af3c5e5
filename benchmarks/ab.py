"""Interleaved A/B of slider moves across pages: ``python -m benchmarks.ab [--moves N] APP [APP ...]``.

For trying a change to the page before a full run: each app (a path from the repository root, e.g. ``app.py``,
a variant of it, ``benchmarks/floor_app.py``) gets its own ``streamlit run`` and one Chromium page; the pages
then take turns, one move each (the order flips every round), measured as in ``browser.py``. Prints each
page's p50 and p95 from key press to settled page, and the p50 to ``script_finished`` [ms]. The moves are
``browser.run_browser``'s (which first opens each server once and prints that visit, not counted). Only
differences within one run mean anything (the machine is shared). Not part of ``make bench``.
"""

from __future__ import annotations

import argparse
import asyncio

from benchmarks.browser import APP_SLIDER_LABEL, BrowserResult, run_browser
from benchmarks.common import BENCH_DIR, FLOOR_APP, ROOT, Stats, StreamlitServer

WARMUP = 3


async def compare(apps: list[str], moves: int) -> BrowserResult:
    """``moves`` interleaved slider moves on each app, with ``browser.run_browser`` (no cold renders)."""
    servers = [StreamlitServer(ROOT / app, f"ab{i}").start(BENCH_DIR / ".logs") for i, app in enumerate(apps)]
    try:
        # The floor's only slider has no label to find; every other page moves the PUE slider.
        pages = {
            app: (server.url, None if (ROOT / app).resolve() == FLOOR_APP else APP_SLIDER_LABEL)
            for app, server in zip(apps, servers, strict=True)
        }
        return await run_browser(pages, moves=moves, warmup=WARMUP, cold_repeats=0)
    finally:
        for server in servers:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("apps", nargs="+", help="Streamlit scripts, relative to the repository root")
    parser.add_argument("--moves", type=int, default=30, help="counted moves per page (after 3 warm-up moves)")
    args = parser.parse_args()
    result = asyncio.run(compare(args.apps, args.moves))
    for app in args.apps:
        s, f = Stats.of(result.move_ms[app]), Stats.of(result.finished_ms[app])
        raf = Stats.of(result.raf_ms[app])
        failed = f", {len(result.failures[app])} failed or errors" if result.failures[app] else ""
        print(
            f"{app:40s} settled p50 {s.p50:6.1f}  p95 {s.p95:6.1f}  to script_finished p50 {f.p50:6.1f}  "
            f"(ended at the frame's callback instead: p50 {raf.p50:6.1f}) ms{failed}"
        )


if __name__ == "__main__":
    main()
