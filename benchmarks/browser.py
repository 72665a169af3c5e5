"""Real-browser timing with Playwright driving Debian's Chromium: slider key press to settled page, cold render.

How "settled" is measured (the same code for the app and the floor app):

* An init script, installed in every page before any of Streamlit's code runs, (a) wraps ``window.WebSocket``
  so that each binary message from the server is read as a ``ForwardMsg`` protobuf at its top level: a
  message carrying field 6 (``script_finished``) stamps ``performance.now()``; and (b) puts a
  ``MutationObserver`` on the whole document (child lists, attributes, text) that stamps the time of the
  last DOM change, then the first frame rendered after it (a message posted from the next animation frame's
  callback, delivered once the frame's style, layout and paint are done). Changes inside Streamlit's status widget (the
  "Running..." man and its fade-out) are ignored: they are the progress indicator, not the page.
* A move: the PUE slider's thumb (the app) or the only slider's thumb (the floor) is focused, a capture-phase
  ``keydown`` listener stamps the event's time ``t0``, and Playwright presses ArrowRight (ArrowLeft on every
  other move, so the value stays in range). The page is settled when, after ``t0``, a ``script_finished``
  message has arrived, the status widget is gone or fading out, no DOM change has happened for 150 ms and
  the frame after the last one has been rendered. The latency is ``max(script_finished, first frame rendered
  after the last DOM change) - t0``: the quiet period itself is not counted. (Up to run 10 it ended at the
  frame's callback, before the frame is rendered: benchmarks/README.md, "Which end of a move".)
* Cold first render: a new browser context (empty cache), ``goto``, wait until a number is drawn
  (``NUMBER_DRAWN_SELECTOR``: a metric's value, or a headline card's) and the page is settled as above; the
  time is the same end stamp measured from navigation start
  (``performance.now()`` counts from the navigation's time origin).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from harness.chromium import NUMBER_DRAWN_SELECTOR, SCRIPT_FINISHED_STATUS_JS, VIEWPORT, launch_options

QUIET_MS = 150
MOVE_TIMEOUT_MS = 30_000
APP_SLIDER_LABEL = "PUE [-]"

INIT_JS = r"""
(() => {
  if (window.__bench || window.top !== window) return;
  const STATUS = '[data-testid="stStatusWidget"]';
  const B = (window.__bench = { lastMutation: 0, lastFrame: 0, lastPaint: 0, finished: [], messages: 0,
                                  keydowns: [] });

  /*SCRIPT_FINISHED_STATUS*/
  const NativeWebSocket = window.WebSocket;
  class BenchWebSocket extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const t = performance.now();
        B.messages += 1;
        if (event.data instanceof ArrayBuffer && scriptFinishedStatus(event.data) !== null) B.finished.push(t);
      });
    }
  }
  window.WebSocket = BenchWebSocket;

  const inStatus = (node) => {
    const el = node && (node.nodeType === 1 ? node : node.parentElement);
    return !!(el && el.closest && el.closest(STATUS));
  };
  const isStatus = (node) => node.nodeType === 1 && node.matches && node.matches(STATUS);
  const relevant = (m) => {
    if (inStatus(m.target)) return false;
    if (m.type === 'childList') {
      const nodes = [...m.addedNodes, ...m.removedNodes];
      if (nodes.length && nodes.every(isStatus)) return false;
    }
    return true;
  };
  // After a DOM change: the next animation frame's callback (B.lastFrame, before that frame's style, layout
  // and paint), then a message posted from it, delivered once the frame has been rendered (B.lastPaint): the
  // first frame a person sees with the change in it.
  const paint = new MessageChannel();
  paint.port1.onmessage = () => { B.lastPaint = Math.max(B.lastPaint, performance.now()); };
  new MutationObserver((list) => {
    if (!list.some(relevant)) return;
    const t = performance.now();
    B.lastMutation = t;
    requestAnimationFrame(() => {
      B.lastFrame = Math.max(B.lastFrame, performance.now());
      paint.port2.postMessage(0);
    });
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  window.addEventListener('keydown', (event) => { B.keydowns.push(event.timeStamp); }, true);

  B.statusRunning = () => {
    const w = document.querySelector(STATUS);
    return !!w && !/StatusWidget-exit/.test(w.className);
  };
  // An element whose code is still loading shows Streamlit's Suspense fallback (stSkeleton), and a Plotly
  // chart has drawn once its SVG exists: a quiet DOM while a chart's bundle is parsed is not a drawn page.
  B.chartsDrawn = () => !document.querySelector('[data-testid="stSkeleton"]') &&
    [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every((c) => c.querySelector('svg.main-svg'));
  // Resolve with the settle time (ms on the page's clock) once, after t0, the script has finished,
  // the status widget is not running, every element and chart has drawn, and the DOM has been quiet for
  // `quiet` ms.
  B.waitSettled = (t0, quiet, timeout, needSelector) => new Promise((resolve) => {
    const started = performance.now();
    const tick = () => {
      const now = performance.now();
      const finished = B.finished.filter((t) => t >= t0);
      const ready = (!needSelector || document.querySelector(needSelector)) && B.chartsDrawn();
      if (finished.length && ready && !B.statusRunning() && now - B.lastMutation >= quiet &&
          B.lastPaint >= B.lastMutation) {
        const last = finished[finished.length - 1];
        const end = Math.max(last, B.lastPaint);
        // rafEnd: the suite's definition up to run 10 (the frame's callback, before it is rendered), kept to
        // compare (README, "Which end of a move").
        const rafEnd = Math.max(last, B.lastFrame >= B.lastMutation ? B.lastFrame : B.lastMutation);
        resolve({ ok: true, end, rafEnd, t0, finishedAt: last, finished: finished.length,
                  lastMutation: B.lastMutation });
        return;
      }
      if (now - started > timeout) {
        resolve({ ok: false, end: now, t0, finished: finished.length, lastMutation: B.lastMutation,
                  running: B.statusRunning() });
        return;
      }
      setTimeout(tick, 10);
    };
    tick();
  });
})();
""".replace("/*SCRIPT_FINISHED_STATUS*/", SCRIPT_FINISHED_STATUS_JS)


@dataclass
class Session:
    """One browser page on one app, ready to make slider moves."""

    page: Page
    slider_label: str | None
    moves: int = 0
    errors: list[str] = field(default_factory=list)
    timeout_ms: int = MOVE_TIMEOUT_MS
    last: dict[str, Any] = field(default_factory=dict)  # the last move's settle record

    def thumb(self):
        sliders = self.page.locator('[data-testid="stSlider"]')
        if self.slider_label:
            sliders = sliders.filter(has_text=self.slider_label)
        # Streamlit 1.67's slider thumb is a visually hidden <input type="range"> (implicit role "slider").
        return sliders.locator('[role="slider"], input[type="range"]').first

    async def move(self) -> tuple[float, float]:
        """One key press on the slider: ms until the page settled, and until script_finished arrived.

        Raises on failure (no settle within the timeout, or an exception shown on the page).
        """
        key = "ArrowRight" if self.moves % 2 == 0 else "ArrowLeft"
        self.moves += 1
        res = await self.press(self.thumb(), key)
        return res["end"] - res["t0"], res["finishedAt"] - res["t0"]

    async def wait_idle(self) -> None:
        """Until no rerun is running: a previous one still running or queued (after a failed move) must not be
        taken for the next one's."""
        idle = await self.page.evaluate(
            """(to) => new Promise((resolve) => {
                const start = performance.now();
                const tick = () => {
                  if (!window.__bench.statusRunning()) resolve(true);
                  else if (performance.now() - start > to) resolve(false);
                  else setTimeout(tick, 20);
                };
                tick();
            })""",
            self.timeout_ms,
        )
        if not idle:
            raise RuntimeError(f"the previous rerun was still running after {self.timeout_ms} ms")

    async def press(self, target: Any, *keys: str) -> dict[str, Any]:
        """Focus ``target`` (a locator), press ``keys`` in turn, and wait until the page has settled after the
        last one; the page's settle record (``t0``: that key's ``keydown`` time, ``end``, ``finishedAt``, ...).

        Raises on failure (the key did not reach the page, no settle within the timeout, an exception shown).
        """
        await self.wait_idle()
        await target.focus()
        for key in keys[:-1]:
            await target.press(key)
        before = await self.page.evaluate("() => window.__bench.keydowns.length")
        await target.press(keys[-1])
        t0 = await self.page.evaluate(
            "(n) => window.__bench.keydowns.length > n ? window.__bench.keydowns[n] : null", before
        )
        if t0 is None:
            raise RuntimeError("the key press did not reach the page")
        res = await self.page.evaluate(
            "([t0, q, to]) => window.__bench.waitSettled(t0, q, to, null)", [t0, QUIET_MS, self.timeout_ms]
        )
        if not res["ok"]:
            raise RuntimeError(f"not settled within {self.timeout_ms} ms: {res}")
        if await self.page.locator('[data-testid="stException"]').count():
            raise RuntimeError("the app shows an exception")
        self.last = res
        return res


async def launch(pw: Any) -> Browser:
    return await pw.chromium.launch(**launch_options())


async def new_context(browser: Browser) -> BrowserContext:
    ctx = await browser.new_context(viewport=VIEWPORT)
    await ctx.add_init_script(INIT_JS)
    return ctx


async def open_session(
    ctx: BrowserContext, url: str, slider_label: str | None, timeout_ms: int = MOVE_TIMEOUT_MS
) -> tuple[Session, float]:
    """A new page on ``url``, loaded and settled; also returns the time to that settled first render [ms]."""
    page = await ctx.new_page()
    session = Session(page, slider_label)
    page.on("pageerror", lambda exc: session.errors.append(f"pageerror: {exc}"))
    await page.goto(url, wait_until="commit", timeout=timeout_ms)
    await page.locator(NUMBER_DRAWN_SELECTOR).first.wait_for(state="visible", timeout=timeout_ms)
    res = await page.evaluate(
        "([q, to, sel]) => window.__bench.waitSettled(0, q, to, sel)", [QUIET_MS, timeout_ms, NUMBER_DRAWN_SELECTOR]
    )
    if not res["ok"]:
        raise RuntimeError(f"first render not settled within {timeout_ms} ms: {res}")
    await session.thumb().wait_for(state="attached", timeout=timeout_ms)
    return session, res["end"]


# ------------------------------------------------------------------------------------------------ the run
@dataclass
class BrowserResult:
    cold_ms: dict[str, list[float]]
    first_visit_ms: dict[str, float]
    move_ms: dict[str, list[float]]
    finished_ms: dict[str, list[float]]
    failures: dict[str, list[str]]
    warmup_moves: int
    cold_repeats: int
    seconds: float
    cold_resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    # page -> script file -> main-thread self time per move [ms] (benchmarks.client_profile)
    main_thread_ms: dict[str, dict[str, float]] = field(default_factory=dict)
    # the same moves ended at the frame's callback, before it is rendered (the definition up to run 10)
    raf_ms: dict[str, list[float]] = field(default_factory=dict)


RESOURCES_JS = """(end) => {
  const all = performance.getEntriesByType('resource').filter((e) => e.startTime <= end);
  const nav = performance.getEntriesByType('navigation')[0];
  const kinds = {};
  for (const e of all) {
    const path = new URL(e.name).pathname;
    const kind = /\\.js$/.test(path) ? 'js' : /\\.css$/.test(path) ? 'css'
      : /\\.(woff2?|ttf|otf)$/.test(path) ? 'font' : /\\.json$/.test(path) ? 'json' : 'other';
    kinds[kind] = kinds[kind] || { count: 0, bytes: 0 };
    kinds[kind].count += 1;
    kinds[kind].bytes += e.encodedBodySize || 0;
  }
  const top = all.map((e) => ({ name: new URL(e.name).pathname, bytes: e.encodedBodySize || 0,
                                 end: e.responseEnd, duration: e.duration }))
    .sort((a, b) => b.bytes - a.bytes).slice(0, 6);
  return { requests: all.length, bytes: all.reduce((s, e) => s + (e.encodedBodySize || 0), 0), kinds, top,
           domContentLoaded: nav ? nav.domContentLoadedEventEnd : null, firstFinished: window.__bench.finished[0] };
}"""


async def _cold(browser: Browser, url: str, label: str | None, resources: dict[str, Any] | None = None) -> float:
    """One cold visit [ms]; fills ``resources`` with what the page fetched before it settled, when given."""
    ctx = await new_context(browser)
    try:
        session, ms = await open_session(ctx, url, label)
        if resources is not None:
            resources.update(await session.page.evaluate(RESOURCES_JS, ms))
        return ms
    finally:
        await ctx.close()


async def run_browser(
    apps: dict[str, tuple[str, str | None]],
    moves: int,
    warmup: int,
    cold_repeats: int,
    log: Any = print,
    cold_only: dict[str, tuple[str, str | None]] | None = None,
) -> BrowserResult:
    """``apps``: name -> (url, slider label or None). Cold renders and moves, interleaved between the apps;
    ``cold_only`` apps (references) take part in the cold renders only."""
    start = time.perf_counter()
    names = list(apps)
    apps = apps | (cold_only or {})
    cold_names = list(apps)
    cold: dict[str, list[float]] = {n: [] for n in cold_names}
    first: dict[str, float] = {}
    move_ms: dict[str, list[float]] = {n: [] for n in names}
    finished_ms: dict[str, list[float]] = {n: [] for n in names}
    raf_ms: dict[str, list[float]] = {n: [] for n in names}
    failures: dict[str, list[str]] = {n: [] for n in names}
    resources: dict[str, dict[str, Any]] = {n: {} for n in cold_names}
    async with async_playwright() as pw:
        browser = await launch(pw)
        try:
            # First visit of each server (its first script run imports and fills caches): reported, not counted.
            for n in cold_names:
                first[n] = await _cold(browser, *apps[n])
            log(f"  first visits: {', '.join(f'{n} {first[n]:.0f} ms' for n in cold_names)}")
            for i in range(cold_repeats):
                order = cold_names if i % 2 == 0 else cold_names[::-1]
                for n in order:
                    cold[n].append(await _cold(browser, *apps[n], resources[n] if i == 0 else None))
            log("  cold renders: " + ", ".join(f"{n} {sorted(round(x) for x in cold[n])}" for n in cold_names))

            contexts = {n: await new_context(browser) for n in names}
            sessions = {}
            for n in names:
                sessions[n], _ = await open_session(contexts[n], *apps[n])
            for _ in range(warmup):
                for n in names:
                    await sessions[n].move()
            for i in range(moves):
                order = names if i % 2 == 0 else names[::-1]
                for n in order:
                    try:
                        settle, finished = await sessions[n].move()
                        move_ms[n].append(settle)
                        finished_ms[n].append(finished)
                        raf_ms[n].append(sessions[n].last["rafEnd"] - sessions[n].last["t0"])
                    except Exception as exc:  # a failed move is a result, not a crash
                        failures[n].append(f"move {i}: {exc}")
                        await asyncio.sleep(1)
                if (i + 1) % 10 == 0:
                    log(f"  {i + 1}/{moves} moves each")
            for n in names:
                failures[n].extend(sessions[n].errors)
                await contexts[n].close()
        finally:
            await browser.close()
    return BrowserResult(
        cold,
        first,
        move_ms,
        finished_ms,
        failures,
        warmup,
        cold_repeats,
        time.perf_counter() - start,
        resources,
        raf_ms=raf_ms,
    )
