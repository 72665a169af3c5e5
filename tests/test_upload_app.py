"""Uploads through the real app (AppTest): a measured CodeCarbon run in, and every broken file told apart.

The reader itself is tested in test_codecarbon.py; here the upload's own size limit, and the page must show
a clear message for each kind of broken upload, never an exception, and keep the user's scenario (URL)
untouched.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.codecarbon import MAX_UPLOAD_BYTES, CodeCarbonError, parse_emissions_csv
from tests.headline_reader import headline

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "codecarbon"


def open_measured_tab() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["preset"] = "llama-3.1-405b"
    at.run()
    at.session_state["view"] = "Measured run"
    return at.run()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="codecarbon-upload").set_value((name, data, "text/csv"))
    return at.run()


def valid_file() -> bytes:
    files = sorted(FIXTURES.glob("*38*.csv")) or sorted(FIXTURES.glob("*.csv"))
    return files[0].read_bytes()


def test_upload_limit_is_set_in_config_and_matches_the_parser() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read() -> None:
    lines = valid_file().split(b"\n")
    data = b"\n".join([lines[0], *[lines[1]] * (MAX_UPLOAD_BYTES // len(lines[1]) + 1)])
    assert len(data) > MAX_UPLOAD_BYTES
    with pytest.raises(CodeCarbonError) as caught:
        parse_emissions_csv(data)
    err = caught.value
    assert (err.row, err.column) == (None, None) and "too large" in str(err) and "limit of 5 MB" in str(err)
    assert parse_emissions_csv(data[: data.rfind(b"\n", 0, MAX_UPLOAD_BYTES)]).row_count > 1_000


def test_a_measured_run_is_shown_and_repriced() -> None:
    at = upload(open_measured_tab(), "emissions.csv", valid_file())
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error
    labels = [m.label for m in at.metric]
    assert "Measured energy" in labels and "CodeCarbon's emissions" in labels
    energy = next(m.value for m in at.metric if m.label == "Measured energy")
    assert energy.endswith("Wh")
    assert len(at.get("plotly_chart")) == 1  # the measured run priced in every country


HEADER_38 = valid_file().split(b"\n", 1)[0]

BROKEN = {
    "empty": b"",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "latin-1": "project_name,énergie\nà,1\n".encode("latin-1"),
    "wrong columns": b"a,b,c\n1,2,3\n",
    "header only": HEADER_38 + b"\n",
    "row broken halfway": HEADER_38 + b"\n2024-01-01T00:00:00,proj,run,1.5\n",
    "unclosed quote": HEADER_38 + b'\n"2024-01-01,proj\n',
    "too large": b"a" * (MAX_UPLOAD_BYTES + 1),
    "a million rows": b"timestamp,project_name,duration,emissions,energy_consumed,country_name,country_iso_code,region,"
    b"on_cloud,cloud_provider,cloud_region\n" + b"2020-01-01T00:00:00,p,1,0.1,0.2,France,FRA,,N,,\n" * 1_000_000,
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_upload_gets_a_clear_message_and_keeps_the_scenario(kind: str) -> None:
    at = open_measured_tab()
    before = {key: at.query_params[key] for key in at.query_params}
    at = upload(at, f"{kind}.csv", BROKEN[kind])
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.error) == 1
    message = at.error[0].value
    assert message.startswith("This file cannot be read as a CodeCarbon emissions.csv: ")
    assert len(message) > len("This file cannot be read as a CodeCarbon emissions.csv: ") + 10
    after = {key: at.query_params[key] for key in at.query_params}
    assert after == before
    assert headline(at, "Total emissions") == "8,938 t CO2e"


def test_formula_cells_stay_text() -> None:
    data = valid_file()
    header, first, *rest = data.split(b"\n")
    cells = first.split(b",")
    columns = header.split(b",")
    cells[columns.index(b"project_name")] = b'"=HYPERLINK(""http://x"")"'
    at = upload(open_measured_tab(), "formula.csv", b"\n".join([header, b",".join(cells), *rest]))
    assert not at.exception
    assert not at.error
    assert any(m.label == "Measured energy" for m in at.metric)
