"""Exports (``carbon_core.io.export``): scenario JSON and CSV, CSV-injection neutralisation, the model-card block,
and the ``estimate --export-csv`` / ``--model-card`` flags of the CLI."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from carbon_core import TrainingRun, estimate, get_preset, price_in_countries
from carbon_core.footprint import Footprint
from carbon_core.grid import GridFactor
from carbon_core.io.export import (
    CSV_FORMULA_TRIGGERS,
    DEFAULT_SOURCE,
    FORMAT,
    countries_csv,
    csv_field,
    model_card_block,
    neutralise_csv_cell,
    scenario_csv,
    scenario_document,
    scenario_json,
    unit_of,
    yaml_number,
    yaml_string,
)
from carbon_core.uncertainty import monte_carlo

REPO_ROOT = Path(__file__).resolve().parents[1]
CARD_KEYS = ["emissions", "source", "training_type", "geographical_location", "hardware_used"]
SETTINGS = settings(max_examples=200, deadline=None)
# Text without surrogates (hypothesis' default alphabet already leaves them out).
TEXT = st.text(max_size=40)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "CARBON_CORE_DATA_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "carbon_core", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def ok(*args: str) -> str:
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out |= flatten(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def parse_card(block: str) -> dict[str, Any]:
    """A tiny reader for exactly the shape ``model_card_block`` writes (PyYAML is not a dependency)."""
    lines = block.splitlines()
    assert lines[0] == "co2_eq_emissions:"
    values: dict[str, Any] = {}
    for line in lines[1:]:
        assert line.startswith("  ") and not line.startswith("   "), repr(line)
        body = line[2:]
        if body.startswith("# "):
            continue
        key, sep, raw = body.partition(": ")
        assert sep and key.isidentifier() and key not in values, repr(line)
        # Double-quoted scalars use only escapes that JSON shares; numbers are plain decimals.
        values[key] = json.loads(raw) if raw.startswith('"') else float(raw)
    return values


@pytest.fixture(scope="module")
def default_fp() -> Footprint:
    return estimate()


@pytest.fixture(scope="module")
def llama() -> Footprint:
    return estimate(get_preset("llama-3.1-405b").run())


@pytest.fixture(scope="module")
def cli_default_json() -> dict[str, Any]:
    return json.loads(ok("estimate", "--json"))


# --- JSON ------------------------------------------------------------------------------------------------


def test_scenario_json_round_trips_with_the_cli_keys(default_fp, cli_default_json):
    doc = json.loads(scenario_json(default_fp))
    assert doc["format"] == FORMAT == "training-emissions-explorer/1"
    version = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert doc["carbon_core_version"] == version
    rest = {key: value for key, value in doc.items() if key not in ("format", "carbon_core_version")}
    # Same keys in the same order as `estimate --json`, nested ones too, and the same values.
    assert list(rest) == list(cli_default_json)
    assert list(rest["inputs"]) == list(cli_default_json["inputs"])
    assert list(rest["equivalents"]) == list(cli_default_json["equivalents"])
    assert rest == cli_default_json
    assert list(doc)[:2] == ["format", "carbon_core_version"]


def test_scenario_json_is_deterministic(default_fp):
    assert scenario_json(default_fp) == scenario_json(estimate())


def test_scenario_json_refuses_nan(default_fp):
    broken = default_fp.model_copy(update={"total_t_co2e": math.nan})
    with pytest.raises(ValueError):
        scenario_json(broken)


def test_scenario_json_with_uncertainty_has_the_cli_keys(default_fp):
    cli_doc = json.loads(ok("estimate", "--json", "--uncertainty", "--samples", "200", "--seed", "3"))
    doc = json.loads(scenario_json(default_fp, monte_carlo(default_fp.run, samples=200, seed=3)))
    assert list(doc)[2:] == list(cli_doc)
    assert doc["total_t_co2e_p95"] == cli_doc["total_t_co2e_p95"]
    assert doc["uncertainty_samples"] == 200


# --- CSV -------------------------------------------------------------------------------------------------


def test_scenario_csv_has_every_input_and_result_with_units(default_fp):
    text = scenario_csv(default_fp)
    rows = csv_rows(text)
    assert rows[0] == ["quantity", "value", "unit"]
    assert all(len(row) == 3 for row in rows)
    table = {quantity: (value, unit) for quantity, value, unit in rows[1:]}
    assert len(table) == len(rows) - 1  # one row per quantity
    expected = flatten(scenario_document(default_fp))
    assert list(table) == list(expected)
    for field in Footprint.model_fields:
        if field not in ("run", "equivalents"):
            assert field in table, field
    for field in default_fp.run.inputs():
        if field != "default_sources":
            assert f"inputs.{field}" in table, field
    for key in default_fp.equivalents:
        assert f"equivalents.{key}" in table, key
    for quantity, (value, unit) in table.items():
        assert unit, f"{quantity} has no unit"
        want = expected[quantity]
        if isinstance(want, (int, float)):
            assert float(value) == want, quantity  # numbers written as numbers, exactly
        else:
            assert value == ("" if want is None else want), quantity
    assert table["total_t_co2e"][1] == "t CO2e"
    assert table["facility_energy_kwh"][1] == "kWh"
    assert table["fleet_power_mw"][1] == "MW"
    assert table["gpu_hours"][1] == "GPU-h"
    assert table["inputs.gpu_count"] == ("1024", "GPUs")
    assert table["inputs.training_hours"][1] == "h"
    assert table["inputs.gpu_power_w"][1] == "W"
    assert table["inputs.server_power_w_per_gpu"][1] == "W per GPU"
    assert table["inputs.grid_g_co2e_per_kwh"][1] == "g CO2e/kWh"
    assert table["inputs.embodied_kg_co2e_per_gpu"][1] == "kg CO2e per GPU"
    assert table["inputs.hardware_lifetime_years"][1] == "years"
    assert table["inputs.utilisation_fraction"][1] == "fraction (0-1)"
    assert table["inputs.pue"][1] == "ratio"
    assert table["inputs.country_iso3"] == ("USA", "ISO 3166-1 alpha-3")
    assert table["equivalents.tree_year"][1] == "tree-year"


def test_scenario_csv_reads_with_pandas(default_fp):
    frame = pd.read_csv(io.StringIO(scenario_csv(default_fp)), keep_default_na=False, dtype=str)
    assert list(frame.columns) == ["quantity", "value", "unit"]
    by_quantity = frame.set_index("quantity")
    assert_allclose(float(by_quantity.loc["total_t_co2e", "value"]), default_fp.total_t_co2e, rtol=0)
    assert by_quantity.loc["inputs.pue", "unit"] == "ratio"


def test_no_csv_text_cell_starts_with_a_formula_trigger(default_fp, llama):
    for fp in (default_fp, llama):
        for row in csv_rows(scenario_csv(fp)):
            for cell in row:
                try:
                    float(cell)
                except ValueError:
                    assert not cell.startswith(CSV_FORMULA_TRIGGERS), cell


def test_scenario_csv_neutralises_malicious_text(default_fp):
    payload = '=HYPERLINK("http://x","y")'
    grid = GridFactor(grid_g_co2e_per_kwh=100.0, source=payload)
    fp = default_fp.model_copy(update={"run": default_fp.run.model_copy(update={"grid": grid})})
    table = {row[0]: row[1] for row in csv_rows(scenario_csv(fp))}
    assert table["inputs.grid_source"] == "'" + payload


def test_scenario_csv_keeps_negative_numbers_as_numbers(default_fp):
    fp = default_fp.model_copy(update={"gpu_hours": -1.5})
    table = {row[0]: row[1] for row in csv_rows(scenario_csv(fp))}
    assert table["gpu_hours"] == "-1.5"
    assert float(table["gpu_hours"]) == -1.5


def test_scenario_csv_with_uncertainty_rows(default_fp):
    result = monte_carlo(default_fp.run, samples=200, seed=1)
    table = {row[0]: (row[1], row[2]) for row in csv_rows(scenario_csv(default_fp, result))}
    assert float(table["total_t_co2e_p5"][0]) == result.intervals["total_t_co2e"].p5
    assert table["total_t_co2e_p95"][1] == "t CO2e"
    assert table["facility_energy_kwh_p50"][1] == "kWh"
    assert table["uncertainty_samples"] == ("200", "samples")


def test_unit_of_falls_back_on_the_suffix():
    assert unit_of("some_new_t_co2e") == "t CO2e"
    assert unit_of("inputs.some_new_kwh") == "kWh"
    assert unit_of("equivalents.unknown_factor") == ""
    assert unit_of("inputs.default_sources.pue") == "text"


# --- neutralisation --------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "=", '=HYPERLINK("x")'])
def test_formula_cells_get_a_leading_quote(cell):
    assert neutralise_csv_cell(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell", ["France", "", "1.5", "1e-5", "a=b", " =1", "'=1", "Cote d'Ivoire", "Côte d’Ivoire", "t CO2e", "(1)"]
)
def test_ordinary_text_is_unchanged(cell):
    assert neutralise_csv_cell(cell) == cell


@pytest.mark.parametrize(
    ("value", "field"),
    [(-1.5, "-1.5"), (-1, "-1"), (0, "0"), (2.5e9, "2500000000.0"), (np.float64(-0.25), "-0.25"), (np.int64(7), "7")],
)
def test_numbers_are_not_turned_into_text(value, field):
    assert csv_field(value) == field


@pytest.mark.parametrize("value", [None, math.nan, np.float32("nan"), pd.NA])
def test_missing_values_are_empty(value):
    assert csv_field(value) == ""


@pytest.mark.parametrize(
    ("value", "field"),
    [("a,b", '"a,b"'), ('say "hi"', '"say ""hi"""'), ("a\rb", '"a\rb"'), ("a\nb", '"a\nb"'), ("=1,2", '"\'=1,2"')],
)
def test_text_fields_are_quoted_as_rfc_4180_asks(value, field):
    assert csv_field(value) == field


