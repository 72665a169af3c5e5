"""Soak: 50 browser sessions x 20 slider moves on one ``streamlit run app.py`` over loopback, with zero errors
and a server whose memory returns to its level when the sessions close (issue 6, item 5).

What runs. A server of its own, started through observed_server.py (Streamlit's own command line plus a thread
that reads the server's Python memory when asked), with ``--server.disconnectedSessionTTL 3``; Debian's
Chromium with ``--process-per-site``, the pages alternating over two browser contexts (one renderer each).

1. Warm-up: one session, 3 moves, closed and dropped; then the baseline.
2. Wave 1: 50 sessions open (5 at a time), then all at once each makes 20 moves of the PUE slider (a key
   press, then wait until the server's run has finished and the page has settled; 0.2-1.0 s of think time
   between moves); every page closes and the server drops the sessions.
3. Wave 2: the same with 5 moves per session (50 new sessions, 250 moves).

Zero errors: every session opens, all 1,250 moves are made and each lands one key step away, and no page shows
an app exception, logs a console error or a page error, has a request to the server fail, or sends one off the
machine. The server's own counters (``/_stcore/metrics``) must show one connection per page, no reconnection,
one disconnection per connection and no active session once the pages are closed.

Dropping the sessions. Streamlit keeps a closed session for ``disconnectedSessionTTL`` seconds (a reconnect
may resume it) in a TTL cache that reaps expired entries only on its next write, i.e. the next disconnect, and
a reaped session is freed by the next full ``gc.collect()``, which Streamlit runs after every script run. So
after the TTL one visitor opens the app and leaves (its disconnect reaps), then a second (its run collects);
their own two sessions may stay stored, which is what a live server does too.

The memory criterion, and why. RSS (``VmRSS`` of /proc/<pid>/status) cannot show "back to its level" by itself:
CPython keeps freed memory (pymalloc returns a 256 KiB arena only when all of it is free; glibc keeps freed
heap below the top of each of its up to 16 arenas, one per script thread in use), so after the drop RSS stays
about 50 MiB above the baseline although nothing is referenced: measured in four runs, RSS +48.7 to +51.4 MiB
after wave 1 (of +57 to +62 MiB at the peak), while in a run under ``tracemalloc`` the Python heap went 92.4 MiB
(baseline) -> ~101 MiB (50 sessions open) -> 92.8 MiB after each drop and the live AppSessions 52 -> 2. And
RSS is too coarse for a leak of session state: an app copy that kept each run's ScriptRunContext in a module
global (about 900 Python blocks per session) moved RSS by only +2.5 MiB between two waves of 20 sessions.
So the memory is judged where it can be measured exactly, and RSS is bounded where it is noise:

- **the Python level returns to its level**: after each wave's drop, ``sys.getallocatedblocks()`` (objects
  alive, counted by Python's allocator) is at most 5,000 above the baseline, and at most 2 AppSessions (the
  visitors') are alive. Measured: +268 to +926 blocks after drops, ~1,700 blocks per open session (+84,700
  with 50 open); the leaky copy above: +18,119 after 20 sessions and +36,423 after 40 (fails);
- **RSS does not grow per wave** (the allocator reuses what wave 1 freed; a native leak grows again): RSS
  after wave 2's drop <= RSS after wave 1's drop + 15 MiB. Measured: -4.9 to +4.0 MiB in four runs (+7.3 and
  -2.8 MiB in slower runs under tracemalloc);
- **RSS stays within a bound of the baseline**: after wave 1's drop, at most 100 MiB above it (measured 49-51).

Figures of the last run: test-artifacts/soak.json (every RSS sample included) and a one-line summary printed.

Why it is built so. An earlier draft made 600 of 1,000 moves in 294 s with 1 error on a loaded machine: its
moves had a fixed 200 s, and at the ~3-5 moves/s a loaded 2-CPU machine allows, 1,000 moves need more (its
code records one error for all the sessions still moving at that deadline, which fits the "1 error"); its
pages also starved for CPU. The browser, not the server, is this load generator's cost: per move ~30 ms of
server CPU against ~310-350 ms of Chromium CPU (each page re-renders the dashboard's charts), and opening a
page cost 3.5-4.4 CPU-s of Chromium with five contexts, 1.8-1.9 CPU-s with ``--process-per-site`` (one
renderer for the pages of a context, which presumably share its compiled JavaScript; ~210-260 ms per move).
Deadlines are now hang detectors, not speed targets (120 s for one page or one move), and every phase draws on
one budget (1,500 s) that ends before pytest's timeout (1,620 s), so a machine that hangs gets a report
(soak.json) instead of a kill. The budget is sized for slow machines, not for this one on a good day: measured
on this 2-CPU machine, shared (load 2-6), 331-365 s in all in November; on 2026-12-01, with a CPU on which the
benchmark's floor app was 1.5-1.9x slower, 689 s here, and a CI run ran out of the former 780 s budget with
187 of wave 2's 250 moves made (wave 1's moves at p50 8.3 s: 50 pages share 2 CPUs). 1,500 s is about 2x the
slowest run seen, and keeps the whole CI run well inside its 90 minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, Playwright, Route, async_playwright

from harness.chromium import (
    NUMBER_DRAWN_SELECTOR,
    SCRIPT_FINISHED_STATUS_JS,
    VIEWPORT,
    is_local,
    launch_options,
    watch_page,
)
from harness.server import REPO_ROOT, http_get, log_tail, start_streamlit, stop_process

pytestmark = pytest.mark.browser

SESSIONS = 50
MOVES = 20  # per session, wave 1
SECOND_WAVE_MOVES = 5  # per session, wave 2 (its sessions are what matters for the leak check)
WAVES = (("wave 1", SESSIONS, MOVES), ("wave 2", SESSIONS, SECOND_WAVE_MOVES))
WARMUP_MOVES = 3
CONTEXTS = 2  # browser contexts, one renderer process each (--process-per-site); the sessions alternate
OPEN_AT_ONCE = 5  # pages being opened at the same time
THINK_S = (0.2, 1.0)  # a session's pause between its moves, drawn uniformly
SLIDER_LABEL = "PUE [-]"
SESSION_TTL_S = 3  # --server.disconnectedSessionTTL

# Hang detectors, not speed targets: a page not open, or a move not settled, after this long is a failure.
OPEN_TIMEOUT_MS = 120_000
MOVE_TIMEOUT_MS = 120_000
CLOSE_TIMEOUT_S = 60.0  # the server sees every closed page disconnect
POLL_MS = 200  # how often a waiting page checks whether it has settled

# One budget for every phase, below pytest's timeout: what is not done by then is reported as not done (and
# soak.json is still written) instead of the test being killed.
TEST_TIMEOUT_S = 1620
BUDGET_S = 1500.0
CLOSE_RESERVE_S = 60.0  # of the budget, kept for closing the pages and dropping the sessions

# The memory criterion (see the module docstring).
BLOCKS_TOLERANCE = 5_000  # Python blocks after a wave's drop, above the baseline (~1,700 per open session)
RSS_WAVE_TOLERANCE_MIB = 15.0  # RSS after wave 2's drop, above wave 1's
RSS_RETAIN_LIMIT_MIB = 100.0  # RSS after wave 1's drop, above the baseline

ARTIFACTS = REPO_ROOT / "test-artifacts"
RESULT_JSON = ARTIFACTS / "soak.json"
SOAK_SERVER_LOG = ARTIFACTS / "soak-server.log"
OBSERVED_SERVER = Path(__file__).with_name("observed_server.py")  # ``streamlit run`` plus a memory observer
OBSERVER_TIMEOUT_S = 60.0
VISITORS = 2  # the two visitors of a drop (below), whose sessions the server may still hold

# Counts the server's ``script_finished`` messages: every binary websocket message is read as a ForwardMsg
# protobuf at its top level, and one carrying field 6 (script_finished, an enum) is a finished script run.
# (The app root's ``data-test-script-state`` is no such signal: when the page is busy, React may render a
# whole short run at once and the attribute never leaves 'notRunning'.)
INIT_JS = """(() => {
    if (window.top !== window || window.__soak) return;
    const soak = (window.__soak = { finished: 0, statuses: [] });
    /*SCRIPT_FINISHED_STATUS*/
    const NativeWebSocket = window.WebSocket;
    window.WebSocket = class extends NativeWebSocket {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', (event) => {
                if (!(event.data instanceof ArrayBuffer)) return;
                const status = scriptFinishedStatus(event.data);
                if (status === null) return;
                soak.finished += 1;
                soak.statuses.push(status);
            });
        }
    };
})();""".replace("/*SCRIPT_FINISHED_STATUS*/", SCRIPT_FINISHED_STATUS_JS)

# Settled after ``n`` finished runs: a later run has finished, nothing runs, the status widget is not running
# (absent, or fading out), no element is stale, and the headline metric is drawn.
SETTLED_JS = """(n) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!window.__soak || !app || window.__soak.finished <= n) return false;
    if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    const status = document.querySelector('[data-testid="stStatusWidget"]');
    if (status && !/StatusWidget-exit/.test(status.className)) return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    return document.querySelector(NUMBER_DRAWN) !== null;
}""".replace("NUMBER_DRAWN", repr(NUMBER_DRAWN_SELECTOR))

EXCEPTION = '[data-testid="stException"]'


# --- the server -----------------------------------------------------------------------------------------


def reset_peak(pid: int) -> bool:
    """Reset the process's ``VmHWM`` (peak RSS) to its current RSS, so that it is the peak from now on."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def rss_mib(pid: int, key: str = "VmRSS") -> float:
    """``VmRSS`` (or ``VmHWM``, the peak) of process ``pid`` in MiB, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {key} in /proc/{pid}/status")


_SESSION_METRIC = re.compile(r'session_events_total\{type="(\w+)"\} (\d+)|active_sessions (\d+)')


def session_counts(url: str) -> dict[str, int]:
    """The server's own session counters (``/_stcore/metrics``): connect, reconnect, disconnect, active."""
    text = http_get(f"{url}/_stcore/metrics?families=session_events&families=active_sessions", timeout_s=10)
    counts: dict[str, int] = {}
    for match in _SESSION_METRIC.finditer(text or ""):
        event, number, active = match.groups()
        if event:
            counts[event] = int(number)
        else:
            counts["active"] = int(active)
    if not {"connect", "reconnect", "disconnect", "active"} <= counts.keys():
        raise AssertionError(f"/_stcore/metrics has no session counters: {(text or '(no answer)')[:300]}")
    return counts


