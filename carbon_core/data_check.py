"""One call that loads and validates every bundled data file (used at start-up by the app and the CLI)."""

from __future__ import annotations

from carbon_core.catalogue import accelerators
from carbon_core.embodied import embodied_estimates
from carbon_core.equivalents import equivalence_factors
from carbon_core.grid import grid_history
from carbon_core.parameters import parameters
from carbon_core.presets import presets


def check_data() -> dict[str, int]:
    """Load every data file (rows validated, checksums compared); return the row count of each.

    Raises :class:`carbon_core.DataFileError` naming the file, line and field of the first problem.
    """
    return {
        "grid_intensity.csv": len(grid_history()),
        "accelerators.csv": len(accelerators()),
        "embodied.csv": len(embodied_estimates()),
        "equivalences.csv": len(equivalence_factors()),
        "presets.csv": len(presets()),
        "parameters.csv": len(parameters()),
    }
