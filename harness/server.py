"""``streamlit run`` on a free loopback port: started from the repository root (so ``.streamlit/config.toml``
applies), waited for until ``/_stcore/health`` answers ``ok``, and stopped.

Used by the browser tests (the app, the soak's observed server), the benchmarks (the app and the floor apps)
and :mod:`harness.screenshot`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT_S = 60.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_get(url: str, timeout_s: float = 2.0) -> str | None:
    """The body of ``url`` as text, or None when it does not answer (a server's /_stcore/health, /metrics)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return response.read().decode("utf-8", "replace").strip()
    except (urllib.error.URLError, OSError):
        return None


def log_tail(path: Path, limit: int = 8_000) -> str:
    """The last ``limit`` characters of the log at ``path``."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no server log)"
    return text[-limit:]


def start_streamlit(
    log_path: Path,
    *options: str,
    script: str = "app.py",
    port: int = 0,
    launcher: Sequence[str] = ("-m", "streamlit"),
    env: Mapping[str, str] | None = None,
    new_session: bool = False,
    timeout_s: float = SERVER_START_TIMEOUT_S,
) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run <script>`` (a path from the repository root) on ``port`` of 127.0.0.1 (0: a free one),
    plus ``options``, its output in ``log_path``.

    ``launcher``: what follows the Python interpreter on the command line (a script that ends in Streamlit's
    own command line, for instance); ``env``: variables added to the server's environment (the app reads
    its bundled data: ``CARBON_CORE_DATA_DIR`` is removed); ``new_session``: the server in a session of its
    own, so a signal to this process group does not reach it.
    Returns the process and the base URL (no trailing slash) once /_stcore/health answers 'ok'; raises
    RuntimeError, with the log's tail, when the server exits or does not answer within ``timeout_s``.
    """
    port = port or free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    server_env = {**os.environ, **(env or {})}
    server_env.pop("CARBON_CORE_DATA_DIR", None)
    command = [
        sys.executable, *launcher, "run", script,
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        *options,
    ]  # fmt: skip
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=new_session
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while http_get(f"{base}/_stcore/health") != "ok":
        exited = process.poll() is not None
        if exited or time.monotonic() > deadline:
            stop_process(process)
            why = f"exited with status {process.returncode}" if exited else f"timed out after {timeout_s:.0f} s"
            raise RuntimeError(
                f"streamlit server ({script}) {why} before /_stcore/health answered 'ok'. Log:\n{log_tail(log_path)}"
            )
        time.sleep(0.25)
    return process, base


def stop_process(process: subprocess.Popen[bytes], timeout_s: float = 10.0) -> None:
    """Terminate ``process`` (kill it after ``timeout_s``) and reap it."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