@dataclass
class Server:
    url: str
    process: Any  # subprocess.Popen[bytes]
    observer: Path  # the folder through which observed_server.py answers

    @property
    def pid(self) -> int:
        return int(self.process.pid)

    def rss(self) -> float:
        if self.process.poll() is not None:
            raise AssertionError(f"the server exited ({self.process.returncode}):\n{log_tail(SOAK_SERVER_LOG)}")
        return rss_mib(self.pid)

    async def counts(self) -> dict[str, int]:
        return await asyncio.to_thread(session_counts, self.url)

    async def observe(self, tag: str) -> dict[str, int]:
        """What the observer in the server process reads now: live Python blocks, AppSessions, threads."""
        answer = self.observer / "answer.json"
        (self.observer / "request").write_text(tag, encoding="utf-8")
        give_up = time.monotonic() + OBSERVER_TIMEOUT_S
        while time.monotonic() < give_up:
            await asyncio.sleep(0.2)
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(answer.read_text(encoding="utf-8"))
                if data.pop("tag") == tag:
                    return data
        raise AssertionError(f"the server's memory observer did not answer within {OBSERVER_TIMEOUT_S:.0f} s")


@pytest.fixture(scope="module")
def soak_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of our own (its memory is measured): closed sessions are dropped after SESSION_TTL_S."""
    observer = tmp_path_factory.mktemp("soak-observer")
    try:
        process, url = start_streamlit(
            SOAK_SERVER_LOG,
            "--server.disconnectedSessionTTL",
            str(SESSION_TTL_S),
            launcher=[str(OBSERVED_SERVER)],
            env={"SOAK_OBSERVER_DIR": str(observer)},
        )
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield Server(url, process, observer)
    finally:
        stop_process(process)


# --- the record -----------------------------------------------------------------------------------------


@dataclass
class Wave:
    name: str
    sessions: int
    moves: int  # per session
    opened: int = 0
    moves_made: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    rss: dict[str, float] = field(default_factory=dict)  # 'all open', 'after moves', 'peak', 'after close'
    server: dict[str, int] = field(default_factory=dict)  # the server's session counters for this wave
    python: dict[str, dict[str, int]] = field(default_factory=dict)  # 'all open', 'after close': the observer
    phase_s: dict[str, float] = field(default_factory=dict)

    def report(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sessions": self.sessions,
            "moves_per_session": self.moves,
            "opened": self.opened,
            "moves_made": self.moves_made,
            "moves_expected": self.sessions * self.moves,
            "move_latency_p50_ms": percentile(self.latencies_ms, 0.50),
            "move_latency_p95_ms": percentile(self.latencies_ms, 0.95),
            "move_latency_max_ms": percentile(self.latencies_ms, 1.0),
            **{f"rss_{key.replace(' ', '_')}_mib": round(value, 1) for key, value in self.rss.items()},
            "server_sessions": self.server,
            "python": self.python,
            "phase_s": {key: round(value, 1) for key, value in self.phase_s.items()},
        }


@dataclass
class Soak:
    """What the sessions did: errors of every kind, per wave, and the server's memory."""

    deadline: float  # time.monotonic() by which every phase must be done
    errors: list[str] = field(default_factory=list)
    recording: bool = True  # off while pages close (their teardown noise is not the app's)
    baseline: dict[str, float] = field(default_factory=dict)  # 'cold', 'baseline' RSS [MiB]
    baseline_python: dict[str, int] = field(default_factory=dict)  # the observer after the warm-up
    waves: list[Wave] = field(default_factory=list)
    rss_samples: list[tuple[float, float]] = field(default_factory=list)  # (s since start, MiB)
    warmup_s: float = 0.0
    pages_opened: int = 0

    def error(self, text: str) -> None:
        if self.recording:
            self.errors.append(text[:400])

    def left_s(self, reserve_s: float = CLOSE_RESERVE_S) -> float:
        return max(1.0, self.deadline - reserve_s - time.monotonic())


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


