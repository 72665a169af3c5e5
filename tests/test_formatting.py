"""How numbers read on the page: units and widths (``explorer/formatting.py``)."""

from __future__ import annotations

import pytest

from explorer import formatting as fmt


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        (5_843.2, 9_454.4, "5,843–9,454"),
        (8_617.0, 15_429.0, "8,617–15,429"),
        (123_456.0, 234_567.0, "123k–235k"),
        (1_068_012.0, 1_500_000.0, "1.07M–1.5M"),
        (0.5, 1.2, "0.5–1.2"),
    ],
)
def test_count_range_fits_a_metric(low: float, high: float, text: str) -> None:
    assert fmt.count_range(low, high) == text
    assert len(text) <= 13


@pytest.mark.parametrize(
    ("litres", "text"), [(0.25, "0.25 L"), (950.0, "950 L"), (9_999.0, "9,999 L"), (74_755_000.0, "74,755 m³")]
)
def test_water_switches_to_cubic_metres(litres: float, text: str) -> None:
    assert fmt.water(litres) == text
