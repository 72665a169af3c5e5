"""Where the browser's time goes when a slider moves: a V8 CPU profile of the page over 15 moves.

``python -m benchmarks.client_profile [app.py | benchmarks/floor_app.py]`` starts the app on loopback, opens
it in Debian's Chromium, makes 3 warm-up moves, then 15 moves (as in ``browser.py``) under the Chrome DevTools
Protocol ``Profiler`` (200 µs sampling), and prints each move's settle time and the main thread's self time
per move by script file and by function. ``(program)`` is the renderer's own work outside JavaScript (style,
layout, paint); ``(idle)`` includes the 150 ms quiet period of each settle. Not part of ``make bench``: it
explains a ratio, it does not measure one.
"""

from __future__ import annotations

import asyncio
import collections
import sys
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from benchmarks.browser import APP_SLIDER_LABEL, launch, new_context, open_session
from benchmarks.common import APP, BENCH_DIR, StreamlitServer

MOVES = 15
WARMUP = 3


async def profile_moves(url: str, slider_label: str | None) -> tuple[list[float], dict[str, Any]]:
    """Settle times [ms] of :data:`MOVES` moves, and the V8 CPU profile taken over them."""
    async with async_playwright() as pw:
        browser = await launch(pw)
        try:
            ctx = await new_context(browser)
            session, _ = await open_session(ctx, url, slider_label)
            for _ in range(WARMUP):
                await session.move()
            cdp = await ctx.new_cdp_session(session.page)
            await cdp.send("Profiler.enable")
            await cdp.send("Profiler.setSamplingInterval", {"interval": 200})
            await cdp.send("Profiler.start")
            settle = [(await session.move())[0] for _ in range(MOVES)]
            return settle, (await cdp.send("Profiler.stop"))["profile"]
        finally:
            await browser.close()


def self_time_ms(profile: dict[str, Any]) -> tuple[collections.Counter[str], collections.Counter[str]]:
    """Self time [ms] by script file and by ``file:function``, from a CDP ``Profiler.Profile``."""
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    by_file: collections.Counter[str] = collections.Counter()
    by_function: collections.Counter[str] = collections.Counter()
    for node_id, delta_us in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[node_id]
        name = frame["url"].rsplit("/", 1)[-1] or f"({frame['functionName'].strip('()')})"
        by_file[name] += delta_us / 1000
        by_function[f"{name}:{frame['functionName'] or '(anonymous)'}"] += delta_us / 1000
    return by_file, by_function


#: Not a script file: the key under which :func:`main_thread_ms_per_move` puts the median settle time.
SETTLE_KEY = "settle p50"
#: Entries of a per-file profile that are not the main thread working.
NOT_BUSY = frozenset({"(idle)", SETTLE_KEY})


def busy_ms(by_file: dict[str, float]) -> float:
    """Main-thread time [ms] of a per-file profile: every entry but :data:`NOT_BUSY`."""
    return sum(ms for name, ms in by_file.items() if name not in NOT_BUSY)


def main_thread_ms_per_move(url: str, slider_label: str | None) -> dict[str, float]:
    """The page's main-thread self time per move [ms] by script file (``(program)``, ``(idle)``, ... included),
    over :data:`MOVES` profiled moves; :data:`SETTLE_KEY` is the median settle time under the profiler."""
    settle, profile = asyncio.run(profile_moves(url, slider_label))
    by_file, _ = self_time_ms(profile)
    per_move = {name: ms / MOVES for name, ms in by_file.items()}
    per_move[SETTLE_KEY] = sorted(settle)[len(settle) // 2]
    return per_move


def main(argv: list[str]) -> int:
    script = Path(argv[0]).resolve() if argv else APP
    label = None if script.name == "floor_app.py" else APP_SLIDER_LABEL
    log_dir = BENCH_DIR / ".logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    server = StreamlitServer(script, "profile").start(log_dir)
    try:
        settle, profile = asyncio.run(profile_moves(server.url, label))
    finally:
        server.stop()
    by_file, by_function = self_time_ms(profile)
    busy = busy_ms(by_file) / MOVES
    print(f"{script.name}: settle per move {sorted(round(ms) for ms in settle)} ms")
    print(f"main thread busy {busy:.1f} ms per move (all but (idle)); self time per move:")
    for name, ms in by_file.most_common(12):
        print(f"  {ms / MOVES:8.1f} ms  {name}")
    print("top functions:")
    for name, ms in by_function.most_common(12):
        print(f"  {ms / MOVES:8.1f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
