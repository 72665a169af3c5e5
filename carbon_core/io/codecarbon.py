"""A measured run in: reading a CodeCarbon ``emissions.csv`` and repricing its energy on every country's grid.

CodeCarbon (https://github.com/mlco2/codecarbon) measures the energy a process uses and writes one CSV row
each time the tracker is flushed or stopped. :func:`parse_emissions_csv` reads such a file from its
bytes, refuses anything else with a :class:`CodeCarbonError` that names the problem, the line and
the column, and returns a :class:`MeasuredRun`; :func:`measured_breakdown_kwh` splits its energy into CPU,
GPU, RAM and the rest; :func:`reprice_in_countries` prices it on every country's grid with the project's
own formula (:func:`carbon_core.emissions.operational_t_co2e`).

**Schemas supported.** A schema is recognised by its set of column names (CodeCarbon itself compares the
sorted header, ``FileOutput.has_valid_headers``), so column order does not matter. Read from the
repository ``mlco2/codecarbon``:

``current_38`` (38 columns; rows seen written by CodeCarbon 3.3.0), ``EmissionsData`` of
``codecarbon/output_methods/emissions_data.py`` in the version that also defines ``EnergyCheckpoint``
(the stored version of the code index, file id 53393604492; the same header, with a row written by 3.3.0,
is the ``REAL_RUN_CSV`` of ``tests/cli/test_cli_ci_report.py``)::

    timestamp, project_name, run_id, experiment_id, duration, emissions, emissions_rate, cpu_power, gpu_power,
    ram_power, cpu_energy, gpu_energy, ram_energy, energy_consumed, water_consumed, country_name,
    country_iso_code, region, cloud_provider, cloud_region, os, python_version, codecarbon_version, cpu_count,
    cpu_model, gpu_count, gpu_model, longitude, latitude, ram_total_size, tracking_mode,
    cpu_utilization_percent, gpu_utilization_percent, ram_utilization_percent, ram_used_gb, on_cloud, pue, wue

``v2_32`` (32 columns; rows seen from 2.7.1 to 3.0.7): ``emissions_data.py`` at commit
118873936dadf2608ae4d2af9862fcca4c2fe3d6, i.e. ``current_38`` without ``water_consumed``, the three
``*_utilization_percent``, ``ram_used_gb`` and ``wue``.

``v2_31`` (31 columns; rows seen from 2.1.3 and 2.3.4): ``tests/test_data/emissions_valid_headers.csv`` at
commit 0d7d95c516c9fb76dbbba499c0dd11fe42648538, i.e. ``v2_32`` without ``experiment_id``.

``v2_29`` (29 columns, 2022): the field table of ``docs/edit/output.rst`` at commit
07495bc7fcd0adf9bae449b653fa9a512d58df97 (no ``codecarbon_version``, no ``pue``), in the column order of
headers of that era found in public repositories: ``v2_31`` without ``codecarbon_version`` and ``pue``.

``v1_12`` (12 columns, 2020): ``EmissionsData`` of ``codecarbon/output.py`` at commit
01c13d2d865377725e341fc7aba2ce6e5bc153fc and ``examples/emissions.csv`` at commit
023f9b45de1bd67eccc9757d280239b18c8facbd::

    timestamp, experiment_id, project_name, duration, emissions, energy_consumed, country_name,
    country_iso_code, region, on_cloud, cloud_provider, cloud_region

``task_36`` (36 columns): the per-task file ``emissions_<experiment>_<run_id>.csv``, ``TaskEmissionsData``
of the same ``emissions_data.py`` as ``current_38``: ``task_name`` first, then ``current_38`` without
``experiment_id``, ``pue`` and ``wue``.

A header that is none of these exactly is accepted as the closest schema (fewest differing columns) if it
has that schema's required columns (see :attr:`Schema.required`); the differences are reported in
:attr:`MeasuredRun.missing_columns` and :attr:`MeasuredRun.extra_columns`.

**Units** (``docs/reference/output.md``): ``duration`` [s]; ``emissions`` [kg CO2eq]; ``cpu_energy``,
``gpu_energy``, ``ram_energy``, ``energy_consumed`` [kWh], ``energy_consumed`` being their sum;
``cpu_power``, ``gpu_power``, ``ram_power`` [W]; ``emissions_rate`` [kg/s].

**Rows are cumulative within a run.** ``flush()`` and ``stop()`` both write the run's totals since
``start()`` (``_prepare_emissions_data`` in ``codecarbon/emissions_tracker.py``; ``FileOutput.out`` writes
``total``), so a run flushed twice has three rows with growing ``duration`` and energy, under one
``run_id``; CodeCarbon's own ``tests/cli/test_cli_ci_report.py`` captures such a run and warns that summing
its rows double-counts (rows of CodeCarbon 2.3.4 quoted in a public repository show the same). Totals here
therefore add up one row per run: the row of largest ``duration`` of each ``run_id`` (of each
``run_id``/``task_name`` in a task file, whose rows are separate tasks). A row with no ``run_id`` (schema
``v1_12`` has none) is a run of its own. :attr:`MeasuredRun.rows` keeps every row, with ``counted`` marking
the ones in the totals.

**PUE.** CodeCarbon multiplies every component's energy by its ``pue`` parameter (default 1.0) before
accumulating it (``energy *= self._pue`` in ``BaseEmissionsTracker._do_measurements``; the ``pue``
column records the value; ``docs/explanation/methodology.md``: "Do not multiply by PUE a second time"). So
``energy_consumed`` is the energy CodeCarbon attributes to the run *including* whatever PUE the user set
(none by default: then it is the measured IT energy). :func:`reprice_in_countries` prices it as it is and
adds no PUE of its own, so a run measured with the default ``pue = 1`` in a real data centre is priced
without the facility's cooling overhead.

Files are untrusted: each is checked for emptiness, binary content, encoding and CSV syntax before any
cell is read, its data rows are counted (at most :data:`MAX_ROWS`), and every number is checked to be
finite and (but for longitude and latitude) not negative. Text cells are kept as plain text, never
evaluated; a cell such as ``=HYPERLINK(...)`` stays that string (whoever exports it to a spreadsheet must
escape it). How many bytes to accept is the caller's choice, made before the bytes are handed here.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from carbon_core.countries import price_energy_in_countries
from carbon_core.units import G_PER_T, KG_PER_T

#: Largest number of data rows read (about 380 bytes a row in CodeCarbon's 38 columns: 13,000 rows in 5 MB).
MAX_ROWS = 100_000
#: Relative size below which the unattributed energy is float rounding [-].
_ROUNDING = 1e-9
#: Longest cell echoed back in an error message [characters].
_SHOWN_CHARS = 40

_BASE = (
    "timestamp",
    "project_name",
    "run_id",
    "duration",
    "emissions",
    "emissions_rate",
    "cpu_power",
    "gpu_power",
    "ram_power",
    "cpu_energy",
    "gpu_energy",
    "ram_energy",
    "energy_consumed",
)
_PLACE = ("country_name", "country_iso_code", "region", "cloud_provider", "cloud_region", "os", "python_version")
_HARDWARE = ("cpu_count", "cpu_model", "gpu_count", "gpu_model", "longitude", "latitude", "ram_total_size")
_UTILISATION = ("cpu_utilization_percent", "gpu_utilization_percent", "ram_utilization_percent", "ram_used_gb")

#: Columns every schema needs: what the totals and the repricing are made of.
_REQUIRED = ("timestamp", "project_name", "duration", "emissions", "energy_consumed", "country_iso_code")
#: Columns needed on top of :data:`_REQUIRED` by the schemas that break energy down.
_REQUIRED_COMPONENTS = ("run_id", "cpu_energy", "gpu_energy", "ram_energy")

#: Numeric columns that must hold a finite number >= 0 in every row, with their unit.
_MEASURED_UNITS = {
    "duration": "s",
    "emissions": "kg CO2eq",
    "energy_consumed": "kWh",
    "cpu_energy": "kWh",
    "gpu_energy": "kWh",
    "ram_energy": "kWh",
}
#: Other numeric columns: may be empty (CodeCarbon leaves unknown values blank), else finite and >= 0.
_OPTIONAL_NON_NEGATIVE = (
    "emissions_rate",
    "cpu_power",
    "gpu_power",
    "ram_power",
    "water_consumed",
    "cpu_count",
    "gpu_count",
    "ram_total_size",
    *_UTILISATION,
    "pue",
    "wue",
)
#: Numeric columns that may be negative (coordinates): may be empty, else finite.
_OPTIONAL_SIGNED = ("longitude", "latitude")

#: Text columns kept (as plain text) for the totals and the per-row table.
_TEXT_COLUMNS = (
    "timestamp",
    "project_name",
    "run_id",
    "task_name",
    "country_iso_code",
    "country_name",
    "region",
    "codecarbon_version",
)

#: Leading bytes of file types given in place of a CSV by mistake, and what to call them.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook is one; export the sheet as CSV)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook (export the sheet as CSV)"),
    (b"\x1f\x8b", "a gzip-compressed file (decompress it first)"),
    (b"\xff\xfe", "UTF-16 text (save it as UTF-8, the encoding CodeCarbon writes)"),
    (b"\xfe\xff", "UTF-16 text (save it as UTF-8, the encoding CodeCarbon writes)"),
)


@dataclass(frozen=True)
class Schema:
    """One CodeCarbon CSV layout: its columns in the order CodeCarbon writes them, and where it was read."""

    id: str
    label: str
    columns: tuple[str, ...]
    source: str

    @property
    def has_components(self) -> bool:
        """True when the schema breaks energy into CPU, GPU and RAM."""
        return "cpu_energy" in self.columns

    @property
    def required(self) -> tuple[str, ...]:
        """Columns a file of this schema must have to be read."""
        extra = _REQUIRED_COMPONENTS if self.has_components else ()
        task = ("task_name",) if "task_name" in self.columns else ()
        return (*task, *_REQUIRED, *extra)


_EMISSIONS_DATA = "codecarbon/output_methods/emissions_data.py"
#: Known schemas, newest first (ties between equally close schemas go to the newer one).
SCHEMAS: tuple[Schema, ...] = (
    Schema(
        "current_38",
        "CodeCarbon 3.x, 38 columns (with water and utilisation)",
        (
            *_BASE[:3],
            "experiment_id",
            *_BASE[3:],
            "water_consumed",
            *_PLACE,
            "codecarbon_version",
            *_HARDWARE,
            "tracking_mode",
            *_UTILISATION,
            "on_cloud",
            "pue",
            "wue",
        ),
        f"{_EMISSIONS_DATA} (EmissionsData, version with EnergyCheckpoint)",
    ),
    Schema(
        "v2_32",
        "CodeCarbon 2.7-3.0, 32 columns (with experiment_id and pue)",
        (
            *_BASE[:3],
            "experiment_id",
            *_BASE[3:],
            *_PLACE,
            "codecarbon_version",
            *_HARDWARE,
            "tracking_mode",
            "on_cloud",
            "pue",
        ),
        f"{_EMISSIONS_DATA} at 118873936dadf2608ae4d2af9862fcca4c2fe3d6",
    ),
    Schema(
        "v2_31",
        "CodeCarbon 2.1-2.3, 31 columns (with pue, no experiment_id)",
        (*_BASE, *_PLACE, "codecarbon_version", *_HARDWARE, "tracking_mode", "on_cloud", "pue"),
        "tests/test_data/emissions_valid_headers.csv at 0d7d95c516c9fb76dbbba499c0dd11fe42648538",
    ),
    Schema(
        "v2_29",
        "CodeCarbon of 2022, 29 columns (CPU/GPU/RAM energy, no pue)",
        (*_BASE, *_PLACE, *_HARDWARE, "tracking_mode", "on_cloud"),
        "docs/edit/output.rst at 07495bc7fcd0adf9bae449b653fa9a512d58df97",
    ),
    Schema(
        "v1_12",
        "CodeCarbon of 2020, 12 columns (total energy only)",
        (
            "timestamp",
            "experiment_id",
            "project_name",
            "duration",
            "emissions",
            "energy_consumed",
            "country_name",
            "country_iso_code",
            "region",
            "on_cloud",
            "cloud_provider",
            "cloud_region",
        ),
        "codecarbon/output.py at 01c13d2d865377725e341fc7aba2ce6e5bc153fc",
    ),
    Schema(
        "task_36",
        "CodeCarbon 3.x task file, 36 columns (one row per task)",
        (
            "task_name",
            *_BASE,
            "water_consumed",
            *_PLACE,
            "codecarbon_version",
            *_HARDWARE,
            "tracking_mode",
            *_UTILISATION,
            "on_cloud",
        ),
        f"{_EMISSIONS_DATA} (TaskEmissionsData, version with EnergyCheckpoint)",
    ),
)
_KNOWN_COLUMNS = frozenset(c for s in SCHEMAS for c in s.columns)


class CodeCarbonError(ValueError):
    """A file that is not a readable CodeCarbon ``emissions.csv``.

    ``row`` is the 1-based line of the CSV (the header is line 1), ``None`` when the problem is the whole
    file (empty, binary); ``column`` is the column's name, when one is at fault. The message
    names the problem, and the line and column when known, in plain words.
    """

    def __init__(self, problem: str, row: int | None = None, column: str | None = None):
        self.problem = problem
        self.row = row
        self.column = column
        where = []
        if row is not None:
            where.append(f"line {row:,}")
        if column is not None:
            where.append(f"column '{column}'")
        text = f"{', '.join(where)}: {problem}" if where else problem
        message = text[:1].upper() + text[1:]
        super().__init__(message)


@dataclass(frozen=True)
class MeasuredRun:
    """What a CodeCarbon file measured, totalled over its runs (the last row of each ``run_id``).

    Energies [kWh], duration [s], emissions [kg CO2eq] as CodeCarbon computed them with its own grid data.
    Component energies are 0 when the schema has no breakdown (``has_components`` is then False).
    """

    schema: str
    schema_label: str
    schema_exact: bool
    missing_columns: tuple[str, ...]
    extra_columns: tuple[str, ...]
    row_count: int
    run_count: int
    duration_s: float
    energy_kwh: float
    cpu_energy_kwh: float
    gpu_energy_kwh: float
    ram_energy_kwh: float
    emissions_kg_co2e: float
    has_components: bool
    country_iso_codes: tuple[str, ...]
    country_names: tuple[str, ...]
    regions: tuple[str, ...]
    project_names: tuple[str, ...]
    codecarbon_versions: tuple[str, ...]
    pue_values: tuple[float, ...]
    first_timestamp: datetime | None
    last_timestamp: datetime | None
    #: One row per CSV row: ``line, timestamp, project_name, run_id, country_iso_code, duration_s,
    #: energy_kwh, cpu_energy_kwh, gpu_energy_kwh, ram_energy_kwh, emissions_kg_co2e, counted``.
    rows: pd.DataFrame = field(repr=False, compare=False)

    @property
    def emissions_t_co2e(self) -> float:
        """CodeCarbon's own figure in the project's unit [t CO2e]."""
        return self.emissions_kg_co2e / KG_PER_T

    @property
    def reported_grid_g_co2e_per_kwh(self) -> float | None:
        """The average intensity CodeCarbon applied, ``emissions / energy`` [g CO2e/kWh]; None without energy."""
        if self.energy_kwh <= 0:
            return None
        return self.emissions_kg_co2e * (G_PER_T / KG_PER_T) / self.energy_kwh


def _show(cell: str) -> str:
    """A cell quoted for a message, cut to :data:`_SHOWN_CHARS` characters."""
    text = cell if len(cell) <= _SHOWN_CHARS else cell[: _SHOWN_CHARS - 3] + "..."
    return repr(text)


def _decode(data: bytes) -> str:
    """The file as text, after the checks that need no parsing: emptiness, binary, encoding."""
    if not data.strip():
        raise CodeCarbonError("the file is empty" if not data else "the file holds only blank space, no CSV")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise CodeCarbonError(f"this is {kind}, not a CodeCarbon emissions.csv")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise CodeCarbonError(
            f"this is a binary file, not CSV text (it contains a NUL byte at byte {nul:,}, on line {line:,})"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CodeCarbonError(
            f"the file is not UTF-8 text: byte 0x{data[exc.start]:02X} is not valid UTF-8 (the file may be "
            "Latin-1 or Windows-1252, as some spreadsheet programs save it). Save it as UTF-8 CSV.",
            row=line,
        ) from None


_CSV_ERRORS = {
    "unexpected end of data": "a quoted cell that starts on this line is never closed (the file may be cut off)",
    "expected after": "a closing quote is followed by other characters instead of a comma or the end of the line",
    "field larger than field limit": "a cell is longer than the CSV reader's limit (131,072 characters)",
    "new-line character seen in unquoted field": "a line break sits inside an unquoted cell",
}


def _records(text: str) -> list[tuple[int, list[str]]]:
    """The CSV records with the line each starts on; blank lines skipped. Strict syntax."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    last_line = 0
    while True:
        start = last_line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as exc:
            detail = next((v for k, v in _CSV_ERRORS.items() if k in str(exc)), f"the CSV is malformed ({exc})")
            raise CodeCarbonError(f"broken CSV: {detail}", row=start) from None
        last_line = reader.line_num
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if len(records) > MAX_ROWS:  # header + MAX_ROWS data rows already read
            raise CodeCarbonError(
                f"the file has more than {MAX_ROWS:,} data rows (line {start:,} is over the limit)",
                row=start,
            )
        records.append((start, cells))