# --- the sessions ---------------------------------------------------------------------------------------


@dataclass
class Session:
    index: int
    page: Page
    moves: int = 0

    def thumb(self) -> Any:
        slider = self.page.locator('[data-testid="stSlider"]').filter(has_text=SLIDER_LABEL)
        # Streamlit 1.67's thumb is a visually hidden <input type="range">: role "slider", not an attribute.
        return slider.get_by_role("slider").first


async def new_context(browser: Browser, soak: Soak) -> BrowserContext:
    """A context whose pages run INIT_JS and may not leave the machine (such requests are aborted, errors)."""

    async def route(route_: Route) -> None:
        url = route_.request.url
        if is_local(url):
            await route_.continue_()
            return
        soak.error(f"request not to 127.0.0.1: {url}")
        await route_.abort("internetdisconnected")

    context = await browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(MOVE_TIMEOUT_MS)
    await context.add_init_script(INIT_JS)
    await context.route("**/*", route)
    return context


def watch(page: Page, name: str, soak: Soak) -> None:
    watch_page(page, lambda kind, text: soak.error(f"{name}: {kind}: {text}"))


async def open_session(context: BrowserContext, index: int, url: str, soak: Soak) -> Session:
    page = await context.new_page()
    soak.pages_opened += 1
    watch(page, f"session {index}", soak)
    await page.goto(url, wait_until="commit", timeout=OPEN_TIMEOUT_MS)
    await page.wait_for_function(SETTLED_JS, arg=0, timeout=OPEN_TIMEOUT_MS, polling=POLL_MS)
    session = Session(index, page)
    await session.thumb().wait_for(state="attached", timeout=OPEN_TIMEOUT_MS)
    if await page.locator(EXCEPTION).count():
        soak.error(f"session {index}: the app shows an exception on its first render")
    return session


