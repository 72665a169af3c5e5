"""The replicas' topology as files (issue 17, item 3): HAProxy's configuration, the replica launcher's refusal
of corrupt data, ``make serve`` and compose.yaml (no Docker here: its content is checked, not run). The
topology itself runs in tests/browser/test_failover.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from deploy import replica, serve

ROOT = Path(__file__).resolve().parents[1]


def test_local_config_balances_sticky_checks_health_and_redispatches() -> None:
    config = serve.render_config("127.0.0.1:8500", {"r1": "127.0.0.1:8501", "r2": "127.0.0.1:8502"}, "/x.sock")
    lines = {line.strip() for line in config.splitlines()}
    assert "bind 127.0.0.1:8500" in lines
    assert {"server r1 127.0.0.1:8501 cookie r1", "server r2 127.0.0.1:8502 cookie r2"} <= lines
    assert "cookie REPLICA insert indirect nocache httponly" in lines
    assert "option httpchk GET /_stcore/health" in lines
    assert "http-check expect string ok" in lines
    assert any(line.startswith("option redispatch") for line in lines)
    assert any(re.fullmatch(r"timeout tunnel \d+h.*", line) for line in lines)
    assert "resolvers" not in config  # loopback addresses: no DNS at all


def test_compose_config_is_the_template_rendered() -> None:
    assert serve.COMPOSE_CONFIG.read_text(encoding="utf-8") == serve.compose_config(2)


def test_compose_runs_checked_replicas_behind_haproxy_with_the_same_config() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    apps = {name: s for name, s in services.items() if name.startswith("app")}
    assert sorted(apps) == ["app1", "app2"]
    servers = re.findall(r"^\s+server (\S+) (\S+):8501", serve.COMPOSE_CONFIG.read_text(), re.MULTILINE)
    assert servers == [("app1", "app1"), ("app2", "app2")]
    for app in apps.values():
        assert app["build"] == "."
        assert app["entrypoint"][:3] == ["python", "-m", "deploy.replica"]
        assert "/_stcore/health" in " ".join(app["healthcheck"]["test"])
        assert "8501" in app["expose"]
        assert "ports" not in app  # only the balancer is published
    balancer = services["haproxy"]
    assert balancer["image"].startswith("haproxy:")
    assert balancer["ports"] == ["8080:8080"]
    assert balancer["volumes"] == ["./deploy/haproxy-compose.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"]
    assert set(balancer["depends_on"]) == set(apps)
    assert "COPY deploy/ deploy/" in (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_replica_refuses_to_start_on_corrupt_data(data_copy: Path) -> None:
    """It exits with status 2 naming the file, before Streamlit starts (nothing listens on the port)."""
    path = data_copy / "grid_intensity.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";", 3), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "deploy.replica", "--port", "9"],
        cwd=ROOT,
        env={"CARBON_CORE_DATA_DIR": str(data_copy), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == replica.BAD_DATA, result.stderr
    assert "refuses to start" in result.stderr and "grid_intensity.csv" in result.stderr


def test_replica_becomes_streamlit_on_its_port() -> None:
    command = replica.streamlit_command(8601, "127.0.0.1", ["--server.runOnSave", "false"])
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4].endswith("app.py")
    assert command[command.index("--server.port") + 1] == "8601"
    assert command[-2:] == ["--server.runOnSave", "false"]


def test_make_serve_and_make_test_install_haproxy() -> None:
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^serve: .*\bhaproxy\b", make, re.MULTILINE)
    assert re.search(r"^test: .*\bhaproxy\b", make, re.MULTILINE)
    assert "apt-get install -y -qq haproxy" in make
    assert "-m deploy.serve --replicas $(REPLICAS) --port $(PORT)" in make
