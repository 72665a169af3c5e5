"""The dashboard's "Measured run" upload: its size limit and the words it uses, over the reader in
:mod:`carbon_core.io.codecarbon`.

The reader says what is wrong with a file (line, column, problem); the upload's own rule, the largest file
Streamlit lets through (``maxUploadSize`` in ``.streamlit/config.toml``), is checked here, first, so that
a file over it is never read. The views call this module for everything of the upload.
"""

from __future__ import annotations

from carbon_core.io.codecarbon import (
    CodeCarbonError,
    MeasuredRun,
    measured_breakdown_kwh,
    reprice_in_countries,
)
from carbon_core.io.codecarbon import parse_emissions_csv as _read_emissions_csv
from carbon_core.units import BYTES_PER_MB

__all__ = [
    "MAX_UPLOAD_BYTES",
    "CodeCarbonError",
    "MeasuredRun",
    "measured_breakdown_kwh",
    "parse_emissions_csv",
    "reprice_in_countries",
]

#: Largest upload accepted [bytes]: 5 MB, as ``maxUploadSize = 5`` in ``.streamlit/config.toml``.
MAX_UPLOAD_BYTES = 5 * BYTES_PER_MB


def parse_emissions_csv(data: bytes) -> MeasuredRun:
    """The uploaded bytes read as a CodeCarbon ``emissions.csv``; :class:`CodeCarbonError` if they are over
    :data:`MAX_UPLOAD_BYTES` or are not such a file (see :func:`carbon_core.io.codecarbon.parse_emissions_csv`).
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise CodeCarbonError(
            f"the file is too large: {len(data):,} bytes, over the upload limit of "
            f"{MAX_UPLOAD_BYTES // BYTES_PER_MB} MB ({MAX_UPLOAD_BYTES:,} bytes). Upload a smaller emissions.csv "
            "(for example, with fewer runs)."
        )
    return _read_emissions_csv(data)
