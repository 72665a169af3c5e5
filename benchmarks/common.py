"""Shared helpers: statistics, the machine's description, a Streamlit server to measure (started and stopped by
:mod:`harness.server`), CPU time and RSS."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import subprocess
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

from harness.chromium import CHROMIUM
from harness.server import free_port, start_streamlit, stop_process

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
APP = ROOT / "app.py"
FLOOR_APP = BENCH_DIR / "floor_app.py"
FLOOR_CHART_APP = BENCH_DIR / "floor_chart_app.py"  # reference for the cold render only


# --------------------------------------------------------------------------------------------- statistics
@dataclass
class Stats:
    """Order statistics of a sample of durations [ms]."""

    n: int
    p50: float
    p95: float
    max: float
    min: float
    mean: float

    @classmethod
    def of(cls, values_ms: list[float]) -> Stats:
        if not values_ms:
            nan = float("nan")
            return cls(0, nan, nan, nan, nan, nan)
        a = np.asarray(values_ms, dtype=float)
        return cls(
            n=len(a),
            p50=float(np.percentile(a, 50)),
            p95=float(np.percentile(a, 95)),
            max=float(a.max()),
            min=float(a.min()),
            mean=float(a.mean()),
        )


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def verdict(value: float, limit: float, unit: str = "") -> str:
    """ "met" or "NOT met (x.xx > limit)", stated plainly."""
    if value != value:  # NaN
        return "not measured"
    # The page's clock counts in 0.1 ms steps stored as binary floats (201.6000000005588 ms): a ratio that is
    # exactly the limit at that resolution (201.6 / 134.4 = 1.5) must not fail on the float's last digits.
    if round(value, 9) <= limit:
        return "met"
    return f"NOT met ({value:.3f}{unit} > {limit:g}{unit})"


def fmt_ms(value: float) -> str:
    if value != value:
        return "n/a"
    if value < 1:
        return f"{value * 1000:.1f} µs"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


# ----------------------------------------------------------------------------------------------- machine
def _meminfo_kb(key: str) -> int | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def chromium_version() -> str:
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    return out.stdout.strip() or out.stderr.strip() or "unknown"


def machine_info() -> dict[str, str]:
    mem = _meminfo_kb("MemTotal")
    avail = _meminfo_kb("MemAvailable")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpu count": f"{os.cpu_count()} logical (usable by this process: {len(os.sched_getaffinity(0))})",
        "memory": (
            f"{mem / 1024 / 1024:.1f} GiB total, {avail / 1024 / 1024:.1f} GiB available at start"
            if mem and avail
            else "unknown"
        ),
        "load average at start (1, 5, 15 min)": load,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "streamlit": _version("streamlit"),
        "plotly": _version("plotly"),
        "pandas": _version("pandas"),
        "numpy": _version("numpy"),
        "pydantic": _version("pydantic"),
        "orjson": _version("orjson"),
        "playwright (python)": _version("playwright"),
        "chromium": chromium_version(),
    }


def git_revision() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return f"{rev}{' + uncommitted changes' if dirty else ''}" if rev else "unknown"


# --------------------------------------------------------------------------------------------- processes
def rss_kb(pid: int) -> int:
    """Resident set size of ``pid`` [KiB] (``VmRSS`` of /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by ``pid`` [s] (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def _ppid_map() -> dict[int, int]:
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                out[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    return out


def descendants(root: int, exclude: set[int] | frozenset[int] = frozenset()) -> list[int]:
    """Every living descendant of ``root`` (children, grandchildren, ...), skipping the subtrees of ``exclude``."""
    children: dict[int, list[int]] = {}
    for pid, ppid in _ppid_map().items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [c for c in children.get(root, []) if c not in exclude]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(c for c in children.get(pid, []) if c not in exclude)
    return out


def tree_cpu_seconds(pids: list[int]) -> float:
    """Summed user + system CPU time of ``pids`` that are still alive [s]."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += cpu_seconds(pid)
    return total


@dataclass
class StreamlitServer:
    """``python -m streamlit run <script>`` on 127.0.0.1, started from the repository root.

    Run from the root so ``.streamlit/config.toml`` applies to both the app and the floor app.
    """

    script: Path
    name: str
    port: int = 0
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    extra_args: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, log_dir: Path, timeout_s: float = 60.0) -> StreamlitServer:
        self.port = self.port or free_port()
        self.log_path = log_dir / f"server-{self.name}-{self.port}.log"
        try:
            self.proc, _ = start_streamlit(
                self.log_path,
                *self.extra_args,
                script=str(self.script.relative_to(ROOT)),
                port=self.port,
                new_session=True,
                timeout_s=timeout_s,
            )
        except RuntimeError as exc:
            raise RuntimeError(f"{self.name} server: {exc}") from None
        return self

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc, timeout_s=15)

    def __enter__(self) -> StreamlitServer:
        """``with StreamlitServer(...).start(log_dir) as server:`` stops the server however the block ends."""
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
