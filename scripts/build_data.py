"""Build the project's curated data files in ``data/`` from the shared source data.

Usage::

    python scripts/build_data.py [--shared PATH]

``PATH`` defaults to ``../shared`` relative to the repository root. The script reads only
``PATH/data/`` and writes, deterministically (same bytes on every run):

- ``data/grid_intensity.csv``   grid carbon intensity by country and year [g CO2e/kWh], with a
  ``low_precision`` flag for tiny grids whose published ratio is not good to two significant figures
- ``data/regions.csv``          grid carbon intensity of cloud regions, US states, Canadian provinces and
  Australian states [g CO2e/kWh]
- ``data/accelerators.csv``     accelerator specs (TDP [W], dense peak [TFLOP/s], memory [GB])
- ``data/embodied.csv``         per-GPU manufacturing (embodied) estimates [kg CO2e per GPU]
- ``data/equivalences.csv``     equivalence factors [kg CO2e per unit], [kWh per unit] or [L per unit]
- ``data/published_runs.csv``   published training totals that are not presets [t CO2e], with basis and source
- ``data/water_intensity.csv``  water consumed by each country's power plants [L/kWh], from the vendored
  ``data/raw/ecologits/`` copy (``scripts/build_water.py``)
- ``data/presets.csv`` and ``data/parameters.csv`` when ``scripts/curated.py`` exists
- ``data/CHECKSUMS.sha256``     ``sha256sum`` lines for every ``data/*.csv``

The product never reads ``../shared`` at run time; it reads only the files written here. How each
file is built is documented in ``data/SOURCES.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pycountry

REPO_ROOT: Path = Path(__file__).resolve().parents[1]
SCRIPTS_DIR: Path = Path(__file__).resolve().parent
OUT_DIR: Path = REPO_ROOT / "data"
DEFAULT_SHARED: Path = REPO_ROOT.parent / "shared"

# --------------------------------------------------------------------------------------------------
# Output schemas (column order matters: carbon_core's loader validates it)
# --------------------------------------------------------------------------------------------------
GRID_COLUMNS: list[str] = ["iso3", "country", "year", "grid_g_co2e_per_kwh", "source", "low_precision"]
REGION_COLUMNS: list[str] = [
    "id",
    "provider",
    "name",
    "country_iso3",
    "grid_g_co2e_per_kwh",
    "year",
    "basis",
    "source",
    "pue",
    "alternative_g_co2e_per_kwh",
    "alternative_year",
    "alternative_source",
    "note",
]
ACCELERATOR_COLUMNS: list[str] = [
    "id",
    "name",
    "vendor",
    "form_factor",
    "release_year",
    "tdp_w",
    "peak_dense_tflops",
    "peak_tflops_precision",
    "peak_dense_fp8_tflops",
    "peak_fp8_source",
    "memory_gb",
    "source",
    "notes",
    "embodied_kg_co2e",
    "embodied_scope",
    "embodied_source",
]
EMBODIED_COLUMNS: list[str] = [
    "key",
    "label",
    "scope",
    "kg_co2e_per_gpu",
    "lifetime_years",
    "source",
    "notes",
]
EQUIVALENCE_COLUMNS: list[str] = [
    "key",
    "label",
    "kg_co2e_per_unit",
    "kwh_per_unit",
    "litres_per_unit",
    "unit",
    "source",
    "year",
    "notes",
]

# --------------------------------------------------------------------------------------------------
# Grid intensity
# --------------------------------------------------------------------------------------------------
GRID_SOURCE: str = (
    "Our World in Data based on Ember and Energy Institute "
    "(carbon intensity of electricity, grapher export; CC BY 4.0)"
)
#: OWID's own codes for entities without an ISO 3166-1 alpha-3 code, mapped to the codes used here.
OWID_CODE_MAP: dict[str, str] = {
    "OWID_KOS": "XKX",  # Kosovo: user-assigned code (used by the EU, IMF, World Bank)
    "OWID_WRL": "WLD",  # World: World Bank aggregate code
}
GRID_KEPT_ENTITY_TYPES: frozenset[str] = frozenset({"country", "world"})
GRID_ENTITY_TYPES: frozenset[str] = GRID_KEPT_ENTITY_TYPES | {"aggregate"}
GRID_YEAR_RANGE: tuple[int, int] = (2000, 2024)
GRID_DECIMALS: int = 3
OWID_RAW_VALUE_COLUMN: str = "Carbon intensity of electricity - gCO2/kWh"
#: OWID/Ember publish generation [TWh] and emissions [Mt CO2e] rounded to 0.01, and the intensity is their
#: ratio (checked in flag_low_precision), so the worst-case error of I = E / G [g/kWh] is
#: I x (0.005 / G + 0.005 / E) = (5 + 0.005 x I) / G  with G in TWh and E = I x G / 1000 in Mt.
ENERGY_MIX_JSON: str = "raw_codecarbon_global_energy_mix.json"
OWID_ROUNDING_TWH: float = 0.01  # generation [TWh] and emissions [Mt] are both published to 0.01
#: Values that only a ratio of two tiny rounded numbers gives (0.00 / G and 0.01 / 0.01).
LOW_PRECISION_VALUES: frozenset[float] = frozenset({0.0, 1000.0})

# --------------------------------------------------------------------------------------------------
# Accelerators: project ids by position in shared gpu_specs.csv, with a token the source name
# must contain (and no other source name may contain), so a reordered source fails loudly.
# --------------------------------------------------------------------------------------------------
ACCELERATOR_IDS: list[tuple[str, str]] = [
    ("v100-sxm2-16gb", "V100 SXM2 16GB"),
    ("v100-sxm2-32gb", "V100 SXM2 32GB"),
    ("v100-pcie-16gb", "V100 PCIe 16GB"),
    ("t4", "NVIDIA T4"),
    ("a100-sxm4-40gb", "A100 SXM4 40GB"),
    ("a100-sxm4-80gb", "A100 SXM4 80GB"),
    ("a100-pcie-40gb", "A100 PCIe 40GB"),
    ("a100-pcie-80gb", "A100 PCIe 80GB"),
    ("a10", "NVIDIA A10 "),
    ("a10g", "A10G"),
    ("l4", "NVIDIA L4"),
    ("rtx-4090", "RTX 4090"),
    ("h100-sxm", "H100 SXM"),
    ("h100-pcie", "H100 PCIe"),
    ("h100-nvl", "H100 NVL"),
    ("h200-sxm", "H200 SXM"),
    ("gh200", "GH200"),
    ("b200", "NVIDIA B200"),
    ("gb200", "GB200"),
    ("b300", "NVIDIA B300"),
    ("gb300", "GB300"),
    ("mi250x", "MI250X"),
    ("mi300x", "MI300X"),
    ("mi325x", "MI325X"),
    ("mi355x", "MI355X"),
    ("tpu-v2", "TPU v2"),
    ("tpu-v3", "TPU v3"),
    ("tpu-v4", "TPU v4"),
    ("tpu-v5e", "TPU v5e"),
    ("tpu-v5p", "TPU v5p"),
    ("tpu-v6e", "TPU v6e"),
    ("tpu-v7", "TPU v7"),
    ("gaudi2", "Gaudi 2"),
    ("gaudi3", "Gaudi 3"),
]
#: Accelerators not in gpu_specs.csv, read from Epoch's table (raw_epoch_ml_hardware.csv) by its exact
#: "Hardware name": id, Epoch name, the project's name, form factor, notes. Appended after the gpu_specs rows.
EPOCH_EXTRA_ACCELERATORS: list[tuple[str, str, str, str, str]] = [
    (
        "h800-sxm",
        "NVIDIA H800 SXM5",
        "NVIDIA H800 SXM5 80GB",
        "SXM5",
        "Hopper. Epoch's row matches the H100 SXM5 (989 TFLOPS dense BF16, 700 W, 80 GB, 814 mm2 die, 5 nm) and "
        "lists DeepSeek-V3 among the models trained on it. Epoch's datasheet link is TechPowerUp, not NVIDIA.",
    ),
    (
        "h20",
        "NVIDIA HGX H20",
        "NVIDIA H20 (HGX)",
        "SXM (HGX)",
        "Hopper, with far less compute than the H100 in Epoch's row: 148 TFLOPS dense BF16, 400 W, 96 GB. Epoch's "
        "datasheet link is a reseller page (viperatech.com), not NVIDIA - verify.",
    ),
    (
        "trainium2",
        "Amazon Trainium2",
        "AWS Trainium2",
        "Trainium chip",
        "TDP NOT official: Epoch's 500 W cites SemiAnalysis and the AWS Neuron docs; no AWS-published TDP was "
        "read. 667 TFLOPS dense BF16, 96 GB.",
    ),
]
# Embodied carbon per accelerator (accelerators.csv embodied_*), by the best evidence in ../shared for each:
#: 1. A published per-GPU share of an 8-GPU server: id -> key in embodied_carbon.csv.
EMBODIED_PUBLISHED: dict[str, str] = {
    "h100-sxm": "morrison2025_h100_gpu",
    "a100-sxm4-40gb": "chien2023_a100_gpu_instance_share",
    "a100-sxm4-80gb": "chien2023_a100_gpu_instance_share",
}
#: 2. The same GH100-class die in the same 8-GPU HGX server as the H100 SXM: its figure, not measured for these.
EMBODIED_AS_H100_SXM: tuple[str, ...] = ("h200-sxm", "h800-sxm", "h20")
#: 3. NVIDIA's product carbon footprints: HGX B200 vs HGX H100 embodied carbon per exaflop (FP16), times the
#: ratio of dense peaks, scales the H100's server share: id -> (its PCF key, the H100 PCF key).
EMBODIED_PCF_SCALED: dict[str, tuple[str, str]] = {
    "b200": ("nvidia_pcf_hgx_b200_per_exaflop", "nvidia_pcf_hgx_h100_per_exaflop"),
}
#: 4. Everything else with a die area and a process node: LLMCarbon's model, GPU only. Die areas and nodes from
#: gpu_specs.csv, TPU v3/v4 from raw_llmcarbon_hardware.csv (id -> its "hardware" row there). Where a row lacks
#: one, a named sibling's is used: id -> (sibling id, why).
EMBODIED_LLMCARBON_DIES: dict[str, str] = {"tpu-v3": "TPUv3", "tpu-v4": "TPUv4"}
EMBODIED_DIE_FROM: dict[str, tuple[str, str]] = {
    "h100-nvl": ("h100-pcie", "the H100 PCIe's (same GH100 die at TSMC 4N; the NVL's are not in the sources)"),
    "mi325x": ("mi300x", "the MI300X's (same compute per gpu_specs; the MI325X's are not in the sources)"),
}
EMBODIED_NODE_FROM: dict[str, tuple[str, str]] = {
    "rtx-4090": ("l4", "the L4's 5 nm (same Ada generation; the RTX 4090's node is not in the sources)"),
}
EMBODIED_SERVER_SCOPE: str = "per-GPU share of an 8-GPU server (GPUs, host CPUs, memory, storage, chassis)"
EMBODIED_DIE_SCOPE: str = "accelerator only (logic die + memory); excludes package, board and host: a lower bound"

#: RTX 4090 dense BF16 peak with FP32 accumulate [TFLOP/s]: NVIDIA "Ada GPU Architecture" whitepaper, Appendix A,
#: "Peak BF16 Tensor TFLOPS with FP32 Accumulate 165.2/330.4" (dense/sparse), read as quoted in public
#: transcriptions of the whitepaper (GitHub index file ids 66603391093, 60480750044). Epoch's 330 is the
#: FP16-accumulate rate (330.3), which training in BF16 does not get on GeForce cards. Not in ../shared/data.
RTX4090_BF16_FP32_ACC_TFLOPS: float = 165.2
#: A10 dense BF16 peak [TFLOP/s]: NVIDIA A10 datasheet, "BFLOAT16 Tensor Core 125 TF | 250 TF*" (* with sparsity),
#: read as quoted in a public transcription (GitHub index file id 66603391093) and in winston-zhang-orz/gpu-specs
#: ``specs.md`` (GitHub index file id 5142000081: A10 BF16 125 dense, 250 sparse). Not in ../shared/data; the build
#: asserts that Epoch's INT8 figure for the A10 (250 TOPS, dense) is twice it, as on every Ampere tensor core.
A10_BF16_TFLOPS: float = 125.0
#: NVIDIA L40S datasheet figures, read as transcribed in two public copies of its table: a reseller page reproducing
#: NVIDIA's L40/L40S specification table (mullet.se product 355414, web index) and winston-zhang-orz/gpu-specs
#: ``specs.md`` (a fork of gmasse/gpu-specs; GitHub index file id 5142000081). "BFLOAT16 Tensor Core 362.05 | 733*",
#: "FP8 Tensor Core 733 | 1,466*" (* with sparsity), max power 350 W, 48 GB GDDR6. The build asserts that shared
#: ``raw_mlco2_impact_gpus.csv`` (which cites the same datasheet) prints the same TDP, BF16 figure and memory. Release
#: year 2023: Hugging Face's hardware page for the L40S ("Released 2023"). Not in Epoch's table nor in gpu_specs.csv.
L40S_DATASHEET: dict[str, float] = {
    "tdp_w": 350,
    "bf16": 362.05,
    "bf16_sparse": 733.0,
    "fp8": 733.0,
    "fp8_sparse": 1466.0,
    "memory_gb": 48.0,
    "release_year": 2023,
}

# Dense FP8 peaks (accelerators.csv ``peak_dense_fp8_tflops`` [TFLOP/s], ``peak_fp8_source``), by evidence:
#: 1. Epoch's "FP8 performance (FLOP/s)" column, for every row whose Epoch row fills it (checked dense: at most twice
#: the row's dense BF16 peak; a sparse figure would be four times it).
FP8_EPOCH_COLUMN: str = "FP8 performance (FLOP/s)"
#: 2. DERIVED, FP8 = Epoch's INT8 (dense) for GH100 parts whose Epoch row leaves FP8 blank: Epoch's own H200 row, the
#: same GH100 die, prints FP8 = INT8 (1,979 each), i.e. Hopper's tensor cores run FP8 at the INT8 rate.
FP8_FROM_INT8_GH100: tuple[str, ...] = ("h100-sxm", "h800-sxm", "gh200", "h20")
#: 3. DERIVED, FP8 = Epoch's INT8 (dense) for CDNA3 parts whose Epoch row leaves FP8 blank; cross-check: the
#: MI300X's "FP8 dense 2614.9 TFLOP/s" in alpharomercoma/MI300X-vs-H200 METHODOLOGY.md (AMD's figure, docs index).
FP8_FROM_INT8_CDNA3: tuple[str, ...] = ("mi300x", "mi325x")
#: 4. A datasheet's figure with sparsity, halved (dense = sparse / 2), or its dense figure: id -> (TFLOP/s, source).
FP8_DATASHEET: dict[str, tuple[float, str]] = {
    "h100-pcie": (
        3026 / 2,
        "DERIVED: NVIDIA H100 PCIe datasheet FP8 Tensor Core 3,026 TFLOPS with sparsity / 2, as transcribed in "
        "winston-zhang-orz/gpu-specs specs.md (GitHub index file id 5142000081); Epoch's row has no FP8 or INT8 figure",
    ),
    "l4": (
        485 / 2,
        "DERIVED: NVIDIA L4 datasheet FP8 Tensor Core 485 TFLOPS with sparsity / 2, as transcribed in "
        "winston-zhang-orz/gpu-specs specs.md (GitHub index file id 5142000081); Epoch's INT8 for the L4 is 242 "
        "(it halves the sparse figure too)",
    ),
    "l40s": (
        L40S_DATASHEET["fp8"],
        "NVIDIA L40S datasheet: FP8 Tensor Core 733 dense (1,466 with sparsity), as transcribed in "
        "winston-zhang-orz/gpu-specs specs.md and a reseller's copy of NVIDIA's table (mullet.se)",
    ),
}
#: Rows with a caveat on their FP8 figure: id -> words added to ``peak_fp8_source``.
FP8_CAVEATS: dict[str, str] = {
    "mi355x": "; CHECK: Epoch's 4,600 is below twice its BF16 (2 x 2,516.6 = 5,033.2, which is Epoch's INT8 for the "
    "row) and equals Epoch's MI350X FP8 figure - possibly the MI350X's value",
    "tpu-v6e": "; Epoch files the same 918 as BF16: no speed-up over BF16 in Epoch's figures",
    "gaudi3": "; Epoch files the same 1,678 as BF16 (the MME at 1,600 MHz; Intel's whitepaper prints 1,835 for both "
    "at 1,750 MHz)",
    "mi325x": "; Epoch's INT8 for the MI325X is the rounded 2,600 (its BF16 is the MI300X's 1,307.4)",
}

# --------------------------------------------------------------------------------------------------
# Embodied carbon
# --------------------------------------------------------------------------------------------------
#: Rows taken from shared embodied_carbon.csv, with the project's short label for each.
EMBODIED_ROWS: dict[str, str] = {
    "luccioni2022_a100_gpu": "NVIDIA A100, GPU only (Luccioni et al. 2022, BLOOM)",
    "chien2023_a100_gpu_instance_share": "1/8 of an 8x A100 cloud instance incl. host (Chien et al. 2023)",
    "morrison2025_h100_gpu": "NVIDIA H100, 1/8 of an 8-GPU server (Morrison et al. 2025)",
    "ecodiag_gpu_card": "Generic powerful GPU card (EcoDiag, CNRS EcoInfo)",
}
#: Units in embodied_carbon.csv that mean "mass per GPU" with mass in kg.
EMBODIED_PER_GPU_UNITS: frozenset[str] = frozenset({"kgCO2e per GPU", "kgCO2 per GPU", "kgCO2e per card"})
LLMCARBON_KEY: str = "llmcarbon_h100_die"
LLMCARBON_CHIP: str = "H100"  # row in raw_llmcarbon_hardware.csv
LLMCARBON_CPA_KEY: str = "llmcarbon_cpa_tsmc4"  # row in embodied_carbon.csv [kg CO2e/cm2]
#: Lifetime used by the LLMCarbon reference code (stated in embodied_carbon.csv llmcarbon_cpa_* notes).
LLMCARBON_LIFETIME_YEARS: int = 5
SEED000_KEY: str = "seed000_v100_lifecycle"
#: Seed article 000 (shared/seeds/000_*.txt): "626 kg per GPU, based on the average emission from the
#: lifecycle of the NVIDIA V100 GPU". Not present in shared/data, hence typed here.
SEED000_KG_PER_GPU: float = 626.0

# --------------------------------------------------------------------------------------------------
# Equivalences: project key -> key in shared equivalences.csv (us_home_energy_year is derived)
# --------------------------------------------------------------------------------------------------
EQUIVALENCE_MAP: dict[str, str] = {
    "car_lifetime": "strubell_car_lifetime",
    "miles_driven": "epa_mile_passenger_vehicle",
    "gallons_gasoline": "epa_gallon_gasoline",
    "us_home_energy_year": "epa_home_energy_year",  # DERIVED, see EPA_DERIVED
    "passenger_vehicle_year": "epa_passenger_vehicle_year",  # DERIVED, see EPA_DERIVED
    "transatlantic_flight": "flight_transatlantic_jfk_lhr_derived",
    "tree_year": "ga_tree_year",
    "dac_mammoth_year": "climeworks_mammoth_capacity_year",
    "us_household_electricity_year": "us_household_electricity_year",
    "fr_household_electricity_year": "fr_household_electricity_year",
}
EPA_KEYS: tuple[str, ...] = ("miles_driven", "gallons_gasoline", "us_home_energy_year", "passenger_vehicle_year")
#: EPA factors per year, derived from the same calculator output as the mile and gallon factors (one EPA version;
#: DOMAIN_NOTES section 7): key -> (shared key, the word after "1,000,000 kg = N", what N counts, per what).
#: The shared file's older quoted factors (7,940 kg per home-year; 4,600 kg per vehicle-year, ~2018-2023) are
#: kept in ``notes`` as the alternative.
EpaDerived = tuple[str, str, str, str]
EPA_DERIVED: dict[str, EpaDerived] = {
    "us_home_energy_year": ("epa_home_energy_year", "homes", "homes' energy use for one year", "home-year"),
    "passenger_vehicle_year": (
        "epa_passenger_vehicle_year",
        "vehicles",
        "gasoline-powered passenger vehicles driven for one year",
        "vehicle-year",
    ),
}
EPA_YEAR: str = (
    "2024 (EPA calculator version implied by its 1,000,000 kg output; the page itself is not dated "
    "in what was read)"
)
#: Water equivalents [L per unit]. ../shared/data has none, so they are typed here with their sources.
US_GALLON_L: float = 3.785411784  # exact, by definition of the US liquid gallon (NIST Handbook 44)
WATER_EQUIVALENCES: tuple[dict[str, object], ...] = (
    {
        "key": "olympic_pool",
        "label": "Olympic swimming pools of water",
        "litres_per_unit": 2_500_000.0,
        "unit": "per pool",
        "source": (
            "World Aquatics (FINA) facilities rules: a 50 m x 25 m competition pool at the 2 m minimum depth "
            "holds 50 x 25 x 2 = 2,500 m3 (nominal; derived)"
        ),
        "year": "2023",
        "notes": "Geometric: a deeper (3 m recommended) pool holds more.",
    },
    {
        "key": "us_family_water_day",
        "label": "Days of an average American family's water use at home",
        "litres_per_unit": round(300 * US_GALLON_L, 1),
        "unit": "per family-day",
        "source": (
            "US EPA WaterSense: 'The average American family uses more than 300 gallons of water per day at "
            "home' (as quoted from the WaterSense site); 300 US gal x 3.785411784 L/gal (derived)"
        ),
        "year": "2022",
        "notes": "EPA says 'more than' 300 gallons, so this count is an upper bound.",
    },
)

_EPA_CITATION: tuple[str, str] = ("US EPA, Greenhouse Gas Equivalencies Calculator", "2024")
#: What the Equivalents view cites for each factor: (short citation, year). How each figure was read (quotes in
#: public code, derivations, other versions) is in its ``notes`` and in README "Methodology".
EQUIVALENCE_CITATIONS: dict[str, tuple[str, str]] = {
    "car_lifetime": (
        "Strubell, Ganesh & McCallum, Energy and Policy Considerations for Deep Learning in NLP, ACL",
        "2019",
    ),
    "miles_driven": _EPA_CITATION,
    "gallons_gasoline": _EPA_CITATION,
    "us_home_energy_year": _EPA_CITATION,
    "passenger_vehicle_year": _EPA_CITATION,
    "transatlantic_flight": (
        "Green Algorithms economy-flight factor (UK BEIS) x 5,540 km JFK-LHR, derived here",
        "2020",
    ),
    "tree_year": ("Green Algorithms, reference values (tree-year)", "2025"),
    "dac_mammoth_year": ("Climeworks, Mammoth plant opening (nameplate capacity)", "2024"),
    "us_household_electricity_year": ("US EIA, How much electricity does an American home use? (FAQ)", "2020"),
    "fr_household_electricity_year": (
        "ORE / data.gouv.fr use per person x INSEE household size, via kelwatt.fr",
        "2023-2024",
    ),
    "olympic_pool": ("World Aquatics (FINA) facilities rules: 50 m x 25 m x 2 m", "2023"),
    "us_family_water_day": ("US EPA WaterSense: more than 300 US gallons per family per day", "2022"),
}

#: Mass fed to the EPA calculator in the outputs quoted in shared equivalences.csv [kg].
EPA_CALCULATOR_INPUT_KG: float = 1_000_000.0


# --------------------------------------------------------------------------------------------------
# Regions below the country (cloud regions, US states, Canadian provinces, Australian states)
# --------------------------------------------------------------------------------------------------
CLOUD_PROVIDERS: tuple[str, ...] = ("aws", "azure", "gcp")
#: CodeCarbon's GCP values are Google's 2023 figures (codecarbon PR #610, 2024-07-13, "Update impact.csv
#: with 2023 values"; equal to GoogleCloudPlatform/region-carbon-info data/yearly/2023.csv).
GCP_CODECARBON_YEAR: int = 2023
#: CodeCarbon's typo for Google's me-central1 (Doha); the id uses Google's name.
CODECARBON_REGION_FIXES: dict[str, str] = {"me-cenrtal1": "me-central1"}
GCP_BASIS: str = (
    "location-based: Google's 'grid carbon intensity', the average operational gross emissions per kWh "
    "from the local grid (not market-based: Google's carbon-free energy and offsets not applied)"
)
GCP_SOURCE: str = (
    "Google Cloud region carbon data 2023 (cloud.google.com/sustainability/region-carbon), via CodeCarbon "
    "codecarbon/data/cloud/impact.csv (MIT)"
)
#: The ML CO2 Impact table was compiled in 2019 (Lacoste et al. 2019); its cited figures are 2016-2019.
MLCO2_YEAR: int = 2019
MLCO2_BASIS: str = (
    "location-based: the regional or national grid average the ML CO2 Impact calculator cites (eGRID "
    "subregion, national statistics, or an Electricity Maps reading); lifecycle or direct not stated"
)
MLCO2_COUNTRY_CODES: dict[str, str] = {"USA": "USA", "South Korea": "KOR", "Taiwan": "TWN", "Hong Kong": "HKG"}
HONG_KONG_CITIES: frozenset[str] = frozenset({"Hong Kong", "Wan Chai"})
#: Green Algorithms location prefix -> project provider and country.
GA_PROVIDERS: dict[str, tuple[str, str]] = {"US": ("us", "USA"), "CA": ("ca", "CAN"), "AU": ("au", "AUS")}
#: Green Algorithms codes that are not ISO 3166-2 subdivision codes -> the project's id suffix.
GA_CODE_FIXES: dict[str, str] = {
    "CA-MT": "MB",  # Manitoba (ISO 3166-2 CA-MB)
    "AU-NT2": "NT-DKIS",  # Darwin Katherine Interconnected System
    "AU-WA1": "WA-NWIS",  # North Western Interconnected System
    "AU-WA2": "WA-SWIS",  # South West Interconnected System
}
GA_BASIS: dict[str, str] = {
    "us": "location-based: state grid average (carbonfootprint.com factor); lifecycle or direct not stated",
    "ca": (
        "location-based: provincial grid average (carbonfootprint.com, from Canada's UNFCCC inventory "
        "submission); lifecycle or direct not stated"
    ),
    "au": (
        "location-based: state grid factor (carbonfootprint.com, from Australian government factors); "
        "lifecycle or direct not stated"
    ),
}
EGRID_YEAR: int = 2016
LBS_PER_MWH_TO_G_PER_KWH: float = 0.45359237  # 1 lb = 453.59237 g; per MWh -> per kWh: / 1000
EGRID_BASIS: str = (
    "location-based: eGRID 2016 state output emission rate (emissions of the plants in the state per MWh "
    "they generate, direct combustion)"
)
EGRID_SOURCE: str = (
    "US EPA eGRID 2016 (public data), via CodeCarbon codecarbon/data/private_infra/2016/usa_emissions.json "
    "(MIT), lb/MWh x 0.45359237"
)
REGION_DECIMALS: int = 3


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------
def read_shared_csv(shared_data: Path, name: str) -> pd.DataFrame:
    """Read a CSV from the shared data folder, keeping empty fields as empty strings.

    Numeric columns are converted explicitly by the callers, so that a blank never turns into a
    silent 0 and a typo never turns a column into ``object`` unnoticed.
    """
    path = shared_data / name
    if not path.is_file():
        raise FileNotFoundError(f"shared source file not found: {path}")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def to_float(value: str, what: str) -> float:
    """Parse a required number; raise with context if it is blank or malformed."""
    text = value.strip()
    if not text:
        raise ValueError(f"{what}: expected a number, got a blank field")
    try:
        return float(text.replace(",", ""))
    except ValueError as exc:
        raise ValueError(f"{what}: expected a number, got {value!r}") from exc


def to_optional_float(value: str, what: str) -> float:
    """Parse an optional number; a blank field becomes NaN (written back as a blank)."""
    return math.nan if not value.strip() else to_float(value, what)


def row_by_key(frame: pd.DataFrame, key: str, key_column: str = "key") -> pd.Series:
    """Return the single row of ``frame`` whose ``key_column`` equals ``key``."""
    matches = frame[frame[key_column] == key]
    if len(matches) != 1:
        raise KeyError(f"expected exactly one row with {key_column}={key!r}, found {len(matches)}")
    return matches.iloc[0]


def parse_calculator_count(text: str, unit_word: str) -> int:
    """Find ``"1,000,000 kg = N <unit_word>"`` in ``text`` and return N."""
    match = re.search(r"1,000,000 kg = ([\d,]+) " + re.escape(unit_word), text)
    if match is None:
        raise ValueError(f"no '1,000,000 kg = N {unit_word}' calculator output found in: {text!r}")
    return int(match.group(1).replace(",", ""))


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as UTF-8 CSV with LF line endings and no index (byte-stable output)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def check_schema(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    """Assert that ``frame`` has exactly ``columns`` in that order."""
    if list(frame.columns) != list(columns):
        raise AssertionError(f"{name}: columns {list(frame.columns)} != expected {list(columns)}")


def write_checksums(out_dir: Path) -> Path:
    """Write ``CHECKSUMS.sha256`` (``sha256sum`` format) for every ``*.csv`` in ``out_dir``."""
    lines = []
    for csv_path in sorted(out_dir.glob("*.csv"), key=lambda p: p.name):
        digest = hashlib.sha256(csv_path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {csv_path.name}\n")
    target = out_dir / "CHECKSUMS.sha256"
    target.write_text("".join(lines), encoding="utf-8", newline="\n")
    return target


# --------------------------------------------------------------------------------------------------
# 1. Grid intensity
# --------------------------------------------------------------------------------------------------
def check_grid_against_raw(tidy: pd.DataFrame, shared_data: Path) -> None:
    """Assert that the tidy OWID table equals the raw grapher export rounded to 3 decimals.

    Both are in g CO2/kWh. Guards against the tidy extract drifting from the upstream copy.
    """
    raw = read_shared_csv(shared_data, "raw_owid_carbon_intensity_electricity_grapher.csv")
    raw_values = {
        (row.Entity, int(row.Year)): to_float(row[OWID_RAW_VALUE_COLUMN], f"raw OWID {row.Entity} {row.Year}")
        for _, row in raw.iterrows()
    }
    if len(raw_values) != len(tidy):
        raise AssertionError(f"raw OWID export has {len(raw_values)} rows, tidy table has {len(tidy)}")
    for _, row in tidy.iterrows():
        raw_value = raw_values[(row["country"], int(row["year"]))]
        tidy_value = to_float(row["carbon_intensity_g_per_kwh"], f"tidy {row['country']} {row['year']}")
        if abs(raw_value - tidy_value) > 0.5 * 10**-GRID_DECIMALS + 1e-9:
            raise AssertionError(f"{row['country']} {row['year']}: tidy {tidy_value} vs raw {raw_value}")


def half_unit_of_second_figure(value: float) -> float:
    """Half a unit in the second significant figure of ``value`` > 0 (e.g. 0.5 for 23.4, 5 for 630)."""
    return 0.5 * 10 ** (math.floor(math.log10(value)) - 1)


def flag_low_precision(grid: pd.DataFrame, shared_data: Path) -> list[bool]:
    """For each row of ``grid``: True where its intensity cannot be trusted to two significant figures.

    OWID/Ember's intensity is emissions / generation, each rounded to 0.01 (Mt, TWh). With the country's
    total generation G [TWh] from CodeCarbon's copy of OWID's energy mix (one year per country, mostly
    2022), the worst-case error of a row's intensity I is (5 + 0.005 x I) / G [g/kWh]. A row is flagged
    when that exceeds half a unit of I's second significant figure, or when I is exactly 0 or 1000 (the
    only rule for codes missing from the energy mix: the World and Kosovo).
    """
    with (shared_data / ENERGY_MIX_JSON).open(encoding="utf-8") as handle:
        mix = json.load(handle)
    generation_twh: dict[str, float] = {}
    half = OWID_ROUNDING_TWH / 2
    for code, entry in mix.items():
        total, intensity = float(entry["total_TWh"]), float(entry["carbon_intensity"])
        # The published intensity is a ratio of the two rounded numbers: I x G / 1000 is a whole number
        # of 0.01 Mt, up to I's own rounding (within 0.001 g/kWh), so the rounding model above holds here.
        steps = intensity * total / 1000 / OWID_ROUNDING_TWH  # [g/kWh] x [TWh] = [kt]; / 1000 = [Mt]
        tolerance = 0.001 * total / 1000 / OWID_ROUNDING_TWH + 1e-6
        if abs(steps - round(steps)) > tolerance:
            raise AssertionError(f"energy mix {code}: {intensity} g/kWh x {total} TWh is not a 0.01 Mt step")
        generation_twh[code] = total
    flags = []
    for code, value in zip(grid["iso3"], grid["grid_g_co2e_per_kwh"], strict=True):
        if value in LOW_PRECISION_VALUES:
            flags.append(True)
            continue
        total = generation_twh.get(code)
        if total is None:  # WLD and XKX: only the value rule above applies
            flags.append(False)
            continue
        # error of E / G from rounding both to 0.01: I x (half/G + half/E), E = I x G / 1000 [Mt]
        error = value * half / total + half * 1000 / total
        flags.append(error > half_unit_of_second_figure(value))
    return flags


def build_grid_intensity(shared_data: Path) -> pd.DataFrame:
    """Build ``grid_intensity.csv``: one row per (country or World, year), value in g CO2e/kWh.

    Keeps entity_type ``country`` and ``world``; drops regional/income aggregates (which have no
    code); maps OWID_KOS -> XKX and OWID_WRL -> WLD; every other code must be a pycountry alpha_3.
    """
    tidy = read_shared_csv(shared_data, "grid_intensity_by_country_year.csv")
    unknown_types = set(tidy["entity_type"]) - GRID_ENTITY_TYPES
    if unknown_types:
        raise AssertionError(f"unexpected entity_type values: {sorted(unknown_types)}")
    check_grid_against_raw(tidy, shared_data)

    aggregates = tidy[tidy["entity_type"] == "aggregate"]
    if (aggregates["iso3"] != "").any():
        raise AssertionError("an aggregate row carries a code; it might be a country dropped by mistake")
    kept = tidy[tidy["entity_type"].isin(GRID_KEPT_ENTITY_TYPES)].copy()
    print(
        f"grid: dropped {aggregates['country'].nunique()} aggregates ({len(aggregates)} rows), "
        f"kept {kept['iso3'].nunique()} entities"
    )

    kept["iso3"] = kept["iso3"].map(lambda code: OWID_CODE_MAP.get(code, code))
    for code in sorted(set(kept["iso3"]) - set(OWID_CODE_MAP.values())):
        if pycountry.countries.get(alpha_3=code) is None:
            raise AssertionError(f"grid: {code!r} is not an ISO 3166-1 alpha-3 code known to pycountry")
    if set(kept.loc[kept["entity_type"] == "world", "iso3"]) != {"WLD"}:
        raise AssertionError("grid: the world entity is not exactly OWID_WRL")

    kept["year"] = kept["year"].map(int).astype("int64")
    low, high = GRID_YEAR_RANGE
    if not kept["year"].between(low, high).all():
        raise AssertionError(f"grid: years outside {low}-{high}")
    # OWID labels the series g CO2/kWh (Ember's lifecycle factors, not re-verified here); the project
    # treats it as g CO2e/kWh. Unit conversion factor 1: g per kWh in, g per kWh out.
    g_per_kwh_to_g_per_kwh = 1.0
    kept["grid_g_co2e_per_kwh"] = [
        round(to_float(v, f"grid {c} {y}") * g_per_kwh_to_g_per_kwh, GRID_DECIMALS)
        for v, c, y in zip(kept["carbon_intensity_g_per_kwh"], kept["iso3"], kept["year"], strict=True)
    ]
    if not (kept["grid_g_co2e_per_kwh"] >= 0).all():
        raise AssertionError("grid: negative intensity")
    kept["source"] = GRID_SOURCE
    kept["low_precision"] = flag_low_precision(kept, shared_data)

    out = kept[GRID_COLUMNS].sort_values(["iso3", "year"], kind="mergesort").reset_index(drop=True)
    if out.duplicated(["iso3", "year"]).any():
        raise AssertionError("grid: duplicate (iso3, year)")
    check_schema(out, GRID_COLUMNS, "grid_intensity.csv")
    return out


# --------------------------------------------------------------------------------------------------
# 2. Accelerators
# --------------------------------------------------------------------------------------------------
def build_accelerators(shared_data: Path) -> pd.DataFrame:
    """Build ``accelerators.csv`` from shared ``gpu_specs.csv`` (project ids assigned by position).

    ``peak_dense_tflops`` [TFLOP/s, dense, no sparsity] is the BF16 figure, or the FP16 figure when
    BF16 is blank; ``peak_tflops_precision`` says which (blank when neither exists). ``tdp_w`` [W]
    stays blank where the source is blank (TPU v5e). Values are copied unchanged.
    """
    specs = read_shared_csv(shared_data, "gpu_specs.csv")
    if len(specs) != len(ACCELERATOR_IDS):
        raise AssertionError(f"gpu_specs.csv has {len(specs)} rows, expected {len(ACCELERATOR_IDS)}")
    names = list(specs["name"])
    for position, (acc_id, token) in enumerate(ACCELERATOR_IDS):
        matching = [i for i, name in enumerate(names) if token in name]
        if matching != [position]:
            raise AssertionError(
                f"accelerators: id {acc_id!r} expects token {token!r} only in row {position} "
                f"({names[position]!r}); it matches rows {matching}"
            )

    records = []
    for (acc_id, _token), (_, row) in zip(ACCELERATOR_IDS, specs.iterrows(), strict=True):
        what = f"gpu_specs {row['name']}"
        bf16 = to_optional_float(row["peak_dense_bf16_tflops"], f"{what} bf16")
        fp16 = to_optional_float(row["peak_dense_fp16_tflops"], f"{what} fp16")
        if not math.isnan(bf16):
            peak, precision = bf16, "bf16"
        elif not math.isnan(fp16):
            peak, precision = fp16, "fp16"
        else:
            peak, precision = math.nan, ""
        tdp = to_optional_float(row["tdp_w"], f"{what} tdp_w")
        records.append(
            {
                "id": acc_id,
                "name": row["name"],
                "vendor": row["vendor"],
                "form_factor": row["form_factor"],
                "release_year": int(to_float(row["release_year"], f"{what} release_year")),
                "tdp_w": pd.NA if math.isnan(tdp) else int(tdp),
                "peak_dense_tflops": peak,
                "peak_tflops_precision": precision,
                "memory_gb": to_optional_float(row["memory_gb"], f"{what} memory_gb"),
                "source": row["source"],
                "notes": row["notes"],
            }
        )
    correct_accelerators(records, shared_data)
    records.extend(epoch_extra_accelerators(shared_data))
    records.append(l40s_accelerator(shared_data))
    epoch_names = dict(zip((acc_id for acc_id, _ in ACCELERATOR_IDS), specs["epoch_hardware_name"], strict=True))
    epoch_names |= {acc_id: epoch_name for acc_id, epoch_name, *_ in EPOCH_EXTRA_ACCELERATORS}
    add_fp8_peaks(records, epoch_names, shared_data)
    add_embodied_defaults(records, specs, shared_data)
    out = pd.DataFrame.from_records(records, columns=ACCELERATOR_COLUMNS)
    out["release_year"] = out["release_year"].astype("int64")
    out["tdp_w"] = out["tdp_w"].astype("Int64")
    out["peak_dense_tflops"] = out["peak_dense_tflops"].astype("float64")
    out["peak_dense_fp8_tflops"] = out["peak_dense_fp8_tflops"].astype("float64")
    out["memory_gb"] = out["memory_gb"].astype("float64")
    out["embodied_kg_co2e"] = out["embodied_kg_co2e"].astype("float64")
    if out["id"].duplicated().any():
        raise AssertionError("accelerators: duplicate id")
    check_schema(out, ACCELERATOR_COLUMNS, "accelerators.csv")
    return out


def epoch_row(epoch: pd.DataFrame, name: str) -> pd.Series:
    """The single row of Epoch's table whose ``Hardware name`` is ``name``."""
    return row_by_key(epoch, name, key_column="Hardware name")


