"""A talk's audience at once (issue 17, item 1): N visitors open the same shared link within T seconds.

``python -m benchmarks.audience [--visitors 200] [--within-s 10] [--pages 10] [--cache on|off|both] [--json]``

Each setup gets a fresh ``streamlit run`` on 127.0.0.1, warmed by one Chromium page on another link (the
server has been up before the talk; that page also records what a page sends on opening, see
:mod:`benchmarks.wire`). Then the burst: the visitors' arrival times are drawn uniformly over ``within_s``
seconds (seeded); ``pages`` of them are real Chromium pages (time from navigation to the settled first
render, headline drawn), the others protocol sessions that send the bytes a page sends on opening, the link's
query string put in (time from opening the websocket to ``script_finished``). Every visitor stays connected
until the burst is over. Per setup: first-render times (p50, p95, max), errors (a failed open, an exception
shown, a run not finished successfully), the server's RSS before, peak (``VmHWM``, reset before the burst)
and after, and its CPU time over the burst.

Setups, in this order, in one run: the app (with explorer/cache.py's cache; ``--cache off``: without it,
``EXPLORER_CACHE=off``; ``both``: the two), then the floor app (benchmarks/floor_app.py, one slider and one
metric) under the same burst, the yardstick. Target: 0 errors and the app's p95 within 3x the floor's.
``--json`` prints, as its last line, one object with ``visitors``, ``errors``, ``app_p95_first_render_ms``,
``floor_p95_first_render_ms``, ``app_max_first_render_ms`` (and the rest of the summary).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from benchmarks.common import APP, BENCH_DIR, FLOOR_APP, Stats, StreamlitServer, cpu_seconds, rss_kb

#: The link the room opens (a preset with one input changed, as a speaker's slide would carry).
LINK = "preset=llama-3.1-405b&pue=1.2"
#: The warm-up page's link: another scenario, so that the burst's own is not computed before it.
WARMUP_LINK = ""
TARGET_RATIO = 3.0
VISITOR_TIMEOUT_S = 120.0
CONTEXTS = 2  # browser contexts the Chromium visitors are spread over
SEED = 17
CACHE_ENV = "EXPLORER_CACHE"


@dataclass
class Burst:
    """One setup's burst: what each visitor saw and what the server spent."""

    name: str
    visitors: int
    pages: int
    within_s: float
    page_ms: list[float] = field(default_factory=list)
    wire_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rss_kb: dict[str, int] = field(default_factory=dict)
    server_cpu_s: float = 0.0
    wall_s: float = 0.0
    replicas: int = 1

    @property
    def first_render_ms(self) -> list[float]:
        return self.page_ms + self.wire_ms

    def stats(self) -> Stats:
        return Stats.of(self.first_render_ms)


@dataclass
class AudienceResult:
    visitors: int
    within_s: float
    pages: int
    bursts: dict[str, Burst]


# ------------------------------------------------------------------------------------------------- server
@contextlib.contextmanager
def _env(name: str, value: str | None) -> Iterator[None]:
    """``os.environ[name]`` set to ``value`` (removed when None) while a server is started."""
    before = os.environ.get(name)
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def _peak_reset(pid: int) -> None:
    """Make ``VmHWM`` (peak RSS) start again from the current RSS."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def _peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


# ------------------------------------------------------------------------------------------------ visitors
def with_query(frame: bytes, query: str) -> bytes:
    """A recorded opening ``BackMsg`` with its query string replaced (the same page, opened on another link)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg.FromString(frame)
    msg.rerun_script.query_string = query
    return msg.SerializeToString()


async def _wire_visitor(url: str, recording: Any, burst: Burst, sessions: list[Any]) -> None:
    from benchmarks import wire

    session = wire.WireSession(recording, timeout_s=VISITOR_TIMEOUT_S)
    sessions.append(session)
    t0 = time.perf_counter()
    try:
        await session.open(url)
    except Exception as exc:
        burst.errors.append(f"protocol visitor: {str(exc)[:200]}")
        return
    burst.wire_ms.append((time.perf_counter() - t0) * 1000)
    burst.errors.extend(session.errors)


async def _page_visitor(ctx: Any, url: str, label: str | None, burst: Burst, pages: list[Any]) -> None:
    from benchmarks import browser

    try:
        session, ms = await browser.open_session(ctx, url, label, int(VISITOR_TIMEOUT_S * 1000))
    except Exception as exc:
        burst.errors.append(f"Chromium visitor: {str(exc)[:200]}")
        return
    pages.append(session.page)
    if await session.page.locator('[data-testid="stException"]').count():
        burst.errors.append("Chromium visitor: the app shows an exception")
    burst.page_ms.append(ms)
    burst.errors.extend(session.errors)


