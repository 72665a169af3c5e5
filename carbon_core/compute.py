"""From compute to GPU-hours: what a training run needs before it runs.

``C = 6 * N_params * N_tokens`` is the usual estimate of dense-transformer training compute [FLOP]
(Kaplan et al. 2020, sec. 2.1; Hoffmann et al. 2022). The accelerators deliver a fraction of their peak,
the model FLOPs utilisation (MFU), so ``H = C / (F_peak * MFU * 3600)`` [GPU-h] with ``F_peak`` the peak
dense BF16 (or FP16) throughput per accelerator [FLOP/s] (``data/accelerators.csv``).
"""

from __future__ import annotations

from carbon_core.energy import Number
from carbon_core.parameters import parameter
from carbon_core.run import TrainingRun
from carbon_core.units import FLOPS_PER_TFLOPS, SECONDS_PER_HOUR

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


def training_hours_for_run(run: TrainingRun, total_flop: float, mfu: float | None = None) -> float:
    """Duration [h] of ``run``'s fleet delivering ``total_flop`` at ``mfu`` (default: documented MFU).

    Raises ``ValueError`` when the accelerator has no peak throughput in the catalogue, or when ``mfu``
    or ``total_flop`` is not positive.
    """
    accelerator = run.resolved_accelerator()
    if accelerator is None or accelerator.peak_dense_tflops is None:
        name = "a custom accelerator" if accelerator is None else accelerator.name
        raise ValueError(f"{name} has no peak dense TFLOP/s in the catalogue, so compute cannot become hours")
    mfu = parameter("mfu").number if mfu is None else mfu
    if not (0 < mfu <= 1) or not (total_flop > 0):
        raise ValueError("MFU must be in (0, 1] and compute positive")
    gpu_count = run.gpu_count if run.gpu_count is not None else int(parameter("gpu_count").number)
    return float(training_hours_from_flop(total_flop, gpu_count, accelerator.peak_dense_tflops, mfu))
