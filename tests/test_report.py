"""The talk pack (issue 16, item 7): ``python -m explorer.report [run flags] --out FILE.html``, one self-contained
HTML file of a scenario. What a browser makes of it offline is tests/browser/test_talk_pack.py."""

from __future__ import annotations

import re
import subprocess
import sys
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from carbon_core import estimate
from carbon_core.cli import build_parser as cli_parser
from carbon_core.cli import run_from_args
from carbon_core.presets import presets
from explorer import report
from explorer.link import parse_link, scenario_from_preset
from explorer.title import scenario_title

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("headline", "breakdown", "countries", "equivalents", "published", "sources", "link")
CHARTS = ("breakdown", "countries", "map", "published")


@pytest.fixture(scope="module")
def llama_pack(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The talk pack of ``--preset llama-3.1-405b``, written by :func:`explorer.report.main`."""
    out = tmp_path_factory.mktemp("pack") / "talk.html"
    assert report.main(["--preset", "llama-3.1-405b", "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_the_pack_shows_the_total_title_and_headline(llama_pack: str) -> None:
    assert "8,938 t CO2e" in llama_pack
    title = escape("Llama 3.1 405B, Meta's published run")
    assert f"<h2>{title}</h2>" in llama_pack
    assert f"<title>{title} | Training Emissions Explorer</title>" in llama_pack
    for label in ("Total emissions", "Energy drawn", "90 % range [t CO2e]", "Water consumed"):
        assert f'aria-label="{escape(label)}"' in llama_pack, label
    assert "Your run, 8,938 t CO2e, ranks 6 of 47" in llama_pack


def test_every_section_and_chart_is_there(llama_pack: str) -> None:
    for key in SECTIONS:
        assert f'<section id="{key}">' in llama_pack, key
    for name in CHARTS:
        assert f'<figure class="chart" data-chart="{name}">' in llama_pack, name
        assert f'id="chart-{name}"' in llama_pack, name
    assert llama_pack.count("Plotly.newPlot(") == len(CHARTS)


def test_nothing_is_loaded_from_a_network(llama_pack: str) -> None:
    """No script, style, image, frame or font comes from a URL: plotly.js and the topology are in the file."""
    loaded = re.findall(r"<(?:script|img|link|iframe|source|embed|object)\b[^>]*\b(?:src|href|data)\s*=", llama_pack)
    assert loaded == []
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", llama_pack)
    assert not re.search(r"@import", llama_pack)
    assert "plotly.js v" in llama_pack[:2_000_000], "plotly.js is not inlined"
    assert 'window.PlotlyGeoAssets.topojson["world_110m"] = {"type":"Topology"' in llama_pack


def test_the_link_restores_the_scenario(llama_pack: str) -> None:
    href = re.search(r'<a class="link" href="([^"]+)"', llama_pack)
    assert href is not None
    url = href.group(1).replace("&amp;", "&")
    assert url.startswith(report.DEFAULT_BASE_URL + "?")
    parsed = parse_link(parse_qs(urlsplit(url).query, keep_blank_values=True))
    assert parsed.warnings == []
    assert parsed.scenario.preset == "llama-3.1-405b"
    assert round(estimate(parsed.scenario.training_run()).total_t_co2e) == 8938
    assert "<svg" in llama_pack.split('<section id="link">', 1)[1], "no QR code of the link"


@pytest.mark.parametrize(
    "flags",
    [
        ["--preset", "llama-3.1-405b"],
        ["--preset", "llama-3.1-405b", "--country", "SWE"],
        ["--preset", "llama-2-70b", "--pue", "1.4", "--gpus", "4096"],
        ["--gpu", "a100-sxm4-80gb", "--gpus", "512", "--days", "12", "--country", "FRA"],
        ["--gpu", "h100-sxm", "--gpus", "1024", "--params", "7e10", "--tokens", "1.5e13", "--mfu", "0.35"],
        ["--gpu", "h100-sxm", "--gpus", "2048", "--flops", "3e24", "--mfu", "0.4"],
        ["--gpus", "64", "--hours", "100", "--region", "us:TX"],
        ["--gpus", "64", "--hours", "100", "--grid-g-per-kwh", "55", "--embodied-attribution", "full"],
    ],
)
def test_the_link_of_any_run_flags_is_the_same_run(flags: list[str]) -> None:
    """The scenario the pack names and links is the run the CLI priced (same total to the gram)."""
    args = report.build_parser().parse_args([*flags, "--out", "x.html"])
    fp = estimate(run_from_args(args))
    scenario = report.scenario_from_args(args, fp)
    assert estimate(scenario.training_run()).total_t_co2e == pytest.approx(fp.total_t_co2e, rel=1e-9)


def test_a_published_run_is_named_as_the_dashboard_names_it() -> None:
    """Writing every input out does not make a preset look changed (the link format's defaults are not the CLI's)."""
    for preset_id in presets():
        args = report.build_parser().parse_args(["--preset", preset_id, "--out", "x.html"])
        scenario = report.scenario_from_args(args, estimate(run_from_args(args)))
        assert scenario_title(scenario) == scenario_title(scenario_from_preset(preset_id)), preset_id


def test_the_report_takes_exactly_the_cli_run_flags() -> None:
    def run_flags(parser: object) -> set[str]:
        return {o for a in parser._actions for o in a.option_strings}  # type: ignore[attr-defined]

    estimate_parser = cli_parser()._subparsers._group_actions[0].choices["estimate"]  # type: ignore[union-attr]
    only_estimate = {"--json", "--export-csv", "--model-card", "--uncertainty", "--samples", "--seed"}
    assert run_flags(report.build_parser()) - {"--out", "--base-url"} == run_flags(estimate_parser) - only_estimate


def test_base_url_sets_the_link(tmp_path: Path) -> None:
    out = tmp_path / "t.html"
    flags = ["--gpus", "8", "--days", "1", "--base-url", "https://talk.example.org/", "--out", str(out)]
    assert report.main(flags) == 0
    assert 'href="https://talk.example.org/?v=1&amp;gpu=h100-sxm&amp;gpus=8' in out.read_text(encoding="utf-8")


def test_bad_flags_exit_2_with_one_line(tmp_path: Path) -> None:
    """As the CLI: an unknown flag, a value out of range, a missing --out or a bad base URL exit 2 naming it."""
    command = [sys.executable, "-m", "explorer.report"]
    out = str(tmp_path / "t.html")
    for flags, words in [
        (["--preset", "llama-3.1-405b", "--bogus", "1", "--out", out], "unrecognized arguments: --bogus"),
        (["--gpu-power-w", "0", "--out", out], "--gpu-power-w must be a number from 1 to 5,000"),
        (["--preset", "no-such-run", "--out", out], "--preset: unknown preset 'no-such-run'"),
        (["--preset", "llama-3.1-405b"], "the following arguments are required: --out"),
        (["--gpus", "8", "--base-url", "javascript:alert(1)", "--out", out], "--base-url must start with http"),
    ]:
        done = subprocess.run([*command, *flags], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 2, (flags, done.stderr)
        assert words in done.stderr, (flags, done.stderr)
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not (tmp_path / "t.html").exists()


def test_an_unwritable_out_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert report.main(["--gpus", "8", "--out", str(tmp_path / "missing-folder" / "t.html")]) == 1
    assert capsys.readouterr().err.startswith("error: ")