async def _burst(
    name: str,
    base: str,
    label: str | None,
    pids: list[int],
    visitors: int,
    pages: int,
    within_s: float,
    direct: list[str],
) -> Burst:
    """The burst on ``base`` (a server, or the balancer in front of the servers ``pids``, warmed each at its
    ``direct`` URL)."""
    from playwright.async_api import async_playwright

    from benchmarks import browser, wire

    burst = Burst(name, visitors, pages, within_s, replicas=len(pids))
    async with async_playwright() as pw:
        b = await browser.launch(pw)
        try:
            warm = await browser.new_context(b)
            recording, _ = await wire.record_backmsgs(warm, f"{base}?{WARMUP_LINK}", label)
            await warm.close()
            for url in direct:  # every replica has run the script once before the talk
                warmed = wire.WireSession(recording, timeout_s=VISITOR_TIMEOUT_S)
                await warmed.open(url)
                await warmed.close()
            recording = replace(recording, open_frame=with_query(recording.open_frame, LINK))
            ctxs = [await browser.new_context(b) for _ in range(CONTEXTS)]
            await asyncio.sleep(2)
            rng = random.Random(SEED)
            arrivals = sorted(rng.uniform(0, within_s) for _ in range(visitors))
            chromium = set(rng.sample(range(visitors), min(pages, visitors)))
            burst.rss_kb["before"] = sum(map(rss_kb, pids))
            for pid in pids:
                _peak_reset(pid)
            cpu0, t0 = sum(map(cpu_seconds, pids)), time.monotonic()
            wires: list[Any] = []
            opened: list[Any] = []

            async def arrive(i: int, at: float) -> None:
                await asyncio.sleep(max(0.0, t0 + at - time.monotonic()))
                if i in chromium:
                    await _page_visitor(ctxs[i % CONTEXTS], f"{base}?{LINK}", label, burst, opened)
                else:
                    await _wire_visitor(base, recording, burst, wires)

            await asyncio.gather(*(arrive(i, at) for i, at in enumerate(arrivals)))
            burst.wall_s = time.monotonic() - t0
            burst.server_cpu_s = sum(map(cpu_seconds, pids)) - cpu0
            burst.rss_kb["peak"] = sum(map(_peak_kb, pids))  # each server's own peak, summed
            burst.rss_kb["after"] = sum(map(rss_kb, pids))
            for session in wires:
                await session.close()
            for ctx in ctxs:
                with contextlib.suppress(Exception):
                    await ctx.close()
        finally:
            await b.close()
    return burst


def run_burst(
    name: str,
    script: Path,
    label: str | None,
    visitors: int,
    pages: int,
    within_s: float,
    cache: str | None,
    replicas: int = 1,
) -> Burst:
    """One setup on its own fresh server (``cache``: the server's ``EXPLORER_CACHE``, None to leave it unset);
    with ``replicas`` > 1, that many replicas of app.py behind HAProxy (deploy/serve.py, ``make serve``)."""
    if replicas > 1:
        from deploy.serve import Topology, consecutive_free_ports

        topo = Topology(replicas, consecutive_free_ports(replicas + 1), env={CACHE_ENV: cache or "on"})
        try:
            topo.start()
            pids = [process.pid for process in topo.processes.values()]
            direct = [topo.replica_url(n) + "/" for n in topo.names]
            return asyncio.run(_burst(name, topo.url + "/", label, pids, visitors, pages, within_s, direct))
        finally:
            topo.stop()
    with _env(CACHE_ENV, cache):
        server = StreamlitServer(script, f"audience-{name}").start(BENCH_DIR / ".logs")
    try:
        return asyncio.run(_burst(name, server.url, label, [server.pid], visitors, pages, within_s, []))
    finally:
        server.stop()


def run_audience(
    visitors: int,
    within_s: float,
    pages: int,
    cache: str = "on",
    log: Callable[[str], None] = print,
    replicas: int = 1,
) -> AudienceResult:
    """The app (cached, uncached or both; with ``replicas`` > 1 also that many cached replicas behind HAProxy)
    and then the floor app, each under the same burst."""
    from benchmarks.browser import APP_SLIDER_LABEL

    setups: list[tuple[str, Path, str | None, str | None]] = []
    if cache in ("on", "both"):
        setups.append(("app", APP, APP_SLIDER_LABEL, "on"))
    if cache in ("off", "both"):
        setups.append(("app_no_cache" if cache == "both" else "app", APP, APP_SLIDER_LABEL, "off"))
    if replicas > 1:
        setups.append((f"app_{replicas}_replicas", APP, APP_SLIDER_LABEL, "on"))
    setups.append(("floor", FLOOR_APP, None, None))
    bursts: dict[str, Burst] = {}
    for name, script, label, env in setups:
        log(f"  {name}: {visitors} visitors within {within_s:g} s ({pages} Chromium pages)")
        n = replicas if name.endswith("_replicas") else 1
        burst = run_burst(name, script, label, visitors, pages, within_s, env, n)
        s = burst.stats()
        log(
            f"  {name}: p50 {s.p50:.0f} ms, p95 {s.p95:.0f} ms, max {s.max:.0f} ms, {len(burst.errors)} errors, "
            f"server CPU {burst.server_cpu_s:.1f} s, peak RSS {burst.rss_kb.get('peak', 0) / 1024:.0f} MiB"
        )
        bursts[name] = burst
    return AudienceResult(visitors, within_s, pages, bursts)


