"""``python -m carbon_core`` through a subprocess: JSON/CSV/table output, and every kind of bad input."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

REPO_ROOT = Path(__file__).resolve().parents[1]

RESULT_KEYS = {
    "gpu_hours",
    "it_energy_kwh",
    "facility_energy_kwh",
    "operational_t_co2e",
    "embodied_t_co2e",
    "total_t_co2e",
    "fleet_power_mw",
}
COUNTRY_KEYS = {"iso3", "country", "year", "grid_g_co2e_per_kwh", "total_t_co2e", "source"}
PRESET_KEYS = {"name", "reported_t_co2e", "computed_t_co2e", "difference_pct", "source", "provenance", "derived_inputs"}


def cli(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "CARBON_CORE_DATA_DIR"}
    if data_dir is not None:
        env["CARBON_CORE_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "carbon_core", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def ok_json(*args: str):
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def default_estimate() -> dict:
    return ok_json("estimate", "--json")


@pytest.fixture(scope="module")
def countries_json() -> list[dict]:
    return ok_json("countries", "--json")


@pytest.fixture(scope="module")
def presets_json() -> list[dict]:
    return ok_json("presets", "--json")


# --- estimate ---------------------------------------------------------------------------------------------


def test_estimate_json_keys(default_estimate):
    assert set(default_estimate) >= RESULT_KEYS
    for key in RESULT_KEYS:
        assert isinstance(default_estimate[key], float), key
        assert default_estimate[key] > 0, key
    assert isinstance(default_estimate["equivalents"], dict)
    assert default_estimate["equivalents"]
    assert isinstance(default_estimate["inputs"], dict)
    assert isinstance(default_estimate["inputs"]["default_sources"], dict)
    assert "pue" in default_estimate["inputs"]["default_sources"]


def test_estimate_json_is_consistent(default_estimate):
    d = default_estimate
    assert_allclose(d["total_t_co2e"], d["operational_t_co2e"] + d["embodied_t_co2e"], rtol=1e-12)
    assert_allclose(d["facility_energy_kwh"], d["it_energy_kwh"] * d["inputs"]["pue"], rtol=1e-12)
    assert_allclose(
        d["operational_t_co2e"], d["facility_energy_kwh"] * d["inputs"]["grid_g_co2e_per_kwh"] / 1e6, rtol=1e-12
    )
    assert d["inputs"]["gpu_count"] == 1_024
    assert d["inputs"]["country_iso3"] == "USA"


def test_market_project_and_water_flags():
    d = ok_json(
        "estimate",
        "--json",
        "--renewable-share",
        "0.25",
        "--project-multiplier",
        "2.45",
        "--wue-l-per-kwh",
        "1.8",
        "--electricity-water-l-per-kwh",
        "0",
    )
    assert_allclose(d["operational_market_t_co2e"], d["operational_t_co2e"] * 0.75, rtol=1e-12)
    assert_allclose(d["project_total_t_co2e"], d["total_t_co2e"] * 2.45, rtol=1e-12)
    assert_allclose(d["water_on_site_l"], d["it_energy_kwh"] * 1.8, rtol=1e-12)
    assert d["water_off_site_l"] == 0.0
    assert d["water_total_l"] == d["water_on_site_l"]
    assert_allclose(d["equivalents"]["olympic_pool"], d["water_total_l"] / 2.5e6, rtol=1e-12)
    assert d["inputs"]["wue_l_per_kwh"] == 1.8
    assert "wue_l_per_kwh" not in d["inputs"]["default_sources"]


def test_estimate_table_shows_water():
    result = cli("estimate")
    assert result.returncode == 0, result.stderr
    assert re.search(r"Water total\s+[\d,]+ L", result.stdout), result.stdout


def test_estimate_llama_3_1_405b_by_flags():
    d = ok_json(
        "estimate",
        "--gpu", "h100-sxm",
        "--gpus", "16384",
        "--hours", "1882.32421875",
        "--pue", "1.1",
        "--server-power-w-per-gpu", "0",
        "--grid-g-per-kwh", "376.392",
        "--embodied-kg-per-gpu", "0",
        "--json",
    )  # fmt: skip
    # 30,840,000 GPU-h x 0.7 kW x 1.1 x 376.392 g/kWh = 8,938.1 t; the card prints 8,930 t.
    assert_allclose(d["gpu_hours"], 30_840_000, rtol=1e-12)
    assert_allclose(d["total_t_co2e"], 30_840_000 * 0.7 * 1.1 * 376.392 / 1e6, rtol=1e-9)
    assert_allclose(d["total_t_co2e"], 8_938, rtol=1e-4)
    assert_allclose(d["total_t_co2e"], 8_930, rtol=0.01)
    assert d["embodied_t_co2e"] == 0.0


def test_days_equal_hours():
    by_days = ok_json("estimate", "--days", "30", "--json")
    by_hours = ok_json("estimate", "--hours", "720", "--json")
    assert by_days["inputs"]["training_hours"] == 720.0
    for key in RESULT_KEYS:
        assert_allclose(by_days[key], by_hours[key], rtol=1e-12, err_msg=key)


def test_days_change_the_result():
    assert_allclose(
        ok_json("estimate", "--days", "60", "--json")["gpu_hours"],
        2 * ok_json("estimate", "--days", "30", "--json")["gpu_hours"],
        rtol=1e-12,
    )


def test_preset_with_other_country_is_much_lower():
    preset = ok_json("estimate", "--preset", "llama-3.1-405b", "--json")
    in_sweden = ok_json("estimate", "--preset", "llama-3.1-405b", "--country", "SWE", "--json")
    assert_allclose(preset["total_t_co2e"], 8_938.106, rtol=1e-5)
    assert in_sweden["inputs"]["country_iso3"] == "SWE"
    assert in_sweden["total_t_co2e"] < 0.2 * preset["total_t_co2e"]
    # Same energy, only the grid changed.
    assert_allclose(in_sweden["facility_energy_kwh"], preset["facility_energy_kwh"], rtol=1e-12)


def test_estimate_table_is_readable():
    result = cli("estimate")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "t CO2e" in result.stdout
    assert "kWh" in result.stdout
    assert "Total" in result.stdout
    assert not result.stdout.lstrip().startswith("{")


# --- countries ---------------------------------------------------------------------------------------------


def test_countries_json(countries_json):
    assert isinstance(countries_json, list)
    assert 200 <= len(countries_json) <= 230
    for row in countries_json:
        assert set(row) >= COUNTRY_KEYS, row
    totals = [row["total_t_co2e"] for row in countries_json]
    assert totals == sorted(totals)
    assert "FRA" in {row["iso3"] for row in countries_json}
    assert "WLD" not in {row["iso3"] for row in countries_json}  # World is a reference, not a ranked row


def test_countries_json_usa_row_matches_default_estimate(countries_json, default_estimate):
    usa = next(row for row in countries_json if row["iso3"] == "USA")
    assert_allclose(usa["total_t_co2e"], default_estimate["total_t_co2e"], rtol=1e-12)


def test_countries_csv_parses_with_same_columns(countries_json):
    result = cli("countries", "--csv")
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    assert list(frame.columns) == list(countries_json[0])
    assert len(frame) == len(countries_json)
    assert list(frame["iso3"]) == [row["iso3"] for row in countries_json]
    assert_allclose(frame["total_t_co2e"], [row["total_t_co2e"] for row in countries_json], rtol=1e-12)


# --- presets -----------------------------------------------------------------------------------------------


def test_presets_json(presets_json):
    assert isinstance(presets_json, list)
    assert len(presets_json) >= 25
    for item in presets_json:
        assert set(item) >= PRESET_KEYS, item
    warned = [item["id"] for item in presets_json if "warning" in item]
    assert warned == ["llama-3.3-70b", "seed-000-llama-3-350k-h100"]
    assert {item["provenance"] for item in presets_json} == {"stated", "derived", "article"}
    by_id = {item["id"]: item for item in presets_json}
    assert by_id["llama-3.1-405b"]["derived_inputs"] == ["grid_g_co2e_per_kwh", "pue"]
    assert by_id["gpt-3-175b"]["provenance"] == "stated" and by_id["gpt-3-175b"]["derived_inputs"] == []
    warned_item = next(item for item in presets_json if item["id"] == "llama-3.3-70b")
    assert warned_item["warning"]


def test_presets_table():
    result = cli("presets")
    assert result.returncode == 0, result.stderr
    assert "llama-3.1-405b" in result.stdout
    assert "WARNING" in result.stdout


# --- bad input ---------------------------------------------------------------------------------------------

# (arguments, the flag the one-line message must name, what it must say the flag accepts)
BAD_INPUT = [
    (["--gpus", "0"], "--gpus", "from 1 to 10,000,000"),
    (["--gpus", "-3"], "--gpus", "from 1 to 10,000,000"),
    (["--gpus", "1.5"], "--gpus", "whole number"),
    (["--gpus", "abc"], "--gpus", "whole number"),
    (["--hours", "-1"], "--hours", "greater than 0"),
    (["--hours", "nan"], "--hours", "greater than 0"),
    (["--days", "inf"], "--days", "greater than 0"),
    (["--pue", "0.9"], "--pue", "from 1 to 3"),
    (["--pue", "nan"], "--pue", "from 1 to 3"),
    (["--utilisation", "1.5"], "--utilisation", "from 0 to 1"),
    (["--country", "XXX"], "--country", "ISO 3166-1 alpha-3"),
    (["--gpu", "nosuchgpu"], "--gpu", "h100-sxm"),
    (["--grid-g-per-kwh", "-5"], "--grid-g-per-kwh", "from 0 to 2,000"),
    (["--embodied-kg-per-gpu", "-1"], "--embodied-kg-per-gpu", "from 0 to 10,000"),
    (["--embodied-attribution", "sometimes"], "--embodied-attribution", "'amortised' or 'full'"),
    (["--lifetime-years", "0"], "--lifetime-years", "from 0.5 to 20"),
    (["--renewable-share", "1.5"], "--renewable-share", "from 0 to 1"),
    (["--project-multiplier", "0.5"], "--project-multiplier", "from 1 to 20"),
    (["--wue-l-per-kwh", "-0.1"], "--wue-l-per-kwh", "from 0 to 20"),
    (["--electricity-water-l-per-kwh", "nan"], "--electricity-water-l-per-kwh", "from 0 to 50"),
    (["--gpu", "custom"], "--gpu-power-w", "required"),
    (["--hours", "10", "--days", "1"], "--days", "--hours"),
    (["--params", "7e9"], "--params", "go together"),
    (["--params", "1e5", "--tokens", "1e12"], "--params", "from 1,000,000 to 100,000,000,000,000"),
    (["--mfu", "0.4"], "--mfu", "needs the compute"),
    (["--flops", "1e40", "--gpus", "1"], "--flops", "at most 87,600 h"),
    (["--flops", "1e24", "--gpu", "a10g"], "--gpu", "no peak dense TFLOP/s"),
    (["--params", "7e9", "--tokens", "1e12", "--mfu", "0"], "--mfu", "from 0.01 to 1"),
    (["--precision", "fp16"], "--precision", "'bf16' or 'fp8'"),
    # An accelerator without an FP8 peak: the line names the flag and the accelerators that have one.
    (["--flops", "1e24", "--gpu", "a100-sxm4-80gb", "--precision", "fp8"], "--precision", "h100-sxm, h100-pcie"),
    (["--bogus"], "--bogus", "unrecognized"),
]


def _names_flag(message: str, flag: str) -> bool:
    """True when ``flag`` appears as a whole flag (``--gpu`` is not found inside ``--gpus``)."""
    return re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", message) is not None


def _assert_one_line_error(result: subprocess.CompletedProcess[str], status: int) -> str:
    assert result.returncode == status, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].strip()
    return lines[0]


@pytest.mark.parametrize(("args", "flag", "accepts"), BAD_INPUT, ids=[" ".join(case[0]) for case in BAD_INPUT])
def test_bad_input_exits_2_with_one_line(args, flag, accepts):
    line = _assert_one_line_error(cli("estimate", *args), 2)
    assert _names_flag(line, flag), line
    assert accepts in line, line


@pytest.mark.parametrize(
    ("args", "flag"),
    [(["--pue", "0.9"], "--pue"), (["--country", "XXX"], "--country"), (["--gpus", "0"], "--gpus")],
)
def test_bad_input_for_countries_too(args, flag):
    line = _assert_one_line_error(cli("countries", "--json", *args), 2)
    assert _names_flag(line, flag), line


def test_unknown_preset_exits_2():
    line = _assert_one_line_error(cli("estimate", "--preset", "no-such-run"), 2)
    assert _names_flag(line, "--preset"), line


def test_days_range_is_stated_in_days():
    """4,000 days is over the 87,600-hour limit: the message must give the limit in days (3,650), not
    claim that 4,000 is above 87,600."""
    line = _assert_one_line_error(cli("estimate", "--days", "4000"), 2)
    assert _names_flag(line, "--days"), line
    assert "3,650" in line, line
    assert "87,600" not in line, line


# --- broken data file ----------------------------------------------------------------------------------------


def test_broken_data_file_exits_1_naming_the_file(data_copy):
    path = data_copy / "accelerators.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("h100-sxm,"))
    lines[number] = lines[number].replace(",700,", ",seven hundred,", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    line = _assert_one_line_error(cli("estimate", "--json", data_dir=data_copy), 1)
    assert "accelerators.csv" in line
    assert f"line {number + 1}" in line
    assert "tdp_w" in line


def test_missing_data_file_exits_1(data_copy):
    (data_copy / "grid_intensity.csv").unlink()
    line = _assert_one_line_error(cli("countries", "--json", data_dir=data_copy), 1)
    assert "grid_intensity.csv" in line


# --- compare ----------------------------------------------------------------------------------------------


def test_compare_preset_moved_to_sweden():
    d = ok_json("compare", "--json", "--a", "--preset llama-3.1-405b", "--preset", "llama-3.1-405b", "--country", "SWE")
    assert d["a"]["total_t_co2e"] == pytest.approx(8_938.1, abs=0.05)
    assert d["b"]["total_t_co2e"] == pytest.approx(850.7, abs=0.05)
    assert d["difference_t_co2e"]["total"] == pytest.approx(d["b"]["total_t_co2e"] - d["a"]["total_t_co2e"])
    parts = {k: v for k, v in d["difference_t_co2e"].items() if k != "total"}
    assert set(parts) == {"gpu", "server", "overhead", "embodied"}
    assert sum(parts.values()) == pytest.approx(d["difference_t_co2e"]["total"], rel=1e-12)
    assert d["change_pct"] == pytest.approx((850.7 / 8_938.1 - 1) * 100, abs=0.01)


def test_compare_table_is_readable():
    result = cli("compare", "--a", "--gpus 512", "--gpus", "1024")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^total\s+[\d,.]+\s+[\d,.]+\s+\+[\d,.]+$", result.stdout, re.MULTILINE), result.stdout
    assert "Change of the total: +" in result.stdout


@pytest.mark.parametrize(
    ("a", "says"),
    [
        ("--pue 0.5", "--a: --pue must be a number from 1 to 3"),
        ("--bogus 1", "--a: '--bogus 1' is not a run flag"),
        ("--hours 1 --days 2", "--a: argument --days: not allowed with argument --hours"),
        ("--country 'SWE", "--a: No closing quotation"),
    ],
)
def test_compare_names_a_bad_scenario_a(a, says):
    line = _assert_one_line_error(cli("compare", "--a", a), 2)
    assert says in line, line


def test_rtx_4090_golden_from_the_command_line():
    result = cli("estimate", "--gpu", "rtx-4090", "--flops", "1e21", "--mfu", "0.5", "--gpus", "1", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["inputs"]["accelerator"] == "rtx-4090"
    assert round(data["gpu_hours"]) == 3363