async def open_sessions(contexts: list[BrowserContext], wave: Wave, url: str, soak: Soak) -> list[Session]:
    """``wave.sessions`` pages, alternating over ``contexts``, OPEN_AT_ONCE at a time, within the budget."""
    gate = asyncio.Semaphore(OPEN_AT_ONCE)

    async def one(i: int) -> Session | None:
        async with gate:
            try:
                return await open_session(contexts[i % len(contexts)], i, url, soak)
            except Exception as exc:
                soak.error(f"{wave.name}: session {i} did not open: {exc}")
                return None

    tasks = [asyncio.create_task(one(i)) for i in range(wave.sessions)]
    done, pending = await asyncio.wait(tasks, timeout=soak.left_s())
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    if pending:
        soak.error(f"{wave.name}: {len(pending)} of {wave.sessions} sessions not open when the budget ran out")
    sessions = [s for task in tasks if task in done and (s := task.result()) is not None]
    wave.opened = len(sessions)
    return sessions


async def move(session: Session, wave: Wave, soak: Soak) -> None:
    """One key press on the PUE slider (right, left, right, ...: the value stays in range) until settled."""
    page, thumb = session.page, session.thumb()
    key = "ArrowRight" if session.moves % 2 == 0 else "ArrowLeft"
    before = float(await thumb.input_value())
    runs = await page.evaluate("() => window.__soak.finished")
    start = time.perf_counter()
    await thumb.press(key)
    await page.wait_for_function(SETTLED_JS, arg=runs, timeout=MOVE_TIMEOUT_MS, polling=POLL_MS)
    wave.latencies_ms.append((time.perf_counter() - start) * 1000)
    session.moves += 1
    wave.moves_made += 1
    after = float(await thumb.input_value())
    expected = round(before + (0.01 if key == "ArrowRight" else -0.01), 2)
    if abs(after - expected) > 1e-6:
        soak.error(f"{wave.name}: session {session.index} move {session.moves}: PUE {before} -> {after}")
    if await page.locator(EXCEPTION).count():
        text = " | ".join(await page.locator(EXCEPTION).all_inner_texts())
        soak.error(f"{wave.name}: session {session.index} move {session.moves}: the app shows an exception: {text}")


