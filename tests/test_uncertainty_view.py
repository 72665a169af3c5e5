"""The Uncertainty view's words (explorer/views.py uncertainty_notes): ranges, P50 against the point, what is held."""

from __future__ import annotations

from carbon_core import TrainingRun
from carbon_core.presets import get_preset
from carbon_core.uncertainty import monte_carlo, point_values
from explorer import formatting as fmt
from explorer.views import outside_notes, uncertainty_notes


def _notes(run: TrainingRun) -> tuple[list[str], dict, object]:
    resolved = run.resolve()
    result = monte_carlo(resolved, samples=2_000)
    return uncertainty_notes(resolved, result), point_values(resolved), result


def test_default_page_lists_power_duration_and_grid_ranges_and_explains_the_p50() -> None:
    notes, points, result = _notes(TrainingRun())
    method, median, held = notes[0], notes[1], notes[2]
    for label in ("Duration", "Power per GPU", "Utilisation", "Grid intensity", "PUE", "Embodied per GPU"):
        assert f"{label} " in method, label
    assert "estimate" in method  # the duration's range is called an estimate on screen
    p50 = result.intervals["total_t_co2e"].p50
    assert fmt.t_co2e(p50) in median and fmt.t_co2e(points["total_t_co2e"]) in median
    assert "central value" in median and "median of the samples" in median
    assert held.startswith("Held at your value: GPU count 1,024 GPUs")
    assert len(notes) == 3  # no point outside its range on the default page


def test_meta_preset_says_which_parts_are_held_and_why() -> None:
    notes, _, _ = _notes(get_preset("llama-3.1-405b").run())
    held = next(n for n in notes if n.startswith("Held"))
    assert "Host power per GPU 0 W and Embodied per GPU 0 kg CO2e" in held
    assert "Meta's cards count no host power and no embodied carbon" in held
    assert "Grid intensity" in notes[0]  # the hand-entered factor varies


def test_a_point_outside_its_range_is_explained_on_screen() -> None:
    notes, points, _ = _notes(TrainingRun(pue=1.02, country_iso3="FRA"))
    outside = [n for n in notes if n.startswith("The cooling / overhead's point estimate")]
    assert len(outside) == 1
    assert fmt.t_co2e(points["overhead_t_co2e"]) in outside[0] and "below its P5" in outside[0]
    assert "PUE 1.02 lies in the bottom 5 % of its range (1 to 1.45)" in outside[0]


def test_outside_notes_keep_to_the_results_asked_for() -> None:
    """The Breakdown view asks only for the parts it shows; the overhead's note is among them."""
    run = TrainingRun(pue=1.02, country_iso3="FRA").resolve()
    result = monte_carlo(run, samples=2_000)
    assert outside_notes(run, result, ("embodied_t_co2e",)) == []
    assert len(outside_notes(run, result, ("overhead_t_co2e", "total_t_co2e"))) == 1
