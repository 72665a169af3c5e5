"""Every control of the page against the floor's slider: key press to settled page, one row per control.

``python -m benchmarks --only controls`` (part 6 of the suite) or ``python -m benchmarks.controls [--moves N]
[--first N] [--cold N] [--output PATH]`` (the table alone, printed and written to ``--output``).

The controls are enumerated from the page, so a new input is measured without a change here: every slider
(``st.slider`` and ``st.select_slider``) and every select box of the sidebar, in the page's order, on its
default page; the switch to each view (``explorer.link.VIEW_LABELS``), warm (in a page that has shown it
before) and first (a new browser context, empty cache: the view's code is fetched and parsed then; made 5 s,
``--read``, after the page settled); the GPU count slider in presentation mode (``?present=1``); and the cold
first render. Each control gets a new page;
each of its moves is followed (the order flips every move) by a move of the floor app's slider in its own
page, so every control's ratio is to the floor moves made beside it. A move is measured as in ``browser.py``
(key press to the first frame rendered after the last DOM change, or ``script_finished`` if later):

* slider: ArrowRight, then ArrowLeft (the other way first when the value is at its maximum);
* select box: ArrowDown (opens the list), ArrowDown or ArrowUp until another option than the chosen one is
  highlighted (the next one, or the previous one on every other move), then Enter; ``t0`` is Enter's
  ``keydown``;
* view: Enter on the view's button of the segmented control (a native button: Enter clicks it); a warm
  switch goes to the view and, measured too, back to the first view.

Bounded: ``--moves`` (default 8) moves per control after one warm-up move, ``--first`` (default 2) first
switches per view, ``--cold`` (default 3) cold renders each; about 10 minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, Page, async_playwright

from benchmarks.browser import Session, launch, new_context, open_session
from benchmarks.common import APP, BENCH_DIR, FLOOR_APP, Stats, StreamlitServer, ratio, verdict

#: Targets (issue 17 item 5): a control's p50 over the floor slider's p50 measured beside it.
LIMITS = {"slider": 1.25, "select": 1.25, "present": 1.25, "view": 3.0, "view (first)": 3.0, "cold": 1.5}
CONTROL_TIMEOUT_MS = 15_000
#: Seconds between a new page's settled first render and its first view switch: a person reads the headline
#: first (the concurrency part's think time between moves is 5-15 s).
READ_S = 5.0
SIDEBAR = '[data-testid="stSidebar"]'
# One selector per kind of sidebar control; the nth element of a kind is found again on a new page by index.
KIND_SELECTORS = {
    "slider": f'{SIDEBAR} [data-testid="stSlider"]',
    "select": f'{SIDEBAR} [data-testid="stSelectbox"]',
}
THUMB = '[role="slider"], input[type="range"]'
ENUMERATE_JS = """(sel) => [...document.querySelectorAll(sel)].map((el) => {
  const label = el.querySelector('[data-testid="stWidgetLabel"]');
  const input = el.querySelector('input');
  return { label: label ? label.innerText.trim() : '?', disabled: !!(input && input.disabled) };
})"""
THUMB_AT_MAX_JS = """(t) => {
  const v = parseFloat(t.getAttribute('aria-valuenow') ?? t.value);
  const max = parseFloat(t.getAttribute('aria-valuemax') ?? t.max);
  return v >= max;
}"""


@dataclass
class Row:
    """One control's measured moves and the floor slider's moves made beside them [ms]."""

    name: str
    kind: str
    settle_ms: list[float] = field(default_factory=list)
    finished_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def limit(self) -> float:
        return LIMITS[self.kind]

    @property
    def ratio_p50(self) -> float:
        return ratio(Stats.of(self.settle_ms).p50, Stats.of(self.floor_ms).p50)


@dataclass
class ControlsResult:
    rows: list[Row]
    moves: int
    first_repeats: int
    cold_repeats: int
    seconds: float


# ------------------------------------------------------------------------------------------------ the moves
def slider_keys(at_max: bool, moves: int) -> tuple[str, ...]:
    """The key of move number ``moves`` of a slider: right then left, or left first when at its maximum."""
    right_first = not at_max
    return ("ArrowRight" if (moves % 2 == 0) == right_first else "ArrowLeft",)


# True once the list's highlighted option (the combobox's aria-activedescendant) is not the chosen value.
ANOTHER_OPTION_JS = """(value) => {
  const id = document.activeElement && document.activeElement.getAttribute('aria-activedescendant');
  const option = id && document.getElementById(id);
  return !!option && option.innerText.trim() !== value;
}"""


async def highlight_another_option(target: Any, down: bool) -> None:
    """Open the select box's list (ArrowDown) and move its highlight (ArrowDown, or ArrowUp) off the chosen option:
    where the highlight starts differs between the first opening and later ones, so it is read, not assumed."""
    value = (await target.input_value()).strip()
    await target.focus()
    await target.press("ArrowDown")
    for key in ("ArrowDown" if down else "ArrowUp",) * 3 + ("ArrowUp" if down else "ArrowDown",) * 2:
        if await target.page.evaluate(ANOTHER_OPTION_JS, value):
            return
        await target.press(key)
    raise RuntimeError(f"no other option to choose than {value!r}")


class Floor:
    """The floor app's slider in a page of its own: one move after (or before) each of a control's."""

    def __init__(self, session: Session) -> None:
        self.session = session

    async def move(self, row: Row) -> None:
        try:
            settle, _ = await self.session.move()
            row.floor_ms.append(settle)
        except Exception as exc:  # a failed move is a result, not a crash
            row.failures.append(f"floor: {exc}")


async def _measure(session: Session, row: Row, target: Any, keys: tuple[str, ...], prepare: Any = None) -> None:
    """One measured move: ``prepare`` (a coroutine: what comes before the measured key, e.g. opening a list) once
    the page is idle, then ``keys``; a failure is recorded in ``row``."""
    try:
        if prepare is not None:
            await session.wait_idle()
            await prepare
        res = await session.press(target, *keys)
        row.settle_ms.append(res["end"] - res["t0"])
        row.finished_ms.append(res["finishedAt"] - res["t0"])
    except Exception as exc:
        row.failures.append(str(exc).splitlines()[0][:200])
        await asyncio.sleep(1)


async def _paired(floor: Floor, row: Row, i: int, app_move: Any) -> None:
    """One app move and one floor move, the order flipping with ``i``."""
    if i % 2 == 0:
        await app_move()
        await floor.move(row)
    else:
        await floor.move(row)
        await app_move()


async def _new_page(ctx: BrowserContext, url: str) -> Session:
    session, _ = await open_session(ctx, url, None, CONTROL_TIMEOUT_MS * 2)
    session.timeout_ms = CONTROL_TIMEOUT_MS
    return session


async def sidebar_controls(page: Page) -> list[tuple[str, int, str, bool]]:
    """(kind, index among that kind, label, disabled) of every slider and select box of the sidebar."""
    out = []
    for kind, selector in KIND_SELECTORS.items():
        for i, el in enumerate(await page.evaluate(ENUMERATE_JS, selector)):
            out.append((kind, i, el["label"], el["disabled"]))
    return out


async def _sidebar_row(
    ctx: BrowserContext, url: str, floor: Floor, kind: str, index: int, name: str, moves: int, row_kind: str = ""
) -> Row:
    row = Row(name, row_kind or kind)
    session = await _new_page(ctx, url)
    try:
        await _open_sidebar(session.page)
        widget = session.page.locator(KIND_SELECTORS[kind]).nth(index)
        target = widget.locator(THUMB).first if kind == "slider" else widget.locator("input").first
        at_max = kind == "slider" and await target.evaluate(THUMB_AT_MAX_JS)
        for i in range(moves + 1):
            keys = slider_keys(at_max, i) if kind == "slider" else ("Enter",)
            prepare = None if kind == "slider" else highlight_another_option(target, down=i % 2 == 0)
            if i == 0:  # warm-up, not counted
                await session.wait_idle()
                await prepare if prepare else None
                await session.press(target, *keys)
                continue
            await _paired(
                floor, row, i, lambda keys=keys, prepare=prepare: _measure(session, row, target, keys, prepare)
            )
    except Exception as exc:
        row.failures.append(f"setup: {str(exc).splitlines()[0][:200]}")
    finally:
        await session.page.close()
    return row


async def _open_sidebar(page: Page) -> None:
    """Expand the sidebar if the page opened with it collapsed (presentation mode, a narrow window)."""
    button = page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button')
    if await button.count() and await button.first.is_visible():
        await button.first.click()
        await page.locator(KIND_SELECTORS["slider"]).first.wait_for(state="visible")


def view_button(page: Page, label: str) -> Any:
    return page.locator('[data-testid="stButtonGroup"] button').filter(has_text=label).first


async def _view_rows(ctx: BrowserContext, url: str, floor: Floor, views: list[str], moves: int) -> list[Row]:
    """Warm switches: in one page per view, to the view and back to the first view, ``moves`` times each."""
    home, rows = views[0], []
    back = Row(f"view: back to {home}", "view")
    for view in views[1:]:
        row = Row(f"view: {view}", "view")
        session = await _new_page(ctx, url)
        try:
            to, fro = view_button(session.page, view), view_button(session.page, home)
            await session.press(to, "Enter")  # the first switch of this page, not counted
            await session.press(fro, "Enter")
            for i in range(moves):
                await _paired(floor, row, i, lambda s=session, r=row, b=to: _measure(s, r, b, ("Enter",)))
                await _measure(session, back, fro, ("Enter",))
        except Exception as exc:
            row.failures.append(f"setup: {str(exc).splitlines()[0][:200]}")
        finally:
            await session.page.close()
        rows.append(row)
    back.floor_ms = [ms for r in rows for ms in r.floor_ms]
    return [*rows, back]


async def _first_view_rows(
    browser: Any, url: str, floor: Floor, views: list[str], repeats: int, read_s: float
) -> list[Row]:
    """First switches: a new context (empty cache) per switch, so the view's code is fetched and parsed; made
    ``read_s`` after the page settled (a person reads the headline before choosing another view)."""
    rows = [Row(f"view: {view} (first, {read_s:g} s after opening)", "view (first)") for view in views[1:]]
    for i in range(repeats):
        for row, view in zip(rows, views[1:], strict=True):
            ctx = await new_context(browser)
            try:
                session = await _new_page(ctx, url)
                await asyncio.sleep(read_s)
                await _paired(
                    floor, row, i, lambda s=session, r=row, v=view: _measure(s, r, view_button(s.page, v), ("Enter",))
                )
            except Exception as exc:
                row.failures.append(f"setup: {str(exc).splitlines()[0][:200]}")
            finally:
                await ctx.close()
    return rows


async def _cold_row(browser: Any, app_url: str, floor_url: str, repeats: int) -> Row:
    """Cold first render (a new context each, empty cache), app and floor alternating."""
    row = Row("cold first render", "cold")
    for url in (app_url, floor_url):  # each server's first visit (imports, caches): not counted
        ctx = await new_context(browser)
        try:
            await open_session(ctx, url, None)
        finally:
            await ctx.close()
    for i in range(repeats):
        for which in ("app", "floor") if i % 2 == 0 else ("floor", "app"):
            ctx = await new_context(browser)
            try:
                _, ms = await open_session(ctx, app_url if which == "app" else floor_url, None)
                (row.settle_ms if which == "app" else row.floor_ms).append(ms)
            except Exception as exc:
                row.failures.append(f"{which}: {str(exc).splitlines()[0][:200]}")
            finally:
                await ctx.close()
    return row


def _views() -> list[str]:
    """The views' labels, in the page's order (``explorer.views.VIEWS`` is keyed by them; this import does not
    load Streamlit's caches outside a server)."""
    from explorer.link import VIEW_LABELS

    return list(VIEW_LABELS.values())


#: The groups of rows, in the order they run (``--groups`` runs some of them).
GROUPS = ("cold", "sidebar", "present", "views", "first")


async def _sidebar_rows(
    ctx: BrowserContext, app_url: str, floor: Floor, moves: int, groups: tuple[str, ...], log: Any
) -> list[Row]:
    """Every enabled slider and select box of the sidebar, then presentation mode's GPU count slider."""
    probe = await _new_page(ctx, app_url)
    controls = await sidebar_controls(probe.page)
    await probe.page.close()
    rows = []
    if "sidebar" in groups:
        for kind, index, label, disabled in controls:
            if not disabled:
                rows.append(await _sidebar_row(ctx, app_url, floor, kind, index, f"{kind}: {label}", moves))
                _log_row(log, rows[-1])
    gpu = next((i for kind, i, label, _ in controls if kind == "slider" and label.startswith("GPU count")), None)
    if "present" in groups and gpu is not None:
        present_url = app_url.rstrip("/") + "/?present=1"
        name = "presentation mode: GPU count slider"
        rows.append(await _sidebar_row(ctx, present_url, floor, "slider", gpu, name, moves, "present"))
        _log_row(log, rows[-1])
    return rows


async def run_controls(
    app_url: str,
    floor_url: str,
    moves: int = 8,
    first: int = 2,
    cold: int = 3,
    log: Any = print,
    read_s: float = READ_S,
    groups: tuple[str, ...] = GROUPS,
) -> ControlsResult:
    start = time.perf_counter()
    rows: list[Row] = []
    async with async_playwright() as pw:
        browser = await launch(pw)
        try:
            if "cold" in groups:
                rows.append(await _cold_row(browser, app_url, floor_url, cold))
                _log_row(log, rows[-1])
            floor_ctx, ctx = await new_context(browser), await new_context(browser)
            floor_session, _ = await open_session(floor_ctx, floor_url, None)
            floor = Floor(floor_session)
            for _ in range(3):  # the floor's own warm-up
                await floor_session.move()
            rows += await _sidebar_rows(ctx, app_url, floor, moves, groups, log)
            views = _views()
            later = []
            if "views" in groups:
                later.append(_view_rows(ctx, app_url, floor, views, moves))
            if "first" in groups:
                later.append(_first_view_rows(browser, app_url, floor, views, first, read_s))
            for part in later:
                for row in await part:
                    rows.append(row)
                    _log_row(log, row)
            await ctx.close()
            await floor_ctx.close()
        finally:
            await browser.close()
    return ControlsResult(rows, moves, first, cold, time.perf_counter() - start)


def _log_row(log: Any, row: Row) -> None:
    s, f = Stats.of(row.settle_ms), Stats.of(row.floor_ms)
    failed = f", {len(row.failures)} failed" if row.failures else ""
    log(f"  {row.name[:60]:60s} p50 {s.p50:7.1f} ms (floor {f.p50:6.1f} ms) = {row.ratio_p50:5.2f}x{failed}")


# ------------------------------------------------------------------------------------------------ the report
def _ms(value: float) -> str:
    return "n/a" if value != value else f"{value:.0f}"


def markdown(r: ControlsResult) -> str:
    """The section of RESULTS.md: one row per control, its split and its verdict."""
    lines = [
        "## 6. Every control: key press to settled page, one row per control",
        "",
        f"Each control on a new page of the app, {r.moves} moves after one warm-up move, each move beside a move "
        "of the floor app's slider (the order flipping every move); the ratio is the control's p50 over the p50 "
        f"of the floor moves made beside it. First view switches: {r.first_repeats} per view, each in a new browser "
        f"context (empty cache). Cold first render: {r.cold_repeats} visits each, alternating. "
        f'"to script_finished" is the server\'s share (the rerun, sent back); "browser after" the page\'s work '
        f"after it until the first frame rendered after the last DOM change. Part time: {r.seconds / 60:.1f} min.",
        "",
        "| control | n | p50 [ms] | p95 [ms] | to script_finished p50 [ms] | browser after p50 [ms] "
        "| floor p50 [ms] | ratio p50 | target | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in r.rows:
        s, f, fin = Stats.of(row.settle_ms), Stats.of(row.floor_ms), Stats.of(row.finished_ms)
        after = s.p50 - fin.p50 if row.finished_ms else float("nan")
        v = verdict(row.ratio_p50, row.limit, "x")
        if row.failures:
            v += f" ({len(row.failures)} failed: {row.failures[0].replace('|', '/')[:80]})"
        lines.append(
            f"| {row.name} | {s.n} | {_ms(s.p50)} | {_ms(s.p95)} | {_ms(fin.p50)} | {_ms(after)} | {_ms(f.p50)} "
            f"| {row.ratio_p50:.2f}x | <= {row.limit:g}x | {v} |"
        )
    return "\n".join(lines)


def summary_rows(r: ControlsResult) -> list[list[str]]:
    """For the report's target table: per kind of control, the worst row."""
    out = []
    for kind, limit in LIMITS.items():
        rows = [row for row in r.rows if row.kind == kind and row.settle_ms]
        if not rows:
            continue
        worst = max(rows, key=lambda row: row.ratio_p50)
        met = sum(verdict(row.ratio_p50, limit) == "met" for row in rows)
        out.append(
            [
                f"Every control ({kind}): p50 <= {limit:g}x the floor's "
                + ("cold first render" if kind == "cold" else "slider"),
                f"{met} of {len(rows)} met; worst {worst.name} {worst.ratio_p50:.2f}x",
                "met" if met == len(rows) else "NOT met",
            ]
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=8, help="measured moves per control (after 1 warm-up)")
    parser.add_argument("--first", type=int, default=2, help="first switches per view (new context each)")
    parser.add_argument("--cold", type=int, default=3, help="cold first renders each")
    parser.add_argument("--read", type=float, default=READ_S, help="seconds from opening to a first view switch")
    parser.add_argument("--app", default=str(APP.relative_to(APP.parent)), help="the app, from the repository root")
    parser.add_argument("--output", type=Path, help="also write the table (Markdown) here")
    parser.add_argument("--groups", default=",".join(GROUPS), help=f"rows to measure, from {', '.join(GROUPS)}")
    args = parser.parse_args()
    log_dir = BENCH_DIR / ".logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    groups = tuple(g.strip() for g in args.groups.split(",") if g.strip())
    with (
        StreamlitServer(APP.parent / args.app, "controls-app").start(log_dir) as app,
        StreamlitServer(FLOOR_APP, "controls-floor").start(log_dir) as floor,
    ):
        result = asyncio.run(
            run_controls(app.url, floor.url, args.moves, args.first, args.cold, read_s=args.read, groups=groups)
        )
    text = markdown(result)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
