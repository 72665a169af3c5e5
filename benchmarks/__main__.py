"""``python -m benchmarks [--quick] [--only core,server,browser,concurrency,audience,controls]``: the suite.

Run from the repository root with the project's virtual environment (``make bench`` does both).

A full run takes about 45 minutes (35 without part 6, ``controls``), and the code may change under it (other
people commit while it runs), so by default the suite first copies the working tree to a temporary folder and
measures that copy: every part then measures the same code. ``--snapshot head`` measures the last commit
instead (plus this ``benchmarks/`` folder), ``--snapshot none`` the live tree.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("core", "server", "browser", "concurrency", "audience", "controls")
ENV_SNAPSHOT = "BENCHMARKS_SNAPSHOT_OF"
ENV_REVISION = "BENCHMARKS_REVISION"
ENV_LOG_DIR = "BENCHMARKS_LOG_DIR"
ENV_COMMAND = "BENCHMARKS_COMMAND"
SNAPSHOT_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "node_modules",
    "test-artifacts",
    "build",
    "*.egg-info",
    ".logs",
)


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="smoke run: few samples, 5 sessions (writes RESULTS-quick.md)")
    p.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts to run, from {', '.join(PARTS)}")
    p.add_argument("--output", type=Path, help="where to write the report (default: benchmarks/RESULTS.md)")
    p.add_argument("--moves", type=int, help="measured slider moves per app in the browser part (default 40)")
    p.add_argument("--sessions", type=int, help="concurrent sessions (default 50)")
    p.add_argument(
        "--pages",
        type=int,
        help="Chromium pages among the sessions of the target concurrency setup (default 10; the rest are "
        "protocol sessions)",
    )
    p.add_argument(
        "--no-floor-concurrency", action="store_true", help="skip the floor app's reference runs under concurrency"
    )
    p.add_argument(
        "--no-local-concurrency",
        action="store_true",
        help="skip the setup where every session is a Chromium page on this machine (section 4b)",
    )
    p.add_argument("--think", default="5,15", help="think time between a session's moves, MIN,MAX seconds")
    p.add_argument(
        "--deadline", type=float, default=480, help="bound on the concurrent moves' phase, seconds (default 480)"
    )
    p.add_argument(
        "--snapshot",
        choices=("worktree", "head", "none"),
        default="worktree",
        help="measure a copy of the working tree (default), of the last commit, or the live tree",
    )
    args = p.parse_args(argv)
    args.parts = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        p.error(f"unknown part(s) {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    lo, hi = (float(x) for x in args.think.split(","))
    args.think_s = (lo, hi)
    return args


def _git(*args: str) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.rstrip()


def _describe_tree(mode: str) -> str:
    rev = _git("rev-parse", "--short", "HEAD").strip() or "unknown revision"
    if mode == "head":
        return f"commit {rev} (a copy of the last commit, plus this benchmarks/ folder)"
    status = _git("status", "--porcelain", "--untracked-files=no").splitlines()
    # The reports themselves are rewritten by every run: not a change of the measured code.
    changed = [line[3:] for line in status if line[3:] and not line[3:].startswith("benchmarks/RESULTS")]
    where = "a copy of the working tree" if mode == "worktree" else "the live working tree"
    extra = f", with uncommitted changes to {', '.join(changed)}" if changed else ""
    return f"{where} at commit {rev}{extra}"


def _snapshot(mode: str) -> Path:
    dest = Path(tempfile.mkdtemp(prefix="benchmarks-snapshot-"))
    tree = dest / "tree"
    if mode == "head":
        tree.mkdir()
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        shutil.rmtree(tree / "benchmarks", ignore_errors=True)
        shutil.copytree(ROOT / "benchmarks", tree / "benchmarks", ignore=SNAPSHOT_IGNORE)
    else:
        shutil.copytree(ROOT, tree, ignore=SNAPSHOT_IGNORE, symlinks=True)
    return tree


def _run_in_snapshot(args: argparse.Namespace, argv: list[str]) -> int:
    """Copy the code, then run this same command inside the copy, writing the report here."""
    output = (args.output or ROOT / "benchmarks" / ("RESULTS-quick.md" if args.quick else "RESULTS.md")).resolve()
    described = _describe_tree(args.snapshot)
    tree = _snapshot(args.snapshot)
    env = dict(os.environ)
    env[ENV_SNAPSHOT] = str(ROOT)
    env[ENV_REVISION] = described
    env[ENV_LOG_DIR] = str(ROOT / "benchmarks" / ".logs")
    env[ENV_COMMAND] = "python -m benchmarks" + (" " + " ".join(argv)).rstrip()
    print(f"benchmarks: measuring {described}, copied to {tree}", flush=True)
    cmd = [sys.executable, "-m", "benchmarks", *argv, "--snapshot", "none", "--output", str(output)]
    child = subprocess.Popen(cmd, cwd=tree, env=env)
    try:
        return child.wait()
    finally:
        if child.poll() is None:  # we were interrupted: let the child stop its servers and browser first
            child.terminate()
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
        shutil.rmtree(tree.parent, ignore_errors=True)


def _exit_on_sigterm() -> None:
    """SIGTERM raises SystemExit, so ``finally`` blocks stop the servers and remove the snapshot."""

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def _log(msg: str) -> None:
    print(msg, flush=True)


@dataclasses.dataclass
class _Suite:
    """One run of the suite in this process: its options, where servers log, and what is measured so far."""

    args: argparse.Namespace
    log_dir: Path
    report: Any  # benchmarks.report.Report (imported once ROOT is on sys.path)
    raw: dict[str, object]

    @property
    def quick(self) -> bool:
        return bool(self.args.quick)


def _run_part(suite: _Suite, name: str, title: str, fn: Callable[[_Suite], None]) -> None:
    """Run one part; a crash is written into the report instead of losing the other parts."""
    if name not in suite.args.parts:
        suite.report.skipped(title, "not selected with --only")
        return
    _log(f"[{name}]")
    try:
        fn(suite)
    except Exception as exc:
        _log(traceback.format_exc())
        suite.report.failed(title, f"{type(exc).__name__}: {exc}")
        suite.raw[name] = {"error": traceback.format_exc()}


def _core(suite: _Suite) -> None:
    from benchmarks.core import run_core

    r = run_core(quick=suite.quick, log=_log)
    suite.report.core(r)
    suite.raw["core"] = dataclasses.asdict(r)


def _server(suite: _Suite) -> None:
    from benchmarks.server import run_server

    quick = suite.quick
    r = run_server(moves=6 if quick else 40, warmup=2 if quick else 5, profile_reruns=3 if quick else 20, log=_log)
    suite.report.server(r)
    suite.raw["server"] = dataclasses.asdict(r)


def _browser(suite: _Suite) -> None:
    """The app against the floor in Chromium (and the floor with one chart, cold render only), each its own server."""
    from benchmarks.browser import APP_SLIDER_LABEL, run_browser
    from benchmarks.common import APP, FLOOR_APP, FLOOR_CHART_APP, StreamlitServer

    quick = suite.quick
    with (
        StreamlitServer(APP, "app").start(suite.log_dir) as app,
        StreamlitServer(FLOOR_APP, "floor").start(suite.log_dir) as floor,
    ):
        with StreamlitServer(FLOOR_CHART_APP, "floor_chart").start(suite.log_dir) as chart:
            r = asyncio.run(
                run_browser(
                    {"app": (app.url, APP_SLIDER_LABEL), "floor": (floor.url, None)},
                    moves=suite.args.moves or (5 if quick else 40),
                    warmup=2 if quick else 5,
                    cold_repeats=2 if quick else 7,
                    log=_log,
                    cold_only={"floor_chart": (chart.url, None)},
                )
            )
        if not quick:  # where a move's browser time goes: the "why" behind the settle ratio
            r.main_thread_ms = _main_thread_ms(app.url, floor.url)
    suite.report.browser(r)
    suite.raw["browser"] = dataclasses.asdict(r)


def _main_thread_ms(app_url: str, floor_url: str) -> dict[str, Any]:
    """The app's and the floor's main-thread time per slider move, by kind (benchmarks.client_profile)."""
    from benchmarks.browser import APP_SLIDER_LABEL
    from benchmarks.client_profile import main_thread_ms_per_move

    _log("  profiling the main thread over moves (app, then floor)")
    return {
        "app": main_thread_ms_per_move(app_url, APP_SLIDER_LABEL),
        "floor": main_thread_ms_per_move(floor_url, None),
    }


def _concurrency_setups(args: argparse.Namespace, sessions: int, pages: int) -> list[tuple[str, int, str]]:
    """The concurrency setups to run: (key, Chromium pages, app or floor), the target's own ("remote") first."""
    setups = [("remote", pages, "app")]
    if not args.no_floor_concurrency:
        setups.append(("remote_floor", pages, "floor"))
    if not args.no_local_concurrency:
        setups.append(("local", sessions, "app"))
        if not args.no_floor_concurrency:
            setups.append(("local_floor", sessions, "floor"))
    return setups


