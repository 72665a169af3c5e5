"""Every chart is titled with its unit, and its text alternative states the numbers it draws (explorer/chart_text.py):
checked without a browser, against the same carbon_core results the charts are given."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import pytest

from carbon_core import TrainingRun, comparison, estimate, price_in_countries, reproduce_all
from carbon_core.countries import world_reference
from carbon_core.emissions import shares_pct
from carbon_core.published import rank_among_published
from carbon_core.regions import price_in_regions
from carbon_core.uncertainty import sensitivity
from explorer import chart_text, figures
from explorer import formatting as fmt


@pytest.fixture(scope="module")
def footprint():
    return estimate(TrainingRun(gpu_count=1024, training_hours=720.0, country_iso3="SWE"))


@pytest.fixture(scope="module")
def countries(footprint):
    return price_in_countries(footprint)


def every_figure(footprint, countries, large: bool) -> dict[str, go.Figure]:
    """One figure from each builder of explorer/figures.py."""
    parts = footprint.emissions_breakdown_t_co2e()
    other = estimate(TrainingRun(gpu_count=2048, training_hours=720.0, country_iso3="FRA"))
    regions = price_in_regions(footprint.facility_energy_kwh, footprint.embodied_t_co2e)
    return {
        "breakdown": figures.breakdown_figure(parts, shares_pct(parts, footprint.total_t_co2e), large=large),
        "countries": figures.countries_bar_figure(countries, "SWE", 1000.0, large=large),
        "map": figures.world_map_figure(countries, "SWE", large=large),
        "regions": figures.regions_bar_figure(regions, None, large=large),
        "presets": figures.presets_figure(reproduce_all(), large=large),
        "tornado": figures.tornado_figure(sensitivity(footprint.run), footprint.total_t_co2e, large=large),
        "compare": figures.compare_figure(parts, other.emissions_breakdown_t_co2e(), large=large),
        "difference": figures.difference_figure(comparison.difference_t_co2e(footprint, other), large=large),
        "ranking": figures.published_ranking_figure(rank_among_published(footprint.total_t_co2e).frame, large=large),
    }


def test_every_figure_builder_is_covered() -> None:
    builders = {name for name in dir(figures) if name.endswith("_figure") and callable(getattr(figures, name))}
    assert builders == {
        "breakdown_figure",
        "countries_bar_figure",
        "world_map_figure",
        "regions_bar_figure",
        "presets_figure",
        "tornado_figure",
        "compare_figure",
        "difference_figure",
        "published_ranking_figure",
    }, "a new figure builder: add it to every_figure() here"


@pytest.mark.parametrize("large", [False, True], ids=["normal", "presentation"])
def test_every_figure_has_a_title_with_its_unit(footprint, countries, large: bool) -> None:
    for name, fig in every_figure(footprint, countries, large).items():
        title = fig.layout.title.text
        assert title, f"{name} has no title"
        assert title.endswith("[t CO2e]"), (name, title)
        assert fig.layout.title.font.size >= (24 if large else 18), name


def _total(text: str, value_t: float) -> str:
    written = fmt.t_co2e(value_t)
    assert written in text, (written, text)
    return written


def test_countries_text_names_both_ends_the_chosen_country_and_the_world(footprint, countries) -> None:
    world = float(world_reference(footprint.facility_energy_kwh, footprint.embodied_t_co2e)["total_t_co2e"])
    text = chart_text.countries_text(countries, "SWE", world)
    assert text.startswith(f"{len(countries):,} countries, cleanest grid first: ")
    for position in [0, 1, 2, -3, -2, -1]:
        row = countries.iloc[position]
        assert f"{row['country']}" in text
        _total(text, float(row["total_t_co2e"]))
    middle = countries.iloc[len(countries) // 2]
    assert f" {middle['country']} " not in text, "only the ends of a long ranking are named"
    rank = int(countries.index[countries["iso3"] == "SWE"][0]) + 1
    sweden = float(countries.loc[countries["iso3"] == "SWE", "total_t_co2e"].iloc[0])
    assert f"Your country, Sweden, ranks {rank} of {len(countries):,}: {fmt.t_co2e(sweden)}." in text
    assert text.endswith(f"On the World's average grid: {fmt.t_co2e(world)}.")
    low = countries[countries["low_precision"].astype(bool)]
    if not low.empty and low.index[0] < 3:
        assert f"{low.iloc[0]['country']} (low precision)" in text


def test_countries_text_without_a_chosen_country_or_world(countries) -> None:
    text = chart_text.countries_text(countries, None)
    assert "Your country" not in text and "World" not in text


def test_regions_text_names_the_chosen_region(footprint) -> None:
    frame = price_in_regions(footprint.facility_energy_kwh, footprint.embodied_t_co2e)
    chosen = str(frame["id"].iloc[10])
    text = chart_text.regions_text(frame, chosen)
    assert text.startswith(
        f"{len(frame):,} regions, cleanest grid first: {frame['name'].iloc[0]} ({frame['id'].iloc[0]})"
    )
    assert f"Your region, {chosen}, ranks 11 of {len(frame):,}: {fmt.t_co2e(frame['total_t_co2e'].iloc[10])}." in text


def test_a_short_ranking_is_listed_in_full() -> None:
    text = chart_text.ranked_text(["a", "b", "c"], [1.0, 20.0, 300.0], "runs", "largest first")
    assert text == "3 runs, largest first: a 1.0 t CO2e, b 20.0 t CO2e, c 300 t CO2e."


def test_tornado_text_states_each_inputs_range_and_totals(footprint) -> None:
    bars = sensitivity(footprint.run)
    text = chart_text.tornado_text(bars, footprint.total_t_co2e)
    assert text.startswith(f"The run's total is {fmt.t_co2e(footprint.total_t_co2e)}.")
    for bar in bars:
        label = figures.INPUT_LABELS[bar.name]
        assert (
            f"{label} from {bar.low_input:,.3g} to {bar.high_input:,.3g}{figures.INPUT_UNITS[bar.name]}: total "
            f"{fmt.t_co2e(bar.total_at_low_t_co2e)} to {fmt.t_co2e(bar.total_at_high_t_co2e)}" in text
        )
    positions = [text.index(figures.INPUT_LABELS[b.name] + " from") for b in bars]
    assert positions == sorted(positions), "largest swing first, as the chart"


def test_compare_and_difference_texts_state_every_part(footprint) -> None:
    other = estimate(TrainingRun(gpu_count=2048, training_hours=720.0, country_iso3="FRA"))
    a, b = footprint.emissions_breakdown_t_co2e(), other.emissions_breakdown_t_co2e()
    text = chart_text.compare_text(a, b)
    first, second = text.split("Scenario B: ")
    for parts, half, fp in [(a, first, footprint), (b, second, other)]:
        for key, value in parts.items():
            assert f"{figures.PART_LABELS[key]} {fmt.t_co2e(value)}" in half
        assert f"total {fmt.t_co2e(fp.total_t_co2e)}" in half
    difference = comparison.difference_t_co2e(footprint, other)
    text = chart_text.difference_text(difference)
    for key, value in difference.items():
        assert f"{figures.PART_LABELS.get(key, 'Total')} {'+' if value > 0 else ''}{fmt.t_co2e(value)}" in text


def test_published_ranking_text_places_the_users_run() -> None:
    ranking = rank_among_published(8938.11)
    text = chart_text.published_ranking_text(ranking.frame)
    assert text.startswith(f"{ranking.count} training runs, largest first: {ranking.frame['name'].iloc[0]} ")
    assert text.endswith(f"Your run ranks {ranking.rank} of {ranking.count}: {fmt.t_co2e(8938.11)}.")


def test_presets_text_lists_every_preset() -> None:
    results = reproduce_all()
    text = chart_text.presets_text(results)
    assert text.startswith(f"{len(results)} published runs, {sum(r.reproduced for r in results)} reproduced: ")
    for r in results:
        assert (
            f"{r.name}: reported {fmt.t_co2e(r.reported_t_co2e)}, computed {fmt.t_co2e(r.computed_t_co2e)} "
            f"({r.difference_pct:+.1f} %)" in text
        )


def test_chart_text_html_is_titled_keyed_and_escaped() -> None:
    html = chart_text.chart_text_html("Total [t CO2e]", 'Côte <b>"x"</b> 5 t CO2e', "countries-bar")
    assert html == (
        '<p class="chart-text" data-chart="countries-bar">Chart: Total [t CO2e]. '
        "Côte &lt;b&gt;&quot;x&quot;&lt;/b&gt; 5 t CO2e</p>"
    )
    assert not re.search(r"<(?!/?p[ >])", html), "no markup but the paragraph"