def correct_accelerators(records: list[dict[str, object]], shared_data: Path) -> None:
    """Correct four rows of gpu_specs.csv where a datasheet figure was read (in place).

    - ``rtx-4090``: 165.2 TFLOP/s dense BF16 with FP32 accumulate (Ada whitepaper) instead of Epoch's 330
      (the FP16-accumulate rate); asserts that Epoch still prints twice that figure.
    - ``h100-nvl``: 835.5 TFLOP/s = half the 1,671 TFLOPS BF16 *with sparsity* of NVIDIA's H100 datasheet as
      copied in mlco2/impact gpus.csv; asserts that Epoch's FP16 column for the same card agrees.
    - ``tpu-v5e``: 300 W, the SemiAnalysis estimate Epoch's notes quote (Google publishes no TDP).
    - ``a10``: 125 TFLOP/s dense BF16 (NVIDIA A10 datasheet, :data:`A10_BF16_TFLOPS`); asserts that Epoch's INT8
      250 TOPS for the card is twice it.
    """
    by_id = {str(record["id"]): record for record in records}
    epoch = read_shared_csv(shared_data, "raw_epoch_ml_hardware.csv")
    _correct_a10(by_id["a10"], epoch)

    rtx = by_id["rtx-4090"]
    if abs(float(str(rtx["peak_dense_tflops"])) - 2 * RTX4090_BF16_FP32_ACC_TFLOPS) > 0.5:
        raise AssertionError("RTX 4090: gpu_specs no longer prints the FP16-accumulate rate; re-check the override")
    rtx["peak_dense_tflops"], rtx["peak_tflops_precision"] = RTX4090_BF16_FP32_ACC_TFLOPS, "bf16"
    rtx["source"] = f"{rtx['source']}; peak: NVIDIA Ada GPU Architecture whitepaper, Appendix A"
    rtx["notes"] = (
        "Ada consumer card. Peak 165.2 TFLOPS is dense BF16 with FP32 accumulate (NVIDIA Ada whitepaper, Appendix "
        "A: 165.2/330.4 dense/sparse, read via public transcriptions); Epoch's 330 TFLOPS is the FP16-accumulate "
        "rate (330.3), which GeForce cards give only with FP16 accumulation. Epoch release date is the "
        "announcement date."
    )

    mlco2 = read_shared_csv(shared_data, "raw_mlco2_impact_gpus.csv")
    mlco2.columns = [c.strip() for c in mlco2.columns]
    nvl_sparse = to_float(row_by_key(mlco2, "H100 NVL", key_column="name")["TFLOPS16"], "mlco2 H100 NVL TFLOPS16")
    nvl_epoch = to_float(epoch_row(epoch, "NVIDIA H100 NVL")["FP16 (half precision) performance (FLOP/s)"], "Epoch")
    if not math.isclose(nvl_sparse / 2, nvl_epoch / 1e12, abs_tol=0.5):
        raise AssertionError(f"H100 NVL: datasheet {nvl_sparse}/2 and Epoch {nvl_epoch / 1e12} disagree")
    nvl = by_id["h100-nvl"]
    nvl["peak_dense_tflops"], nvl["peak_tflops_precision"] = nvl_sparse / 2, "bf16"
    nvl["source"] = f"{nvl['source']}; peak: NVIDIA H100 datasheet via mlco2/impact gpus.csv"
    nvl["notes"] = (
        f"Epoch TDP 400 W (ml-engineering: configurable 350-400 W). Peak {nvl_sparse / 2:g} TFLOPS dense BF16 = "
        f"half the datasheet's {nvl_sparse:g} TFLOPS with sparsity (NVIDIA H100 datasheet as listed in "
        f"mlco2/impact gpus.csv); Epoch files the same {nvl_epoch / 1e12:g} TFLOPS in its FP16 column."
    )

    v5e_note = epoch_row(epoch, "Google TPU v5e")["Notes"]
    match = re.search(r"SemiAnalysis estimates (\d+)\s*W", v5e_note)
    if match is None:
        raise AssertionError(f"TPU v5e: Epoch's note no longer quotes a SemiAnalysis TDP: {v5e_note!r}")
    v5e = by_id["tpu-v5e"]
    v5e["tdp_w"] = int(match.group(1))
    v5e["notes"] = (
        f"TDP NOT official: Google publishes none; {match.group(1)} W is the SemiAnalysis estimate quoted in "
        "Epoch's notes (a third-party estimate, like the other TPU TDPs from v4 on)."
    )


