"""Unit conversion constants: the only place where units are converted.

Names say what they convert: ``W_PER_KW`` is watts per kilowatt, so ``power_kw = power_w / W_PER_KW``.
"""

W_PER_KW = 1_000.0
W_PER_MW = 1_000_000.0
KW_PER_MW = 1_000.0
G_PER_T = 1_000_000.0
KG_PER_T = 1_000.0
HOURS_PER_DAY = 24.0
#: A 365-day year, the convention of the amortisation rates we reproduce (Morrison et al. 2025:
#: 463 kg / (4 x 8,760 h) = 0.013 kg per GPU-hour).
HOURS_PER_YEAR = 8_760.0
TFLOPS_PER_FLOPS = 1e-12