@SETTINGS
@given(TEXT)
def test_no_neutralised_cell_starts_with_a_trigger(text):
    out = neutralise_csv_cell(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert not out.startswith(CSV_FORMULA_TRIGGERS)
    assert out in (text, "'" + text)
    assert out.removeprefix("'") == text or out == text


@SETTINGS
@given(TEXT, TEXT)
def test_countries_csv_round_trips_neutralised_text(country, source):
    frame = pd.DataFrame({"iso3": ["AAA"], "country": [country], "total_t_co2e": [-2.5], "source": [source]})
    text = countries_csv(frame)
    rows = csv_rows(text)
    assert len(rows) == 2  # no text can start a row of its own
    assert rows[0] == ["iso3", "country", "total_t_co2e", "source"]
    assert rows[1] == ["AAA", neutralise_csv_cell(country), "-2.5", neutralise_csv_cell(source)]
    back = pd.read_csv(io.StringIO(text), keep_default_na=False, dtype={"country": str, "source": str})
    assert back.loc[0, "country"] == neutralise_csv_cell(country)
    assert back.loc[0, "total_t_co2e"] == -2.5


# --- countries -------------------------------------------------------------------------------------------


def test_countries_csv_of_the_real_table_is_unchanged_text():
    frame = price_in_countries()
    back = pd.read_csv(io.StringIO(countries_csv(frame)), keep_default_na=False)
    assert list(back.columns) == list(frame.columns)
    assert len(back) == len(frame)
    assert list(back["iso3"]) == list(frame["iso3"])
    assert list(back["country"]) == list(frame["country"])
    for column in ("grid_g_co2e_per_kwh", "operational_t_co2e", "embodied_t_co2e", "total_t_co2e"):
        assert_allclose(back[column].to_numpy(float), frame[column].to_numpy(float), rtol=1e-15, err_msg=column)


def test_countries_csv_neutralises_a_malicious_country():
    frame = price_in_countries().head(3).copy()
    payload = '=HYPERLINK("http://x")'
    frame.loc[frame.index[0], "country"] = payload
    frame.loc[frame.index[1], "source"] = "@SUM(A1)"
    frame = frame.rename(columns={"year": "-year"})
    before = frame.copy()
    text = countries_csv(frame)
    back = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert back.loc[0, "country"] == "'" + payload
    assert back.loc[1, "source"] == "'@SUM(A1)"
    assert "'-year" in back.columns
    assert_allclose(back["total_t_co2e"], frame["total_t_co2e"], rtol=1e-15)
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is not modified
    for row in csv_rows(text):
        for cell in row:
            try:
                float(cell)
            except ValueError:
                assert not cell.startswith(CSV_FORMULA_TRIGGERS), cell


# --- model card ------------------------------------------------------------------------------------------


def test_model_card_llama_3_1_405b(llama):
    block = model_card_block(llama)
    card = parse_card(block)
    assert list(card) == CARD_KEYS
    # Operational (location-based) emissions in grams; this preset has no embodied part, so it is also the total.
    assert card["emissions"] == llama.operational_t_co2e * 1e6
    assert card["emissions"] == llama.total_t_co2e * 1e6
    assert_allclose(card["emissions"], 8_938.106e6, rtol=1e-6)
    assert_allclose(card["emissions"], 8_930e6, rtol=0.01)  # Meta's card: 8,930 t CO2eq location-based
    assert card["source"] == DEFAULT_SOURCE == "Training Emissions Explorer (estimate)"
    assert card["training_type"] == "pre-training"
    assert card["geographical_location"] == "grid intensity set by hand: 376.392 g CO2e/kWh"
    assert card["hardware_used"] == "16384 x NVIDIA H100 SXM5 80GB"
    assert "e" not in block.split("\n  emissions: ")[1].splitlines()[0].lower()  # plain decimal, no exponent


def test_model_card_is_operational_unless_embodied_is_asked(default_fp):
    assert default_fp.embodied_t_co2e > 0
    operational = parse_card(model_card_block(default_fp))
    total = parse_card(model_card_block(default_fp, include_embodied=True))
    assert operational["emissions"] == default_fp.operational_t_co2e * 1e6
    assert total["emissions"] == default_fp.total_t_co2e * 1e6
    assert "Not included: embodied" in model_card_block(default_fp)
    assert "+ embodied" in model_card_block(default_fp, include_embodied=True)
    assert operational["geographical_location"] == "United States (USA)"
    assert operational["hardware_used"] == "1024 x NVIDIA H100 SXM5 80GB"


def test_model_card_fine_tuning_custom_accelerator_and_country():
    fp = estimate(TrainingRun(accelerator="custom", gpu_power_w=300, gpu_count=8, country_iso3="fra"))
    card = parse_card(model_card_block(fp, training_type="fine-tuning", source="my lab"))
    assert card["training_type"] == "fine-tuning"
    assert card["source"] == "my lab"
    assert card["hardware_used"] == "8 x custom accelerator (300 W)"
    assert card["geographical_location"] == "France (FRA)"


def test_model_card_front_matter(llama):
    block = model_card_block(llama)
    assert model_card_block(llama, front_matter=True) == "---\n" + block + "---\n"
    assert block.endswith("\n") and not block.endswith("\n\n")


@pytest.mark.parametrize(
    "source",
    ['a "quoted" \\ source', "line one\nline two: # not a comment", "tab\there", "\u2028\u0085\ufeff\x07", "é😀"],
)
def test_model_card_escapes_strings(llama, source):
    block = model_card_block(llama, source=source)
    assert len(block.splitlines()) == 8  # header, two comments, five keys: nothing broke a line
    assert parse_card(block)["source"] == source


@SETTINGS
@given(TEXT)
def test_yaml_string_round_trips(text):
    quoted = yaml_string(text)
    assert quoted.startswith('"') and quoted.endswith('"')
    assert json.loads(quoted) == text
    assert not any(ch in quoted for ch in "\n\r\t\x85\u2028\u2029\ufeff")
    assert all(ord(ch) >= 0x20 and not 0x7F <= ord(ch) <= 0x9F for ch in quoted)


@pytest.mark.parametrize("value", [0.0, 1e-5, 123.456, 8_938_105_545.6, 1e16, 1.5e22])
def test_yaml_number_is_plain_and_exact(value):
    text = yaml_number(value)
    assert "e" not in text.lower()
    assert float(text) == value


def test_yaml_number_refuses_non_finite():
    with pytest.raises(ValueError):
        yaml_number(math.inf)


# --- CLI -------------------------------------------------------------------------------------------------


def test_cli_export_csv():
    out = ok("estimate", "--preset", "llama-3.1-405b", "--export-csv")
    rows = csv_rows(out)
    assert rows[0] == ["quantity", "value", "unit"]
    table = {row[0]: (row[1], row[2]) for row in rows[1:]}
    doc = json.loads(ok("estimate", "--preset", "llama-3.1-405b", "--json"))
    for quantity, value in flatten(doc).items():
        assert quantity in table, quantity
        if isinstance(value, (int, float)):
            assert float(table[quantity][0]) == value, quantity
    assert table["total_t_co2e"][1] == "t CO2e"
    assert table["format"][0] == FORMAT


def test_cli_export_csv_with_uncertainty():
    out = ok("estimate", "--export-csv", "--uncertainty", "--samples", "200", "--seed", "5")
    doc = json.loads(ok("estimate", "--json", "--uncertainty", "--samples", "200", "--seed", "5"))
    table = {row[0]: row[1] for row in csv_rows(out)}
    assert float(table["total_t_co2e_p95"]) == doc["total_t_co2e_p95"]
    assert table["uncertainty_seed"] == "5"


def test_cli_model_card():
    out = ok("estimate", "--preset", "llama-3.1-405b", "--model-card")
    assert out.startswith("co2_eq_emissions:\n")
    card = parse_card(out)
    assert list(card) == CARD_KEYS
    doc = json.loads(ok("estimate", "--preset", "llama-3.1-405b", "--json"))
    assert card["emissions"] == doc["operational_t_co2e"] * 1e6
    assert card["training_type"] == "pre-training"


@pytest.mark.parametrize(
    "flags",
    [
        ("--json", "--model-card"),
        ("--json", "--export-csv"),
        ("--export-csv", "--model-card"),
        ("--model-card", "--uncertainty"),
    ],
)
def test_cli_conflicting_outputs_exit_2_with_one_line(flags):
    result = cli("estimate", *flags)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
