"""What every view of the dashboard draws from: one value, built once per rerun by app.py."""

from __future__ import annotations

from dataclasses import dataclass

from carbon_core import Footprint
from carbon_core.uncertainty import UncertaintyResult
from explorer.link import Scenario


@dataclass(frozen=True)
class Page:
    """The run's footprint, the scenario it came from, its Monte Carlo result and the presentation flag."""

    footprint: Footprint
    #: The inputs as the sidebar and the link hold them (with the comparison's scenario A, if any).
    scenario: Scenario
    uncertainty: UncertaintyResult
    #: Presentation mode: large numbers and fonts for a projector.
    present: bool