async def drive(session: Session, wave: Wave, soak: Soak, rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(0, THINK_S[1]))  # the sessions do not all press at once
    while session.moves < wave.moves:
        try:
            await move(session, wave, soak)
        except Exception as exc:  # a failed move is a finding; the session goes on
            soak.error(f"{wave.name}: session {session.index} move {session.moves + 1} failed: {exc}")
            session.moves += 1
        await asyncio.sleep(rng.uniform(*THINK_S))


async def drive_all(sessions: list[Session], wave: Wave, soak: Soak) -> None:
    """Every session makes ``wave.moves`` moves, all at once; what is not done within the budget is not made."""
    rng = random.Random(f"{wave.name} {wave.moves}")
    tasks = [asyncio.create_task(drive(s, wave, soak, random.Random(rng.random()))) for s in sessions]
    if not tasks:
        return
    _, pending = await asyncio.wait(tasks, timeout=soak.left_s())
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    if pending:
        soak.error(f"{wave.name}: {len(pending)} sessions had not made their moves when the budget ran out")


async def sample_rss(server: Server, soak: Soak, t0: float) -> None:
    while True:
        with contextlib.suppress(OSError, AssertionError):
            soak.rss_samples.append((round(time.monotonic() - t0, 1), round(server.rss(), 1)))
        await asyncio.sleep(0.5)


