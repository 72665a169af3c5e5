"""Exports of a scenario and its results: JSON, CSV, and a Hugging Face model-card ``co2_eq_emissions`` block.

**JSON** (:func:`scenario_json`) is the CLI's ``estimate --json`` document (:meth:`Footprint.to_dict`, same keys
in the same order) headed by ``format`` (:data:`FORMAT`) and ``carbon_core_version``.

**CSV** (:func:`scenario_csv`) has one row per value of that document, ``quantity,value,unit``, where
``quantity`` is the JSON path (``total_t_co2e``, ``inputs.pue``, ``equivalents.tree_year``). Numbers stay
numbers; every text cell goes through :func:`neutralise_csv_cell` against CSV (formula) injection: OWASP,
"CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection, read as
``OWASP/www-community`` ``pages/attacks/CSV_Injection.md``) says no cell may begin with ``=``, ``+``, ``-``,
``@``, tab (0x09), carriage return (0x0D) or line feed (0x0A), and that a single quote prepended to the
field makes a spreadsheet read it as text. The separator and quote characters it also warns about are
handled by RFC 4180 quoting (:func:`csv_field`), so no dangerous character can start a cell or row of its own.

**Model card** (:func:`model_card_block`) follows the Hugging Face Hub guide "Displaying carbon emissions
for your model" (https://huggingface.co/docs/hub/model-cards-co2, read as ``huggingface/hub-docs``
``docs/hub/model-cards-co2.md``). The block lives in the YAML metadata (front matter, between ``---`` lines)
of the model repository's ``README.md``, with the structure::

    co2_eq_emissions:
      emissions: number (in grams of CO2)
      source: "source of the information, either directly from AutoTrain, code carbon or from a scientific
               article documenting the model"
      training_type: "pre-training or fine-tuning"
      geographical_location: "as granular as possible, for instance Quebec, Canada or Brooklyn, NY, USA"
      hardware_used: "how much compute and what kind, e.g. 8 v100 GPUs"

and the guide repeats that ``emissions`` "is the emissions value in **grams**". The figure it describes is
the electricity of training: "multiply the power consumption and carbon intensity by the training time",
measured with Code Carbon or estimated with the ML CO2 Impact calculator (Lacoste et al. 2019), neither of
which counts manufacturing. So ``emissions`` is by default the run's location-based operational emissions
(``operational_t_co2e`` x 1e6 g/t: facility energy, PUE included, x grid intensity), comparable with the
other cards on the Hub; ``include_embodied=True`` reports ``total_t_co2e`` (operational + embodied)
instead. Either way a YAML comment in the block says which, and what was left out. Market-based emissions
(renewable contracts) and the whole-project multiplier are not used: the guide asks for the emissions of
training the model, at the grid where it ran. The model-card template (``huggingface/huggingface_hub``
``src/huggingface_hub/templates/modelcard_template.md``, "Environmental Impact") also asks for "Total
emissions (in grams of CO2eq)". :class:`huggingface_hub.ModelCardData` (``src/huggingface_hub/repocard_data.py``)
passes ``co2_eq_emissions`` through as free metadata; the block is written by hand, without PyYAML, with
every string double-quoted and escaped (YAML 1.2 sec. 7.3.1; the escapes used are also valid JSON, so the
strings parse the same in YAML 1.1, YAML 1.2 and JSON).
"""

from __future__ import annotations

import importlib.metadata
import json
import math
import numbers
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from carbon_core.equivalents import equivalence_factors
from carbon_core.footprint import Footprint
from carbon_core.inputs import field_inputs
from carbon_core.uncertainty import UncertaintyResult
from carbon_core.units import G_PER_T

