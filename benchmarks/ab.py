"""Interleaved A/B of slider moves across pages: ``python -m benchmarks.ab [--moves N] APP [APP ...]``.

For trying a change to the page before a full run: each app (a path from the repository root, e.g. ``app.py``,
a variant of it, ``benchmarks/floor_app.py``) gets its own ``streamlit run`` and one Chromium page; the pages
then take turns, one move each (the order flips every round), measured as in ``browser.py``. Prints each
page's p50 and p95 from key press to settled page, and the p50 to ``script_finished`` [ms]. Only differences
within one run mean anything (the machine is shared). Not part of ``make bench``.
"""

from __future__ import annotations

import argparse
import asyncio

from playwright.async_api import async_playwright

from benchmarks.browser import APP_SLIDER_LABEL, launch, new_context, open_session
from benchmarks.common import BENCH_DIR, FLOOR_APP, ROOT, Stats, StreamlitServer

WARMUP = 3


async def compare(apps: list[str], moves: int) -> dict[str, tuple[list[float], list[float]]]:
    """Settle and to-``script_finished`` times [ms] of ``moves`` interleaved moves on each app."""
    servers = [StreamlitServer(ROOT / app, f"ab{i}").start(BENCH_DIR / ".logs") for i, app in enumerate(apps)]
    try:
        async with async_playwright() as pw:
            browser = await launch(pw)
            sessions = []
            for app, server in zip(apps, servers, strict=True):
                # The floor's only slider has no label to find; every other page moves the PUE slider.
                label = None if (ROOT / app).resolve() == FLOOR_APP else APP_SLIDER_LABEL
                session, _ = await open_session(await new_context(browser), server.url, label)
                sessions.append(session)
            times: dict[str, tuple[list[float], list[float]]] = {app: ([], []) for app in apps}
            for round_no in range(WARMUP + moves):
                order = list(zip(apps, sessions, strict=True))
                for app, session in order[::-1] if round_no % 2 else order:
                    settled_ms, finished_ms = await session.move()
                    if round_no >= WARMUP:
                        times[app][0].append(settled_ms)
                        times[app][1].append(finished_ms)
            await browser.close()
            return times
    finally:
        for server in servers:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("apps", nargs="+", help="Streamlit scripts, relative to the repository root")
    parser.add_argument("--moves", type=int, default=30, help="counted moves per page (after 3 warm-up moves)")
    args = parser.parse_args()
    for app, (settled, finished) in asyncio.run(compare(args.apps, args.moves)).items():
        s, f = Stats.of(settled), Stats.of(finished)
        print(f"{app:40s} settled p50 {s.p50:6.1f}  p95 {s.p95:6.1f}  to script_finished p50 {f.p50:6.1f} ms")


if __name__ == "__main__":
    main()