def _correct_a10(a10: dict[str, object], epoch: pd.DataFrame) -> None:
    """The A10's dense BF16 peak from its datasheet, checked against Epoch's INT8 (dense) for the card."""
    if not math.isnan(float(str(a10["peak_dense_tflops"]))):
        raise AssertionError("A10: gpu_specs now has a peak; re-check the datasheet override")
    int8 = to_float(epoch_row(epoch, "NVIDIA A10 PCIe")["INT8 performance (OP/s)"], "Epoch A10 INT8") / 1e12
    if not math.isclose(int8, 2 * A10_BF16_TFLOPS):
        raise AssertionError(f"A10: Epoch's INT8 {int8:g} TOPS is not twice the datasheet's BF16 {A10_BF16_TFLOPS:g}")
    a10["peak_dense_tflops"], a10["peak_tflops_precision"] = A10_BF16_TFLOPS, "bf16"
    a10["source"] = f"{a10['source']}; peak: NVIDIA A10 datasheet via public transcriptions"
    a10["notes"] = (
        f"Ampere GA102. Peak {A10_BF16_TFLOPS:g} TFLOPS dense BF16: NVIDIA A10 datasheet, 'BFLOAT16 Tensor Core "
        f"{A10_BF16_TFLOPS:g} TF | {2 * A10_BF16_TFLOPS:g} TF*' (* with sparsity), read via public transcriptions "
        f"(Epoch leaves the tensor figure blank); consistent with Epoch's INT8 {int8:g} TOPS (dense), twice the BF16 "
        "rate on Ampere. No FP8."
    )


