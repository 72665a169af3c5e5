"""Published training footprints, ranked, with the user's run among them.

Two sources, each run counted once: the presets (``data/presets.csv``, each with its ``provenance`` and
``reported_basis``) and the other published totals (``data/published_runs.csv``, built from shared
``published_trainings.csv``: totals that are not presets, as printed, with their basis). Each run is shown at
its *reported* figure [t CO2e], as its source printed it; the presets' recomputation is in
:mod:`carbon_core.presets`.

Ranking (no formula beyond ordering): runs sorted from the largest total to the smallest; the user's run is
inserted after every published run with a strictly larger total, so its rank is
``N = 1 + #{published runs with t > total}`` of ``M = #published + 1`` runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from carbon_core.presets import PROVENANCE_LABELS, presets
from carbon_core.tables import data_dir, load_table

#: Provenance of a published total that is not a preset: shown as printed, not recomputed here.
REPORTED = "reported"
RANKING_PROVENANCE_LABELS: dict[str, str] = {**PROVENANCE_LABELS, REPORTED: "reported total, not recomputed here"}
#: The name of the user's run in the ranking.
USER_RUN = "Your run"
#: The columns of :func:`published_footprints` and :attr:`Ranking.frame`.
COLUMNS = ["name", "org", "year", "t_co2e", "provenance", "provenance_label", "basis", "source", "is_user"]


class PublishedRun(BaseModel):
    """A row of ``data/published_runs.csv``: a published training total [t CO2e] that is not a preset."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    name: str = Field(min_length=1)
    org: str = Field(min_length=1)
    year: int | None = Field(default=None, ge=2015, le=2030)
    t_co2e: float = Field(gt=0)
    basis: str = Field(min_length=1)
    source: str = Field(min_length=1)
    notes: str | None = None


@cache
def _published_runs(folder: Path) -> tuple[PublishedRun, ...]:
    return tuple(load_table("published_runs.csv", PublishedRun, unique=["name"], folder=folder))


def published_runs() -> tuple[PublishedRun, ...]:
    """The rows of ``data/published_runs.csv``, in the file's order (smallest total first)."""
    return _published_runs(data_dir())


def published_footprints() -> pd.DataFrame:
    """Every published training total [t CO2e]: the presets (reported figure, provenance, reported basis) and
    ``published_runs.csv`` (provenance ``reported``), largest first (ties by name). Totals of 0 t are left out:
    a log-scale ranking cannot place them (a 0 t figure is a claim about certificates, not a footprint)."""
    rows = [
        (p.name, p.org, p.year, p.reported_t_co2e, p.provenance, p.reported_basis, p.source)
        for p in presets().values()
        if p.reported_t_co2e > 0
    ]
    rows += [(r.name, r.org, r.year, r.t_co2e, REPORTED, r.basis, r.source) for r in published_runs()]
    frame = pd.DataFrame(rows, columns=["name", "org", "year", "t_co2e", "provenance", "basis", "source"])
    if frame["name"].duplicated().any():
        raise ValueError(f"a published run is listed twice: {sorted(frame.loc[frame['name'].duplicated(), 'name'])}")
    frame["year"] = frame["year"].astype("Int64")
    frame["provenance_label"] = frame["provenance"].map(RANKING_PROVENANCE_LABELS)
    frame["is_user"] = False
    frame = frame.sort_values(["t_co2e", "name"], ascending=[False, True], kind="stable")
    return frame[COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class Ranking:
    """The published runs with the user's run inserted (largest first) and where it lands."""

    #: :data:`COLUMNS`, largest total first; the user's row has ``is_user`` True.
    frame: pd.DataFrame
    #: 1 = the largest footprint.
    rank: int
    #: Runs in the ranking, the user's included.
    count: int
    #: The published run just above (larger total) and just below (smaller or equal); None at either end.
    above: str | None
    below: str | None


def rank_among_published(total_t_co2e: float) -> Ranking:
    """Insert a run of ``total_t_co2e`` [t CO2e] among :func:`published_footprints` and rank it.

    ``rank = 1 + #{published runs with t > total_t_co2e}`` (ties rank the user's run first, ahead of runs
    of the same total), of ``count = #published + 1``.
    """
    if not total_t_co2e >= 0:
        raise ValueError(f"total_t_co2e must be a number >= 0, got {total_t_co2e!r}")
    published = published_footprints()
    position = int((published["t_co2e"] > total_t_co2e).sum())
    user = {
        "name": USER_RUN,
        "org": "",
        "year": pd.NA,
        "t_co2e": float(total_t_co2e),
        "provenance": "user",
        "provenance_label": "your scenario, computed here",
        "basis": "this page's scenario",
        "source": "",
        "is_user": True,
    }
    frame = pd.concat(
        [published.iloc[:position], pd.DataFrame([user], columns=COLUMNS), published.iloc[position:]],
        ignore_index=True,
    )
    frame["year"] = frame["year"].astype("Int64")
    frame["is_user"] = frame["is_user"].astype(bool)
    return Ranking(
        frame=frame,
        rank=position + 1,
        count=len(frame),
        above=str(published["name"].iloc[position - 1]) if position > 0 else None,
        below=str(published["name"].iloc[position]) if position < len(published) else None,
    )
