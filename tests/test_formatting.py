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


@pytest.mark.parametrize(
    ("value", "text"), [(1_790.4, "1,790"), (2_070.0, "2,070"), (840.0, "840"), (1.1, "1.1"), (0.85, "0.85")]
)
def test_input_numbers_are_never_in_exponent_notation(value: float, text: str) -> None:
    assert fmt.input_number(value) == text


def test_the_tornados_labels_and_text_write_durations_in_full() -> None:
    """A duration of ~1,900 h read '1.79e+03 to 2.07e+03 h' on the tornado's axis (Llama 3.1 405B)."""
    from carbon_core import TrainingRun
    from carbon_core.uncertainty import sensitivity
    from explorer.chart_text import tornado_text
    from explorer.figures import tornado_figure

    run = TrainingRun(training_hours=1_882.0).resolve()
    bars = sensitivity(run)
    labels = " ".join(tornado_figure(bars, 300.0).data[0].y)
    assert "e+" not in labels and "e+" not in tornado_text(bars, 300.0)
    assert "1,788 to 2,070 h" in labels
