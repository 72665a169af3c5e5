"""The scenario named from its inputs (explorer/title.py), on the page and in the comparison."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from explorer.link import parse_link
from explorer.title import scenario_title

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("preset=llama-3.1-405b&country=SWE", "Llama 3.1 405B, Meta's published run, moved to Sweden's grid (2024)"),
        ("preset=llama-3.1-405b", "Llama 3.1 405B, Meta's published run"),
        ("preset=llama-3.1-405b&pue=1.3&gpus=8", "Llama 3.1 405B, Meta's published run, with GPU count, PUE changed"),
        ("", "Custom run: 1,024 x NVIDIA H100 SXM5 80GB for 30 days in the United States (grid of 2024)"),
        (
            "country=FRA&grid_year=2020&hours=12",
            "Custom run: 1,024 x NVIDIA H100 SXM5 80GB for 12 h in France (grid of 2020)",
        ),
        ("region=us:TX&preset=gpt-3-175b", "GPT-3 175B, OpenAI's published run, moved to Texas (us:TX)'s grid (2020)"),
        (
            "gpus=8&grid=100",
            "Custom run: 8 x NVIDIA H100 SXM5 80GB for 30 days on a grid of 100 g CO2e/kWh set by hand",
        ),
        (
            "params=109e9&active_params=17e9&tokens=40e12",
            "Custom run: 1,024 x NVIDIA H100 SXM5 80GB training 109B parameters (17B active) on 40T tokens in the "
            "United States (grid of 2024)",
        ),
    ],
)
def test_title_from_the_inputs(query: str, title: str) -> None:
    assert scenario_title(parse_link(parse_qs(query)).scenario) == title


def test_page_shows_the_title_and_compare_names_a_and_b() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in {"preset": "llama-3.1-405b", "country": "SWE", "view": "compare"}.items():
        at.query_params[name] = value
    at.query_params["a"] = "preset=llama-3.1-405b"
    at.run()
    assert not at.exception and not at.error
    shown = [m.value.replace("\\", "") for m in at.markdown]
    assert "#### Llama 3.1 405B, Meta's published run, moved to Sweden's grid (2024)" in shown
    names = next(text for text in shown if text.startswith("**A**"))
    assert "**A**: Llama 3.1 405B, Meta's published run  \n" in names
    assert names.endswith("**B**: Llama 3.1 405B, Meta's published run, moved to Sweden's grid (2024)")
    basis = " ".join(c.value for c in at.caption)
    assert "different bases" in basis  # Meta's own factor (A) against Ember's Sweden (B)
