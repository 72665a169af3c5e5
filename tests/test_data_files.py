"""The bundled data files: they load and validate, their checksums hold, and every kind of corruption of
every file stops with a DataFileError that names the file, the line (header = line 1) and the field.

Each corruption is made in a private copy of ``data/`` (``tmp_path`` is unique per test, and the loaders
cache per folder path), to which ``CARBON_CORE_DATA_DIR`` points.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import carbon_core
from carbon_core import DataFileError
from carbon_core.catalogue import accelerators
from carbon_core.embodied import embodied_estimates
from carbon_core.equivalents import equivalence_factors
from carbon_core.grid import grid_history, latest_grid
from carbon_core.parameters import parameters
from carbon_core.published import published_runs
from carbon_core.water_intensity import water_factors

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
BUILD_SCRIPT = REPO_ROOT / "scripts" / "build_data.py"

LOADERS: dict[str, Callable[[], Any]] = {
    "grid_intensity.csv": grid_history,
    "accelerators.csv": accelerators,
    "embodied.csv": embodied_estimates,
    "equivalences.csv": equivalence_factors,
    "presets.csv": carbon_core.presets,
    "parameters.csv": parameters,
    "published_runs.csv": published_runs,
    "water_intensity.csv": water_factors,
}
#: The column(s) that identify a row, first one reported as the field of a duplicate.
KEYS = {
    "grid_intensity.csv": "iso3",
    "accelerators.csv": "id",
    "embodied.csv": "key",
    "equivalences.csv": "key",
    "presets.csv": "id",
    "parameters.csv": "key",
    "published_runs.csv": "name",
    "water_intensity.csv": "iso3",
}


# --- helpers -----------------------------------------------------------------------------------------


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def _line_of(rows: list[list[str]], column: str, value: str) -> int:
    """1-based line number of the first row whose ``column`` is ``value``."""
    index = rows[0].index(column)
    return next(number for number, row in enumerate(rows, start=1) if number > 1 and row[index] == value)


def _set_cell(path: Path, line: int, column: str, value: str) -> None:
    rows = _rows(path)
    rows[line - 1][rows[0].index(column)] = value
    _write_rows(path, rows)


def _load(folder: Path, filename: str, monkeypatch: pytest.MonkeyPatch) -> DataFileError:
    monkeypatch.setenv("CARBON_CORE_DATA_DIR", str(folder))
    with pytest.raises(DataFileError) as excinfo:
        LOADERS[filename]()
    err = excinfo.value
    assert err.filename == filename
    assert filename in str(err)
    assert "Traceback" not in str(err)
    return err


def _rewrite_checksums(folder: Path) -> None:
    """What a rebuild would do: make CHECKSUMS.sha256 agree with the (edited) files."""
    lines = [
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n"
        for path in sorted(folder.glob("*.csv"), key=lambda p: p.name)
    ]
    (folder / "CHECKSUMS.sha256").write_text("".join(lines), encoding="utf-8", newline="")


# --- the bundled files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", list(LOADERS))
def test_bundled_file_loads(filename):
    loaded = LOADERS[filename]()
    assert len(loaded) == len(_rows(DATA_DIR / filename)) - 1


def test_bundled_grid_covers_countries_and_world():
    latest = latest_grid()
    assert 200 <= len(latest) <= 230
    assert {"WLD", "FRA", "USA", "DEU", "SWE"} <= set(latest.index)
    assert latest["grid_g_co2e_per_kwh"].between(0, 2_000).all()


def test_bundled_cross_references():
    catalogue = accelerators()
    params = parameters()
    assert params["accelerator_id"].value in catalogue
    assert params["country_iso3"].value in latest_grid().index
    for preset in carbon_core.presets().values():
        assert preset.accelerator_id in catalogue, preset.id


def test_checksums_file_matches_every_csv():
    listed = {}
    for line in (DATA_DIR / "CHECKSUMS.sha256").read_text(encoding="utf-8").splitlines():
        digest, name = line.split()
        listed[name] = digest
    assert set(listed) == {path.name for path in DATA_DIR.glob("*.csv")}
    for name, digest in listed.items():
        assert hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest() == digest, name


def test_bundled_files_are_lf_utf8_with_final_newline():
    for path in DATA_DIR.glob("*.csv"):
        raw = path.read_bytes()
        raw.decode("utf-8")
        assert b"\r" not in raw, path.name
        assert raw.endswith(b"\n"), path.name


# --- one corrupted cell ----------------------------------------------------------------------------------

# (file, how to find the line: (column, value) or a line number, column to corrupt, bad value)
BAD_CELLS = [
    # a non-numeric value in a numeric field
    ("grid_intensity.csv", 10, "grid_g_co2e_per_kwh", "abc"),
    ("grid_intensity.csv", 10, "year", "20x4"),
    ("accelerators.csv", ("id", "a100-sxm4-80gb"), "tdp_w", "four hundred"),
    ("embodied.csv", ("key", "morrison2025_h100_gpu"), "kg_co2e_per_gpu", "lots"),
    ("equivalences.csv", ("key", "car_lifetime"), "kg_co2e_per_unit", "x"),
    ("presets.csv", ("id", "llama-3.1-405b"), "gpu_hours", "many"),
    ("parameters.csv", ("key", "pue"), "low", "abc"),
    # a negative or out-of-range value
    ("grid_intensity.csv", 10, "grid_g_co2e_per_kwh", "-5"),
    ("grid_intensity.csv", 10, "grid_g_co2e_per_kwh", "nan"),
    ("grid_intensity.csv", 10, "grid_g_co2e_per_kwh", "2500"),
    ("accelerators.csv", ("id", "h100-sxm"), "tdp_w", "-700"),
    ("accelerators.csv", ("id", "h100-sxm"), "memory_gb", "inf"),
    ("embodied.csv", ("key", "morrison2025_h100_gpu"), "kg_co2e_per_gpu", "-463"),
    ("equivalences.csv", ("key", "car_lifetime"), "kg_co2e_per_unit", "-1"),
    ("presets.csv", ("id", "llama-3.1-405b"), "pue", "0.9"),
    ("presets.csv", ("id", "llama-3.1-405b"), "grid_g_co2e_per_kwh", "-376"),
    ("presets.csv", ("id", "llama-3.1-405b"), "embodied_attribution", "sometimes"),
    ("parameters.csv", ("key", "pue"), "value", "0.5"),
    # a reference to an accelerator that is not in the catalogue
    ("presets.csv", ("id", "llama-3.1-405b"), "accelerator_id", "no-such-gpu"),
    # an invalid ISO code
    ("grid_intensity.csv", 10, "iso3", "XYZ"),
    ("grid_intensity.csv", 10, "iso3", "fra"),
    ("water_intensity.csv", ("iso3", "SWE"), "l_per_kwh", "lots"),
    ("water_intensity.csv", ("iso3", "SWE"), "l_per_kwh", "0"),
    ("water_intensity.csv", ("iso3", "SWE"), "l_per_kwh", "51"),
    ("water_intensity.csv", ("iso3", "SWE"), "iso3", "XYZ"),
]


@pytest.mark.parametrize(
    ("filename", "where", "column", "value"),
    BAD_CELLS,
    ids=[f"{f.removesuffix('.csv')}-{c}={v}" for f, _, c, v in BAD_CELLS],
)
def test_bad_cell_reports_file_line_and_field(data_copy, monkeypatch, filename, where, column, value):
    path = data_copy / filename
    line = where if isinstance(where, int) else _line_of(_rows(path), *where)
    _set_cell(path, line, column, value)
    err = _load(data_copy, filename, monkeypatch)
    assert (err.row, err.field) == (line, column), str(err)
    assert f"line {line}" in str(err)
    assert column in str(err)


# --- a duplicated key row ----------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", list(LOADERS))
def test_duplicated_row(data_copy, monkeypatch, filename):
    path = data_copy / filename
    rows = _rows(path)
    rows.insert(4, list(rows[3]))  # line 4 repeated as line 5
    _write_rows(path, rows)
    err = _load(data_copy, filename, monkeypatch)
    assert (err.row, err.field) == (5, KEYS[filename]), str(err)
    assert "duplicate" in str(err)


# --- a missing column ---------------------------------------------------------------------------------------

DROPPED = {
    "grid_intensity.csv": "grid_g_co2e_per_kwh",
    "accelerators.csv": "tdp_w",
    "embodied.csv": "kg_co2e_per_gpu",
    "equivalences.csv": "kwh_per_unit",
    "presets.csv": "pue",
    "parameters.csv": "value",
    "published_runs.csv": "t_co2e",
    "water_intensity.csv": "l_per_kwh",
}


@pytest.mark.parametrize("filename", list(LOADERS))
def test_missing_column(data_copy, monkeypatch, filename):
    path = data_copy / filename
    rows = _rows(path)
    index = rows[0].index(DROPPED[filename])
    _write_rows(path, [row[:index] + row[index + 1 :] for row in rows])
    err = _load(data_copy, filename, monkeypatch)
    assert err.row == 1, str(err)
    assert err.field in (None, DROPPED[filename]), str(err)
    assert DROPPED[filename] in str(err)
    assert "missing" in str(err)


# --- a file truncated mid-row -------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", list(LOADERS))
def test_truncated_mid_row(data_copy, monkeypatch, filename):
    path = data_copy / filename
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    middle = len(lines) // 2  # 0-based index of the line cut in half; its CSV line number is middle + 1
    start = sum(len(line) + 1 for line in lines[:middle])
    kept = text[: start + len(lines[middle]) // 2]
    path.write_text(kept, encoding="utf-8", newline="")
    header = lines[0].split(",")
    cells = next(csv.reader([kept.split("\n")[-1]]))
    err = _load(data_copy, filename, monkeypatch)
    assert err.row == middle + 1, f"cut in line {middle + 1} ({kept.split(chr(10))[-1]!r}): {err}"
    assert err.field in (None, header[len(cells) - 1], header[min(len(cells), len(header) - 1)]), str(err)


# --- a deleted file -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", list(LOADERS))
def test_deleted_file(data_copy, monkeypatch, filename):
    (data_copy / filename).unlink()
    err = _load(data_copy, filename, monkeypatch)
    assert (err.row, err.field) == (None, None)
    assert "missing" in str(err)
    assert str(data_copy) in str(err)


@pytest.mark.parametrize("filename", list(LOADERS))
def test_empty_file(data_copy, monkeypatch, filename):
    (data_copy / filename).write_text("", encoding="utf-8")
    err = _load(data_copy, filename, monkeypatch)
    assert "empty" in str(err)


def test_missing_checksum_list(data_copy, monkeypatch):
    (data_copy / "CHECKSUMS.sha256").unlink()
    monkeypatch.setenv("CARBON_CORE_DATA_DIR", str(data_copy))
    with pytest.raises(DataFileError) as excinfo:
        accelerators()
    assert excinfo.value.filename == "CHECKSUMS.sha256"
    assert "CHECKSUMS.sha256" in str(excinfo.value)


# --- a valid-looking edit is caught by the checksum ------------------------------------------------------------

# (file, (key column, key value), numeric column): the number there is moved by +1.
PLAUSIBLE_EDITS = [
    ("grid_intensity.csv", 10, "grid_g_co2e_per_kwh"),
    ("accelerators.csv", ("id", "h100-sxm"), "tdp_w"),
    ("embodied.csv", ("key", "morrison2025_h100_gpu"), "kg_co2e_per_gpu"),
    ("equivalences.csv", ("key", "car_lifetime"), "kg_co2e_per_unit"),
    ("presets.csv", ("id", "llama-3.1-405b"), "reported_t_co2e"),
    ("parameters.csv", ("key", "pue"), "high"),
    ("water_intensity.csv", ("iso3", "SWE"), "l_per_kwh"),
]


@pytest.mark.parametrize(("filename", "where", "column"), PLAUSIBLE_EDITS, ids=[e[0] for e in PLAUSIBLE_EDITS])
def test_plausible_number_edit_fails_checksum(data_copy, monkeypatch, filename, where, column):
    path = data_copy / filename
    rows = _rows(path)
    line = where if isinstance(where, int) else _line_of(rows, *where)
    old = rows[line - 1][rows[0].index(column)]
    decimals = len(old.split(".")[1]) if "." in old else 0
    new = f"{float(old) + 1:.{decimals}f}"  # e.g. 44.0 -> 45.0: still a valid value
    assert new != old
    _set_cell(path, line, column, new)
    err = _load(data_copy, filename, monkeypatch)
    assert "checksum" in str(err)


# --- parameters.csv defaults are numbers in range, not just text -----------------------------------------------


def test_parameters_numeric_default_validated_even_after_rebuild(data_copy, monkeypatch):
    """A non-numeric default (here the GPU count) must be refused by the loader with its line and field,
    even when CHECKSUMS.sha256 was regenerated (a rebuild from bad sources), never reach the formulas."""
    path = data_copy / "parameters.csv"
    line = _line_of(_rows(path), "key", "gpu_count")
    _set_cell(path, line, "value", "lots")
    _rewrite_checksums(data_copy)
    err = _load(data_copy, "parameters.csv", monkeypatch)
    assert (err.row, err.field) == (line, "value"), str(err)


# --- the build script --------------------------------------------------------------------------------------------


def _import_build_script():
    spec = importlib.util.spec_from_file_location("build_data", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_script_exists_and_imports():
    assert BUILD_SCRIPT.is_file()
    module = _import_build_script()
    assert callable(module.main)
    assert module.OUT_DIR == DATA_DIR


def test_rebuild_from_shared_reproduces_committed_files(tmp_path, monkeypatch):
    """The build functions, written to a temporary folder (never to data/), give the committed bytes."""
    module = _import_build_script()
    shared = module.DEFAULT_SHARED.resolve() / "data"
    if not shared.is_dir():
        pytest.skip(f"shared source data not present at {shared}")
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delitem(sys.modules, "curated", raising=False)
    out = tmp_path / "rebuilt"
    for name, build in [
        ("grid_intensity.csv", module.build_grid_intensity),
        ("accelerators.csv", module.build_accelerators),
        ("embodied.csv", module.build_embodied),
        ("equivalences.csv", module.build_equivalences),
        ("regions.csv", module.build_regions),
        ("published_runs.csv", module.build_published_runs),
        ("water_intensity.csv", lambda _shared: module._build_water_intensity()),  # from data/raw/, not shared
    ]:
        module.write_csv(build(shared), out / name)
    assert module.write_curated(shared, out)
    module.write_checksums(out)
    rebuilt = sorted(path.name for path in out.iterdir())
    assert rebuilt == sorted(path.name for path in DATA_DIR.iterdir() if path.suffix in {".csv", ".sha256"})
    for name in rebuilt:
        assert (out / name).read_bytes() == (DATA_DIR / name).read_bytes(), name
