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


def test_a10_peak_is_the_datasheet_dense_bf16():
    # NVIDIA A10 datasheet: "BFLOAT16 Tensor Core 125 TF | 250 TF*" (* with sparsity); Epoch's INT8 250 TOPS is 2x.
    a10 = accelerators()["a10"]
    assert (a10.peak_dense_tflops, a10.peak_tflops_precision) == (125.0, "bf16")
    assert a10.notes and "datasheet" in a10.notes and "250" in a10.notes


def test_a10g_peak_stays_blank_without_a_source():
    entry = accelerators()["a10g"]
    assert entry.peak_dense_tflops is None and entry.peak_tflops_precision is None
    assert entry.peak_dense_fp8_tflops is None


def test_l40s_from_its_datasheet():
    entry = find_accelerator("l40s")
    assert entry is not None and entry.name == "NVIDIA L40S"
    assert (entry.tdp_w, entry.peak_dense_tflops, entry.peak_dense_fp8_tflops, entry.memory_gb) == (
        350,
        362.05,
        733.0,
        48.0,
    )
    assert "datasheet" in entry.source and entry.notes and "accumulate" in entry.notes


@pytest.mark.parametrize(
    ("acc_id", "fp8"),
    [
        ("h100-sxm", 1979.0),  # derived: Epoch's INT8 (dense), = FP8 on the GH100 die (Epoch's H200 row)
        ("h200-sxm", 1979.0),  # Epoch's FP8 column
        ("h100-pcie", 1513.0),  # datasheet 3,026 with sparsity / 2
        ("b200", 4500.0),
        ("mi300x", 2614.9),
        ("trainium2", 1299.0),
        ("gaudi3", 1678.0),  # Epoch: same as its BF16 (whitepaper 1,835 at a clock shipping parts do not run)
        ("l4", 242.5),
    ],
)
def test_fp8_peaks(acc_id, fp8):
    entry = accelerators()[acc_id]
    assert entry.peak_dense_fp8_tflops == fp8
    assert entry.peak_fp8_source


@pytest.mark.parametrize("acc_id", ["v100-sxm2-16gb", "t4", "a100-sxm4-80gb", "a10", "mi250x", "tpu-v4", "tpu-v5p"])
def test_no_fp8_peak_where_the_chip_has_no_fp8(acc_id):
    entry = accelerators()[acc_id]
    assert entry.peak_dense_fp8_tflops is None and not entry.peak_fp8_source


def test_every_fp8_peak_is_dense_and_sourced():
    # A sparse figure would be four times the dense BF16; dense FP8 is one to two times it (2.05: datasheets round,
    # L40S 733 / 362.05, L4 485 / 2 over Epoch's 121).
    for entry in accelerators().values():
        if entry.peak_dense_fp8_tflops is not None:
            assert entry.peak_dense_tflops is not None
            assert 1.0 <= entry.peak_dense_fp8_tflops / entry.peak_dense_tflops <= 2.05, entry.id
            assert entry.peak_fp8_source, entry.id


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
