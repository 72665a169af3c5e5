"""Unit conversion constants: the only place where units are converted.

Names say what they convert: ``W_PER_KW`` is watts per kilowatt, so ``power_kw = power_w / W_PER_KW``.
"""

W_PER_KW = 1_000.0
W_PER_MW = 1_000_000.0
KW_PER_MW = 1_000.0
G_PER_T = 1_000_000.0
KG_PER_T = 1_000.0
KWH_PER_MWH = 1_000.0
KWH_PER_GWH = 1_000_000.0
L_PER_M3 = 1_000.0
SECONDS_PER_HOUR = 3_600.0
HOURS_PER_DAY = 24.0
#: A 365-day year, the convention of the amortisation rates we reproduce (Morrison et al. 2025:
#: 463 kg / (4 x 8,760 h) = 0.013 kg per GPU-hour).
HOURS_PER_YEAR = 8_760.0
#: FLOP/s per TFLOP/s: ``flop_per_s = tflops * FLOPS_PER_TFLOPS``.
FLOPS_PER_TFLOPS = 1e12
#: Bytes per megabyte as Streamlit counts them (``maxUploadSize`` [MB] x 1024 x 1024), i.e. a mebibyte.
BYTES_PER_MB = 1024 * 1024