def l40s_accelerator(shared_data: Path) -> dict[str, object]:
    """The L40S row from its datasheet (:data:`L40S_DATASHEET`), checked against shared mlco2 ``gpus.csv``'s row."""
    sheet = L40S_DATASHEET
    mlco2 = read_shared_csv(shared_data, "raw_mlco2_impact_gpus.csv")
    mlco2.columns = [c.strip() for c in mlco2.columns]
    row = row_by_key(mlco2, "L40S", key_column="name")
    listed = (to_float(row["tdp_watts"], "mlco2 L40S tdp"), to_float(row["TFLOPS16"], "mlco2 L40S TFLOPS16"))
    if listed != (sheet["tdp_w"], sheet["bf16"]) or to_float(row["memory"], "mlco2 L40S memory") != sheet["memory_gb"]:
        raise AssertionError(f"L40S: mlco2's row {dict(row)} no longer matches the datasheet figures {sheet}")
    return {
        "id": "l40s",
        "name": "NVIDIA L40S",
        "vendor": "NVIDIA",
        "form_factor": "PCIe",
        "release_year": int(sheet["release_year"]),
        "tdp_w": int(sheet["tdp_w"]),
        "peak_dense_tflops": sheet["bf16"],
        "peak_tflops_precision": "bf16",
        "memory_gb": sheet["memory_gb"],
        "source": "NVIDIA L40S datasheet via public transcriptions (winston-zhang-orz/gpu-specs; a reseller's copy of "
        "the table); TDP, peak and memory as in mlco2/impact gpus.csv (raw_mlco2_impact_gpus.csv)",
        "notes": (
            f"Ada AD102, 350 W max power, 48 GB GDDR6. Peak {sheet['bf16']:g} TFLOPS dense BF16 = the datasheet's "
            f"'BFLOAT16 Tensor Core {sheet['bf16']:g} | {sheet['bf16_sparse']:g}*' (* with sparsity). NVIDIA does not "
            "say whether that is the FP32- or the FP16-accumulate rate; the L40 (same die) is listed at 181.05, half "
            "of it, so a run with FP32 accumulation may get half this peak - check before relying on it. Not in "
            "Epoch's table. Release year 2023 from Hugging Face's hardware page."
        ),
    }


