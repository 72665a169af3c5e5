"""The scenario's name in words, for the page, presentation mode and the comparison's A and B.

"Llama 3.1 405B, Meta's published run, moved to Sweden's grid (2024)"; "Custom run: 1,024 x NVIDIA H100 SXM5
80GB for 30 days in the United States". Pure Python: built from the link's scenario and the data tables.
"""

from __future__ import annotations

import dataclasses

from carbon_core.catalogue import find_accelerator
from carbon_core.grid import grid_for_country
from carbon_core.inputs import by_link
from carbon_core.presets import presets
from carbon_core.regions import grid_for_region
from explorer.link import Scenario, scenario_from_preset

#: Scenario attributes that are about the page, not the run: they never make a run "changed".
_PAGE_FIELDS = ("preset", "present", "view", "compare_a")
_MAX_NAMED_CHANGES = 2


def _short_label(link_key: str) -> str:
    """The sidebar label without its unit: 'PUE', 'GPU count'."""
    return by_link()[link_key].label.split(" [")[0]


def _changed_inputs(scenario: Scenario) -> list[str]:
    """Link keys of the run inputs that differ from the scenario's preset (the grid's move excepted)."""
    published = scenario_from_preset(str(scenario.preset))
    now = dataclasses.asdict(scenario) | {"power_w": scenario.resolved_power_w()}
    then = dataclasses.asdict(published) | {"power_w": published.resolved_power_w()}
    if scenario.hours != published.hours:
        now["duration"] = "changed"
    for key in (*_PAGE_FIELDS, "duration_unit", "country", "grid", "grid_year", "region"):
        now.pop(key, None)
    return [key for key, value in now.items() if value != then.get(key)]


def _with_article(name: str) -> str:
    """'the United States', 'the Netherlands', 'France' (country names as Our World in Data writes them)."""
    plural_or_union = ("Islands", "Republic", "Emirates", "Netherlands", "Philippines", "Bahamas", "Gambia")
    return f"the {name}" if name.startswith("United ") or name.endswith(plural_or_union) else name


def _grid_place(scenario: Scenario) -> tuple[str, int | None]:
    """Where the run's grid is ('Texas (us:TX)', 'the United States') and the year of its figure."""
    if scenario.region is not None:
        grid = grid_for_region(scenario.region)
        return f"{grid.region_name} ({grid.region_id})", grid.year
    grid = grid_for_country(scenario.country, scenario.grid_year)
    return _with_article(str(grid.country)), grid.year


def _grid_words(scenario: Scenario) -> str:
    if scenario.grid is not None:
        return f"on a grid of {scenario.grid:,.0f} g CO2e/kWh set by hand"
    place, year = _grid_place(scenario)
    return f"in {place} (grid of {year})"


def _preset_title(scenario: Scenario) -> str:
    preset = presets()[str(scenario.preset)]
    words = f"{preset.name}, {preset.org}'s published run"
    if scenario.grid is None:
        place, year = _grid_place(scenario)
        words += f", moved to {place}{chr(39) if place.endswith('s') else chr(39) + 's'} grid ({year})"
    changed = _changed_inputs(scenario)
    if changed:
        names = [_short_label(key) if key in by_link() else "training duration" for key in changed]
        shown = ", ".join(names[:_MAX_NAMED_CHANGES])
        more = len(names) - _MAX_NAMED_CHANGES
        words += f", with {shown}{f' and {more} more' if more > 0 else ''} changed"
    return words


def _duration_words(scenario: Scenario) -> str:
    if scenario.compute_mode:
        active = f" ({scenario.active_params / 1e9:,.4g}B active)" if scenario.active_params else ""
        return (
            f"training {scenario.params / 1e9:,.4g}B parameters{active} on {scenario.tokens / 1e12:,.4g}T tokens"
        )
    unit = "days" if scenario.duration_unit == "days" else "h"
    return f"for {scenario.duration:,.4g} {unit}"


def scenario_title(scenario: Scenario) -> str:
    """The scenario named from its inputs: the preset it starts from and what moved, or the custom run's shape."""
    if scenario.preset in presets():
        return _preset_title(scenario)
    entry = find_accelerator(scenario.gpu)
    name = entry.name if entry is not None else "custom accelerators"
    return f"Custom run: {scenario.gpus:,} x {name} {_duration_words(scenario)} {_grid_words(scenario)}"