def _concurrency(suite: _Suite) -> None:
    from benchmarks.common import FLOOR_APP
    from benchmarks.concurrency import run_concurrency

    args, quick = suite.args, suite.quick
    sessions = args.sessions or (5 if quick else 50)
    pages = min(args.pages or (2 if quick else 10), sessions)
    moves = 4 if quick else 20
    _log(f"  {sessions} sessions x {moves} moves, think time {args.think_s[0]:g}-{args.think_s[1]:g} s")
    results: dict[str, Any] = {}
    for key, n_pages, app in _concurrency_setups(args, sessions, pages):
        _log(f"[concurrency {key}: {app}, {n_pages} Chromium pages of {sessions} sessions]")
        floor = app == "floor"
        try:
            results[key] = run_concurrency(
                sessions,
                moves,
                args.think_s,
                suite.log_dir,
                log=_log,
                timeout_s=args.deadline,
                pages=n_pages,
                **({"script": FLOOR_APP, "slider_label": None, "name": "floor"} if floor else {}),
            )
            suite.raw[f"concurrency_{key}"] = dataclasses.asdict(results[key])
        except Exception:
            if key == "remote":  # the target's own setup: the whole part failed
                raise
            _log(traceback.format_exc())
            suite.raw[f"concurrency_{key}"] = {"error": traceback.format_exc()}
    suite.report.concurrency(**results)


