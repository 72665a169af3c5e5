"""From compute to GPU-hours: what a training run needs before it runs.

``C = 6 * N * D`` is the usual estimate of transformer training compute [FLOP], with N the parameters
each token passes through (all of a dense model's, the active ones of a mixture of experts) and D the
training tokens (Kaplan et al. 2020, sec. 2.1; Hoffmann et al. 2022). The accelerators deliver a fraction
of their peak, the model FLOPs utilisation (MFU), so ``H = C / (F_peak * MFU * 3600)`` [GPU-h] with ``F_peak`` the peak
dense throughput per accelerator [FLOP/s] at the run's precision (``data/accelerators.csv``): BF16 (or FP16 where the
chip has no BF16) by default, FP8 when the run says so (:func:`peak_tflops`).
"""

from __future__ import annotations

from carbon_core.catalogue import Accelerator, Precision, with_fp8_peak
from carbon_core.energy import Number
from carbon_core.inputs import InputError
from carbon_core.units import FLOPS_PER_TFLOPS, SECONDS_PER_HOUR

FLOP_PER_PARAM_TOKEN = 6.0


class ComputeError(InputError):
    """The compute of a run cannot become its duration; ``field`` names the input to change."""


def training_flop(parameters: Number, tokens: Number) -> Number:
    """Transformer training compute: ``C = 6 * N * D`` [FLOP] (Kaplan et al. 2020, sec. 2.1).

    ``parameters`` N are the parameters each token passes through: all of a dense model's, and only the
    active ones of a mixture of experts (a router sends each token through a few experts; Llama 4 Scout:
    17B active of 109B total, Meta 2025 model card), since the forward and backward passes cost about 6
    FLOP per active parameter and token. ``tokens`` D are the training tokens.
    """
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


def peak_tflops(accelerator: Accelerator | None, precision: Precision) -> float:
    """``F_peak`` [TFLOP/s]: the accelerator's dense peak at ``precision`` (``data/accelerators.csv``).

    'bf16' is the 16-bit peak (BF16, or FP16 where the chip has none); 'fp8' the FP8 peak, about twice it on chips
    with FP8 tensor cores (H100 SXM: 1,979 against 989.4), so the same compute at the same MFU takes half the time.
    Raises :class:`ComputeError` naming ``accelerator`` when there is no 16-bit peak (or a custom accelerator), and
    :class:`InputError` naming ``precision`` when 'fp8' is asked of an accelerator without an FP8 peak.
    """
    if accelerator is None or accelerator.peak_dense_tflops is None:
        name = "a custom accelerator" if accelerator is None else accelerator.name
        raise ComputeError(
            "accelerator", f"{name} has no peak dense TFLOP/s in the catalogue, so compute cannot become hours"
        )
    peak = accelerator.peak_tflops(precision)
    if peak is None:
        raise InputError(
            "precision",
            f"{accelerator.name} has no FP8 peak in the catalogue; use 'bf16', or an accelerator with one: "
            + ", ".join(with_fp8_peak()),
        )
    return peak
