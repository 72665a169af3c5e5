"""Relative spreads measured from the shared data: how much independent sources disagree on the same figure.

Two rows of ``data/parameters.csv`` come from here (``scripts/build_data.py`` appends them to
``scripts/curated.py``'s rows); both are relative, ``value`` 1 and ``low``/``high`` multipliers of the run's value:

- ``grid_intensity_spread``: another dataset's intensity for the same country and year over Ember's (the grid the
  project prices on), for CodeCarbon's OWID copy (an older vintage), the IEA (direct CO2 of generation) and Green
  Algorithms (national inventories, AIB production mixes: mostly direct-combustion). Pooled over every pair with
  Ember at least :data:`MIN_GRID_G` g/kWh, the 5th and 95th percentiles of the ratio are the spread. It is what a
  grid factor entered by hand, or a region's, is sampled over, and it widens a country's own range.
- ``gpu_power_spread``: another source's rated power for the same accelerator over the catalogue's
  (``gpu_specs.csv``), for Green Algorithms' and ML CO2 Impact's GPU tables: the lowest and highest ratio.

The product never reads ``../shared``: these numbers reach it only through ``data/parameters.csv``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

#: Below this, intensities differ by a few g/kWh of upstream emissions that no ratio describes (Iceland: 0.13 g
#: direct against 28 g lifecycle), so pairs under it are left out of the relative spread [g CO2e/kWh].
MIN_GRID_G = 100.0
#: Green Algorithms and IEA name countries differently from OWID.
COUNTRY_ALIASES = {
    "Korea": "KOR",
    "Czech Republic": "CZE",
    "Russian Federation": "RUS",
    "United States of America": "USA",
    "United States": "USA",
    "China": "CHN",
    "India": "IND",
}
#: The same accelerator in the other GPU tables: catalogue name (gpu_specs.csv) -> (table, its name there).
#: TPUs are left out: Google publishes no TDP for them (DOMAIN_NOTES sec. 5), so their figures in these tables are
#: estimates of different things (per chip, per board, measured), not ratings that disagree.
POWER_MATCHES = {
    "NVIDIA A100 PCIe 40GB": [("ga", "NVIDIA A100 40GB PCIe"), ("mlco2", "A100 PCIe 40/80GB")],
    "NVIDIA A100 PCIe 80GB": [("ga", "NVIDIA A100 80GB PCIe"), ("mlco2", "A100 PCIe 40/80GB")],
    "NVIDIA A100 SXM4 80GB": [("mlco2", "A100 SXM4 80 GB")],
    "NVIDIA H100 SXM5 80GB": [("mlco2", "H100 SXM")],
    "NVIDIA H100 NVL 94GB": [("mlco2", "H100 NVL")],
    "NVIDIA A10G (AWS)": [("mlco2", "A10G")],
    "NVIDIA T4": [("ga", "NVIDIA Tesla T4"), ("mlco2", "T4")],
    "NVIDIA V100 PCIe 16GB": [("mlco2", "Tesla V100-PCIE-16GB")],
    "NVIDIA V100 SXM2 16GB": [("mlco2", "Tesla V100-SXM2-16GB")],
    "NVIDIA V100 SXM2 32GB": [("mlco2", "Tesla V100-SXM2-32GB")],
    "NVIDIA RTX 4090": [("mlco2", "RTX 4090")],
    "NVIDIA L4": [("mlco2", "L4")],
}


def _ember(shared_data: Path) -> pd.Series:
    grid = pd.read_csv(shared_data / "grid_intensity_by_country_year.csv")
    grid = grid[grid["entity_type"] == "country"]
    return grid.set_index(["iso3", "year"])["carbon_intensity_g_per_kwh"]


def _country_codes(shared_data: Path) -> dict[str, str]:
    grid = pd.read_csv(shared_data / "grid_intensity_by_country_year.csv")
    codes = {str(n): str(i) for n, i in zip(grid["country"], grid["iso3"], strict=True)}
    return codes | COUNTRY_ALIASES


def _ga_year(text: str) -> int | None:
    """The data year Green Algorithms states, e.g. '(data from 2020)', 'Data from April 2022', 'based on 2019 data'."""
    match = re.search(r"data from (?:[A-Za-z]+ )?(\d{4})|based on (\d{4})|using (\d{4})", text, re.IGNORECASE)
    return int(next(g for g in match.groups() if g)) if match else None


def grid_pairs(shared_data: Path) -> pd.DataFrame:
    """Every (dataset, country, year) where another dataset and Ember both give an intensity: ``dataset, iso3, year,
    other_g, ember_g`` [g CO2e/kWh]."""
    ember, codes, rows = _ember(shared_data), _country_codes(shared_data), []
    with (shared_data / "raw_codecarbon_global_energy_mix.json").open(encoding="utf-8") as handle:
        for iso3, entry in json.load(handle).items():
            rows.append(("CodeCarbon (OWID copy)", iso3, int(entry["year"]), float(entry["carbon_intensity"])))
    iea = pd.read_csv(shared_data / "raw_iea_co2_intensity_electricity_selected_regions_2015_2026.csv", skiprows=3)
    for _, row in iea.iterrows():
        for name in ("United States", "China", "India"):
            rows.append(("IEA", codes[name], int(row.iloc[0]), float(row[name])))
    ga = pd.read_csv(shared_data / "raw_greenalgorithms_CI_aggregated.csv", skiprows=1)
    for _, row in ga[ga["Type"] == "Country"].iterrows():
        year = _ga_year(f"{row['source']} {row['comments']}")
        if year is not None and row["countryName"] in codes:
            rows.append(("Green Algorithms", codes[row["countryName"]], year, float(row["carbonIntensity"])))
    frame = pd.DataFrame(rows, columns=["dataset", "iso3", "year", "other_g"])
    keys = list(zip(frame["iso3"], frame["year"], strict=True))
    frame["ember_g"] = [float(ember[k]) if k in ember.index else np.nan for k in keys]
    return frame.dropna(subset=["ember_g"])


def grid_spread(shared_data: Path) -> tuple[float, float, str]:
    """(low, high, how): the 5th and 95th percentiles of other / Ember over the pairs with Ember >= MIN_GRID_G."""
    pairs = grid_pairs(shared_data)
    pairs = pairs[pairs["ember_g"] >= MIN_GRID_G]
    ratio = pairs["other_g"] / pairs["ember_g"]
    low, high = (round(float(v), 3) for v in np.percentile(ratio, [5, 95]))
    counts = "; ".join(
        f"{name} {len(group)} pairs, ratio {group['other_g'].div(group['ember_g']).min():.2f}-"
        f"{group['other_g'].div(group['ember_g']).max():.2f}"
        for name, group in pairs.groupby("dataset")
    )
    how = (
        f"Derived (scripts/spreads.py): how much independent datasets disagree on the same country and year. For every "
        f"country-year that CodeCarbon's OWID copy (global_energy_mix.json, an older vintage), the IEA (direct CO2 of "
        f"generation, USA/China/India 2015-2024) or Green Algorithms (CI_aggregated.csv: national factors, mostly "
        f"direct combustion) and Ember (OWID grapher, lifecycle) both give, with Ember at least {MIN_GRID_G:.0f} "
        f"g/kWh ({len(ratio)} pairs: {counts}), the ratio other / Ember; low and high are its 5th and 95th "
        f"percentiles. It covers vintage revisions and the lifecycle vs direct-combustion basis gap."
    )
    return low, high, how


def _power_tables(shared_data: Path) -> dict[str, dict[str, float]]:
    ga = pd.read_csv(shared_data / "raw_greenalgorithms_TDP_gpu.csv", skiprows=1)
    mlco2 = pd.read_csv(shared_data / "raw_mlco2_impact_gpus.csv", usecols=["name", "tdp_watts"])
    return {
        "ga": {str(m): float(t) for m, t in zip(ga["model"], ga["TDP"], strict=True) if pd.notna(t)},
        "mlco2": {str(m): float(t) for m, t in zip(mlco2["name"], mlco2["tdp_watts"], strict=True)},
    }


def power_pairs(shared_data: Path) -> pd.DataFrame:
    """Every (accelerator, other table) pair: ``name, table, other_w, catalogue_w`` [W]."""
    specs = pd.read_csv(shared_data / "gpu_specs.csv").set_index("name")["tdp_w"]
    tables = _power_tables(shared_data)
    rows = [
        (name, table, tables[table][other], float(specs[name]))
        for name, matches in POWER_MATCHES.items()
        for table, other in matches
    ]
    return pd.DataFrame(rows, columns=["name", "table", "other_w", "catalogue_w"])


def power_spread(shared_data: Path) -> tuple[float, float, str]:
    """(low, high, how): the lowest and highest ratio other source / catalogue for the same accelerator."""
    pairs = power_pairs(shared_data)
    ratio = pairs["other_w"] / pairs["catalogue_w"]
    lo, hi = pairs.loc[ratio.idxmin()], pairs.loc[ratio.idxmax()]
    low, high = round(float(ratio.min()), 3), round(float(ratio.max()), 3)
    how = (
        f"Derived (scripts/spreads.py): how much the sources disagree on one accelerator's rated power. For the "
        f"{len(pairs)} pairs of a catalogue accelerator (gpu_specs.csv: Epoch, datasheets) and the same board in "
        f"Green Algorithms' TDP_gpu.csv or ML CO2 Impact's gpus.csv, the ratio other / catalogue runs from {low:g} "
        f"({lo['name']}: {lo['other_w']:.0f} against {lo['catalogue_w']:.0f} W) to {high:g} ({hi['name']}: "
        f"{hi['other_w']:.0f} against {hi['catalogue_w']:.0f} W); {int((ratio == 1).sum())} pairs agree. TPUs are "
        "left out: Google publishes no TDP for them. This is the spread of the rating; how far the average draw "
        "falls below the rating is utilisation's range, not this one."
    )
    return low, high, how


def spread_rows(shared_data: Path) -> list[dict[str, object]]:
    """The two derived rows of data/parameters.csv (columns as in scripts/curated.py's rows)."""
    grid_low, grid_high, grid_how = grid_spread(shared_data)
    power_low, power_high, power_how = power_spread(shared_data)
    return [
        {
            "key": "grid_intensity_spread",
            "value": 1.0,
            "unit": "x the grid factor",
            "low": grid_low,
            "high": grid_high,
            "source": grid_how,
            "year": "2015-2024",
            "notes": "Relative range of a grid factor: sampled for an intensity entered by hand or a region's, and "
            "added to a country's spread over its recent years.",
        },
        {
            "key": "gpu_power_spread",
            "value": 1.0,
            "unit": "x the power per GPU",
            "low": power_low,
            "high": power_high,
            "source": power_how,
            "year": "2017-2025",
            "notes": "Relative range of the power per GPU at full draw (the board's rating).",
        },
    ]
