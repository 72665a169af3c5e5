"""Your run among published runs (issue 15 item 7): the ranking in carbon_core, its figure and its view."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_app import no_exception, open_app, total_t, unescape

from carbon_core import presets
from carbon_core.published import (
    REPORTED,
    USER_RUN,
    published_footprints,
    published_runs,
    rank_among_published,
)
from explorer import figures
from explorer.views import ranking_sentence


def test_every_published_total_once_presets_with_their_provenance() -> None:
    frame = published_footprints()
    assert not frame["name"].duplicated().any()
    assert list(frame["t_co2e"]) == sorted(frame["t_co2e"], reverse=True)
    assert (frame["t_co2e"] > 0).all()
    by_name = frame.set_index("name")
    for preset in presets().values():
        row = by_name.loc[preset.name]
        assert row["t_co2e"] == preset.reported_t_co2e
        assert row["provenance"] == preset.provenance
        assert row["basis"] == preset.reported_basis
    others = frame[frame["provenance"] == REPORTED]
    assert len(others) == len(published_runs()) == 21
    assert len(frame) == len(presets()) + 21
    # a shared row that is a preset is not counted again; a 0 t market-based figure cannot be ranked on a log axis
    assert "Llama 3.3 70B" in by_name.index and by_name.loc["Llama 3.3 70B", "t_co2e"] == 2040.0
    assert by_name.loc["Llama 3.1 (total)", "t_co2e"] == 11390.0
    assert by_name.loc["Mistral Large 2 (training + 18 months of use)", "basis"].startswith("LCA")
    assert frame["basis"].str.len().gt(0).all() and frame["source"].str.len().gt(0).all()


def test_llama_405b_ranks_just_above_its_published_figure() -> None:
    ranking = rank_among_published(8938.11)  # the preset recomputed: 0.09 % above the card's 8,930 t
    assert (ranking.rank, ranking.count) == (6, len(published_footprints()) + 1)
    assert ranking.below == "Llama 3.1 405B"
    assert ranking.above == "Seed 004: Llama 3.1 (39.3M GPU-h) in United States (400 g/kWh)"
    user = ranking.frame[ranking.frame["is_user"]]
    assert list(user.index) == [ranking.rank - 1] and user["name"].item() == USER_RUN


def test_ends_of_the_ranking() -> None:
    top = rank_among_published(1e9)
    assert (top.rank, top.above) == (1, None) and top.below is not None
    bottom = rank_among_published(0.0)
    assert (bottom.rank, bottom.below) == (bottom.count, None) and bottom.above == "Llama 3.2 1B QLoRA"
    with pytest.raises(ValueError):
        rank_among_published(float("nan"))
    with pytest.raises(ValueError):
        rank_among_published(-1.0)


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=0.0, max_value=1e7, allow_nan=False))
def test_the_users_run_lands_between_its_neighbours(total: float) -> None:
    ranking = rank_among_published(total)
    frame = ranking.frame
    assert len(frame) == ranking.count and frame["is_user"].sum() == 1
    assert list(frame["t_co2e"]) == sorted(frame["t_co2e"], reverse=True)
    position = ranking.rank - 1
    assert frame.loc[position, "is_user"] and frame.loc[position, "t_co2e"] == total
    if ranking.above is not None:
        assert frame.loc[position - 1, "name"] == ranking.above and frame.loc[position - 1, "t_co2e"] > total
    if ranking.below is not None:
        assert frame.loc[position + 1, "name"] == ranking.below and frame.loc[position + 1, "t_co2e"] <= total
    assert pd.concat([frame.iloc[:position], frame.iloc[position + 1 :]])["name"].tolist() == (
        published_footprints()["name"].tolist()
    )


def test_ranking_figure_highlights_the_users_run_on_a_log_axis() -> None:
    ranking = rank_among_published(8938.11)
    fig = figures.published_ranking_figure(ranking.frame)
    assert fig.layout.xaxis.type == "log" and "t CO2e" in fig.layout.xaxis.title.text
    bars = {trace.name: trace for trace in fig.data}
    user = bars["your run (this page's scenario)"]
    assert list(user.x) == [8938.11] and user.y[0] == "<b>Your run: 8,938 t CO2e</b>"
    assert user.marker.color == figures.RANKING_USER_COLOUR
    assert sum(len(trace.x) for trace in fig.data) == ranking.count
    labels = list(fig.layout.yaxis.categoryarray)
    assert len(set(labels)) == ranking.count  # shortened names never merge two bars
    # Plotly draws the category array bottom-up: the smallest run at the bottom, the largest at the top
    assert labels[0] == "Llama 3.2 1B QLoRA" and labels[-1].startswith("Seed 000")
    assert labels[ranking.count - ranking.rank] == user.y[0]
    reported = bars["reported total, not recomputed here"]
    assert "basis: %{customdata[2]}" in reported.hovertemplate and "provenance" in reported.hovertemplate
    assert {row[2] for row in reported.customdata} >= {"location", "not stated"}


def test_ranking_figure_is_larger_in_presentation_mode() -> None:
    frame = rank_among_published(100.0).frame
    plain, large = figures.published_ranking_figure(frame), figures.published_ranking_figure(frame, large=True)
    assert plain.layout.font.size == 16 and large.layout.font.size == 22  # the charts' text sizes (a room)
    assert large.layout.height > plain.layout.height


def test_sentence_names_rank_and_neighbours() -> None:
    text = ranking_sentence(rank_among_published(8938.11))
    assert text.startswith("Your run, 8,938 t CO2e, ranks 6 of 47 published training runs")
    assert "between Seed 004: Llama 3.1 (39.3M GPU-h) in United States (400 g/kWh) (above) and Llama 3.1 405B" in text
    assert "above every published run" in ranking_sentence(rank_among_published(1e9))
    assert "below every published run" in ranking_sentence(rank_among_published(0.0))


def test_published_runs_view_ranks_the_pages_total() -> None:
    at = open_app({"preset": "llama-3.1-405b", "view": "published"})
    no_exception(at)
    expected = ranking_sentence(rank_among_published(total_t(at)))
    sentences = [unescape(m.value) for m in at.main.markdown if "ranks" in m.value]
    assert sentences == [expected]
    assert len(at.get("plotly_chart")) == 2  # the ranking above the presets chart
    ranking_chart = at.get("plotly_chart")[0]
    assert "Your run" in ranking_chart.proto.spec and '"type":"log"' in ranking_chart.proto.spec.replace(" ", "")