def add_fp8_peaks(records: list[dict[str, object]], epoch_names: dict[str, str], shared_data: Path) -> None:
    """Give each accelerator its dense FP8 peak [TFLOP/s] and the source of it, or blanks (in place).

    In order: Epoch's FP8 column (asserted dense: at most twice the row's dense BF16 peak); Epoch's INT8 (dense) for
    GH100 and CDNA3 parts, which run FP8 at the INT8 rate (:data:`FP8_FROM_INT8_GH100`, :data:`FP8_FROM_INT8_CDNA3`);
    a datasheet's figure (:data:`FP8_DATASHEET`). Left blank for everything else (no FP8, or no figure read).
    """
    epoch = read_shared_csv(shared_data, "raw_epoch_ml_hardware.csv")
    for record in records:
        acc_id = str(record["id"])
        fp8, source = math.nan, ""
        name = epoch_names.get(acc_id, "")
        row = epoch_row(epoch, name) if name else None
        if row is not None and row[FP8_EPOCH_COLUMN].strip():
            fp8 = to_float(row[FP8_EPOCH_COLUMN], f"Epoch {name} FP8") / 1e12
            if fp8 > 2 * float(str(record["peak_dense_tflops"])) + 0.5:
                raise AssertionError(f"{acc_id}: Epoch's FP8 {fp8:g} is more than twice the dense BF16: sparse?")
            source = f"Epoch AI ML Hardware dataset (raw_epoch_ml_hardware.csv), row '{name}', FP8 column (dense)"
        elif row is not None and acc_id in FP8_FROM_INT8_GH100 + FP8_FROM_INT8_CDNA3:
            fp8 = to_float(row["INT8 performance (OP/s)"], f"Epoch {name} INT8") / 1e12
            why = (
                "the same GH100 die's FP8 = INT8 in Epoch's 'NVIDIA H200 SXM' row (1,979 each)"
                if acc_id in FP8_FROM_INT8_GH100
                else "CDNA3 runs FP8 at the INT8 rate; the MI300X's FP8 dense 2,614.9 TFLOP/s is also quoted in "
                "alpharomercoma/MI300X-vs-H200 METHODOLOGY.md"
            )
            source = f"DERIVED: FP8 dense = Epoch's INT8 dense ({fp8:g} TOPS, row '{name}'), as {why}"
        elif acc_id in FP8_DATASHEET:
            fp8, source = FP8_DATASHEET[acc_id]
        record["peak_dense_fp8_tflops"] = fp8
        record["peak_fp8_source"] = source + FP8_CAVEATS.get(acc_id, "") if source else ""
    _check_fp8_derivation(epoch)


def _check_fp8_derivation(epoch: pd.DataFrame) -> None:
    """The rule behind :data:`FP8_FROM_INT8_GH100`: Epoch's H200 row still prints FP8 = INT8."""
    h200 = epoch_row(epoch, "NVIDIA H200 SXM")
    if h200[FP8_EPOCH_COLUMN] != h200["INT8 performance (OP/s)"]:
        raise AssertionError("Epoch's H200 row no longer has FP8 = INT8; re-check the GH100 FP8 derivation")


def epoch_extra_accelerators(shared_data: Path) -> list[dict[str, object]]:
    """Rows for :data:`EPOCH_EXTRA_ACCELERATORS`, read from Epoch's table and converted to the catalogue's units.

    FLOP/s -> TFLOP/s (/ 1e12), bytes -> GB (/ 1e9); the peak is Epoch's tensor FP16/BF16 column (dense).
    """
    epoch = read_shared_csv(shared_data, "raw_epoch_ml_hardware.csv")
    rows = []
    for acc_id, epoch_name, name, form_factor, notes in EPOCH_EXTRA_ACCELERATORS:
        row = epoch_row(epoch, epoch_name)
        what = f"Epoch {epoch_name}"
        rows.append(
            {
                "id": acc_id,
                "name": name,
                "vendor": row["Manufacturer"],
                "form_factor": form_factor,
                "release_year": int(row["Release date"][:4]),
                "tdp_w": int(to_float(row["TDP (W)"], f"{what} TDP")),
                "peak_dense_tflops": to_float(row["Tensor-FP16/BF16 performance (FLOP/s)"], f"{what} tensor") / 1e12,
                "peak_tflops_precision": "bf16",
                "memory_gb": to_float(row["Memory (bytes)"], f"{what} memory") / 1e9,
                "source": f"Epoch AI ML Hardware dataset (raw_epoch_ml_hardware.csv), row '{epoch_name}'",
                "notes": notes,
            }
        )
    return rows


def llmcarbon_cpa_by_node(embodied: pd.DataFrame) -> dict[int, float]:
    """LLMCarbon's carbon per die area by TSMC node [nm -> kg CO2e/cm2], from the ``llmcarbon_cpa_tsmc*`` rows."""
    rows = embodied[embodied["key"].str.fullmatch(r"llmcarbon_cpa_tsmc\d+")]
    if set(rows["unit"]) != {"kgCO2e per cm2"}:
        raise AssertionError("LLMCarbon carbon-per-area rows changed unit")
    return {
        int(key.removeprefix("llmcarbon_cpa_tsmc")): to_float(v, key)
        for key, v in zip(rows["key"], rows["value"], strict=True)
    }


def die_model_kg(
    area_cm2: float, node_nm: float, memory_gb: float, cpa: dict[int, float], dram: float
) -> tuple[float, str]:
    """GPU-only embodied carbon [kg CO2e]: ``area [cm2] x CPA(node) [kg/cm2] + memory [GB] x DRAM [kg/GB]``.

    The node's CPA is that of the nearest node LLMCarbon lists (e.g. 8 and 6 nm -> 7 nm, 5 and 3 nm -> 4 nm).
    Returns the value (rounded to 0.1 kg) and the arithmetic written out.
    """
    nearest = min(cpa, key=lambda nm: (abs(nm - node_nm), nm))
    kg = area_cm2 * cpa[nearest] + memory_gb * dram
    text = (
        f"{area_cm2:g} cm2 die x {cpa[nearest]:g} kg CO2e/cm2 ({node_nm:g} nm; LLMCarbon's nearest node, "
        f"{nearest} nm) + {memory_gb:g} GB x {dram:g} kg/GB = {kg:.1f} kg"
    )
    return round(kg, 1), text