def _closest(header: list[str]) -> tuple[Schema, bool]:
    """The schema closest to ``header`` among those whose required columns it has (else among all)."""
    have = set(header)

    def distance(schema: Schema) -> int:
        return len(have.symmetric_difference(schema.columns))

    readable = [s for s in SCHEMAS if set(s.required) <= have]
    pool = readable or list(SCHEMAS)
    best = min(pool, key=distance)  # min keeps the first (newest) of equally close schemas
    return best, bool(readable)


def _schema_for(header: list[str], line: int) -> Schema:
    """Recognise the schema of ``header`` (found on ``line``), or say what is wrong with it."""
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise CodeCarbonError(f"the header names column '{name}' twice", row=line, column=name)
        seen.add(name)
    known = [c for c in header if c in _KNOWN_COLUMNS]
    if len(known) < 3:
        if len(header) == 1:
            for sep, word in ((";", "semicolons"), ("\t", "tabs")):
                if len(set(header[0].split(sep)) & _KNOWN_COLUMNS) >= 3:
                    raise CodeCarbonError(
                        f"the cells are separated by {word}; CodeCarbon writes commas. "
                        "Export the file again as comma-separated CSV.",
                        row=line,
                    )
        shown = ", ".join(_show(c) for c in header[:8]) + (", ..." if len(header) > 8 else "")
        raise CodeCarbonError(
            "this is not a CodeCarbon emissions.csv: its header has none of CodeCarbon's columns (such as "
            f"timestamp, duration, emissions, energy_consumed); it has {shown}",
            row=line,
        )
    schema, readable = _closest(header)
    if not readable:
        missing = [c for c in schema.required if c not in seen]
        raise CodeCarbonError(
            f"the header has no {', '.join(repr(c) for c in missing)} column{'s' if len(missing) > 1 else ''}, "
            f"needed to read a CodeCarbon file; the closest CodeCarbon schema is {schema.label} ({schema.id})",
            row=line,
            column=missing[0],
        )
    return schema


