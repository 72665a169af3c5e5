"""Embodied carbon per accelerator (data/accelerators.csv embodied_*): the run input's default and its range."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from numpy.testing import assert_allclose

from carbon_core import TrainingRun, estimate
from carbon_core.catalogue import accelerators
from carbon_core.parameters import parameter
from carbon_core.uncertainty import input_ranges, monte_carlo

REPO_ROOT = Path(__file__).resolve().parents[1]


def _inputs(*flags: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "carbon_core", "estimate", *flags, "--json"],
        capture_output=True, text=True, cwd=REPO_ROOT, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)["inputs"]


def test_t4_and_b200_carry_their_own_embodied_default_with_a_source():
    t4, b200 = _inputs("--gpu", "t4"), _inputs("--gpu", "b200")
    assert t4["embodied_kg_co2e_per_gpu"] == 12.9
    assert b200["embodied_kg_co2e_per_gpu"] == 797.7
    assert "LLMCarbon" in t4["default_sources"]["embodied_kg_co2e_per_gpu"]
    assert "NVIDIA HGX B200" in b200["default_sources"]["embodied_kg_co2e_per_gpu"]


def test_golden_die_model_t4():
    # 5.45 cm2 x 1.2 kg CO2e/cm2 (12 nm) + 16 GB x 0.4 kg/GB = 6.54 + 6.4 = 12.94 kg.
    t4 = accelerators()["t4"]
    assert t4.embodied_kg_co2e == round(5.45 * 1.2 + 16 * 0.4, 1) == 12.9
    assert t4.embodied_scope and "lower bound" in t4.embodied_scope


def test_golden_b200_scaled_from_nvidia_pcf():
    # 463 kg (H100, Morrison) x 0.50/0.66 g per exaflop x 2,250/989.4 TFLOP/s = 797.7 kg.
    assert_allclose(accelerators()["b200"].embodied_kg_co2e, 463 * 0.50 / 0.66 * 2250 / 989.4, atol=0.05)


def test_h100_keeps_morrison_and_a100_sxm_chien():
    h100 = accelerators()["h100-sxm"]
    assert h100.embodied_kg_co2e == 463.0 == parameter("embodied_kg_co2e_per_gpu").number
    assert h100.embodied_source and "Morrison" in h100.embodied_source
    for acc_id in ["a100-sxm4-40gb", "a100-sxm4-80gb"]:
        assert accelerators()[acc_id].embodied_kg_co2e == 318.0


def test_every_figure_has_scope_and_source():
    with_figure = [a for a in accelerators().values() if a.embodied_kg_co2e is not None]
    assert len(with_figure) == 25
    for entry in accelerators().values():
        assert (entry.embodied_kg_co2e is None) == (entry.embodied_scope is None) == (entry.embodied_source is None)


@pytest.mark.parametrize("accelerator", ["custom", "tpu-v2"])
def test_without_a_figure_of_its_own_the_documented_default_applies(accelerator):
    run = TrainingRun(accelerator=accelerator, gpu_power_w=300).resolve()
    assert run.embodied_kg_co2e_per_gpu == 463.0
    assert run.default_sources["embodied_kg_co2e_per_gpu"] == parameter("embodied_kg_co2e_per_gpu").source


def test_a_value_given_is_kept():
    run = TrainingRun(accelerator="t4", embodied_kg_co2e_per_gpu=150.0).resolve()
    assert run.embodied_kg_co2e_per_gpu == 150.0
    assert "embodied_kg_co2e_per_gpu" not in run.default_sources


def test_embodied_range_goes_both_ways_and_holds_the_default_page_value():
    param = parameter("embodied_kg_co2e_per_gpu")
    assert (param.low, param.number, param.high) == (150.0, 463.0, 741.0)
    fp = estimate(TrainingRun())
    embodied = next(r for r in input_ranges(fp.run) if r.name == "embodied_kg_co2e_per_gpu")
    assert embodied.low < embodied.mode < embodied.high
    interval = monte_carlo(fp.run, samples=5_000, seed=7).intervals["embodied_t_co2e"]
    assert interval.p5 < fp.embodied_t_co2e < interval.p95


def test_embodied_range_scales_to_the_accelerators_own_value():
    run = TrainingRun(accelerator="t4").resolve()
    embodied = next(r for r in input_ranges(run) if r.name == "embodied_kg_co2e_per_gpu")
    assert_allclose((embodied.low, embodied.high), (12.9 * 150 / 463, 12.9 * 741 / 463), rtol=1e-12)