async def close_contexts(contexts: list[BrowserContext], soak: Soak) -> None:
    soak.recording = False  # a closing page's noise is not the app's
    try:
        for context in contexts:
            with contextlib.suppress(Exception):
                await context.close()
    finally:
        soak.recording = True


async def all_disconnected(server: Server, soak: Soak, what: str) -> dict[str, int]:
    """Wait until the server has no active session and one disconnect per connect; its counters then."""
    give_up = time.monotonic() + CLOSE_TIMEOUT_S
    while True:
        counts = await server.counts()
        if counts["active"] == 0 and counts["disconnect"] == counts["connect"]:
            return counts
        if time.monotonic() > give_up:
            soak.error(f"{what}: the server still counts sessions after {CLOSE_TIMEOUT_S:.0f} s: {counts}")
            return counts
        await asyncio.sleep(0.5)


async def drop_closed_sessions(browser: Browser, server: Server, soak: Soak, what: str) -> dict[str, int]:
    """Make the server drop the sessions closed so far, as a live server does (see the module docstring).

    After the TTL, one visitor comes and goes (its disconnect writes to the session store, which reaps the
    expired sessions), then a second (its script run ends with Streamlit's full garbage collection, which frees
    them). Returns the server's session counters once both visitors have left.
    """
    await all_disconnected(server, soak, what)
    await asyncio.sleep(SESSION_TTL_S + 1.0)
    counts: dict[str, int] = {}
    for visitor in ("reaps", "collects"):
        context = await new_context(browser, soak)
        try:
            await open_session(context, -1, server.url, soak)
        except Exception as exc:
            soak.error(f"{what}: the visitor who {visitor} could not open the app: {exc}")
        finally:
            await close_contexts([context], soak)
        counts = await all_disconnected(server, soak, f"{what}, the visitor who {visitor}")
    return counts


async def settled_rss(server: Server, steady_mib: float = 0.5, limit_s: float = 15.0) -> float:
    """The server's RSS once two readings 1 s apart differ by less than ``steady_mib`` (at most ``limit_s``)."""
    give_up = time.monotonic() + limit_s
    last = server.rss()
    while True:
        await asyncio.sleep(1.0)
        now = server.rss()
        if abs(now - last) < steady_mib or time.monotonic() > give_up:
            return now
        last = now


async def run_wave(browser: Browser, server: Server, soak: Soak, wave: Wave) -> None:
    counts_before = await server.counts()
    samples_from = len(soak.rss_samples)
    hwm_reset = reset_peak(server.pid)
    phase = time.monotonic()
    contexts = [await new_context(browser, soak) for _ in range(CONTEXTS)]
    try:
        sessions = await open_sessions(contexts, wave, server.url, soak)
        wave.phase_s["open"] = time.monotonic() - phase
        wave.rss["all open"] = server.rss()
        wave.python["all open"] = await server.observe(f"{wave.name}: all open")

        phase = time.monotonic()
        await drive_all(sessions, wave, soak)
        wave.phase_s["moves"] = time.monotonic() - phase
        wave.rss["after moves"] = server.rss()
    finally:
        phase = time.monotonic()
        await close_contexts(contexts, soak)
    # The wave's peak: the samples (every 0.5 s) since it began, and the kernel's exact peak.
    peaks = [server.rss(), *(mib for _, mib in soak.rss_samples[samples_from:])]
    if hwm_reset:
        peaks.append(rss_mib(server.pid, "VmHWM"))
    wave.rss["peak"] = max(peaks)
    counts = await drop_closed_sessions(browser, server, soak, wave.name)
    wave.rss["after close"] = await settled_rss(server)
    wave.python["after close"] = await server.observe(f"{wave.name}: after close")
    wave.phase_s["close"] = time.monotonic() - phase
    wave.server = {key: counts[key] - counts_before[key] for key in ("connect", "reconnect", "disconnect")}
    wave.server["active after close"] = counts["active"]
    pages = wave.sessions + VISITORS
    if wave.server["connect"] != pages or wave.server["reconnect"] or counts["active"]:
        soak.error(f"{wave.name}: the server counted {wave.server} for {pages} pages opened and closed")


