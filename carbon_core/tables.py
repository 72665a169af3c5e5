"""Loading the project's curated CSV files, validating every row, and checking their checksums.

A missing, corrupt or edited data file stops with a :class:`DataFileError` that names the file, the row
(as a 1-based line number of the CSV, the header being line 1) and the field: wrong numbers are never
returned silently.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

#: Environment variable that points the package at another data folder (tests use corrupted copies).
DATA_DIR_ENV = "CARBON_CORE_DATA_DIR"
CHECKSUM_FILE = "CHECKSUMS.sha256"
#: ``data/`` beside the package (resolved once: this is called on every data access).
BUNDLED_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
Row = TypeVar("Row", bound=BaseModel)


class DataFileError(RuntimeError):
    """A bundled data file is missing, unreadable, or has a row that fails validation."""

    def __init__(self, filename: str, message: str, row: int | None = None, field: str | None = None):
        self.filename = filename
        self.row = row
        self.field = field
        where = filename
        if row is not None:
            where += f", line {row}"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"Data file {where}: {message}")


def data_dir() -> Path:
    """The folder holding the curated CSVs: ``$CARBON_CORE_DATA_DIR`` or ``data/`` beside the package."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return BUNDLED_DATA_DIR


@cache
def _expected_checksums(folder: Path) -> dict[str, str]:
    path = folder / CHECKSUM_FILE
    if not path.is_file():
        raise DataFileError(CHECKSUM_FILE, f"missing from {folder}; rebuild with scripts/build_data.py")
    sums: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 64:
            raise DataFileError(CHECKSUM_FILE, "expected '<sha256>  <file name>'", row=number)
        sums[parts[1]] = parts[0]
    return sums


def _read_text(folder: Path, filename: str) -> str:
    path = folder / filename
    if not path.is_file():
        raise DataFileError(filename, f"missing from {folder}")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(filename, f"not UTF-8 text (byte {exc.start})") from exc


def _check_checksum(folder: Path, filename: str) -> None:
    expected = _expected_checksums(folder).get(filename)
    if expected is None:
        raise DataFileError(filename, f"has no checksum in {CHECKSUM_FILE}")
    actual = hashlib.sha256((folder / filename).read_bytes()).hexdigest()
    if actual != expected:
        raise DataFileError(
            filename,
            f"checksum mismatch (expected {expected[:16]}..., found {actual[:16]}...): the file was changed "
            "after it was built; rebuild it with scripts/build_data.py",
        )


def load_table(
    filename: str,
    row_model: type[Row],
    unique: Iterable[str] = (),
    folder: Path | None = None,
) -> list[Row]:
    """Read ``filename`` from the data folder, validate each row with ``row_model``, return the rows.

    The columns must be exactly the model's fields, in order. Empty cells become ``None``. ``unique``
    names the columns whose combined values may not repeat. The file's checksum is checked after its
    rows, so that an invalid row is reported by line and field rather than as a bare mismatch.
    """
    folder = folder or data_dir()
    text = _read_text(folder, filename)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise DataFileError(filename, f"not a valid CSV ({exc})", row=reader.line_num) from exc
    if not rows:
        raise DataFileError(filename, "is empty")
    header, body = rows[0], rows[1:]
    # A model may declare the file's column order when its fields are declared in another order.
    expected = list(getattr(row_model, "CSV_COLUMNS", row_model.model_fields))
    if header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        detail = f"missing {missing}" if missing else ""
        detail += (" and " if detail and extra else "") + (f"unexpected {extra}" if extra else "")
        raise DataFileError(filename, f"columns must be {expected} ({detail or 'wrong order'})", row=1)
    if not body:
        raise DataFileError(filename, "has a header but no rows")
    records = []
    for line, cells in enumerate(body, start=2):
        if len(cells) != len(header):
            raise DataFileError(filename, f"has {len(cells)} cells, expected {len(header)}", row=line)
        raw = {name: (cell if cell != "" else None) for name, cell in zip(header, cells, strict=True)}
        try:
            records.append(row_model.model_validate(raw))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = str(err["loc"][0]) if err["loc"] else None
            value = raw.get(field) if field else None
            raise DataFileError(filename, f"{err['msg']} (value {value!r})", row=line, field=field) from None
    key = list(unique)
    seen: set[tuple[object, ...]] = set()
    for line, record in enumerate(records, start=2):
        values = tuple(getattr(record, k) for k in key)
        if key and values in seen:
            shown = ", ".join(map(str, values))
            raise DataFileError(filename, f"duplicate {'/'.join(key)} ({shown})", row=line, field=key[0])
        seen.add(values)
    _check_checksum(folder, filename)
    return records
