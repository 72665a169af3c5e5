"""Concurrency: many browser sessions on one app server over loopback, against a single session, same run.

A fresh ``streamlit run app.py`` on 127.0.0.1. First a single session makes its moves (the baseline), then
``sessions`` pages (spread over several browser contexts, opened in small waves so the opening is not the
test) each make ``moves`` moves at once, with a random think time between moves, then the single session
again (the baseline is the pool of both single-session halves, so a drift of the machine hits both sides).
A move is measured exactly as in the browser benchmark (key press to settled page, :mod:`benchmarks.browser`).
The server's resident memory (``VmRSS``) is read before the sessions open (after the baseline session has
closed), with every session open and settled, and after all the moves with every session still open.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import async_playwright

from benchmarks import browser
from benchmarks.common import APP, StreamlitServer, cpu_seconds, descendants, rss_kb, tree_cpu_seconds

#: A move under load may wait behind many reruns; it fails only after this long.
CONCURRENT_MOVE_TIMEOUT_MS = 60_000


@dataclass
class ConcurrencyResult:
    name: str
    sessions: int
    contexts: int
    moves_per_session: int
    think_s: tuple[float, float]
    single_ms: list[float]
    single_finished_ms: list[float]
    single_halves: tuple[int, int]
    concurrent_ms: list[float]
    concurrent_finished_ms: list[float]
    failed_moves: int
    moves_not_made: int
    deadline_s: float
    page_errors: int
    open_failures: int
    opened: int
    error_samples: list[str]
    rss_kb: dict[str, int]
    server_cpu_s: float
    single_server_cpu_s: float
    single_phase_s: float
    phase_s: float
    machine_busy_fraction: float
    client_cpu_s: float
    open_s: float
    notes: list[str] = field(default_factory=list)


def _machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


async def _single(
    ctx_factory: Callable,
    url: str,
    label: str | None,
    warmup: int,
    moves: int,
    think: tuple[float, float],
    rng: random.Random,
    pid: int,
) -> tuple[list[tuple[float, float]], list[str], float, float]:
    """The single-session baseline: latencies, errors, and the server's CPU-s and wall time over its moves."""
    ctx = await ctx_factory()
    try:
        session, _ = await browser.open_session(ctx, url, label)
        out: list[tuple[float, float]] = []
        failures: list[str] = []
        for _ in range(warmup):
            try:
                await session.move()
            except Exception as exc:
                failures.append(f"single session, warm-up move: {str(exc)[:200]}")
        cpu0, t0 = cpu_seconds(pid), time.monotonic()
        for _ in range(moves):
            await asyncio.sleep(rng.uniform(*think))
            try:
                out.append(await session.move())
            except Exception as exc:
                failures.append(f"single session: {exc}")
        return out, failures + session.errors, cpu_seconds(pid) - cpu0, time.monotonic() - t0
    finally:
        await ctx.close()


async def _sessions_run(
    sessions: list[browser.Session], moves: int, think: tuple[float, float], seed: int, deadline: float
) -> tuple[list[tuple[float, float]], list[str], int]:
    latencies: list[tuple[float, float]] = []
    failures: list[str] = []
    not_made: list[int] = []

    async def one(i: int, s: browser.Session) -> None:
        rng = random.Random(seed * 1000 + i)
        await asyncio.sleep(rng.uniform(0, think[1]))  # spread the first moves
        for m in range(moves):
            if time.monotonic() > deadline:
                not_made.append(moves - m)
                return
            try:
                latencies.append(await s.move())
            except Exception as exc:
                failures.append(f"session {i} move {m}: {str(exc)[:200]}")
            await asyncio.sleep(rng.uniform(*think))

    await asyncio.gather(*(one(i, s) for i, s in enumerate(sessions)))
    return latencies, failures, sum(not_made)