async def run_soak(server: Server, soak: Soak) -> None:
    t0 = time.monotonic()
    sampler = asyncio.create_task(sample_rss(server, soak, t0))
    pw: Playwright
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(**launch_options("--process-per-site"))
            try:
                # Warm-up: one session (the first script run: imports, caches), a few moves, closed and dropped.
                soak.baseline["cold"] = server.rss()
                warm = Wave("warm-up", 1, WARMUP_MOVES)
                contexts = [await new_context(browser, soak)]
                try:
                    await drive_all(await open_sessions(contexts, warm, server.url, soak), warm, soak)
                finally:
                    await close_contexts(contexts, soak)
                await drop_closed_sessions(browser, server, soak, warm.name)
                soak.baseline["baseline"] = await settled_rss(server)
                soak.baseline_python = await server.observe("baseline")
                soak.warmup_s = time.monotonic() - t0
                if warm.moves_made != WARMUP_MOVES:
                    soak.error(f"warm-up: {warm.moves_made} of {WARMUP_MOVES} moves made")

                for name, sessions, moves in WAVES:
                    if soak.left_s() <= 1.0:
                        soak.error(f"{name}: not run, the budget of {BUDGET_S:.0f} s ran out")
                        break
                    wave = Wave(name, sessions, moves)
                    soak.waves.append(wave)
                    await run_wave(browser, server, soak, wave)
            finally:
                await browser.close()
    finally:
        sampler.cancel()


# --- the test -------------------------------------------------------------------------------------------


def memory_verdict(soak: Soak) -> tuple[list[str], str]:
    """The memory criterion's failures (empty: met) and a one-line account of the figures."""
    baseline, blocks = soak.baseline.get("baseline"), soak.baseline_python.get("allocated_blocks")
    closed = [w.rss.get("after close") for w in soak.waves]
    peaks = [w.rss.get("peak") for w in soak.waves]
    python = [w.python.get("after close") for w in soak.waves]
    if baseline is None or blocks is None or len(soak.waves) < 2 or None in closed + peaks or None in python:
        return ["the memory was not measured at every step"], f"baseline {baseline} MiB, {blocks} blocks"
    first, second = closed[0], closed[1]
    account = (
        f"RSS baseline {baseline:.1f} MiB, {blocks} Python blocks; "
        + "; ".join(
            f"{w.name}: peak {w.rss['peak']:.1f} MiB, after close {w.rss['after close']:.1f} MiB, "
            f"{w.python['after close']['allocated_blocks'] - blocks:+d} blocks, "
            f"{w.python['after close']['app_sessions']} AppSessions alive"
            for w in soak.waves
        )
    )
    failures = []
    for wave in soak.waves:
        after = wave.python["after close"]
        alive, grown = after["app_sessions"], after["allocated_blocks"] - blocks
        if alive > VISITORS:
            failures.append(f"{wave.name}: {alive} AppSessions alive after the drop (at most {VISITORS}, the visitors)")
        if grown > BLOCKS_TOLERANCE:
            failures.append(f"{wave.name}: {grown:+d} Python blocks after the drop (at most {BLOCKS_TOLERANCE:+d})")
    if first - baseline > RSS_RETAIN_LIMIT_MIB:
        failures.append(f"wave 1: RSS {first - baseline:+.1f} MiB after the drop (at most {RSS_RETAIN_LIMIT_MIB:+.0f})")
    if second - first > RSS_WAVE_TOLERANCE_MIB:
        failures.append(f"wave 2: RSS {second - first:+.1f} MiB above wave 1's (at most {RSS_WAVE_TOLERANCE_MIB:+.0f})")
    return failures, account


