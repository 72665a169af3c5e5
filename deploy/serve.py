"""``make serve REPLICAS=N PORT=P``: N replicas of app.py on 127.0.0.1:P+1..P+N behind HAProxy on 127.0.0.1:P.

``python -m deploy.serve --replicas N --port P``. Each replica is ``python -m deploy.replica`` (the data is
checked before Streamlit starts); HAProxy (Debian's ``haproxy``) balances new visitors round robin, keeps each
visitor on one replica with a cookie (Streamlit holds a session in one process, over its websocket), checks
``/_stcore/health`` every second and sends a visitor whose replica is down to another one. Its configuration is
deploy/haproxy.cfg.template rendered into a temporary folder, with its stats socket beside it.

Ctrl-C or SIGTERM stops every process this started (each by its own PID, in its own process group), and
removes the temporary folder. :class:`Topology` is the same thing as a Python object (used by the tests).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
TEMPLATE = DEPLOY / "haproxy.cfg.template"
COMPOSE_CONFIG = DEPLOY / "haproxy-compose.cfg"
HAPROXY = "haproxy"
LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


#: On a container platform the replicas are host names that resolve once their containers run: HAProxy starts
#: without them and asks the platform's DNS (Docker's 127.0.0.11 inside the container) again later.
CONTAINER_DNS = "resolvers platform\n    parse-resolv-conf\n    hold valid 10s\n"
CONTAINER_SERVER_OPTIONS = " init-addr last,libc,none resolvers platform"


def render_config(bind: str, servers: Mapping[str, str], stats_socket: str, container: bool = False) -> str:
    """HAProxy's configuration: listen on ``bind``, balance over ``servers`` (name -> host:port); ``container``:
    the servers are host names of a container platform (no DNS at all otherwise)."""
    lines = "\n".join(f"    server {name} {address} cookie {name}" for name, address in servers.items())
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        bind=bind,
        servers=lines,
        stats_socket=stats_socket,
        resolvers=CONTAINER_DNS if container else "",
        server_options=CONTAINER_SERVER_OPTIONS if container else "",
    )


def compose_config(replicas: int = 2) -> str:
    """The configuration compose.yaml's balancer reads (deploy/haproxy-compose.cfg): services app1..appN."""
    servers = {f"app{i}": f"app{i}:8501" for i in range(1, replicas + 1)}
    return render_config("*:8080", servers, "/tmp/haproxy.sock", container=True)


def healthy(base: str, timeout_s: float = 2.0) -> bool:
    """Whether Streamlit's health route at ``base`` (a replica, or the balancer) answers 200 ``ok``."""
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=timeout_s) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:  # refused, timed out, or an HTTP error status (urllib's errors are OSErrors)
        return False


def stop(process: subprocess.Popen[bytes] | None, timeout_s: float = STOP_TIMEOUT_S) -> None:
    """Stop ``process`` and its process group (SIGTERM, SIGKILL after ``timeout_s``), and reap it."""
    if process is None:
        return
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # anything the process group left behind


def consecutive_free_ports(count: int, attempts: int = 50) -> int:
    """A loopback port P with P..P+count-1 all free (the balancer, then the replicas)."""
    for _ in range(attempts):
        with socket.socket() as probe:
            probe.bind((LOOPBACK, 0))
            base = probe.getsockname()[1]
        if base + count > 65535:
            continue
        socks = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                socks.append(sock)
                sock.bind((LOOPBACK, port))
            return base
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise RuntimeError(f"no {count} consecutive free ports")