# ------------------------------------------------------------------------------------------------- report
def summary(result: AudienceResult) -> dict[str, Any]:
    """The result as one flat JSON object (the ``--json`` line)."""
    app, floor = result.bursts["app"], result.bursts["floor"]
    a, f = app.stats(), floor.stats()
    out: dict[str, Any] = {
        "visitors": result.visitors,
        "within_s": result.within_s,
        "chromium_pages": result.pages,
        "errors": len(app.errors),
        "app_p50_first_render_ms": round(a.p50, 1),
        "app_p95_first_render_ms": round(a.p95, 1),
        "app_max_first_render_ms": round(a.max, 1),
        "floor_errors": len(floor.errors),
        "floor_p95_first_render_ms": round(f.p95, 1),
        "floor_max_first_render_ms": round(f.max, 1),
        "p95_ratio_to_floor": round(a.p95 / f.p95, 2) if f.p95 else None,
    }
    for name, burst in result.bursts.items():
        s = burst.stats()
        out[f"{name}_rendered"] = s.n
        out[f"{name}_page_p95_ms"] = round(Stats.of(burst.page_ms).p95, 1)
        out[f"{name}_protocol_p95_ms"] = round(Stats.of(burst.wire_ms).p95, 1)
        out[f"{name}_server_cpu_s"] = round(burst.server_cpu_s, 2)
        out[f"{name}_rss_mib"] = {k: round(v / 1024, 1) for k, v in burst.rss_kb.items()}
        if name == "app_no_cache":
            out["app_no_cache_errors"] = len(burst.errors)
            out["app_no_cache_p95_first_render_ms"] = round(s.p95, 1)
            out["app_no_cache_max_first_render_ms"] = round(s.max, 1)
    out["target_met"] = out["errors"] == 0 and (out["p95_ratio_to_floor"] or float("inf")) <= TARGET_RATIO
    return out


def markdown(result: AudienceResult) -> str:
    """The section of benchmarks/RESULTS.md."""
    s = summary(result)
    lines = [
        f"{result.visitors} visitors open the same link within {result.within_s:g} s ({result.pages} Chromium pages, "
        "the rest protocol sessions); each setup on a fresh server, the floor app under the same burst in the same "
        "run. Time to first render: navigation (page) or websocket open (protocol) to the first run's end.",
        "",
        "| setup | rendered | errors | p50 | p95 | max | pages p95 | protocol p95 | server CPU "
        "| RSS before / peak / after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, burst in result.bursts.items():
        st, rss = burst.stats(), {k: v / 1024 for k, v in burst.rss_kb.items()}
        lines.append(
            f"| {name} | {st.n} | {len(burst.errors)} | {st.p50:.0f} ms | {st.p95:.0f} ms | {st.max:.0f} ms | "
            f"{Stats.of(burst.page_ms).p95:.0f} ms | {Stats.of(burst.wire_ms).p95:.0f} ms | "
            f"{burst.server_cpu_s:.1f} s | {rss.get('before', 0):.0f} / {rss.get('peak', 0):.0f} / "
            f"{rss.get('after', 0):.0f} MiB |"
        )
    verdict = "met" if s["target_met"] else "NOT met"
    lines += [
        "",
        f"Target (0 errors, app p95 within {TARGET_RATIO:g}x the floor's): {verdict} "
        f"({s['errors']} errors, {s['p95_ratio_to_floor']}x).",
    ]
    samples = [e for b in result.bursts.values() for e in b.errors][:5]
    if samples:
        lines += ["", "Errors (first 5): " + "; ".join(samples)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.audience", description=__doc__.splitlines()[0])
    p.add_argument("--visitors", type=int, default=200)
    p.add_argument("--within-s", type=float, default=10.0)
    p.add_argument("--pages", type=int, default=10, help="Chromium pages among the visitors")
    p.add_argument("--cache", choices=("on", "off", "both"), default="on", help="the app with explorer/cache.py")
    p.add_argument(
        "--replicas", type=int, default=1, help="also the cached app as this many replicas behind HAProxy (if > 1)"
    )
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object, last line")
    p.add_argument("--raw", type=Path, help="also write every sample as JSON to this file")
    args = p.parse_args(argv)
    pages = min(args.pages, args.visitors)
    result = run_audience(args.visitors, args.within_s, pages, args.cache, replicas=args.replicas)
    print(markdown(result))
    if args.raw:
        args.raw.write_text(json.dumps(asdict(result), indent=1), encoding="utf-8")
    if args.json:
        print(json.dumps(summary(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
