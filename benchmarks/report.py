"""benchmarks/RESULTS.md: the machine, the versions, every measurement as a table, ratios and targets."""

from __future__ import annotations

import os
import statistics
from typing import Any

from benchmarks.browser import QUIET_MS
from benchmarks.client_profile import MOVES as CLIENT_MOVES
from benchmarks.client_profile import NOT_BUSY, SETTLE_KEY, busy_ms
from benchmarks.client_profile import WARMUP as CLIENT_WARMUP
from benchmarks.common import Stats, fmt_ms, ratio, verdict
from benchmarks.concurrency import CONCURRENT_MOVE_TIMEOUT_MS
from benchmarks.core import SAMPLES

TARGETS = {
    "settle_p50": 1.5,
    "settle_p95": 2.0,
    "cold": 2.0,
    "conc_p95": 2.0,
    "mem_mb": 2.0,
    "core_ms": 10.0,
}


TOP_FILES = 8
#: What the script files of Streamlit's frontend (and the renderer's own entries) do, by name prefix.
FILE_ROLES = {
    "(program)": "the renderer outside JavaScript: style, layout, paint",
    "(garbage collector)": "JavaScript garbage collection",
    "react-dom": "React: rendering the elements",
    "emotion": "emotion: CSS-in-JS styles",
    "index.": "Streamlit's app code",
    "protobuf": "decoding the server's messages",
    "purify": "DOMPurify: sanitizing st.html",
    "StreamlitMarkdown": "Markdown",
}