#: Identifies the JSON document and its version; bump the number when a key changes meaning.
FORMAT = "training-emissions-explorer/1"
#: The distribution name in ``pyproject.toml``.
DISTRIBUTION = "training-emissions-explorer"
#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").
CSV_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: Columns of the countries table as written out (CLI ``countries --csv``/``--json``), in this order.
COUNTRY_COLUMNS = (
    "iso3",
    "country",
    "year",
    "grid_g_co2e_per_kwh",
    "total_t_co2e",
    "operational_t_co2e",
    "embodied_t_co2e",
    "source",
    "low_precision",
)
#: ``training_type`` values suggested by the Hugging Face guide.
TRAINING_TYPES = ("pre-training", "fine-tuning")
DEFAULT_SOURCE = "Training Emissions Explorer (estimate)"

#: Unit of each quantity whose name does not end in a unit suffix (see :func:`unit_of`).
_UNITS = {
    "format": "text",
    "carbon_core_version": "text",
    "gpu_hours": "GPU-h",
    "peak_dense_tflops": "TFLOP/s",
    "households_powered": "US homes (average power)",
    "accelerator": "catalogue id",
    "accelerator_name": "text",
    "gpu_count": "GPUs",
    "training_hours": "h",
    "pue": "ratio",
    "wue_l_per_kwh": "L per kWh of IT energy",
    "country_iso3": "ISO 3166-1 alpha-3",
    "embodied_attribution": "amortised or full",
    "project_multiplier": "ratio",
    "grid_year": "year",
    "grid_source": "text",
    "grid_basis": "text",
    "water_off_site_basis": "text",
    "region": "region id",
    "uncertainty_samples": "samples",
    "uncertainty_seed": "integer",
}
#: Unit of a quantity by the end of its name, tried in order.
_SUFFIX_UNITS = (
    ("_g_co2e_per_kwh", "g CO2e/kWh"),
    ("_kg_co2e_per_gpu", "kg CO2e per GPU"),
    ("_l_per_kwh", "L/kWh"),
    ("_w_per_gpu", "W per GPU"),
    ("_t_co2e", "t CO2e"),
    ("_kwh", "kWh"),
    ("_mw", "MW"),
    ("_l", "L"),
    ("_w", "W"),
    ("_fraction", "fraction (0-1)"),
    ("_years", "years"),
    ("_hours", "h"),
)
_PERCENTILE_SUFFIXES = ("_p5", "_p50", "_p95")


@cache
def carbon_core_version() -> str | None:
    """The version of this code: ``pyproject.toml`` of a source checkout, else the installed metadata."""
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        project = {}
    if project.get("name") == DISTRIBUTION and isinstance(project.get("version"), str):
        return project["version"]
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None


def scenario_document(footprint: Footprint, uncertainty: UncertaintyResult | None = None) -> dict[str, Any]:
    """``format``, ``carbon_core_version``, then the CLI's ``estimate --json`` document, keys in its order.

    With ``uncertainty``, the same extra keys as ``estimate --json --uncertainty``: ``<result>_p5``,
    ``_p50``, ``_p95`` (in the result's unit), ``uncertainty_samples`` and ``uncertainty_seed``.
    """
    data: dict[str, Any] = {"format": FORMAT, "carbon_core_version": carbon_core_version()}
    data |= footprint.to_dict()
    if uncertainty is not None:
        data |= uncertainty_fields(uncertainty)
    return data


def uncertainty_fields(uncertainty: UncertaintyResult) -> dict[str, Any]:
    """The keys an uncertainty adds to a document, in this order: for each result ``<result>_p5``,
    ``<result>_p50``, ``<result>_p95`` (in the result's unit), then ``uncertainty_samples`` and
    ``uncertainty_seed``. The CLI's ``estimate --json --uncertainty`` and :func:`scenario_document` use it.
    """
    data: dict[str, Any] = {}
    for key, interval in uncertainty.intervals.items():
        data |= {f"{key}_p5": interval.p5, f"{key}_p50": interval.p50, f"{key}_p95": interval.p95}
    return data | {"uncertainty_samples": uncertainty.samples, "uncertainty_seed": uncertainty.seed}


