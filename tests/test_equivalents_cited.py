"""Issue 15 item 6: the EPA vehicle-year, clean citations and years in the Equivalents view (reading notes in the
Methodology), and the three 'US homes' figures each saying what it counts."""

from __future__ import annotations

import re

import pytest
from test_app import no_exception, open_app, unescape

from carbon_core.equivalents import equivalence_factors

EPA = "US EPA, Greenhouse Gas Equivalencies Calculator"


def test_vehicle_year_comes_from_the_same_epa_version_as_the_other_epa_rows() -> None:
    factors = equivalence_factors()
    vehicle = factors["passenger_vehicle_year"]
    assert vehicle.kg_co2e_per_unit == pytest.approx(1_000_000 / 233, abs=0.05)  # 4,291.8 kg
    assert vehicle.unit == "per vehicle-year"
    epa = [f for f in factors.values() if f.source == EPA]
    assert {f.key for f in epa} == {"miles_driven", "gallons_gasoline", "us_home_energy_year", "passenger_vehicle_year"}
    assert {f.year for f in epa} == {"2024"}
    assert "older quoted factor 4,600 kg per vehicle-year" in (vehicle.notes or "")


def test_every_factor_has_a_short_citation_a_clean_year_and_its_reading_in_the_notes() -> None:
    for factor in equivalence_factors().values():
        assert len(factor.source) <= 100 and "quoted in public code" not in factor.source, factor.key
        assert re.fullmatch(r"\d{4}(-\d{4})?", factor.year), (factor.key, factor.year)
        assert (factor.notes or "").startswith("Source as read: "), factor.key


def test_equivalents_view_cites_cleanly_and_says_what_the_homes_count() -> None:
    at = open_app({"preset": "llama-3.1-405b", "view": "equivalents"})
    no_exception(at)
    captions = [unescape(c.value) for c in at.main.caption]
    assert any(c.endswith(f"Source: {EPA} (2024).") and "vehicle-year" in c for c in captions)
    assert not any("quoted in public code" in c for c in captions)
    assert any(c.startswith("Counts CO2e: a home's whole energy use") for c in captions)
    assert any(c.startswith("Counts energy: a home's electricity in kWh") for c in captions)
    homes = [c for c in captions if c.startswith("US homes, three ways:")]
    assert len(homes) == 1 and "by its CO2e" in homes[0] and "by energy" in homes[0] and "by power" in homes[0]


def test_methodology_lists_the_reading_notes() -> None:
    at = open_app({"view": "methodology"})
    no_exception(at)
    tables = [t.value for t in at.main.dataframe if "reading notes" in t.value.columns]
    assert len(tables) == 1 and len(tables[0]) == len(equivalence_factors())
    assert tables[0]["reading notes"].str.contains("quoted in public code").any()