def _what(file: str) -> str:
    return next((role for prefix, role in FILE_ROLES.items() if file.startswith(prefix)), "")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _one_line(text: str, limit: int = 200) -> str:
    """An error message on one markdown line: its first line, shortened, without backticks or pipes."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first.replace("`", "'").replace("|", "/")[:limit]


def _cells(stats: Stats) -> list[str]:
    """Table cells: the number of moves, p50, p95 and max."""
    return [str(stats.n), fmt_ms(stats.p50), fmt_ms(stats.p95), fmt_ms(stats.max)]


def _x(value: float) -> str:
    return "n/a" if value != value else f"{value:.2f}x"


def _below(value: float, limit: float, unit: str) -> str:
    if value != value:
        return "not measured"
    return "met" if value < limit else f"NOT met ({value:.2f} {unit} >= {limit:g} {unit})"


class Report:
    def __init__(self, command: str, machine: dict[str, str], revision: str, quick: bool) -> None:
        self.command = command
        self.machine = machine
        self.revision = revision
        self.quick = quick
        self.sections: list[str] = []
        self.summary: list[list[str]] = []

    # ------------------------------------------------------------------------------------------ sections
    def core(self, r: Any) -> None:
        ms = r.per_call_ms
        lines = ["## 1. Core (`carbon_core`, in process)", ""]
        lines.append(
            f"Run: H100 SXM x 16,384 GPUs for 1,882.3 h in Sweden (the Llama 3.1 405B scale). Time per call is the "
            f"median over {r.rounds} interleaved rounds (each round times enough back-to-back calls to last "
            f">= {r.min_round_ms:g} ms)."
        )
        lines.append("")
        rows = [
            ["price one run", fmt_ms(ms["estimate"]), "1 run", r.descriptions["estimate"]],
            [
                f"price it in every country ({r.countries} grids)",
                fmt_ms(ms["countries"]),
                f"{_x(ratio(ms['countries_loop'], ms['countries']))} faster than the loop",
                r.descriptions["countries"],
            ],
            [
                "baseline: per-country Python loop",
                fmt_ms(ms["countries_loop"]),
                f"{_x(ratio(ms['countries_loop'], ms['estimate']))} one run",
                r.descriptions["countries_loop"],
            ],
        ]
        if r.uncertainty_available:
            loop = ms.get("uncertainty_loop", float("nan"))
            rows.append(
                [
                    f"{SAMPLES:,}-sample uncertainty",
                    fmt_ms(ms["uncertainty"]),
                    f"{_x(ratio(loop, ms['uncertainty']))} faster than the loop",
                    r.descriptions["uncertainty"],
                ]
            )
            rows.append(
                [
                    "baseline: per-sample Python loop",
                    fmt_ms(loop),
                    "",
                    r.descriptions.get("uncertainty_loop", "baseline unavailable"),
                ]
            )
        else:
            rows.append([f"{SAMPLES:,}-sample uncertainty", r.uncertainty_reason, "", "no number is invented"])
        lines += _table(["case", "time per call", "ratio", "what is timed"], rows)
        lines.append("")
        if r.uncertainty_available:
            total = ms["countries"] + ms["uncertainty"]
            v = _below(total, TARGETS["core_ms"], "ms")
            lines.append(
                f"Target: every country + a {SAMPLES:,}-sample uncertainty in under 10 ms: "
                f"{fmt_ms(ms['countries'])} + {fmt_ms(ms['uncertainty'])} = **{fmt_ms(total)}**: **{v}**."
            )
            self.summary.append(["Core: every country + 10,000-sample uncertainty < 10 ms", fmt_ms(total), v])
        else:
            v = f"cannot be judged: uncertainty {r.uncertainty_reason}"
            lines.append(
                f"Target: every country + a {SAMPLES:,}-sample uncertainty in under 10 ms: **{v}** (every country "
                f"alone: {fmt_ms(ms['countries'])})."
            )
            self.summary.append(["Core: every country + 10,000-sample uncertainty < 10 ms", "n/a", v])
        self.sections.append("\n".join(lines))

    def server(self, r: Any) -> None:
        app, floor = Stats.of(r.rerun_ms["app"]), Stats.of(r.rerun_ms["floor"])
        gc_app = statistics.median(r.gc_ms["app"]) if r.gc_ms["app"] else float("nan")
        gc_floor = statistics.median(r.gc_ms["floor"]) if r.gc_ms["floor"] else float("nan")
        lines = ["## 2. Server side: script rerun on a slider change (Streamlit AppTest)", ""]
        lines.append(
            f"`AppTest.from_file(...)`, then `slider.set_value(v).run()` alternately one step up and back: the app's "
            f'PUE slider (`at.sidebar.slider(key="pue")`) and the floor\'s only slider, interleaved, {app.n} reruns '
            f"each after {r.warmup} warm-up reruns. **AppTest does not make the full `gc.collect()` a real server "
            "makes after every script run (`runner.postScriptGC`), so these times understate what a browser waits "
            "for**; the last column times an explicit `gc.collect()` after each rerun in this process (whose heap "
            "holds both apps, so it is the same cost for both and is not added to the ratio)."
        )
        lines.append("")
        lines += _table(
            ["page", "p50", "p95", "max", "ratio p50 to floor", "gc.collect() after it (p50)"],
            [
                [
                    "app.py",
                    fmt_ms(app.p50),
                    fmt_ms(app.p95),
                    fmt_ms(app.max),
                    _x(ratio(app.p50, floor.p50)),
                    fmt_ms(gc_app),
                ],
                ["floor", fmt_ms(floor.p50), fmt_ms(floor.p95), fmt_ms(floor.max), "1.00x", fmt_ms(gc_floor)],
            ],
        )
        lines.append("")
        lines.append("No target is set on this ratio; it locates the browser numbers below.")
        if r.profile_reruns:
            lines += ["", f"### Where the app's rerun goes (cProfile of {r.profile_reruns} AppTest reruns)", ""]
            lines.append(
                f"Profiled in the script's own thread; with the profiler on, a rerun took "
                f"{r.profile_total_ms:.0f} ms (profiling inflates Python-heavy code, so read shares, not times). "
                "Own time (`tottime`) per rerun, grouped by the package the code lives in:"
            )
            lines.append("")
            total = sum(v for _, v in r.profile_by_package) or 1
            rows = [[k, f"{v:.1f} ms", f"{v / total * 100:.0f} %"] for k, v in r.profile_by_package[:12]]
            lines += _table(["package", "own time per rerun", "share"], rows)
            lines += ["", "<details><summary>Top functions by cumulative time</summary>", "", "```text"]
            lines += [ln.rstrip() for ln in r.profile_top.strip().splitlines()]
            lines += ["```", "", "</details>"]
        self.sections.append("\n".join(lines))
        self.summary.append(
            ["Server rerun (AppTest) p50, ratio to floor (no target)", _x(ratio(app.p50, floor.p50)), "informative"]
        )

    def browser(self, r: Any) -> None:
        app, floor = Stats.of(r.move_ms["app"]), Stats.of(r.move_ms["floor"])
        fin_app, fin_floor = Stats.of(r.finished_ms["app"]), Stats.of(r.finished_ms["floor"])
        cold_app, cold_floor = Stats.of(r.cold_ms["app"]), Stats.of(r.cold_ms["floor"])
        cold_chart = Stats.of(r.cold_ms.get("floor_chart", []))
        lines = ["## 3. Browser: slider key press to settled page, and cold first render", ""]
        lines.append(
            "Both apps are started as `python -m streamlit run <file> --server.headless true` on 127.0.0.1 from the "
            "repository root (so `.streamlit/config.toml` applies to both), and driven by Playwright (async API) "
            "with Debian's Chromium, headless, viewport 1400x900."
        )
        lines += ["", '**How "settled" is measured (identical for both apps).**']
        lines += [
            "- An init script, installed before any of Streamlit's code runs, wraps `window.WebSocket` and reads each "
            "binary message at its top protobuf level: a `ForwardMsg` with field 6 (`script_finished`) is stamped "
            "with `performance.now()`. A `MutationObserver` on the whole document (child lists, attributes, text) "
            "stamps the last DOM change and the first frame rendered after it (a message posted from the next "
            "animation frame's callback, delivered once that frame's style, layout and paint are done); changes "
            "inside Streamlit's status widget (the running man and its fade-out) are ignored.",
            '- A move: focus the slider\'s thumb (the app: the slider labelled "PUE [-]"; the floor: its only '
            "slider), Playwright presses ArrowRight (ArrowLeft on every other move), and a capture-phase `keydown` "
            "listener in the page stamps `t0` (the event's own time stamp).",
            f"- Settled = after `t0` a `script_finished` has arrived, the status widget is gone (or fading out), "
            f"no element is still loading its code (Streamlit's `stSkeleton` placeholder), every Plotly chart "
            f"has its SVG, and no DOM change for {QUIET_MS} ms. "
            f"Latency = `max(script_finished, first frame rendered after the last DOM change) "
            f"- t0`: the {QUIET_MS} ms quiet period is not counted.",
            f"- Moves alternate app/floor (the order flips every pair); {r.warmup_moves} warm-up moves each first.",
            "- Cold first render: a new browser context (empty cache) per visit, `goto`, wait until a number is drawn "
            "(a `stMetricValue`, or a headline card's `.headline-value`) and the page is settled as above; time "
            "from navigation start (`performance.now()`'s origin) "
            f"to the settle stamp. {r.cold_repeats} visits each, alternating; each server's very first visit "
            "(imports, caches) is reported apart and not counted.",
        ]
        lines += ["", "### Slider key press to settled page", ""]
        lines += _table(
            ["page", "moves", "p50", "p95", "max", "p50 to script_finished"],
            [
                ["app.py", str(app.n), fmt_ms(app.p50), fmt_ms(app.p95), fmt_ms(app.max), fmt_ms(fin_app.p50)],
                ["floor", str(floor.n), fmt_ms(floor.p50), fmt_ms(floor.p95), fmt_ms(floor.max), fmt_ms(fin_floor.p50)],
            ],
        )
        p50r, p95r = ratio(app.p50, floor.p50), ratio(app.p95, floor.p95)
        v50, v95 = verdict(p50r, TARGETS["settle_p50"]), verdict(p95r, TARGETS["settle_p95"])
        lines += [""]
        lines += _table(
            ["ratio app / floor", "value", "target", "verdict"],
            [
                ["p50", _x(p50r), "<= 1.5x", v50],
                ["p95", _x(p95r), "<= 2x", v95],
                ["max (no target)", _x(ratio(app.max, floor.max)), "", ""],
            ],
        )
        lines += self._main_thread(r, fin_app.p50 - fin_floor.p50)
        lines += ["", "### Cold time to first full render", ""]
        cold_pages = [
            ("app.py", "app", cold_app),
            ("floor", "floor", cold_floor),
            ("reference: floor + one Plotly bar chart (`floor_chart_app.py`)", "floor_chart", cold_chart),
        ]
        lines += _table(
            ["page", "visits", "median", "min", "max", "first visit of the server (not counted)"],
            [
                [
                    label,
                    str(stats.n),
                    fmt_ms(stats.p50),
                    fmt_ms(stats.min),
                    fmt_ms(stats.max),
                    fmt_ms(r.first_visit_ms.get(name, float("nan"))),
                ]
                for label, name, stats in cold_pages
                if stats.n or name != "floor_chart"  # the reference exists only in runs since it was added
            ],
        )
        cr = ratio(cold_app.p50, cold_floor.p50)
        vc = verdict(cr, TARGETS["cold"])
        lines += ["", f"Ratio of medians app / floor: **{_x(cr)}** (target <= 2x): **{vc}**."]
        if cold_chart.n:
            lines += [
                "",
                f"The reference page is the floor plus one 4-bar Plotly chart: its cold render is "
                f"**{_x(ratio(cold_chart.p50, cold_floor.p50))}** the floor's, and the dashboard's is "
                f"**{_x(ratio(cold_app.p50, cold_chart.p50))}** the reference's. Any page that draws a Plotly "
                "figure loads Streamlit's Plotly bundle (`PlotlyChart.*.js`, 4.6 MiB of JavaScript that the floor "
                "never loads), and the browser fetches it only once the chart's element has arrived, after the "
                "first script run; its parsing and the first plot then follow on the page's one main thread. "
                "Whether the dashboard's first view loaded that bundle shows in the table below (its largest "
                "files).",
            ]
        res = getattr(r, "cold_resources", {}) or {}
        if all(res.get(n) for n in ("app", "floor")):
            lines += [
                "",
                "What the first counted cold visit fetched before it settled (`performance` resource entries; "
                "bytes as sent, compressed):",
                "",
            ]
            rows = []
            for n in [n for n in ("app", "floor", "floor_chart") if res.get(n)]:
                d = res[n]
                kinds = ", ".join(
                    f"{k} {v['count']} / {v['bytes'] / 1024:.0f} KiB" for k, v in sorted(d.get("kinds", {}).items())
                )
                top = ", ".join(f"`{t['name'].rsplit('/', 1)[-1]}` {t['bytes'] / 1024:.0f} KiB" for t in d["top"][:4])
                first = d.get("firstFinished")
                rows.append(
                    [
                        {"app": "app.py", "floor": "floor"}.get(n, "reference"),
                        str(d["requests"]),
                        f"{d['bytes'] / 1024 / 1024:.2f} MiB",
                        kinds,
                        fmt_ms(first) if isinstance(first, (int, float)) else "n/a",
                        top,
                    ]
                )
            lines += _table(
                ["page", "requests", "bytes", "by kind", "first script_finished", "largest"],
                rows,
            )
        fails = {k: v for k, v in r.failures.items() if v}
        if fails:
            lines += ["", "Failures: " + "; ".join(f"{k}: {len(v)} ({_one_line(v[0], 160)})" for k, v in fails.items())]
        else:
            lines += ["", "No failed move and no page error on either app."]
        lines += ["", f"Browser phase wall time: {r.seconds:.0f} s."]
        self.sections.append("\n".join(lines))
        self.summary += [
            ["Slider to settled page, p50 <= 1.5x floor", _x(p50r), v50],
            ["Slider to settled page, p95 <= 2x floor", _x(p95r), v95],
            ["Cold first render <= 2x floor", _x(cr), vc],
        ]

    @staticmethod
    def _main_thread(r: Any, server_ms: float) -> list[str]:
        """Where a move's browser time goes, app against floor (a V8 CPU profile of each page's main thread)."""
        profiles = getattr(r, "main_thread_ms", {}) or {}
        app, floor = profiles.get("app"), profiles.get("floor")
        if not app or not floor:
            return []
        busy = {"app": busy_ms(app), "floor": busy_ms(floor)}
        files = sorted((f for f in app if f not in NOT_BUSY), key=lambda f: -app[f])
        shown, rest = files[:TOP_FILES], files[TOP_FILES:]
        rows = [
            [
                f"`{f}`" + (f" ({_what(f)})" if _what(f) else ""),
                f"{app[f]:.1f}",
                f"{floor.get(f, 0.0):.1f}",
                f"{app[f] - floor.get(f, 0.0):+.1f}",
            ]
            for f in shown
        ]
        rest_app = sum(app[f] for f in rest)
        rest_floor = busy["floor"] - sum(floor.get(f, 0.0) for f in shown)
        rows.append(["everything else", f"{rest_app:.1f}", f"{rest_floor:.1f}", f"{rest_app - rest_floor:+.1f}"])
        rows.append(
            [
                "**main thread busy per move**",
                f"**{busy['app']:.1f}**",
                f"**{busy['floor']:.1f}**",
                f"**{busy['app'] - busy['floor']:+.1f}**",
            ]
        )
        gaps = sorted(((app[f] - floor.get(f, 0.0), f) for f in shown), reverse=True)[:3]
        largest = ", ".join(f"`{f}` {gap:+.1f} ms" for gap, f in gaps)
        return [
            "",
            "### Where a move's time goes in the browser",
            "",
            f"A V8 CPU profile of each page's main thread (`benchmarks/client_profile.py`: a page of its own on the "
            f"same servers, {CLIENT_MOVES} moves after {CLIENT_WARMUP} warm-up moves, 200 µs sampling), self time "
            "per move [ms] by script file, over the whole of each move's cycle (the key press, the settle and "
            f"the {QUIET_MS} ms quiet period that ends it, so work done after the page has settled counts too). The "
            f"profiler slows the page (settle p50 under it: app {fmt_ms(app[SETTLE_KEY])}, floor "
            f"{fmt_ms(floor[SETTLE_KEY])}), so read the split, not the totals.",
            "",
            *_table(["where", "app [ms/move]", "floor [ms/move]", "app - floor [ms]"], rows),
            "",
            f"Why the app settles later than the floor: a move keeps its main thread busy "
            f"{busy['app'] - busy['floor']:+.1f} ms more than the floor's under the profiler (part of it after the "
            f"page has settled), mostly in {largest}; "
            f"the server's share (p50 to `script_finished`, app - floor, above) is {server_ms:+.1f} ms. "
            "`(program)` is the renderer's own work outside JavaScript (style, layout, paint of the page's DOM), "
            "which grows with what the page shows: the dashboard draws a sidebar of sliders, a headline, a view "
            "switcher, download buttons and a view where the floor draws one slider and one number.",
        ]

    def concurrency(
        self,
        remote: Any | None,
        remote_floor: Any | None = None,
        local: Any | None = None,
        local_floor: Any | None = None,
    ) -> None:
        """Section 4: the target setup (``remote``: few Chromium pages, the rest protocol sessions standing in
        for browsers on other machines) and, when run, every session a Chromium page on this machine
        (``local``); each with the floor app under the same procedure as a reference."""
        first = remote or local
        if first is None:
            return
        lines = [f"## 4. Concurrency: {first.sessions} sessions on one server (loopback)", ""]
        offered = first.sessions / (sum(first.think_s) / 2)
        floor_local = float("nan")
        if local_floor is not None:
            floor_local = ratio(Stats.of(local_floor.concurrent_ms).p95, Stats.of(local_floor.single_ms).p95)
        lines.append(
            f"Each setup starts a fresh `streamlit run` on 127.0.0.1. Its sessions open in waves of 5, then all at "
            f"once each makes {first.moves_per_session} moves of the PUE slider (the floor: its only slider), with "
            f"a think time drawn uniformly from {first.think_s[0]:g}-{first.think_s[1]:g} s between moves "
            f"(offered load about {offered:.2g} moves/s when nothing queues). The single-session baseline makes "
            f"{first.moves_per_session} moves with the same think times, half before the sessions and half after. "
            f"The moves' phase is bounded to {first.deadline_s:.0f} s (a session makes no new move after it) and "
            f"a move fails after {CONCURRENT_MOVE_TIMEOUT_MS / 1000:.0f} s. Two kinds of session:"
        )
        lines += [
            "",
            "- **Chromium page**: a Playwright page in Debian's Chromium, its moves measured as in section 3 (key "
            "press to settled page, and to `script_finished`).",
            "- **Protocol session** (`benchmarks/wire.py`): the same websocket as a page, sending the very bytes a "
            "Chromium page sent for its first run and for one move up and one back (recorded at the start of each "
            "setup: the same widget states, query string and client context, so the server does a page's work), "
            "and reading every message until `script_finished`; it draws nothing. Its time is from sending the "
            "move to `script_finished`: the server's share of a move.",
            "",
            f"On this machine ({self.machine.get('cpu count', '?')} CPUs), Chromium pages spend several times more "
            "CPU drawing than the server spends answering them, so with every session a page here the latency "
            "measures the load generator as much as the server"
            + (f" (section 4b: the one-slider floor app's p95 ratio there is {_x(floor_local)})" if local_floor else "")
            + ". "
            "In a deployment each user's browser draws on that user's own machine and only the server is shared; "
            "the target is therefore judged in section 4a, where a few Chromium pages measure what a person sees "
            "while protocol sessions make up the rest of the load.",
        ]
        if remote is not None:
            lines += [
                "",
                f"### 4a. {remote.sessions} sessions, browsers elsewhere: {remote.pages} Chromium pages and "
                f"{remote.sessions - remote.pages} protocol sessions (the target)",
                "",
            ]
            p95r, per, vp, vm = self._concurrency_run(remote, lines)
            if remote_floor is not None:
                lines += self._floor_reference(remote_floor, "4a")
            self.summary += [
                [
                    f"{remote.sessions} sessions ({remote.pages} Chromium pages + {remote.sessions - remote.pages} "
                    "protocol sessions): p95 <= 2x a single session",
                    _x(p95r),
                    vp,
                ],
                [f"{remote.sessions} sessions: < 2 MB server RSS per extra session", f"{per:.2f} MB", vm],
            ]
        if local is not None:
            lines += [
                "",
                f"### 4b. {local.sessions} Chromium pages on this machine (no target: the browsers share the "
                "server's CPUs)",
                "",
            ]
            p95r, per, _, vm = self._concurrency_run(local, lines)
            floor_note = ""
            if local_floor is not None:
                lines += self._floor_reference(local_floor, "4b")
                floor_note = f"; the floor app: {_x(floor_local)}"
            self.summary += [
                [
                    f"{local.sessions} Chromium pages on this machine: p95 ratio to a single page (informative"
                    f"{floor_note})",
                    _x(p95r),
                    "informative",
                ],
                [f"{local.sessions} Chromium pages: server RSS per extra session", f"{per:.2f} MB", vm],
            ]
        self.sections.append("\n".join(lines))

    def _concurrency_run(self, r: Any, lines: list[str]) -> tuple[float, float, str, str]:
        """One setup's tables and CPU accounting, appended to ``lines``; returns the p95 ratio of the pages'
        settle times, the server RSS per extra session [MB], and both verdicts."""
        single, conc = Stats.of(r.single_ms), Stats.of(r.concurrent_ms)
        sfin, cfin = Stats.of(r.single_finished_ms), Stats.of(r.concurrent_finished_ms)
        swire, cwire = Stats.of(r.single_wire_ms), Stats.of(r.concurrent_wire_ms)
        pages_open = min(r.pages, r.opened)
        rows = [["single Chromium page", *_cells(single), fmt_ms(sfin.p50), fmt_ms(sfin.p95)]]
        if swire.n:
            rows.append(["single protocol session", str(swire.n), "", "", "", fmt_ms(swire.p50), fmt_ms(swire.p95)])
        rows.append(
            [
                f"{pages_open} Chromium pages among {r.opened} sessions",
                *_cells(conc),
                fmt_ms(cfin.p50),
                fmt_ms(cfin.p95),
            ]
        )
        if cwire.n:
            rows.append(
                [
                    f"{r.opened - pages_open} protocol sessions among {r.opened}",
                    str(cwire.n),
                    "",
                    "",
                    "",
                    fmt_ms(cwire.p50),
                    fmt_ms(cwire.p95),
                ]
            )
        lines += _table(["", "moves", "p50", "p95", "max", "p50 to script_finished", "p95 to script_finished"], rows)
        p50r, p95r = ratio(conc.p50, single.p50), ratio(conc.p95, single.p95)
        vp = verdict(p95r, TARGETS["conc_p95"])
        before = r.rss_kb.get("before", 0)
        per_open = (r.rss_kb.get("all open", 0) - before) / max(r.opened, 1) / 1024
        per_moves = (r.rss_kb.get("all open, after the moves", 0) - before) / max(r.opened, 1) / 1024
        per = max(per_open, per_moves)
        vm = _below(per, TARGETS["mem_mb"], "MB")
        measures = [
            ["p50 ratio, Chromium pages under load / single page", _x(p50r), "", ""],
            ["p95 ratio, Chromium pages under load / single page", _x(p95r), "<= 2x", vp],
            ["p95 ratio to script_finished, pages", _x(ratio(cfin.p95, sfin.p95)), "", "informative"],
        ]
        if cwire.n:
            measures.append(
                ["p95 ratio, protocol sessions under load / single", _x(ratio(cwire.p95, swire.p95)), "", "informative"]
            )
        measures += [
            [
                "server RSS per extra session",
                f"{per:.2f} MB (open: {per_open:.2f} MB; after the moves: {per_moves:.2f} MB)",
                "< 2 MB",
                vm,
            ],
            [
                "errors",
                f"{r.failed_moves} failed moves, {r.page_errors} page or session errors, {r.open_failures} sessions "
                f"that did not open ({r.moves_not_made} moves not made before the deadline, not counted)",
                "0",
                "met" if not (r.failed_moves or r.page_errors or r.open_failures) else "NOT met",
            ],
        ]
        lines += [""]
        lines += _table(["measure", "value", "target", "verdict"], measures)
        lines += ["", "Server resident memory (`VmRSS` of the streamlit process, MiB):", ""]
        lines += _table(["when", "RSS"], [[k, f"{v / 1024:.1f}"] for k, v in r.rss_kb.items()])
        moves_done = (conc.n + cwire.n) or 1
        ncpu = os.cpu_count() or 1
        phase = max(r.phase_s, 1e-9)
        other = max(r.machine_busy_fraction * ncpu - (r.server_cpu_s + r.client_cpu_s + r.generator_cpu_s) / phase, 0)
        lines += [
            "",
            f"Load while the {r.opened} sessions moved: {r.phase_s:.0f} s wall time, {moves_done} moves. The server "
            f"process used {r.server_cpu_s:.1f} CPU-s ({r.server_cpu_s / phase:.2f} cores, "
            f"{r.server_cpu_s / moves_done * 1000:.0f} ms of server CPU per move, against "
            f"{r.single_server_cpu_s / max(r.single_moves, 1) * 1000:.0f} ms per move for the single session, "
            "whose window also holds the idle server's own background work); Playwright's driver and Chromium "
            f"used {r.client_cpu_s:.1f} CPU-s ({r.client_cpu_s / phase:.2f} cores, "
            f"{r.client_cpu_s / max(conc.n, 1) * 1000:.0f} ms per page move); the benchmark's own Python process "
            f"(Playwright's client and the protocol sessions) {r.generator_cpu_s:.1f} CPU-s; the whole machine was "
            f"{r.machine_busy_fraction * 100:.0f} % busy over its {ncpu} CPUs, so other processes on this shared "
            f"machine used about {other:.2f} cores. Opening the sessions took {r.open_s:.0f} s.",
            "",
            f"One server process runs scripts under one interpreter lock, so at "
            f"{r.server_cpu_s / moves_done * 1000:.0f} ms of server CPU per move it can serve at most about "
            f"{moves_done / max(r.server_cpu_s, 1e-9):.1f} moves per second in total, whatever the number of cores.",
        ]
        if cwire.n:
            lo, hi = r.wire_messages_per_move
            page_a, page_b = r.page_messages_per_move
            lines += [
                "",
                f"Replay check: the recorded Chromium page received {page_a} and {page_b} messages for its two "
                f"moves; each protocol session's move received {lo if lo == hi else f'{lo} to {hi}'} (from the "
                "move to `script_finished`).",
            ]
        if r.error_samples:
            lines += ["", "First errors:", ""] + [f"- {_one_line(e)}" for e in r.error_samples]
        return p95r, per, vp, vm

    def _floor_reference(self, f: Any, section: str) -> list[str]:
        single, conc = Stats.of(f.single_ms), Stats.of(f.concurrent_ms)
        swire, cwire = Stats.of(f.single_wire_ms), Stats.of(f.concurrent_wire_ms)
        before = f.rss_kb.get("before", 0)
        after = max(f.rss_kb.get("all open", 0), f.rss_kb.get("all open, after the moves", 0))
        per = (after - before) / max(f.opened, 1) / 1024
        lines = ["", f"#### Reference: the floor app in the same setup as {section} (no target)", ""]
        lines.append(
            "The same procedure, sessions, think times and number of moves on the floor app (its own fresh server, "
            "after the app's run), to show what Streamlit itself costs here."
        )
        lines.append("")
        header = ["", "moves", "p50", "p95", "max", "p95 ratio to single", "server RSS per extra session", "errors"]
        errors = str(f.failed_moves + f.page_errors + f.open_failures) + (
            f" ({f.moves_not_made} moves not made)" if f.moves_not_made else ""
        )
        pages_open = min(f.pages, f.opened)
        rows = [
            ["single Chromium page", *_cells(single), "", "", ""],
            [
                f"{pages_open} Chromium pages among {f.opened} sessions",
                *_cells(conc),
                *[_x(ratio(conc.p95, single.p95)), f"{per:.2f} MB", errors],
            ],
        ]
        if cwire.n:
            rows += [
                ["single protocol session (to script_finished)", *_cells(swire), "", "", ""],
                [
                    f"{f.opened - pages_open} protocol sessions (to script_finished)",
                    *_cells(cwire),
                    *[_x(ratio(cwire.p95, swire.p95)), "", ""],
                ],
            ]
        lines += _table(header, rows)
        moves_done = (conc.n + cwire.n) or 1
        lines += [
            "",
            f"Server CPU {f.server_cpu_s:.1f} CPU-s over {f.phase_s:.0f} s "
            f"({f.server_cpu_s / moves_done * 1000:.0f} ms per move); Playwright's driver and Chromium "
            f"{f.client_cpu_s:.1f} CPU-s; machine {f.machine_busy_fraction * 100:.0f} % busy.",
        ]
        return lines

    def failed(self, name: str, error: str) -> None:
        self.sections.append(f"## {name}\n\n**This part failed and measured nothing:** {_one_line(error, 500)}")
        self.summary.append([f"{name} (all its targets)", "n/a", "not measured: the part failed"])

    def skipped(self, name: str, why: str) -> None:
        self.sections.append(f"## {name}\n\nNot run in this invocation ({why}).")

    # ------------------------------------------------------------------------------------------- output
    def render(self, seconds: float, interrupted_before: list[str] | None = None) -> str:
        head = ["# Benchmark results", ""]
        if interrupted_before:
            head += [
                f"**Partial report: written while the run was still going; not yet run: "
                f"{', '.join(interrupted_before)}. If this file is still here, the run was interrupted.**",
                "",
            ]
        if self.quick:
            head += ["**Smoke run (`--quick`): too few samples to quote. Run `python -m benchmarks` for numbers.**", ""]
        head += [
            f"Written by `{self.command}` (see `benchmarks/README.md`) in {seconds / 60:.1f} min. Code measured: "
            f"{self.revision}. The machine is shared and noisy: compare only the ratios, which are taken between "
            "measurements interleaved in this one run.",
            "",
            "## Machine and versions",
            "",
        ]
        head += _table(["", ""], [[k, v] for k, v in self.machine.items()])
        head += ["", "## Targets", ""]
        head += _table(["target", "measured", "verdict"], self.summary)
        return "\n".join([*head, "", *("\n\n".join(self.sections).splitlines()), ""])