def _die_inputs(specs: pd.DataFrame, hardware: pd.DataFrame) -> dict[str, tuple[float, float, str]]:
    """Die area [cm2], node [nm] and where they were read, by id (rows with both known, siblings filled)."""
    dies: dict[str, tuple[float, float, str]] = {}
    for (acc_id, _token), (_, row) in zip(ACCELERATOR_IDS, specs.iterrows(), strict=True):
        area = to_optional_float(row["die_area_mm2"], f"{acc_id} die area") / 100.0  # mm2 -> cm2
        node = to_optional_float(row["process_nm_epoch"], f"{acc_id} node")
        named = re.search(r"(\d+)\s*nm", row["process_node"])
        if math.isnan(node) and named:  # no Epoch row: the node gpu_specs names (e.g. "TSMC 7nm")
            node = float(named.group(1))
        dies[acc_id] = (area, node, "die area and node: gpu_specs.csv (Epoch)")
    for acc_id, chip in EMBODIED_LLMCARBON_DIES.items():
        raw = row_by_key(hardware, chip, key_column="hardware")
        node = float(re.search(r"(\d+)nm", raw["description"]).group(1))  # type: ignore[union-attr]
        area = to_float(raw["unit (cm2 or GB)"], f"LLMCarbon {chip} area")
        dies[acc_id] = (area, node, f"die area and node: LLMCarbon hardware.csv row {chip}")
    for acc_id, (sibling, why) in EMBODIED_DIE_FROM.items():
        dies[acc_id] = (dies[sibling][0], dies[sibling][1], f"die area and node: {why}")
    for acc_id, (sibling, why) in EMBODIED_NODE_FROM.items():
        dies[acc_id] = (dies[acc_id][0], dies[sibling][1], f"die area: gpu_specs.csv; node: {why}")
    return {k: v for k, v in dies.items() if not (math.isnan(v[0]) or math.isnan(v[1]))}


def add_embodied_defaults(records: list[dict[str, object]], specs: pd.DataFrame, shared_data: Path) -> None:
    """Give each accelerator its default embodied carbon [kg CO2e], scope and source (in place).

    In order of evidence: a published server share (Morrison: H100; Chien: A100 SXM); the H100's for the same
    HGX server class; NVIDIA's PCF ratio for the B200; else LLMCarbon's die-area model (GPU only, a lower bound).
    Left blank where none applies: the run then takes data/parameters.csv's default.
    """
    embodied = resolve_back_references(
        read_shared_csv(shared_data, "embodied_carbon.csv"), ["source", "source_locator", "read_via"]
    )
    hardware = read_shared_csv(shared_data, "raw_llmcarbon_hardware.csv")
    cpa = llmcarbon_cpa_by_node(embodied)
    dram = to_float(row_by_key(embodied, "llmcarbon_dram")["value"], "LLMCarbon DRAM [kg/GB]")
    dies = _die_inputs(specs, hardware)
    by_id = {str(record["id"]): record for record in records}
    for record in records:
        record |= {"embodied_kg_co2e": math.nan, "embodied_scope": "", "embodied_source": ""}
    for acc_id, key in EMBODIED_PUBLISHED.items():
        row = row_by_key(embodied, key)
        by_id[acc_id] |= {
            "embodied_kg_co2e": to_float(row["value"], key),
            "embodied_scope": EMBODIED_SERVER_SCOPE,
            "embodied_source": f"{row['source']}, {row['source_locator']} (data/embodied.csv {key}): {row['notes']}",
        }
    h100 = by_id["h100-sxm"]
    for acc_id in EMBODIED_AS_H100_SXM:
        by_id[acc_id] |= {
            "embodied_kg_co2e": h100["embodied_kg_co2e"],
            "embodied_scope": EMBODIED_SERVER_SCOPE,
            "embodied_source": f"as the H100 SXM (same 8-GPU HGX server class; not measured for this part): "
            f"{h100['embodied_source']}",
        }
    for acc_id, (pcf_key, h100_key) in EMBODIED_PCF_SCALED.items():
        pcf, pcf_h100 = (to_float(row_by_key(embodied, k)["value"], k) for k in (pcf_key, h100_key))
        peak, peak_h100 = float(str(by_id[acc_id]["peak_dense_tflops"])), float(str(h100["peak_dense_tflops"]))
        kg = float(str(h100["embodied_kg_co2e"])) * pcf / pcf_h100 * peak / peak_h100
        by_id[acc_id] |= {
            "embodied_kg_co2e": round(kg, 1),
            "embodied_scope": EMBODIED_SERVER_SCOPE + " (the H100's, scaled)",
            "embodied_source": (
                f"DERIVED: {h100['embodied_kg_co2e']:g} kg (H100 SXM, Morrison et al. 2025) x {pcf:g}/{pcf_h100:g} g "
                f"CO2e per exaflop (NVIDIA HGX B200 vs HGX H100 product carbon footprints, NVIDIA Technical Blog) x "
                f"{peak:g}/{peak_h100:g} TFLOP/s dense peaks = {kg:.1f} kg; assumes both footprints use the same "
                "lifetime and utilisation and that the host scales like the HGX baseboard"
            ),
        }
    for acc_id, (area, node, where) in dies.items():
        record = by_id[acc_id]
        if not math.isnan(float(str(record["embodied_kg_co2e"]))):
            continue
        memory = float(str(record["memory_gb"]))
        kg, arithmetic = die_model_kg(area, node, 0.0 if math.isnan(memory) else memory, cpa, dram)
        record |= {
            "embodied_kg_co2e": kg,
            "embodied_scope": EMBODIED_DIE_SCOPE,
            "embodied_source": (
                f"DERIVED, LLMCarbon model (Faiz et al., ICLR 2024; SotaroKaneda/MLCarbon data/hardware.csv carbon "
                f"per area and DRAM 0.4 kg/GB applied to the accelerator's memory): {arithmetic}; {where}"
            ),
        }


# --------------------------------------------------------------------------------------------------
# 3. Embodied carbon
# --------------------------------------------------------------------------------------------------
def parse_lifetime_years(text: str) -> float:
    """Return N for a lifetime written exactly as ``"N years"``; NaN for anything else.

    Free text such as "GPU-hour rate ... implies ~6 y (derived, not stated)" or "-" is not a
    lifetime stated by the source, so it stays blank (and is kept in the notes).
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?) years?\s*", text)
    return float(match.group(1)) if match else math.nan


def resolve_back_references(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Replace "as above" style fields, and short citations, with the text they refer to.

    Shared embodied_carbon.csv writes "same as above" / "as above" in ``read_via`` and shortens a
    citation already given in full (e.g. "Morrison et al. 2025"). Once rows are picked out of their
    original order those references would be wrong, so they are expanded here, in source order.
    """
    out = frame.copy()
    for column in columns:
        resolved: list[str] = []
        for value in out[column]:
            text = value.strip()
            if re.fullmatch(r"(same )?as above", text, flags=re.IGNORECASE):
                if not resolved:
                    raise AssertionError(f"{column}: first row says {value!r}")
                text = resolved[-1]
            else:
                fuller = [r for r in resolved if r.startswith(text + ",")]
                if text and fuller:
                    text = fuller[0]
            resolved.append(text)
        out[column] = resolved
    return out


def build_embodied(shared_data: Path) -> pd.DataFrame:
    """Build ``embodied.csv``: per-GPU manufacturing estimates [kg CO2e per GPU].

    Four rows from shared ``embodied_carbon.csv``; one derived from LLMCarbon (H100 die area
    [cm2] x 4 nm carbon per area [kg CO2e/cm2]); one from seed article 000 (626 kg per V100).
    """
    embodied = resolve_back_references(
        read_shared_csv(shared_data, "embodied_carbon.csv"), ["source", "source_locator", "read_via"]
    )
    records = []
    for key, label in EMBODIED_ROWS.items():
        row = row_by_key(embodied, key)
        if row["unit"] not in EMBODIED_PER_GPU_UNITS:
            raise AssertionError(f"embodied {key}: unit {row['unit']!r} is not a per-GPU mass in kg")
        lifetime_text = row["lifetime_assumption"]
        lifetime = parse_lifetime_years(lifetime_text)
        notes = [row["notes"].strip()]
        if row["unit"].startswith("kgCO2 "):
            notes.append("The source gives kgCO2 (not CO2e); used here as kg CO2e.")
        if math.isnan(lifetime) and lifetime_text.strip() not in ("", "-"):
            notes.append(f"Lifetime not stated by the source; shared file says: {lifetime_text.strip()}")
        records.append(
            {
                "key": key,
                "label": label,
                "scope": row["scope"],
                "kg_co2e_per_gpu": to_float(row["value"], f"embodied {key}"),
                "lifetime_years": lifetime,
                "source": f"{row['source']}; {row['source_locator']}; read via {row['read_via']}",
                "notes": " ".join(n for n in notes if n),
            }
        )

    # Derived: LLMCarbon logic-die estimate for an H100.
    hardware = read_shared_csv(shared_data, "raw_llmcarbon_hardware.csv")
    chip = row_by_key(hardware, LLMCARBON_CHIP, key_column="hardware")
    die_area_cm2 = to_float(chip["unit (cm2 or GB)"], "LLMCarbon H100 die area [cm2]")
    cpa_row = row_by_key(embodied, LLMCARBON_CPA_KEY)
    if cpa_row["unit"] != "kgCO2e per cm2":
        raise AssertionError(f"{LLMCARBON_CPA_KEY}: unexpected unit {cpa_row['unit']!r}")
    cpa_kg_per_cm2 = to_float(cpa_row["value"], f"{LLMCARBON_CPA_KEY} [kg CO2e/cm2]")
    raw_cpa = to_float(chip["CPA (kgCO2/cm2 or GB)"], "LLMCarbon H100 CPA")
    if not math.isclose(raw_cpa, cpa_kg_per_cm2):
        raise AssertionError(f"LLMCarbon H100 CPA {raw_cpa} != {LLMCARBON_CPA_KEY} {cpa_kg_per_cm2}")
    die_kg = round(die_area_cm2 * cpa_kg_per_cm2, 3)  # [cm2] x [kg CO2e/cm2] = [kg CO2e]
    raw_chip_kg = to_float(chip["CO2e_chip (kgCO2eq)"], "LLMCarbon H100 CO2e_chip")
    if not math.isclose(die_kg, raw_chip_kg, abs_tol=1e-9):
        raise AssertionError(f"derived H100 die {die_kg} kg != LLMCarbon's own {raw_chip_kg} kg")
    lifetime_note = row_by_key(embodied, "llmcarbon_cpa_tsmc16")["notes"]
    if f"{LLMCARBON_LIFETIME_YEARS}-year lifetime" not in lifetime_note:
        raise AssertionError("LLMCarbon lifetime note changed; re-check LLMCARBON_LIFETIME_YEARS")
    records.append(
        {
            "key": LLMCARBON_KEY,
            "label": "NVIDIA H100 logic die only (LLMCarbon per-area model, derived)",
            "scope": "logic die only (manufacturing); excludes HBM, package, board and host",
            "kg_co2e_per_gpu": die_kg,
            "lifetime_years": float(LLMCARBON_LIFETIME_YEARS),
            "source": (
                "LLMCarbon (Faiz et al., ICLR 2024) reference implementation, SotaroKaneda/MLCarbon "
                "data/hardware.csv (H100 die area and TSMC 4nm carbon per area)"
            ),
            "notes": (
                f"DERIVED: H100 die area {die_area_cm2:g} cm2 x {cpa_kg_per_cm2:g} kg CO2e/cm2 (TSMC 4nm "
                f"carbon per area) = {die_kg:g} kg CO2e, logic die only, a lower bound for a whole GPU. "
                f"Lifetime {LLMCARBON_LIFETIME_YEARS} years is the lifetime used by the LLMCarbon reference "
                "code, not a property of the hardware."
            ),
        }
    )

    # Seed article 000: a figure the product must reproduce, clearly marked as untraceable.
    records.append(
        {
            "key": SEED000_KEY,
            "label": "Lifecycle of an NVIDIA V100 (as used by seed article 000)",
            "scope": "lifecycle of one GPU as stated by the article (scope and method not given)",
            "kg_co2e_per_gpu": SEED000_KG_PER_GPU,
            "lifetime_years": math.nan,
            "source": (
                "Seed article 000 (Rachha, 'Introducing Llama 3', 2024), citing an unnamed study; "
                "not traceable to a primary source"
            ),
            "notes": (
                "The article says 626 kg of carbon dioxide per GPU, 'based on the average emission from the "
                "lifecycle of the NVIDIA V100 GPU', and applies it to H100s. Kept only to reproduce the "
                "article; not a recommended value."
            ),
        }
    )

    out = pd.DataFrame.from_records(records, columns=EMBODIED_COLUMNS)
    out["kg_co2e_per_gpu"] = out["kg_co2e_per_gpu"].astype("float64").round(3)
    lifetimes = out["lifetime_years"].astype("float64")
    if not all(float(v).is_integer() for v in lifetimes.dropna()):
        raise AssertionError("embodied: a lifetime is not a whole number of years")
    out["lifetime_years"] = lifetimes.astype("Int64")  # whole years; NaN -> blank
    if out["key"].duplicated().any():
        raise AssertionError("embodied: duplicate key")
    check_schema(out, EMBODIED_COLUMNS, "embodied.csv")
    return out


