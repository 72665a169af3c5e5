"""Build ``data/water_intensity.csv``: the water the power plants of each country consume per kWh [L/kWh].

Usage::

    python scripts/build_water.py

Reads only the vendored upstream copy ``data/raw/ecologits/electricity_mixes.csv`` (EcoLogits, MPL-2.0; its
``README.md`` there gives the commit, checksum and licence) and writes, deterministically, its ``wue`` column
as ``iso3, country, l_per_kwh, year, source``, then refreshes ``data/CHECKSUMS.sha256``. ``scripts/build_data.py``
calls :func:`build_water_intensity` too, so one rebuild writes every file. ``data/SOURCES.md``
("water_intensity.csv") says what the figures are and what is not known about them.
"""

from __future__ import annotations

import csv
import hashlib
import math
import sys
from pathlib import Path

import pandas as pd
import pycountry

REPO_ROOT: Path = Path(__file__).resolve().parents[1]
OUT_DIR: Path = REPO_ROOT / "data"
RAW_FILE: Path = OUT_DIR / "raw" / "ecologits" / "electricity_mixes.csv"
#: sha256 of the vendored copy (data/raw/ecologits/README.md): a changed copy must be re-read, not rebuilt blindly.
RAW_SHA256 = "ac20b97774833ac9e0b716dbe71c234d4418e0b762451bdfe818d40c50e096db"
WATER_COLUMNS: list[str] = ["iso3", "country", "l_per_kwh", "year", "source"]
#: EcoLogits names the world average ``WOR``; the project's grid data name it ``WLD``.
WORLD_CODES = {"WOR": ("WLD", "World")}
#: Year of the WRI guidance the factors follow; EcoLogits does not state the generation year behind them.
SOURCE_YEAR = 2020
SOURCE = (
    "EcoLogits electricity_mixes.csv column wue (genai-impact/ecologits 2d0a1c7, MPL-2.0), off-site water "
    "consumption of electricity per WRI: Reig, Luo, Christensen, Sinistore 2020, 'Guidance for Calculating Water "
    "Use Embedded in Purchased Electricity'"
)
#: Highest plausible factor [L/kWh]: hydro-heavy grids reach ~19 (Brazil); the model's input range ends at 50.
MAX_L_PER_KWH = 50.0


def _country(code: str) -> tuple[str, str]:
    if code in WORLD_CODES:
        return WORLD_CODES[code]
    entry = pycountry.countries.get(alpha_3=code)
    if entry is None:
        raise ValueError(f"{RAW_FILE.name}: {code!r} is not an ISO 3166-1 alpha-3 code")
    return code, getattr(entry, "common_name", entry.name)


def _factor(text: str, code: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{RAW_FILE.name}: wue of {code} is not a number ({text!r})") from None
    if not (math.isfinite(value) and 0 < value <= MAX_L_PER_KWH):
        raise ValueError(f"{RAW_FILE.name}: wue of {code} is {value}, outside (0, {MAX_L_PER_KWH}] L/kWh")
    return value


def build_water_intensity(raw_file: Path = RAW_FILE) -> pd.DataFrame:
    """The ``wue`` column of the vendored EcoLogits table, one row per country (and the World), by ISO3.

    Raises ``ValueError`` when the copy is not the one documented (checksum), a code is not ISO 3166-1
    alpha-3, or a factor is blank, not a number or implausible.
    """
    raw = raw_file.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != RAW_SHA256:
        raise ValueError(f"{raw_file}: sha256 {digest} is not the documented copy's; re-read it and update README.md")
    records = []
    for row in csv.DictReader(raw.decode("utf-8").splitlines()):
        iso3, country = _country(row["name"])
        records.append(
            {"iso3": iso3, "country": country, "l_per_kwh": _factor(row["wue"], iso3), "year": SOURCE_YEAR,
             "source": SOURCE}
        )  # fmt: skip
    frame = pd.DataFrame(records, columns=WATER_COLUMNS).sort_values("iso3", ignore_index=True)
    if frame["iso3"].duplicated().any():
        raise ValueError(f"{raw_file.name}: a country appears twice")
    return frame


def main() -> int:
    """Write ``data/water_intensity.csv`` and refresh the checksum list."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from build_data import write_checksums, write_csv  # the one writer, so the bytes match build_data's

    frame = build_water_intensity()
    write_csv(frame, OUT_DIR / "water_intensity.csv")
    print(f"wrote data/water_intensity.csv: {len(frame)} rows")
    print(f"wrote data/{write_checksums(OUT_DIR).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
