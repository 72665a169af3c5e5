"""Compute to duration (carbon_core/compute.py, TrainingRun.compute_hours): dense and mixture-of-experts runs,
through the core, the CLI, the link and the app."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from carbon_core import TrainingRun, estimate
from carbon_core.catalogue import accelerators
from carbon_core.compute import ComputeError
from explorer.link import link_params, parse_link

ROOT = Path(__file__).resolve().parents[1]
#: Llama 4 Scout's shape (17B active of 109B total parameters; 40T tokens, Meta's model card) on H100 at MFU 0.4.
SCOUT = {"model_params": 109e9, "active_params": 17e9, "training_tokens": 40e12, "mfu": 0.4}
#: 6 x 17e9 x 40e12 FLOP / (989.4e12 FLOP/s x 0.4 x 3,600 s) [GPU-h], by hand.
SCOUT_GPU_HOURS = 6 * 17e9 * 40e12 / (989.4e12 * 0.4 * 3600)


def test_h100_peak_is_the_one_the_golden_assumes() -> None:
    assert accelerators()["h100-sxm"].peak_dense_tflops == 989.4


def test_mixture_of_experts_counts_the_active_parameters() -> None:
    fp = estimate(TrainingRun(accelerator="h100-sxm", **SCOUT))
    assert fp.gpu_hours == pytest.approx(SCOUT_GPU_HOURS, rel=1e-12)
    assert fp.gpu_hours == pytest.approx(2.86e6, rel=2e-3)  # the "about 2.86M GPU-hours"
    dense = estimate(TrainingRun(accelerator="h100-sxm", **(SCOUT | {"active_params": None})))
    assert dense.gpu_hours / fp.gpu_hours == pytest.approx(109 / 17)  # 6.4x overstated with total parameters


@settings(max_examples=60, deadline=None)
@given(params=st.floats(1e8, 1e12), share=st.floats(0.01, 1.0), tokens=st.floats(1e9, 1e13))
def test_active_parameters_scale_the_hours(params: float, share: float, tokens: float) -> None:
    base = {"accelerator": "h100-sxm", "gpu_count": 4096, "model_params": params, "training_tokens": tokens}
    dense = TrainingRun(**base).compute_hours()
    moe = TrainingRun(**base, active_params=params * share).compute_hours()
    assert dense is not None and moe is not None
    assert moe == pytest.approx(dense * share, rel=1e-9)


def test_active_parameters_above_the_total_are_refused() -> None:
    with pytest.raises(ComputeError) as info:
        TrainingRun(model_params=7e9, active_params=8e9, training_tokens=1e12).resolve()
    assert info.value.field == "active_params"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "carbon_core", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_cli_golden_for_a_mixture_of_experts() -> None:
    flags = ["--params", "109e9", "--active-params", "17e9", "--tokens", "40e12", "--gpu", "h100-sxm", "--mfu", "0.4"]
    result = _cli("estimate", *flags, "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["gpu_hours"] == pytest.approx(SCOUT_GPU_HOURS, rel=1e-12)
    assert document["inputs"]["active_params"] == 17e9


def test_cli_active_parameters_without_the_total_exit_2() -> None:
    result = _cli("estimate", "--active-params", "17e9", "--days", "3")
    assert result.returncode == 2
    assert result.stderr.startswith("error: --active-params")


def test_link_carries_the_active_parameters() -> None:
    parsed = parse_link({"params": "109e9", "active_params": "17e9", "tokens": "40e12", "mfu": "0.4"})
    assert parsed.warnings == []
    assert estimate(parsed.scenario.training_run()).gpu_hours == pytest.approx(SCOUT_GPU_HOURS, rel=1e-12)
    assert link_params(parsed.scenario)["active_params"] == "17000000000"
    again = parse_link(link_params(parsed.scenario)).scenario
    assert again == dataclasses.replace(parsed.scenario, power_w=parsed.scenario.resolved_power_w())


@pytest.mark.parametrize(
    "query",
    [
        {"active_params": "17e9"},
        {"active_params": "17e9", "days": "3"},
        {"params": "7e9", "tokens": "1e12", "active_params": "8e9"},
    ],
)
def test_link_active_parameters_alone_or_above_the_total_are_named(query: dict[str, str]) -> None:
    parsed = parse_link(query)
    assert "active_params" in parsed.rejected
    assert parsed.scenario.active_params is None
    assert any("'active_params'" in w for w in parsed.warnings)


def test_app_opens_a_mixture_of_experts_link_and_keeps_it() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in {"params": "109e9", "active_params": "17e9", "tokens": "40e12", "mfu": "0.4"}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["active_params_b"] == 17.0
    assert at.query_params["active_params"] == ["17000000000"] or at.query_params["active_params"] == "17000000000"
    assert at.sidebar.toggle(key="moe").value
    at.sidebar.toggle(key="moe").set_value(False).run()  # back to a dense model
    assert not at.exception
    assert "active_params" not in at.query_params