async def _run(
    name: str,
    url: str,
    label: str | None,
    pid: int,
    sessions: int,
    contexts: int,
    moves: int,
    think: tuple[float, float],
    wave: int,
    timeout_s: float,
    log: Callable[[str], None],
) -> ConcurrencyResult:
    rng = random.Random(7)
    rss: dict[str, int] = {}
    notes: list[str] = []
    async with async_playwright() as pw:
        b = await browser.launch(pw)

        async def factory():
            return await browser.new_context(b)

        try:
            # Warm the server (first script run imports plotly etc.) with a throw-away session.
            warm = await factory()
            await browser.open_session(warm, url, label)
            await warm.close()
            half = max(moves // 2, 1)
            single_a, errs_a, single_cpu, single_wall = await _single(factory, url, label, 3, half, think, rng, pid)
            log(f"  single session (first half): {len(single_a)} moves")
            await asyncio.sleep(2)
            rss["before"] = rss_kb(pid)

            ctxs = [await factory() for _ in range(contexts)]
            opened: list[browser.Session] = []
            open_failures = 0
            open_errors: list[str] = []
            t_open = time.monotonic()
            for start in range(0, sessions, wave):
                batch = range(start, min(start + wave, sessions))
                results = await asyncio.gather(
                    *(browser.open_session(ctxs[i % contexts], url, label, CONCURRENT_MOVE_TIMEOUT_MS) for i in batch),
                    return_exceptions=True,
                )
                for r in results:
                    if isinstance(r, BaseException):
                        open_failures += 1
                        open_errors.append(f"open: {str(r)[:200]}")
                    else:
                        opened.append(r[0])
            open_s = time.monotonic() - t_open
            log(f"  {len(opened)}/{sessions} sessions open in {open_s:.0f} s")
            await asyncio.sleep(2)
            rss["all open"] = rss_kb(pid)

            client = descendants(os.getpid(), exclude={pid})  # Playwright's driver and Chromium
            busy0, total0 = _machine_busy()
            cpu0, client0 = cpu_seconds(pid), tree_cpu_seconds(client)
            t0 = time.monotonic()
            for s in opened:
                s.timeout_ms = CONCURRENT_MOVE_TIMEOUT_MS
            conc, failures, not_made = await _sessions_run(opened, moves, think, 11, t0 + timeout_s)
            phase_s = time.monotonic() - t0
            busy1, total1 = _machine_busy()
            server_cpu = cpu_seconds(pid) - cpu0
            client_cpu = tree_cpu_seconds(client) - client0
            await asyncio.sleep(2)
            rss["all open, after the moves"] = rss_kb(pid)
            log(f"  {len(conc)} concurrent moves in {phase_s:.0f} s, {len(failures)} failed")
            page_errors = [e for s in opened for e in s.errors]
            for c in ctxs:
                with contextlib.suppress(Exception):
                    await c.close()
            await asyncio.sleep(2)
            single_b, errs_b, cpu_b, wall_b = await _single(factory, url, label, 1, moves - half, think, rng, pid)
            single_cpu += cpu_b
            single_wall += wall_b
            log(f"  single session (second half): {len(single_b)} moves")
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        rss["peak (VmHWM)"] = int(line.split()[1])
        finally:
            await b.close()
    errors = failures + open_errors + page_errors + errs_a + errs_b
    return ConcurrencyResult(
        name=name,
        sessions=sessions,
        contexts=contexts,
        moves_per_session=moves,
        think_s=think,
        single_ms=[m[0] for m in single_a + single_b],
        single_finished_ms=[m[1] for m in single_a + single_b],
        single_halves=(len(single_a), len(single_b)),
        concurrent_ms=[m[0] for m in conc],
        concurrent_finished_ms=[m[1] for m in conc],
        failed_moves=len(failures),
        moves_not_made=not_made,
        deadline_s=timeout_s,
        page_errors=len(page_errors),
        open_failures=open_failures,
        opened=len(opened),
        error_samples=errors[:8],
        rss_kb=rss,
        server_cpu_s=server_cpu,
        single_server_cpu_s=single_cpu,
        single_phase_s=single_wall,
        phase_s=phase_s,
        machine_busy_fraction=(busy1 - busy0) / max(total1 - total0, 1),
        client_cpu_s=client_cpu,
        open_s=open_s,
        notes=notes,
    )


def run_concurrency(
    sessions: int,
    moves: int,
    think: tuple[float, float],
    log_dir: Path,
    log: Callable[[str], None] = print,
    timeout_s: float = 480,
    script: Path = APP,
    slider_label: str | None = browser.APP_SLIDER_LABEL,
    name: str = "app",
) -> ConcurrencyResult:
    server = StreamlitServer(script, f"{name}-concurrency").start(log_dir)
    try:
        contexts = max(1, min(5, sessions // 10 or 1))
        log(f"  {name}: server pid {server.pid} on {server.url}; {sessions} sessions in {contexts} contexts")
        return asyncio.run(
            _run(name, server.url, slider_label, server.pid, sessions, contexts, moves, think, 5, timeout_s, log)
        )
    finally:
        server.stop()