# --------------------------------------------------------------------------------------------------
# 4. Equivalences
# --------------------------------------------------------------------------------------------------
def check_epa_version(source: pd.DataFrame) -> None:
    """Assert that the EPA mile and gallon factors match the 1,000,000 kg calculator output.

    That output (quoted in shared equivalences.csv) is the version the homes figure is derived from,
    so the three EPA rows come from one calculator version.
    """
    for key, unit_word in (("epa_mile_passenger_vehicle", "miles"), ("epa_gallon_gasoline", "gallons")):
        row = row_by_key(source, key)
        factor_kg = to_float(row["kg_co2e_per_unit"], key)
        count = parse_calculator_count(row["source"], unit_word)
        implied_kg = EPA_CALCULATOR_INPUT_KG / count  # [kg] / [units] = [kg per unit]
        if round(implied_kg, 3) != factor_kg:
            raise AssertionError(f"{key}: factor {factor_kg} kg != calculator output {implied_kg:.4f} kg")


def derive_epa_year_factor(source: pd.DataFrame, key: str, derived: EpaDerived) -> dict[str, object]:
    """Derive a per-year EPA factor [kg CO2e per unit-year] from the newer EPA output (the version of the other
    EPA rows): 1,000,000 kg / N, N read from the notes of the shared row; rounded to 0.1 kg. The shared row's
    older quoted factor is kept in ``notes`` as the alternative.
    """
    shared_key, count_word, counted, per = derived
    row = row_by_key(source, shared_key)
    count = parse_calculator_count(row["notes"], count_word)
    kg_per_unit = round(EPA_CALCULATOR_INPUT_KG / count, 1)  # [kg] / [unit-years]
    older_kg = to_float(row["kg_co2e_per_unit"], shared_key)
    return {
        "key": key,
        "label": row["label"],
        "kg_co2e_per_unit": kg_per_unit,
        "kwh_per_unit": math.nan,
        "unit": row["unit"],
        "source": (
            "US EPA Greenhouse Gas Equivalencies Calculator (epa.gov/energy/"
            "greenhouse-gases-equivalencies-calculator-calculations-and-references); DERIVED from a "
            f"calculator output quoted in public code: 1,000,000 kg = {count} {counted}"
        ),
        "year": EPA_YEAR,
        "notes": (
            f"DERIVED: 1,000,000 kg / {count} {count_word} = {kg_per_unit:,.1f} kg per {per}, from the "
            "same calculator version as miles_driven and gallons_gasoline. Alternative: the older quoted "
            f"factor {older_kg:,.0f} kg per {per} (dated {row['year']} in the shared file). "
            f"Shared-file notes: {row['notes']}"
        ),
    }


def cite_equivalences(frame: pd.DataFrame) -> pd.DataFrame:
    """Give every row the short citation and year of :data:`EQUIVALENCE_CITATIONS` in ``source`` and ``year``;
    the longer text (how the figure was read, which version, alternatives) moves to the front of ``notes``."""
    missing = sorted(set(frame["key"]) - set(EQUIVALENCE_CITATIONS))
    if missing:
        raise AssertionError(f"equivalences: no citation for {missing}")
    out = frame.copy()
    for index, row in frame.iterrows():
        citation, year = EQUIVALENCE_CITATIONS[row["key"]]
        read = f"Source as read: {row['source']} (year: {row['year']})."
        out.loc[index, ["source", "year", "notes"]] = [citation, year, f"{read} {row['notes']}".strip()]
    return out


def build_equivalences(shared_data: Path) -> pd.DataFrame:
    """Build ``equivalences.csv``: factors [kg CO2e per unit], [kWh per unit] or [L per unit], one per key.

    Rows are copied from shared ``equivalences.csv`` by key; ``us_home_energy_year`` is derived; the water
    rows are :data:`WATER_EQUIVALENCES`.
    The three EPA rows share one ``year`` text naming the calculator version they come from.
    """
    source = read_shared_csv(shared_data, "equivalences.csv")
    check_epa_version(source)
    records: list[dict[str, object]] = []
    for key, source_key in EQUIVALENCE_MAP.items():
        if key in EPA_DERIVED:
            records.append(derive_epa_year_factor(source, key, EPA_DERIVED[key]))
            continue
        row = row_by_key(source, source_key)
        record: dict[str, object] = {
            "key": key,
            "label": row["label"],
            "kg_co2e_per_unit": to_optional_float(row["kg_co2e_per_unit"], f"{source_key} kg"),
            "kwh_per_unit": to_optional_float(row["kwh_per_unit"], f"{source_key} kWh"),
            "litres_per_unit": None,
            "unit": row["unit"],
            "source": row["source"],
            "year": row["year"],
            "notes": row["notes"],
        }
        if key in EPA_KEYS:
            record["year"] = EPA_YEAR
            shared_year = row["year"].strip()
            record["notes"] = f"{row['notes']} Year given in the shared file: {shared_year}.".strip()
        records.append(record)

    records.extend(dict(row) for row in WATER_EQUIVALENCES)
    out = pd.DataFrame.from_records(records, columns=EQUIVALENCE_COLUMNS)
    for column in ("kg_co2e_per_unit", "kwh_per_unit", "litres_per_unit"):
        out[column] = out[column].astype("float64")
    both_blank = out[["kg_co2e_per_unit", "kwh_per_unit", "litres_per_unit"]].isna().all(axis=1)
    if both_blank.any():
        raise AssertionError(f"equivalences: no value for {list(out.loc[both_blank, 'key'])}")
    if len({out.loc[out["key"] == k, "year"].item() for k in EPA_KEYS}) != 1:
        raise AssertionError("equivalences: EPA rows do not share one version")
    out = cite_equivalences(out)
    check_schema(out, EQUIVALENCE_COLUMNS, "equivalences.csv")
    return out


# --------------------------------------------------------------------------------------------------
# 5. Regions
# --------------------------------------------------------------------------------------------------
def _country_names(shared_data: Path) -> dict[str, str]:
    """ISO-3 code -> the country name used in grid_intensity.csv (OWID's names)."""
    tidy = read_shared_csv(shared_data, "grid_intensity_by_country_year.csv")
    return dict(zip(tidy["iso3"], tidy["country"], strict=True))


def _place(city: str, country: str) -> str:
    return city if city == country else f"{city}, {country}"


def _region(
    provider: str, suffix: str, name: str, iso3: str, value: float, year: int, basis: str, source: str, **extra: object
) -> dict[str, object]:
    if pycountry.countries.get(alpha_3=iso3) is None:
        raise AssertionError(f"regions {provider}:{suffix}: {iso3!r} is not an ISO 3166-1 alpha-3 code")
    return {
        "id": f"{provider}:{suffix}",
        "provider": provider,
        "name": name,
        "country_iso3": iso3,
        "grid_g_co2e_per_kwh": value,
        "year": year,
        "basis": basis,
        "source": source,
        "pue": extra.get("pue", math.nan),
        "note": extra.get("note", ""),
    }


def codecarbon_cloud_regions(shared_data: Path, names: dict[str, str]) -> list[dict[str, object]]:
    """GCP regions from CodeCarbon's cloud ``impact.csv`` (Google's 2023 location-based figures)."""
    frame = read_shared_csv(shared_data, "raw_codecarbon_cloud_impact.csv")
    if set(frame["provider"]) != {"gcp"}:
        raise AssertionError(f"codecarbon cloud impact: providers {sorted(set(frame['provider']))}, expected gcp")
    records = []
    for _, row in frame.iterrows():
        region = CODECARBON_REGION_FIXES.get(row["region"], row["region"])
        iso3 = "HKG" if row["city"] in HONG_KONG_CITIES else row["countryIsoCode"]
        records.append(
            _region(
                "gcp",
                region,
                _place(row["city"], names[iso3]),
                iso3,
                to_float(row["impact"], f"codecarbon {region}"),
                GCP_CODECARBON_YEAR,
                GCP_BASIS,
                GCP_SOURCE,
            )
        )
    return records


def mlco2_cloud_regions(shared_data: Path, names: dict[str, str]) -> list[dict[str, object]]:
    """AWS, Azure and GCP regions from the ML CO2 Impact table (other providers are left out)."""
    frame = read_shared_csv(shared_data, "raw_mlco2_impact_cloud_regions.csv")
    records = []
    for _, row in frame[frame["provider"].isin(CLOUD_PROVIDERS)].iterrows():
        what = f"mlco2 {row['provider']} {row['region']}"
        if row["city"] in HONG_KONG_CITIES:
            iso3 = "HKG"
        else:
            iso3 = MLCO2_COUNTRY_CODES.get(row["country"]) or pycountry.countries.lookup(row["country"]).alpha_3
        notes = []
        if row["source"].startswith("measured on"):
            notes.append(f"The source is a one-hour reading: {' '.join(row['source'].split())}.")
        if row["comment"].strip() and row["comment"] != "Datacenter-specific":
            notes.append(f"Source comment: {row['comment'].strip()}.")
        pue = to_optional_float(row["PUE"], f"{what} PUE")
        if not math.isnan(pue):
            notes.append(f"PUE {pue:g}: {row['comment'] or 'source'} ({row['PUE source']}).")
        cited = " ".join(row["source"].split()) or "no source given"
        records.append(
            _region(
                row["provider"],
                row["region"],
                row["regionName"] or _place(row["city"], names[iso3]),
                iso3,
                to_float(row["impact"], what),
                MLCO2_YEAR,
                MLCO2_BASIS,
                f"ML CO2 Impact calculator, mlco2/impact data/impact.csv (MIT), citing: {cited}",
                pue=pue,
                note=" ".join(notes),
            )
        )
    return records


