"""The deployment files (issue 6, item 6): what a public server and Streamlit Community Cloud read as they are.

A Docker engine does not run on the development machines, so the image is checked here as text: Streamlit's
recipe (python:3.11-slim, port 8501 on 0.0.0.0, a health check on ``/_stcore/health``), with every file the app
reads copied in.
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_config_is_set_for_a_public_server() -> None:
    config = _config()
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] == 5
    assert config["server"]["enableStaticServing"] is True  # the world map's topology, served offline
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["toolbarMode"] == "viewer"


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([A-Za-z0-9_.+\-]+)", line)
        assert match, f"requirements.txt: {line!r} is not pinned with =="
        pins[match.group(1).lower()] = match.group(2)
    return pins


def test_requirements_pin_the_runtime_and_match_what_the_tests_ran_on() -> None:
    pins = _pins()
    assert {"streamlit", "plotly", "pandas", "pydantic", "numpy"} <= set(pins)
    for name, version in pins.items():
        assert importlib.metadata.version(name) == version, f"{name}: pinned {version}, installed differs"


def test_dev_requirements_pin_the_test_tools_and_include_the_runtime() -> None:
    text = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert "-r requirements.txt" in lines
    assert all("==" in line for line in lines if not line.startswith(("-r", "#")))


def test_dockerfile_follows_streamlits_recipe_with_a_health_check() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", text, re.MULTILINE)
    assert "pip install --no-cache-dir -r requirements.txt" in text
    assert re.search(r"^HEALTHCHECK .*curl --fail http://localhost:8501/_stcore/health", text, re.MULTILINE)
    assert re.search(r"^EXPOSE 8501$", text, re.MULTILINE)
    entry = re.search(r"^ENTRYPOINT (\[.*\])$", text, re.MULTILINE)
    assert entry and entry.group(1) == (
        '["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]'
    )
    copied = " ".join(re.findall(r"^COPY (.+) \S+$", text, re.MULTILINE))
    for needed in (".streamlit/", "carbon_core/", "explorer/", "data/", "static/", "app.py", "pyproject.toml"):
        assert needed in copied, f"the image lacks {needed}"


def test_community_cloud_gets_chromium_for_chart_downloads() -> None:
    assert (ROOT / "packages.txt").read_text(encoding="utf-8").split() == ["chromium"]