def _number(cell: str, line: int, column: str, required: bool, signed: bool = False) -> float:
    """The finite number in ``cell`` (NaN for an allowed empty cell), or an error naming line and column."""
    text = cell.strip()
    unit = _MEASURED_UNITS.get(column)
    if not text:
        if required:
            raise CodeCarbonError(f"the cell is empty; CodeCarbon writes a number here [{unit}]", line, column)
        return math.nan
    try:
        if not text.isascii() or "_" in text:
            raise ValueError(text)
        value = float(text)
    except ValueError:
        raise CodeCarbonError(f"{_show(cell)} is not a number", line, column) from None
    if not math.isfinite(value):
        raise CodeCarbonError(f"{_show(cell)} is not a finite number", line, column)
    if value < 0 and not signed:
        raise CodeCarbonError(f"{_show(cell)} is negative; it must be 0 or more", line, column)
    return value


def _timestamp(text: str) -> datetime | None:
    """``text`` as a naive datetime (UTC if it carried an offset), or None if it is not ISO 8601."""
    try:
        moment = datetime.fromisoformat(text.strip())
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):  # not ISO 8601, or an offset that moves it out of years 1-9999
        return None
    return moment


def _distinct(values: list[str]) -> tuple[str, ...]:
    """The non-blank values, each once, in order of first appearance."""
    return tuple(v for v in dict.fromkeys(values) if v.strip())