@pytest.mark.timeout(TEST_TIMEOUT_S)  # a backstop only: the phases share BUDGET_S, below it
def test_soak_50_sessions_20_moves(soak_server: Server) -> None:
    """50 sessions x 20 moves, then 50 x 5: every move made, zero errors, and no memory kept per wave."""
    soak = Soak(deadline=time.monotonic() + BUDGET_S)
    started = time.monotonic()
    failure: list[BaseException] = []

    def in_thread() -> None:  # its own event loop, away from the sync Playwright of the other browser tests
        try:
            asyncio.run(run_soak(soak_server, soak))
        except BaseException as exc:
            failure.append(exc)

    worker = threading.Thread(target=in_thread, name="soak", daemon=True)
    worker.start()
    worker.join()
    wall_s = time.monotonic() - started

    memory_failures, memory = memory_verdict(soak)
    result = {
        "sessions": SESSIONS,
        "moves_per_session": MOVES,
        "moves_made": sum(w.moves_made for w in soak.waves),
        "moves_expected": sum(sessions * moves for _, sessions, moves in WAVES),
        "errors": len(soak.errors),
        "error_samples": soak.errors[:20],
        "rss_cold_mib": round(soak.baseline.get("cold", 0.0), 1),
        "rss_baseline_mib": round(soak.baseline.get("baseline", 0.0), 1),
        "python_baseline": soak.baseline_python,
        "waves": [w.report() for w in soak.waves],
        "memory": memory,
        "memory_failures": memory_failures,
        "warmup_s": round(soak.warmup_s, 1),
        "wall_s": round(wall_s, 1),
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
        "rss_samples": soak.rss_samples,
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    RESULT_JSON.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    line = {
        "moves": f"{result['moves_made']}/{result['moves_expected']}",
        "errors": len(soak.errors),
        "rss_baseline": result["rss_baseline_mib"],
        "blocks_baseline": soak.baseline_python.get("allocated_blocks"),
        **{
            w.name: {
                "peak": round(w.rss.get("peak", 0.0), 1),
                "after_close": round(w.rss.get("after close", 0.0), 1),
                "blocks_after_close": w.python.get("after close", {}).get("allocated_blocks"),
                "sessions_after_close": w.python.get("after close", {}).get("app_sessions"),
                "p50_ms": percentile(w.latencies_ms, 0.5),
                "p95_ms": percentile(w.latencies_ms, 0.95),
                "s": {k: round(v) for k, v in w.phase_s.items()},
            }
            for w in soak.waves
        },
        "wall_s": result["wall_s"],
        "load": result["loadavg_at_end"],
    }
    print(f"\nsoak: {json.dumps(line)}")

    if failure:
        raise failure[0]
    assert not soak.errors, f"{len(soak.errors)} errors; {memory}:\n" + "\n".join(soak.errors[:20])
    for wave, (name, sessions, moves) in zip(soak.waves, WAVES, strict=False):
        assert wave.opened == sessions, f"{name}: {wave.opened} of {sessions} sessions opened"
        assert wave.moves_made == sessions * moves, f"{name}: {wave.moves_made} of {sessions * moves} moves made"
    assert len(soak.waves) == len(WAVES), f"{len(soak.waves)} of {len(WAVES)} waves ran"
    assert not memory_failures, "the server's memory did not return to its level:\n" + "\n".join(memory_failures)
