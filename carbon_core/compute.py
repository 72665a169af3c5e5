"""From compute to GPU-hours: what a training run needs before it runs.

``C = 6 * N_params * N_tokens`` is the usual estimate of dense-transformer training compute [FLOP]
(Kaplan et al. 2020, sec. 2.1; Hoffmann et al. 2022). The accelerators deliver a fraction of their peak,
the model FLOPs utilisation (MFU), so ``H = C / (F_peak * MFU * 3600)`` [GPU-h] with ``F_peak`` the peak
dense BF16 (or FP16) throughput per accelerator [FLOP/s] (``data/accelerators.csv``).
"""

from __future__ import annotations

from carbon_core.energy import Number

SECONDS_PER_HOUR = 3_600.0
FLOPS_PER_TFLOPS = 1e12
FLOP_PER_PARAM_TOKEN = 6.0


def training_flop(parameters: Number, tokens: Number) -> Number:
    """Dense-transformer training compute: ``C = 6 * N_params * N_tokens`` [FLOP] (Kaplan et al. 2020)."""
    return FLOP_PER_PARAM_TOKEN * parameters * tokens


def gpu_hours_from_flop(total_flop: Number, peak_dense_tflops: Number, mfu: Number) -> Number:
    """Accelerator time to deliver ``total_flop``: ``H = C / (F_peak * 1e12 * MFU * 3600)`` [GPU-h].

    ``peak_dense_tflops`` [TFLOP/s] is the dense (not sparse) tensor peak; ``mfu`` [-] the achieved fraction
    of it (Llama 3 paper, Dubey et al. 2024, Table 4: 38-43 % BF16 MFU on 8K-16K H100).
    """
    return total_flop / (peak_dense_tflops * FLOPS_PER_TFLOPS * mfu * SECONDS_PER_HOUR)


def training_hours_from_flop(total_flop: Number, gpu_count: Number, peak_dense_tflops: Number, mfu: Number) -> Number:
    """Wall-clock duration of the run: ``t = H / N`` [h] (see :func:`gpu_hours_from_flop`)."""
    return gpu_hours_from_flop(total_flop, peak_dense_tflops, mfu) / gpu_count