def scenario_json(footprint: Footprint, uncertainty: UncertaintyResult | None = None) -> str:
    """:func:`scenario_document` as indented JSON; non-finite numbers are refused (``ValueError``)."""
    return json.dumps(scenario_document(footprint, uncertainty), indent=2, allow_nan=False)


def unit_of(quantity: str) -> str:
    """The unit of a CSV ``quantity`` (a JSON path such as ``inputs.pue``), e.g. ``t CO2e`` or ``ratio``.

    ``equivalents.<key>`` take the counted unit of their factor (``data/equivalences.csv``), source texts
    are ``text``; a name not known here falls back on its suffix (``_kwh``, ``_t_co2e``, ...), else ``""``.
    (No unit is ``-``: it would be a formula trigger, see :func:`neutralise_csv_cell`.)
    """
    parts = quantity.split(".")
    if parts[0] == "equivalents" and len(parts) == 2:
        factor = equivalence_factors().get(parts[1])
        return factor.unit.removeprefix("per ") if factor else ""
    if len(parts) == 3 and parts[:2] == ["inputs", "default_sources"]:
        return "text"
    name = parts[-1]
    for suffix in _PERCENTILE_SUFFIXES:
        if name.endswith(suffix) and name != suffix:
            name = name.removesuffix(suffix)
            break
    if name in _UNITS:
        return _UNITS[name]
    by_suffix = next((unit for suffix, unit in _SUFFIX_UNITS if name.endswith(suffix)), "")
    row = field_inputs().get(name)
    return by_suffix or (row.unit if row is not None else "")


def _flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{path}.")
        else:
            yield path, value


def neutralise_csv_cell(value: str) -> str:
    """``value`` with a single quote in front if it starts with ``=``, ``+``, ``-``, ``@``, tab, CR or LF.

    A spreadsheet opening the CSV would otherwise run it as a formula (OWASP, "CSV Injection",
    https://owasp.org/www-community/attacks/CSV_Injection). Other text is returned unchanged.
    """
    return "'" + value if value.startswith(CSV_FORMULA_TRIGGERS) else value