def _audience(suite: _Suite) -> None:
    """A talk's audience: 200 visitors on one link within 10 s; the app with and without its cache, the floor."""
    from benchmarks.audience import TARGET_RATIO, markdown, run_audience, summary

    quick = suite.quick
    r = run_audience(20 if quick else 200, 3.0 if quick else 10.0, 2 if quick else 10, "both", log=_log)
    s = summary(r)
    suite.report.sections.append("## 5. Audience: many visitors open one link at once\n\n" + markdown(r))
    suite.report.summary.append(
        [
            f"Audience: {r.visitors} visitors within {r.within_s:g} s, 0 errors, p95 <= {TARGET_RATIO:g}x the floor's",
            f"{s['errors']} errors, {s['p95_ratio_to_floor']}x",
            "met" if s["target_met"] else "NOT met",
        ]
    )
    suite.raw["audience"] = dataclasses.asdict(r)


def _controls(suite: _Suite) -> None:
    """Every slider and select box of the sidebar, the view switch and presentation mode, against the floor."""
    from benchmarks.common import APP, FLOOR_APP, StreamlitServer
    from benchmarks.controls import markdown, run_controls, summary_rows

    quick = suite.quick
    with (
        StreamlitServer(APP, "controls-app").start(suite.log_dir) as app,
        StreamlitServer(FLOOR_APP, "controls-floor").start(suite.log_dir) as floor,
    ):
        r = asyncio.run(
            run_controls(
                app.url,
                floor.url,
                moves=2 if quick else 8,
                first=1 if quick else 2,
                cold=1 if quick else 3,
                log=_log,
            )
        )
    suite.report.sections.append(markdown(r))
    suite.report.summary += summary_rows(r)
    suite.raw["controls"] = dataclasses.asdict(r)


#: The parts, in the order they run: name (for --only), report section title, what runs it.
STEPS: list[tuple[str, str, Callable[[_Suite], None]]] = [
    ("core", "1. Core", _core),
    ("server", "2. Server side", _server),
    ("browser", "3. Browser", _browser),
    ("concurrency", "4. Concurrency", _concurrency),
    ("audience", "5. Audience", _audience),
    ("controls", "6. Every control", _controls),
]


def _write_report(suite: _Suite, output: Path, seconds: float, **render: Any) -> None:
    """The report so far as Markdown at ``output`` and the raw numbers beside it (same name, ``.json``)."""
    output.write_text(suite.report.render(seconds, **render), encoding="utf-8")
    output.with_suffix(".json").write_text(json.dumps(suite.raw, indent=1, default=str), encoding="utf-8")


def _run_steps(suite: _Suite, output: Path, started: float) -> None:
    """Every selected part in turn. After each, what is measured so far goes to <output>.partial.md/.json, so
    an interrupted run leaves its numbers behind without replacing the last complete report."""
    partial = output.with_name(output.stem + ".partial.md")
    for i, (name, title, fn) in enumerate(STEPS):
        _run_part(suite, name, title, fn)
        pending = [t for n, t, _ in STEPS[i + 1 :] if n in suite.args.parts]
        if pending:
            _write_report(suite, partial, time.perf_counter() - started, interrupted_before=pending)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _args(argv)
    _exit_on_sigterm()
    if args.snapshot != "none" and ENV_SNAPSHOT not in os.environ:
        return _run_in_snapshot(args, argv)

    os.chdir(ROOT)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    from benchmarks.common import BENCH_DIR, machine_info
    from benchmarks.report import Report

    output = args.output or BENCH_DIR / ("RESULTS-quick.md" if args.quick else "RESULTS.md")
    command = os.environ.get(ENV_COMMAND) or "python -m benchmarks" + (" " + " ".join(argv)).rstrip()
    revision = os.environ.get(ENV_REVISION) or _describe_tree("none")

    started = time.perf_counter()
    machine = machine_info()
    suite = _Suite(
        args,
        log_dir=Path(os.environ.get(ENV_LOG_DIR, BENCH_DIR / ".logs")),
        report=Report(command, machine, revision, args.quick),
        raw={"machine": machine, "command": command, "code": revision},
    )
    _log(f"benchmarks: {', '.join(args.parts)}{' (quick)' if args.quick else ''} -> {output}")
    _run_steps(suite, output, started)

    seconds = time.perf_counter() - started
    _write_report(suite, output, seconds)
    partial = output.with_name(output.stem + ".partial.md")  # a complete run removes the partial report
    partial.unlink(missing_ok=True)
    partial.with_suffix(".json").unlink(missing_ok=True)
    _log(f"wrote {output} (and {output.with_suffix('.json').name}) in {seconds / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