@dataclass
class Topology:
    """HAProxy on ``LOOPBACK:port`` and ``replicas`` replicas on the ports after it."""

    replicas: int
    port: int
    env: Mapping[str, str] = field(default_factory=dict)
    streamlit_options: tuple[str, ...] = ()
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="explorer-serve-")))
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    haproxy: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def names(self) -> list[str]:
        return [f"r{i}" for i in range(1, self.replicas + 1)]

    def replica_port(self, name: str) -> int:
        return self.port + self.names.index(name) + 1

    def replica_url(self, name: str) -> str:
        return f"http://{LOOPBACK}:{self.replica_port(name)}"

    @property
    def stats_socket(self) -> Path:
        return self.workdir / "haproxy.sock"

    def start(self, timeout_s: float = START_TIMEOUT_S) -> Topology:
        """Start the replicas and the balancer; return once every replica and the balancer answer."""
        haproxy = shutil.which(HAPROXY) or shutil.which(HAPROXY, path="/usr/sbin")
        if haproxy is None:
            raise RuntimeError("haproxy is not installed: run 'make haproxy' (Debian's package)")
        try:
            for name in self.names:
                self.start_replica(name)
            servers = {name: f"{LOOPBACK}:{self.replica_port(name)}" for name in self.names}
            config = self.workdir / "haproxy.cfg"
            config.write_text(render_config(f"{LOOPBACK}:{self.port}", servers, str(self.stats_socket)))
            with (self.workdir / "haproxy.log").open("wb") as log:
                self.haproxy = subprocess.Popen(
                    [haproxy, "-db", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
            self.wait_until(lambda: all(self.replica_ok(n) for n in self.names), timeout_s, "every replica answers")
            self.wait_until(lambda: healthy(self.url), timeout_s, "the balancer answers")
        except BaseException:
            self.stop()
            raise
        return self

    def start_replica(self, name: str, env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
        """(Re)start replica ``name`` on its port, with ``env`` added to its environment; do not wait."""
        stop(self.processes.get(name))
        replica_env = {**os.environ, **self.env, **(env or {})}
        log = (self.workdir / f"{name}.log").open("ab")
        with log:
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", "deploy.replica", "--port", str(self.replica_port(name)),
                 "--address", LOOPBACK, *self.streamlit_options],
                cwd=ROOT, env=replica_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        return self.processes[name]

    def replica_ok(self, name: str) -> bool:
        return healthy(self.replica_url(name))

    def wait_until(self, condition: object, timeout_s: float, what: str) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():  # type: ignore[operator]
            if self.haproxy is not None and self.haproxy.poll() is not None:
                raise RuntimeError(f"haproxy exited ({self.haproxy.returncode}):\n{self.log('haproxy')}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"not within {timeout_s:.0f} s: {what}\n" + "\n".join(map(self.log, self.names)))
            time.sleep(0.25)

    def log(self, name: str, limit: int = 3000) -> str:
        path = self.workdir / f"{name}.log"
        text = path.read_text(errors="replace")[-limit:] if path.exists() else "(no log)"
        return f"--- {name} ---\n{text}"

    def server_states(self) -> dict[str, str]:
        """HAProxy's view of each replica (``UP``, ``DOWN``, ...), from its stats socket (``show stat``)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.stats_socket))
            sock.sendall(b"show stat\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        rows = [line.split(",") for line in data.decode().splitlines() if line and not line.startswith("#")]
        return {row[1]: row[17] for row in rows if len(row) > 17 and row[0] == "replicas" and row[1] in self.names}

    def stop(self) -> None:
        """Stop the balancer and every replica (each by its PID), then remove the temporary folder."""
        stop(self.haproxy)
        for process in self.processes.values():
            stop(process)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Topology:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8500, help="the balancer's port; replicas on the next ones")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    signal.signal(signal.SIGTERM, _terminate)
    topology = Topology(args.replicas, args.port)
    try:
        topology.start()
        print(f"{args.replicas} replicas on ports {args.port + 1}-{args.port + args.replicas}; open {topology.url}/")
        print(f"logs and HAProxy's configuration: {topology.workdir}; Ctrl-C stops everything", flush=True)
        while topology.haproxy is not None and topology.haproxy.poll() is None:
            time.sleep(1)
        print(f"haproxy exited ({topology.haproxy.returncode if topology.haproxy else '?'})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        topology.stop()


if __name__ == "__main__":
    sys.exit(main())