def csv_field(value: Any) -> str:
    """One CSV field: numbers as numbers (``repr`` of the float, so exact), missing values empty, and text
    neutralised (:func:`neutralise_csv_cell`) then quoted as RFC 4180 asks when it holds ``,``, ``"``, CR or LF.

    Written here rather than by :mod:`csv` or pandas: with a ``\\n`` line end they leave a lone CR unquoted,
    which a reader takes for a line break, so the rest of the cell would start a row of its own.
    """
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        return "" if math.isnan(number) else repr(number)
    text = neutralise_csv_cell(str(value))
    if any(char in text for char in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_text(rows: Iterable[Iterable[Any]]) -> str:
    return "".join(",".join(csv_field(cell) for cell in row) + "\n" for row in rows)


def scenario_csv(footprint: Footprint, uncertainty: UncertaintyResult | None = None) -> str:
    """Every input, result and equivalent as ``quantity,value,unit`` rows (RFC 4180, ``\\n`` line ends).

    One row per value of :func:`scenario_document`, in its order; ``quantity`` is the JSON path and
    ``unit`` comes from :func:`unit_of`. Text cells are neutralised (:func:`neutralise_csv_cell`).
    """
    rows: list[list[Any]] = [["quantity", "value", "unit"]]
    for quantity, value in _flatten(scenario_document(footprint, uncertainty)):
        rows.append([quantity, value, unit_of(quantity)])
    return _csv_text(rows)


def countries_csv(frame: pd.DataFrame) -> str:
    """A table such as :func:`carbon_core.price_in_countries` as CSV (no index column), one row per row.

    Cells and headers are written by :func:`csv_field`: text neutralised, numbers as numbers.
    """
    return _csv_text([list(frame.columns), *frame.itertuples(index=False, name=None)])


_YAML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _yaml_printable(code: int) -> bool:
    """YAML 1.2 ``c-printable`` (sec. 5.1) without line breaks, NEL, U+2028/U+2029 and the byte-order mark."""
    in_range = 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000
    return in_range and code not in (0x2028, 0x2029, 0xFEFF)


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (YAML 1.2 sec. 7.3.1), safe on one line.

    Backslash and double quote are escaped, and so is every character YAML does not allow as printable
    or that would break the line (C0/C1 controls, DEL, U+2028, U+2029, U+FEFF, surrogates): as ``\\t``,
    ``\\n``, ``\\r`` or ``\\uXXXX``. These escapes mean the same in JSON, so ``json.loads`` reads it back.
    """
    out = []
    for char in text:
        code = ord(char)
        if char in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[char])
        elif _yaml_printable(code):
            out.append(char)
        else:
            out.append(f"\\u{code:04x}")
    return '"' + "".join(out) + '"'


def yaml_number(value: float) -> str:
    """A finite float in plain decimal notation (``8938105545.6``, never ``1e+16``), exactly as ``repr``.

    Plain notation, because YAML 1.1 readers (PyYAML) take ``1e+16`` without a dot for a string.
    """
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    return format(Decimal(repr(float(value))), "f")


def hardware_used(footprint: Footprint) -> str:
    """How much compute and what kind, e.g. ``16384 x NVIDIA H100 SXM5 80GB``."""
    run = footprint.run
    name = run.accelerator_entry.name if run.accelerator_entry else f"custom accelerator ({run.gpu_power_w:g} W)"
    return f"{run.gpu_count} x {name}"


def geographical_location(footprint: Footprint) -> str:
    """The grid's country with its ISO 3166-1 alpha-3 code (``France (FRA)``), or the intensity typed in."""
    grid = footprint.run.grid
    if grid.iso3 is not None:
        return f"{grid.country} ({grid.iso3})"
    return f"grid intensity set by hand: {grid.grid_g_co2e_per_kwh:.6g} g CO2e/kWh"


def model_card_block(
    footprint: Footprint,
    training_type: str = "pre-training",
    source: str = DEFAULT_SOURCE,
    *,
    include_embodied: bool = False,
    front_matter: bool = False,
) -> str:
    """The ``co2_eq_emissions:`` block of a Hugging Face model card's YAML metadata (see the module docstring).

    ``emissions`` [g CO2eq] is ``operational_t_co2e * 1e6`` (location-based electricity of the final run,
    PUE included), or ``total_t_co2e * 1e6`` with ``include_embodied``; a comment in the block says which.
    ``training_type`` is free text, the guide suggests :data:`TRAINING_TYPES`. ``front_matter`` wraps the
    block in ``---`` lines, ready to start a new ``README.md``; otherwise paste it inside the existing ones.
    """
    if include_embodied:
        tonnes = footprint.total_t_co2e
        basis = ["emissions: operational (location-based, PUE included) + embodied (manufacturing) [g CO2eq]."]
    else:
        tonnes = footprint.operational_t_co2e
        basis = [
            "emissions: operational [g CO2eq] = facility energy (PUE included) x location-based grid intensity.",
            f"Not included: embodied (manufacturing) emissions, {footprint.embodied_t_co2e:,.3f} t CO2e.",
        ]
    lines = [
        "co2_eq_emissions:",
        *(f"  # {line}" for line in basis),
        f"  emissions: {yaml_number(tonnes * G_PER_T)}",
        f"  source: {yaml_string(source)}",
        f"  training_type: {yaml_string(training_type)}",
        f"  geographical_location: {yaml_string(geographical_location(footprint))}",
        f"  hardware_used: {yaml_string(hardware_used(footprint))}",
    ]
    if front_matter:
        lines = ["---", *lines, "---"]
    return "\n".join(lines) + "\n"