def parse_emissions_csv(data: bytes) -> MeasuredRun:
    """Read the bytes of a CodeCarbon ``emissions.csv`` (any schema of :data:`SCHEMAS`).

    Raises :class:`CodeCarbonError` (a ``ValueError``) for anything that is not such a file: empty, binary,
    not UTF-8 (a UTF-8 byte-order mark is fine), broken CSV, a row with too few or too many cells, missing
    columns, more than :data:`MAX_ROWS` rows, a measured value (duration, emissions, energies) that is empty,
    not a number, infinite, NaN or negative, or another numeric cell that is not a finite number (negative
    except for longitude and latitude).
    """
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"parse_emissions_csv expects the file's bytes, not {type(data).__name__}")
    records = _records(_decode(bytes(data)))
    if not records:
        raise CodeCarbonError("the file holds only blank lines, no CSV")
    header_line, raw_header = records[0]
    header = [name.strip() for name in raw_header]
    schema = _schema_for(header, header_line)
    body = records[1:]
    if not body:
        raise CodeCarbonError(f"the file has a header (line {header_line}) but no data rows")

    index = {name: i for i, name in enumerate(header)}
    measured = [c for c in _MEASURED_UNITS if c in index]
    optional = [(c, index[c], c in _OPTIONAL_SIGNED) for c in _OPTIONAL_NON_NEGATIVE + _OPTIONAL_SIGNED if c in index]
    texts = [c for c in _TEXT_COLUMNS if c in index]
    numbers: dict[str, list[float]] = {c: [] for c in measured}
    strings: dict[str, list[str]] = {c: [] for c in texts}
    pue: list[float] = []
    lines: list[int] = []
    width = len(header)
    for line, cells in body:
        if len(cells) != width:
            if len(cells) < width:
                raise CodeCarbonError(
                    f"the row has {len(cells)} cells but the header has {width}: it stops before column "
                    f"'{header[len(cells)]}' (was the file cut off or edited?)",
                    row=line,
                    column=header[len(cells)],
                )
            raise CodeCarbonError(
                f"the row has {len(cells)} cells but the header has {width} (a comma inside an unquoted cell?)",
                row=line,
            )
        for name in measured:
            numbers[name].append(_number(cells[index[name]], line, name, required=True))
        for name, i, signed in optional:
            value = _number(cells[i], line, name, required=False, signed=signed)
            if name == "pue" and not math.isnan(value):
                pue.append(value)
        for name in texts:
            strings[name].append(cells[index[name]])
        lines.append(line)

    n = len(lines)
    zeros = [0.0] * n
    duration = np.array(numbers["duration"], dtype=float)
    counted = _last_of_each_run(strings.get("run_id"), strings.get("task_name"), duration)
    frame = pd.DataFrame(
        {
            "line": lines,
            "timestamp": strings["timestamp"],
            "project_name": strings["project_name"],
            "run_id": strings.get("run_id", [""] * n),
            "country_iso_code": strings["country_iso_code"],
            "duration_s": duration,
            "energy_kwh": numbers["energy_consumed"],
            "cpu_energy_kwh": numbers.get("cpu_energy", zeros),
            "gpu_energy_kwh": numbers.get("gpu_energy", zeros),
            "ram_energy_kwh": numbers.get("ram_energy", zeros),
            "emissions_kg_co2e": numbers["emissions"],
            "counted": counted,
        }
    )
    totals = frame.loc[frame["counted"]]
    moments = [m for m in map(_timestamp, strings["timestamp"]) if m is not None]
    return MeasuredRun(
        schema=schema.id,
        schema_label=schema.label,
        schema_exact=set(header) == set(schema.columns),
        missing_columns=tuple(c for c in schema.columns if c not in index),
        extra_columns=tuple(c for c in header if c not in schema.columns),
        row_count=n,
        run_count=int(counted.sum()),
        duration_s=float(totals["duration_s"].sum()),
        energy_kwh=float(totals["energy_kwh"].sum()),
        cpu_energy_kwh=float(totals["cpu_energy_kwh"].sum()),
        gpu_energy_kwh=float(totals["gpu_energy_kwh"].sum()),
        ram_energy_kwh=float(totals["ram_energy_kwh"].sum()),
        emissions_kg_co2e=float(totals["emissions_kg_co2e"].sum()),
        has_components=all(c in index for c in ("cpu_energy", "gpu_energy", "ram_energy")),
        country_iso_codes=_distinct(strings["country_iso_code"]),
        country_names=_distinct(strings.get("country_name", [])),
        regions=_distinct(strings.get("region", [])),
        project_names=_distinct(strings["project_name"]),
        codecarbon_versions=_distinct(strings.get("codecarbon_version", [])),
        pue_values=tuple(dict.fromkeys(pue)),
        first_timestamp=min(moments, default=None),
        last_timestamp=max(moments, default=None),
        rows=frame,
    )


