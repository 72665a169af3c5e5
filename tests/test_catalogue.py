"""The accelerator catalogue (data/accelerators.csv): corrected peaks and TDPs, added accelerators, notes in the UI."""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

from carbon_core import TrainingRun, estimate
from carbon_core.catalogue import accelerators, find_accelerator


def test_rtx_4090_peak_is_bf16_with_fp32_accumulate():
    rtx = accelerators()["rtx-4090"]
    assert rtx.peak_dense_tflops == 165.2 and rtx.peak_tflops_precision == "bf16"
    assert rtx.notes and "FP32 accumulate" in rtx.notes and "330" in rtx.notes


def test_rtx_4090_golden_gpu_hours():
    # 1e21 FLOP / (165.2e12 FLOP/s x 0.5 x 3,600 s/h) = 3,362.9 GPU-hours (was 1,683.5 at Epoch's 330).
    fp = estimate(TrainingRun(accelerator="rtx-4090", gpu_count=1, training_flop=1e21, mfu=0.5))
    assert_allclose(fp.gpu_hours, 1e21 / (165.2e12 * 0.5 * 3600), rtol=1e-12)
    assert round(fp.gpu_hours) == 3363


def test_h100_nvl_peak_is_half_the_sparse_datasheet_figure():
    nvl = accelerators()["h100-nvl"]
    assert nvl.peak_dense_tflops == 1671 / 2 == 835.5
    assert nvl.peak_tflops_precision == "bf16"


@pytest.mark.parametrize("acc_id", ["a10", "a10g"])
def test_a10_peaks_stay_blank_without_a_datasheet_in_the_sources(acc_id):
    entry = accelerators()[acc_id]
    assert entry.peak_dense_tflops is None and entry.peak_tflops_precision is None


def test_tpu_tdps_are_labelled_estimates():
    v5e = accelerators()["tpu-v5e"]
    assert v5e.tdp_w == 300
    for acc_id in ["tpu-v4", "tpu-v5e", "tpu-v5p", "tpu-v6e", "tpu-v7", "trainium2"]:
        notes = accelerators()[acc_id].notes or ""
        assert "NOT official" in notes, acc_id


@pytest.mark.parametrize(
    ("acc_id", "name", "tdp_w", "peak", "memory_gb"),
    [
        ("h800-sxm", "NVIDIA H800 SXM5 80GB", 700, 989.0, 80.0),
        ("h20", "NVIDIA H20 (HGX)", 400, 148.0, 96.0),
        ("trainium2", "AWS Trainium2", 500, 667.0, 96.0),
    ],
)
def test_accelerators_added_from_epoch(acc_id, name, tdp_w, peak, memory_gb):
    entry = find_accelerator(acc_id)
    assert entry is not None and entry.name == name
    assert (entry.tdp_w, entry.peak_dense_tflops, entry.memory_gb) == (tdp_w, peak, memory_gb)
    assert "raw_epoch_ml_hardware.csv" in entry.source


def test_every_accelerator_has_notes_and_the_sidebar_shows_them():
    from explorer.sidebar import accelerator_help

    for entry in accelerators().values():
        assert entry.notes, entry.id
        assert entry.notes in accelerator_help(entry.id)
    assert accelerator_help("custom") == ""
