"""Server side: the script rerun time of app.py against the floor app when a slider changes (Streamlit AppTest).

AppTest runs the script in this process, without the websocket and without the full ``gc.collect()`` a real
server makes after every run (``runner.postScriptGC``), so it understates what a browser sees; the collection
is timed separately here, after each rerun, to show its size.
"""

from __future__ import annotations

import cProfile
import gc
import io
import logging
import pstats
import statistics
import sysconfig
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import APP, FLOOR_APP, ROOT

TIMEOUT_S = 60


@dataclass
class ServerResult:
    rerun_ms: dict[str, list[float]]
    gc_ms: dict[str, list[float]]
    warmup: int
    profile_reruns: int = 0
    profile_top: str = ""
    profile_by_package: list[tuple[str, float]] = field(default_factory=list)
    profile_total_ms: float = 0.0


class _Target:
    """One AppTest and how to move its slider one step (right, then left, so the value stays in range)."""

    def __init__(self, script: Path, slider: Callable, step: float) -> None:
        from streamlit.testing.v1 import AppTest

        self.at = AppTest.from_file(str(script), default_timeout=TIMEOUT_S)
        self.slider = slider
        self.step = step
        self.moves = 0

    def first_run(self) -> None:
        self.at.run()
        self._check()
        self.base = self.slider(self.at).value

    def move(self) -> float:
        value = self.base + (self.step if self.moves % 2 == 0 else 0)
        self.moves += 1
        widget = self.slider(self.at).set_value(round(value, 6))
        t = time.perf_counter()
        widget.run()
        elapsed = (time.perf_counter() - t) * 1000
        self._check()
        return elapsed

    def _check(self) -> None:
        if self.at.exception:
            raise RuntimeError(f"{self.at} raised: {self.at.exception[0].message}")


def _package(filename: str) -> str:
    """A coarse owner for a profiled function's file: the top-level package, or the app's own file."""
    if filename == "~":
        return "built-in functions (C: orjson, numpy, re, ...)"
    if filename.startswith("<frozen"):
        return "python stdlib and builtins"
    path = Path(filename)
    parts = path.parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    try:
        rel = path.resolve().relative_to(ROOT)
    except (ValueError, OSError):
        return "python stdlib and builtins"
    return rel.parts[0] if len(rel.parts) > 1 else rel.name


def _profile(target: _Target, reruns: int) -> tuple[str, list[tuple[str, float]], float]:
    """cProfile of ``reruns`` reruns, taken in the script's own thread (AppTest runs the script in a thread)."""
    from streamlit.testing.v1 import local_script_runner

    runner_cls = local_script_runner.LocalScriptRunner
    original = runner_cls._run_script_thread
    prof = cProfile.Profile()

    def profiled(self: object) -> None:
        prof.enable()
        try:
            original(self)
        finally:
            prof.disable()

    runner_cls._run_script_thread = profiled  # type: ignore[method-assign]
    try:
        t = time.perf_counter()
        for _ in range(reruns):
            target.move()
        total = (time.perf_counter() - t) * 1000 / reruns
    finally:
        runner_cls._run_script_thread = original  # type: ignore[method-assign]
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(40)
    text = out.getvalue()
    text = text[text.find("   ncalls") :] if "   ncalls" in text else text
    paths = sysconfig.get_paths()
    for prefix in (paths["purelib"], paths["platlib"], str(ROOT), paths["stdlib"]):
        text = text.replace(prefix + "/", "")
    by_pkg: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_pkg[_package(filename)] += tottime
    share = sorted(((k, v * 1000 / reruns) for k, v in by_pkg.items()), key=lambda kv: -kv[1])
    return text, share, total


def run_server(moves: int, warmup: int, profile_reruns: int, log: Callable[[str], None] = print) -> ServerResult:
    from streamlit.runtime.scriptrunner_utils import script_run_context

    # AppTest's first run logs a harmless "missing ScriptRunContext" warning; keep the benchmark's log readable.
    logging.getLogger(script_run_context.__name__).setLevel(logging.ERROR)
    targets = {
        "app": _Target(APP, lambda at: at.sidebar.slider(key="pue"), 0.01),
        "floor": _Target(FLOOR_APP, lambda at: at.slider(key="value"), 1),
    }
    for t in targets.values():
        t.first_run()
    for _ in range(warmup):
        for t in targets.values():
            t.move()
    rerun: dict[str, list[float]] = {n: [] for n in targets}
    gc_ms: dict[str, list[float]] = {n: [] for n in targets}
    names = list(targets)
    for i in range(moves):
        for n in names if i % 2 == 0 else names[::-1]:
            rerun[n].append(targets[n].move())
            t = time.perf_counter()
            gc.collect()
            gc_ms[n].append((time.perf_counter() - t) * 1000)
        if (i + 1) % 10 == 0:
            log(f"  {i + 1}/{moves} reruns each")
    for n in names:
        med, med_gc = statistics.median(rerun[n]), statistics.median(gc_ms[n])
        log(f"  {n}: median rerun {med:.1f} ms, gc.collect() {med_gc:.1f} ms")
    result = ServerResult(rerun, gc_ms, warmup)
    if profile_reruns:
        text, by_pkg, total = _profile(targets["app"], profile_reruns)
        result.profile_reruns = profile_reruns
        result.profile_top = text
        result.profile_by_package = by_pkg
        result.profile_total_ms = total
    return result