def _last_of_each_run(run_ids: list[str] | None, task_names: list[str] | None, duration_s: np.ndarray) -> np.ndarray:
    """Boolean mask of the rows that count: per run (``run_id``, and ``task_name`` in a task file), the row of
    largest duration (the last such row on a tie). Rows without a ``run_id`` each count on their own.
    """
    n = len(duration_s)
    if run_ids is None:
        return np.ones(n, dtype=bool)
    best: dict[tuple[str, str] | int, int] = {}
    for i in range(n):
        run = run_ids[i].strip()
        key: tuple[str, str] | int = (run, task_names[i] if task_names is not None else "") if run else i
        kept = best.get(key)
        if kept is None or duration_s[i] >= duration_s[kept]:
            best[key] = i
    mask = np.zeros(n, dtype=bool)
    mask[list(best.values())] = True
    return mask


def measured_breakdown_kwh(m: MeasuredRun) -> dict[str, float]:
    """The measured energy by part [kWh]: ``cpu``, ``gpu``, ``ram`` and ``other``.

    ``other = energy_consumed - cpu - gpu - ram``, clipped at 0 (and set to 0 when it is below a relative
    1e-9 of the energy, the float rounding of a sum): nothing for the schemas that break energy down
    (CodeCarbon documents ``energy_consumed`` as the sum of the three), all of it for ``v1_12``.
    """
    other = m.energy_kwh - m.cpu_energy_kwh - m.gpu_energy_kwh - m.ram_energy_kwh
    if other <= _ROUNDING * m.energy_kwh:  # float rounding of the sum, or a negative difference: nothing else
        other = 0.0
    return {"cpu": m.cpu_energy_kwh, "gpu": m.gpu_energy_kwh, "ram": m.ram_energy_kwh, "other": other}


def reprice_in_countries(m: MeasuredRun, intensities: pd.DataFrame | None = None) -> pd.DataFrame:
    """The measured energy priced on every country's grid, sorted by total (cleanest first).

    ``C_op = E * I_grid / 1e6`` [t CO2e] with ``E`` = ``energy_consumed`` as CodeCarbon reported it
    (:func:`carbon_core.emissions.operational_t_co2e`; no PUE added: CodeCarbon has already applied its
    own, see the module docstring). Embodied emissions are 0: a measured run says nothing about the hardware's
    manufacture, so the total is the operational part only. ``intensities`` replaces the bundled latest-year
    grid data, as in :func:`carbon_core.countries.price_in_countries`, whose columns this returns:
    ``iso3, country, year, grid_g_co2e_per_kwh, operational_t_co2e, embodied_t_co2e, total_t_co2e, source``.
    """
    return price_energy_in_countries(m.energy_kwh, 0.0, intensities)
