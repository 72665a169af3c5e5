"""Shared fixtures for the carbon_core tests: the repository root and a private copy of the data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"


@pytest.fixture(autouse=True)
def _bundled_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts on the bundled data, whatever the calling shell exports."""
    monkeypatch.delenv("CARBON_CORE_DATA_DIR", raising=False)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of ``data/`` in this test's own folder (the loaders cache per folder path)."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy
