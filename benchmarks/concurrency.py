"""Concurrency: many sessions on one app server over loopback, against a single session, same run.

A fresh ``streamlit run app.py`` on 127.0.0.1. First a single session makes its moves (the baseline), then
``sessions`` sessions (opened in small waves so the opening is not the test) each make ``moves`` moves at once,
with a random think time between moves, then the single session again (the baseline is the pool of both
single-session halves, so a drift of the machine hits both sides). The server's resident memory (``VmRSS``) is
read before the sessions open (after the baseline session has closed), with every session open and settled,
and after all the moves with every session still open.

Of the ``sessions``, ``pages`` are Chromium pages (spread over browser contexts), whose moves are measured
exactly as in the browser benchmark (key press to settled page, :mod:`benchmarks.browser`); the others are
protocol sessions (:mod:`benchmarks.wire`) that send the bytes a Chromium page sent and draw nothing, standing
in for browsers that draw on their users' own machines. With ``pages == sessions`` every session is a Chromium
page on this machine. With protocol sessions, the single-session baseline also has one protocol session,
whose moves fall between the page's (never at the same time), so both kinds have their own baseline.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import BrowserContext, async_playwright

from benchmarks import browser, wire
from benchmarks.common import APP, StreamlitServer, cpu_seconds, descendants, rss_kb, tree_cpu_seconds

#: A move under load may wait behind many reruns; it fails only after this long.
CONCURRENT_MOVE_TIMEOUT_MS = 60_000


@dataclass
class ConcurrencyResult:
    name: str
    sessions: int
    pages: int
    contexts: int
    moves_per_session: int
    think_s: tuple[float, float]
    single_ms: list[float]
    single_finished_ms: list[float]
    single_halves: tuple[int, int]
    concurrent_ms: list[float]
    concurrent_finished_ms: list[float]
    single_wire_ms: list[float]
    concurrent_wire_ms: list[float]
    page_messages_per_move: tuple[int, int]
    wire_messages_per_move: tuple[int, int]
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
    single_moves: int
    single_phase_s: float
    phase_s: float
    machine_busy_fraction: float
    client_cpu_s: float
    generator_cpu_s: float
    open_s: float


def _machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


async def _single(
    ctx_factory: Callable,
    url: str,
    label: str | None,
    recording: wire.Recording | None,
    warmup: int,
    moves: int,
    think: tuple[float, float],
    rng: random.Random,
    pid: int,
) -> tuple[list[tuple[float, float]], list[float], list[str], float, float, int]:
    """The single-session baseline: the page's latencies, the protocol session's (when ``recording`` is given;
    each of its moves halfway through the page's think time), errors, the server's CPU-s and wall time over the
    moves, and the number of moves made."""
    ctx = await ctx_factory()
    wired = wire.WireSession(recording) if recording else None
    try:
        session, _ = await browser.open_session(ctx, url, label)
        if wired:
            await wired.open(url)
        out: list[tuple[float, float]] = []
        wire_out: list[float] = []
        failures: list[str] = []
        for _ in range(warmup):
            try:
                await session.move()
                if wired:
                    await wired.move()
            except Exception as exc:
                failures.append(f"single session, warm-up move: {str(exc)[:200]}")
        cpu0, t0 = cpu_seconds(pid), time.monotonic()
        for _ in range(moves):
            pause = rng.uniform(*think)
            await asyncio.sleep(pause / 2 if wired else pause)
            try:
                out.append(await session.move())
            except Exception as exc:
                failures.append(f"single session: {exc}")
            if wired:
                await asyncio.sleep(pause / 2)
                try:
                    wire_out.append(await wired.move())
                except Exception as exc:
                    failures.append(f"single protocol session: {exc}")
        made = len(out) + len(wire_out)
        errors = failures + session.errors + (wired.errors if wired else [])
        return out, wire_out, errors, cpu_seconds(pid) - cpu0, time.monotonic() - t0, made
    finally:
        if wired:
            await wired.close()
        await ctx.close()


async def _sessions_run(
    sessions: list[browser.Session | wire.WireSession],
    moves: int,
    think: tuple[float, float],
    seed: int,
    deadline: float,
) -> tuple[list[tuple[float, float]], list[float], list[str], int]:
    """Every session makes its moves at once: the pages' latencies, the protocol sessions', failures, and the
    number of moves not made before ``deadline``."""
    latencies: list[tuple[float, float]] = []
    wire_latencies: list[float] = []
    failures: list[str] = []
    not_made: list[int] = []

    async def one(i: int, s: browser.Session | wire.WireSession) -> None:
        rng = random.Random(seed * 1000 + i)
        await asyncio.sleep(rng.uniform(0, think[1]))  # spread the first moves
        for m in range(moves):
            if time.monotonic() > deadline:
                not_made.append(moves - m)
                return
            try:
                if isinstance(s, wire.WireSession):
                    wire_latencies.append(await s.move())
                else:
                    latencies.append(await s.move())
            except Exception as exc:
                failures.append(f"session {i} move {m}: {str(exc)[:200]}")
            await asyncio.sleep(rng.uniform(*think))

    await asyncio.gather(*(one(i, s) for i, s in enumerate(sessions)))
    return latencies, wire_latencies, failures, sum(not_made)


async def _open_all(
    ctxs: list[BrowserContext],
    url: str,
    label: str | None,
    recording: wire.Recording,
    sessions: int,
    pages: int,
    wave: int,
) -> tuple[list[browser.Session | wire.WireSession], list[str]]:
    """Open ``pages`` Chromium pages, then ``sessions - pages`` protocol sessions, ``wave`` at a time."""

    async def open_one(i: int) -> browser.Session | wire.WireSession:
        if i < pages:
            return (await browser.open_session(ctxs[i % len(ctxs)], url, label, CONCURRENT_MOVE_TIMEOUT_MS))[0]
        w = wire.WireSession(recording, timeout_s=CONCURRENT_MOVE_TIMEOUT_MS / 1000)
        await w.open(url)
        return w

    opened: list[browser.Session | wire.WireSession] = []
    errors: list[str] = []
    for start in range(0, sessions, wave):
        batch = range(start, min(start + wave, sessions))
        for r in await asyncio.gather(*(open_one(i) for i in batch), return_exceptions=True):
            if isinstance(r, BaseException):
                errors.append(f"open: {str(r)[:200]}")
            else:
                opened.append(r)
    return opened, errors


async def _run(
    name: str,
    url: str,
    label: str | None,
    pid: int,
    sessions: int,
    pages: int,
    contexts: int,
    moves: int,
    think: tuple[float, float],
    wave: int,
    timeout_s: float,
    log: Callable[[str], None],
) -> ConcurrencyResult:
    rng = random.Random(7)
    rss: dict[str, int] = {}
    protocol = pages < sessions
    async with async_playwright() as pw:
        b = await browser.launch(pw)

        async def factory() -> BrowserContext:
            return await browser.new_context(b)

        try:
            # Warm the server (the first script run imports plotly etc.) with a throw-away page, which also
            # records what a page sends for the protocol sessions.
            warm = await factory()
            recording, _ = await wire.record_backmsgs(warm, url, label)
            await warm.close()
            baseline = recording if protocol else None
            half = max(moves // 2, 1)
            single_a, wire_a, errs_a, single_cpu, single_wall, made_a = await _single(
                factory, url, label, baseline, 3, half, think, rng, pid
            )
            log(f"  single session (first half): {len(single_a)} page moves, {len(wire_a)} protocol moves")
            await asyncio.sleep(2)
            rss["before"] = rss_kb(pid)

            ctxs = [await factory() for _ in range(contexts)]
            t_open = time.monotonic()
            opened, open_errors = await _open_all(ctxs, url, label, recording, sessions, pages, wave)
            open_s = time.monotonic() - t_open
            log(f"  {len(opened)}/{sessions} sessions open in {open_s:.0f} s ({pages} of them Chromium pages)")
            await asyncio.sleep(2)
            rss["all open"] = rss_kb(pid)

            client = descendants(os.getpid(), exclude={pid})  # Playwright's driver and Chromium
            busy0, total0 = _machine_busy()
            cpu0, client0, own0 = cpu_seconds(pid), tree_cpu_seconds(client), cpu_seconds(os.getpid())
            t0 = time.monotonic()
            for s in opened:
                if isinstance(s, browser.Session):
                    s.timeout_ms = CONCURRENT_MOVE_TIMEOUT_MS
            conc, conc_wire, failures, not_made = await _sessions_run(opened, moves, think, 11, t0 + timeout_s)
            phase_s = time.monotonic() - t0
            busy1, total1 = _machine_busy()
            server_cpu = cpu_seconds(pid) - cpu0
            client_cpu = tree_cpu_seconds(client) - client0
            generator_cpu = cpu_seconds(os.getpid()) - own0
            await asyncio.sleep(2)
            rss["all open, after the moves"] = rss_kb(pid)
            log(f"  {len(conc) + len(conc_wire)} concurrent moves in {phase_s:.0f} s, {len(failures)} failed")
            page_errors = [e for s in opened for e in s.errors]
            wire_messages = [n for s in opened if isinstance(s, wire.WireSession) for n in s.messages[1:]]
            for s in opened:
                if isinstance(s, wire.WireSession):
                    await s.close()
            for c in ctxs:
                with contextlib.suppress(Exception):
                    await c.close()
            await asyncio.sleep(2)
            single_b, wire_b, errs_b, cpu_b, wall_b, made_b = await _single(
                factory, url, label, baseline, 1, moves - half, think, rng, pid
            )
            single_cpu += cpu_b
            single_wall += wall_b
            log(f"  single session (second half): {len(single_b)} page moves, {len(wire_b)} protocol moves")
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
        pages=pages,
        contexts=contexts,
        moves_per_session=moves,
        think_s=think,
        single_ms=[m[0] for m in single_a + single_b],
        single_finished_ms=[m[1] for m in single_a + single_b],
        single_halves=(len(single_a), len(single_b)),
        concurrent_ms=[m[0] for m in conc],
        concurrent_finished_ms=[m[1] for m in conc],
        single_wire_ms=wire_a + wire_b,
        concurrent_wire_ms=conc_wire,
        page_messages_per_move=recording.page_messages,
        wire_messages_per_move=(min(wire_messages, default=0), max(wire_messages, default=0)),
        failed_moves=len(failures),
        moves_not_made=not_made,
        deadline_s=timeout_s,
        page_errors=len(page_errors),
        open_failures=len(open_errors),
        opened=len(opened),
        error_samples=errors[:8],
        rss_kb=rss,
        server_cpu_s=server_cpu,
        single_server_cpu_s=single_cpu,
        single_moves=made_a + made_b,
        single_phase_s=single_wall,
        phase_s=phase_s,
        machine_busy_fraction=(busy1 - busy0) / max(total1 - total0, 1),
        client_cpu_s=client_cpu,
        generator_cpu_s=generator_cpu,
        open_s=open_s,
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
    pages: int | None = None,
) -> ConcurrencyResult:
    """``sessions`` sessions, of which ``pages`` (default: all) are Chromium pages and the rest protocol
    sessions, on a fresh server for ``script``."""
    pages = sessions if pages is None else max(1, min(pages, sessions))
    server = StreamlitServer(script, f"{name}-concurrency").start(log_dir)
    try:
        contexts = max(1, min(5, pages // 10 or 1))
        log(
            f"  {name}: server pid {server.pid} on {server.url}; {sessions} sessions: {pages} Chromium pages in "
            f"{contexts} contexts, {sessions - pages} protocol sessions"
        )
        return asyncio.run(
            _run(name, server.url, slider_label, server.pid, sessions, pages, contexts, moves, think, 5, timeout_s, log)
        )
    finally:
        server.stop()
