"""carbon_core: the footprint of training a large language model, from its inputs to every country.

Pure Python on pandas, numpy and pydantic. Every equation lives once, in the module named for what it
computes (``energy``, ``emissions``, ``equivalents``), with its units and references in the docstring.
"""

from carbon_core.countries import price_in_countries
from carbon_core.footprint import Footprint, estimate
from carbon_core.presets import Preset, Reproduction, get_preset, presets, reproduce, reproduce_all
from carbon_core.run import ResolvedRun, TrainingRun
from carbon_core.tables import DataFileError

__all__ = [
    "DataFileError",
    "Footprint",
    "Preset",
    "Reproduction",
    "ResolvedRun",
    "TrainingRun",
    "estimate",
    "get_preset",
    "presets",
    "price_in_countries",
    "reproduce",
    "reproduce_all",
]