def _year_in(text: str, what: str) -> int:
    match = re.search(r"data from (\d{4})", text)
    if match is None:
        raise AssertionError(f"{what}: no 'data from YYYY' in {text!r}")
    return int(match.group(1))


def greenalgorithms_regions(shared_data: Path) -> list[dict[str, object]]:
    """US states, Canadian provinces and Australian states from Green Algorithms' ``CI_aggregated.csv``."""
    path = shared_data / "raw_greenalgorithms_CI_aggregated.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", skiprows=1)
    records = []
    for _, row in frame.iterrows():
        prefix, _, code = row["location"].partition("-")
        if prefix not in GA_PROVIDERS or not code:
            continue
        provider, iso3 = GA_PROVIDERS[prefix]
        suffix = GA_CODE_FIXES.get(row["location"], code)
        subdivision = pycountry.subdivisions.get(code=f"{prefix}-{suffix}")
        if subdivision is None and row["location"] not in GA_CODE_FIXES:
            raise AssertionError(f"Green Algorithms {row['location']} is not an ISO 3166-2 code")
        name = row["regionName"] if subdivision is None else subdivision.name
        records.append(
            _region(
                provider,
                suffix,
                name,
                iso3,
                to_float(row["carbonIntensity"], f"Green Algorithms {row['location']}"),
                _year_in(row["source"], row["location"]),
                GA_BASIS[provider],
                f"Green Algorithms data/latest/CI_aggregated.csv (CC BY 4.0), citing: {row['source']}",
            )
        )
    return records


def egrid_state_regions(shared_data: Path) -> list[dict[str, object]]:
    """US states from eGRID 2016 (CodeCarbon's copy, converted from lb/MWh in the shared extract)."""
    frame = read_shared_csv(shared_data, "us_state_intensity_egrid2016.csv")
    records = []
    for _, row in frame[frame["state_code"] != "usa"].iterrows():
        code = row["state_code"]
        value = to_float(row["carbon_intensity_g_per_kwh"], f"eGRID {code}")
        lbs = to_float(row["emissions_lbs_per_mwh"], f"eGRID {code} lb/MWh")
        if abs(lbs * LBS_PER_MWH_TO_G_PER_KWH - value) > 0.005 + 1e-9:
            raise AssertionError(f"eGRID {code}: {lbs} lb/MWh x 0.45359237 != {value} g/kWh")
        subdivision = pycountry.subdivisions.get(code=f"US-{code}")
        if subdivision is None:
            raise AssertionError(f"eGRID {code} is not a US state code")
        records.append(_region("us", code, subdivision.name, "USA", value, EGRID_YEAR, EGRID_BASIS, EGRID_SOURCE))
    return records


def merge_regions(candidates: list[dict[str, object]]) -> pd.DataFrame:
    """One row per region id: the figure with the most recent data year is primary, the other is kept.

    A region with two different figures of the same year would need another rule, so it stops the build.
    The PUE (given by one source only) is kept whichever figure is primary.
    """
    by_id: dict[str, list[dict[str, object]]] = {}
    for record in candidates:
        by_id.setdefault(str(record["id"]), []).append(record)
    rows = []
    for region_id, records in sorted(by_id.items()):
        if len(records) > 2:
            raise AssertionError(f"regions {region_id}: {len(records)} sources, the rule handles two")
        records = sorted(records, key=lambda r: int(r["year"]), reverse=True)  # type: ignore[call-overload]
        primary = dict(records[0])
        primary |= {"alternative_g_co2e_per_kwh": math.nan, "alternative_year": pd.NA, "alternative_source": ""}
        if len(records) == 2:
            other = records[1]
            if other["year"] == primary["year"]:
                raise AssertionError(f"regions {region_id}: two sources of the same year {primary['year']}")
            if math.isnan(float(primary["pue"])):  # type: ignore[arg-type]
                primary["pue"] = other["pue"]
            primary["note"] = " ".join(str(n) for n in (primary["note"], other["note"]) if n)
            if other["grid_g_co2e_per_kwh"] != primary["grid_g_co2e_per_kwh"]:
                primary |= {
                    "alternative_g_co2e_per_kwh": other["grid_g_co2e_per_kwh"],
                    "alternative_year": other["year"],
                    "alternative_source": other["source"],
                }
        rows.append(primary)
    return pd.DataFrame.from_records(rows, columns=REGION_COLUMNS)


def build_regions(shared_data: Path) -> pd.DataFrame:
    """Build ``regions.csv``: one row per cloud region or state/province [g CO2e/kWh], sorted by id.

    Sources: CodeCarbon's GCP table (Google 2023), the ML CO2 Impact table (AWS, Azure, GCP; 2019, with
    PUE for some GCP regions), Green Algorithms (US states 2020, Canadian provinces and Australian states
    2019) and eGRID 2016 (US states). Disagreements: :func:`merge_regions`.
    """
    names = _country_names(shared_data)
    candidates = (
        codecarbon_cloud_regions(shared_data, names)
        + mlco2_cloud_regions(shared_data, names)
        + greenalgorithms_regions(shared_data)
        + egrid_state_regions(shared_data)
    )
    out = merge_regions(candidates)
    for column in ("grid_g_co2e_per_kwh", "alternative_g_co2e_per_kwh", "pue"):
        out[column] = out[column].astype("float64").round(REGION_DECIMALS)
    for column in ("year", "alternative_year"):
        out[column] = out[column].astype("Int64")
    if not out["grid_g_co2e_per_kwh"].between(0, 2000).all():
        raise AssertionError("regions: an intensity outside 0-2000 g/kWh")
    check_schema(out, REGION_COLUMNS, "regions.csv")
    return out


# --------------------------------------------------------------------------------------------------
# 6. Published runs that are not presets
# --------------------------------------------------------------------------------------------------
PUBLISHED_RUN_COLUMNS: list[str] = ["name", "org", "year", "t_co2e", "basis", "source", "notes"]
#: Rows of shared ``published_trainings.csv`` that ``data/presets.csv`` already holds (scripts/curated.py reads
#: them by these names): left out of ``published_runs.csv`` so no run is counted twice in the ranking.
#: Llama 3.3 70B is a preset at the Hugging Face card's 2,040 t; the GitHub card's 12.9 t stays in its warning.
PRESET_MODELS: tuple[str, ...] = (
    "Llama 2 7B",
    "Llama 2 13B",
    "Llama 2 70B",
    "Llama 3 8B",
    "Llama 3 70B",
    "Llama 3.1 8B",
    "Llama 3.1 70B",
    "Llama 3.1 405B",
    "Llama 3.2 1B",
    "Llama 3.2 3B",
    "Llama 3.2 11B Vision",
    "Llama 3.2 90B Vision",
    "Llama 3.3 70B",
    "Llama 4 Scout",
    "Llama 4 Maverick",
    "BLOOM 176B (final training, dynamic power only)",
    "BLOOM 176B (final training, x PUE, comparison table)",
    "BLOOM 176B (final training, dynamic + idle + embodied)",
    "GPT-3 175B",
)


def build_published_runs(shared_data: Path) -> pd.DataFrame:
    """Build ``published_runs.csv``: every published total [t CO2e] of shared ``published_trainings.csv`` that is
    not a preset (:data:`PRESET_MODELS`), with its basis and source as printed.

    Rows without a reported total are left out, and so are totals of 0 t (Meta's market-based Llama 3.1 figure,
    OLMo's LUMI run on hydro power assumed at 0 g/kWh): a ranking on a log scale cannot place them, and 0 t is a
    claim about certificates or an assumed grid, not a footprint. Sorted by total, then name.
    """
    source = read_shared_csv(shared_data, "published_trainings.csv")
    missing = sorted(set(PRESET_MODELS) - set(source["model"]))
    if missing:
        raise AssertionError(f"published_trainings.csv: preset rows not found: {missing}")
    rows = source[~source["model"].isin(PRESET_MODELS) & (source["tco2e_reported"].str.strip() != "")]
    out = pd.DataFrame(
        {
            "name": rows["model"],
            "org": rows["org"],
            "year": rows["year"].map(lambda y: int(y) if y.strip() else pd.NA).astype("Int64"),
            "t_co2e": [
                to_float(v, f"published {m}") for v, m in zip(rows["tco2e_reported"], rows["model"], strict=True)
            ],
            "basis": rows["basis"],
            "source": rows["source"],
            "notes": rows["notes"],
        }
    )
    out = out[out["t_co2e"] > 0].sort_values(["t_co2e", "name"], kind="stable").reset_index(drop=True)
    if out["name"].duplicated().any():
        raise AssertionError("published_runs.csv: a run name repeats")
    check_schema(out, PUBLISHED_RUN_COLUMNS, "published_runs.csv")
    return out


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------
def _build_water_intensity() -> pd.DataFrame:
    """``data/water_intensity.csv`` (``scripts/build_water.py``: read from the repository's vendored copy)."""
    if str(SCRIPTS_DIR) not in sys.path:
        sys.path.insert(0, str(SCRIPTS_DIR))
    import build_water  # type: ignore[import-not-found]

    return build_water.build_water_intensity()


def write_curated(shared_data: Path, out_dir: Path) -> bool:
    """Write ``presets.csv`` and ``parameters.csv`` from ``scripts/curated.py`` if that module exists.

    Returns True when written. An ImportError raised *inside* curated.py is not swallowed.
    """
    if str(SCRIPTS_DIR) not in sys.path:
        sys.path.insert(0, str(SCRIPTS_DIR))
    try:
        import curated  # type: ignore[import-not-found]
    except ModuleNotFoundError as exc:
        if exc.name != "curated":
            raise
        print("curated.py not found: presets.csv and parameters.csv not written")
        return False
    write_csv(curated.presets_frame(shared_data), out_dir / "presets.csv")
    import spreads  # type: ignore[import-not-found]

    # The documented defaults, then the two spreads measured from the shared data (scripts/spreads.py).
    parameters = pd.concat([curated.parameters_frame(), pd.DataFrame(spreads.spread_rows(shared_data))])
    write_csv(parameters[curated.PARAMETER_COLUMNS], out_dir / "parameters.csv")
    return True


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help=f"path of the shared folder holding data/ (default: {DEFAULT_SHARED})",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Build every curated file in ``data/`` and the checksum list; return the exit status."""
    args = parse_args(argv)
    shared_data = args.shared.resolve() / "data"
    if not shared_data.is_dir():
        print(f"error: {shared_data} is not a directory", file=sys.stderr)
        return 2

    outputs = {
        "grid_intensity.csv": build_grid_intensity(shared_data),
        "accelerators.csv": build_accelerators(shared_data),
        "embodied.csv": build_embodied(shared_data),
        "equivalences.csv": build_equivalences(shared_data),
        "regions.csv": build_regions(shared_data),
        "published_runs.csv": build_published_runs(shared_data),
        "water_intensity.csv": _build_water_intensity(),
    }
    for name, frame in outputs.items():
        write_csv(frame, OUT_DIR / name)
        print(f"wrote data/{name}: {len(frame)} rows")
    if write_curated(shared_data, OUT_DIR):
        print("wrote data/presets.csv and data/parameters.csv (scripts/curated.py)")
    checksums = write_checksums(OUT_DIR)
    print(f"wrote data/{checksums.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
