"""Numbers as a person reads them: a unit on every value, sensible magnitude, escaped user text."""

from __future__ import annotations

import re

from carbon_core.units import KW_PER_MW, KWH_PER_GWH, KWH_PER_MWH, L_PER_M3

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def _by_magnitude(value: float, steps: tuple[tuple[float, float, str], ...], smaller: str) -> str:
    """``value`` written with the first of ``steps`` (threshold, divisor, format) whose threshold its magnitude
    reaches, divided by that step's divisor; below every threshold (or NaN), as it is with ``smaller``."""
    for threshold, divisor, spec in steps:
        if abs(value) >= threshold:
            return spec.format(value / divisor)
    return smaller.format(value)


#: Tonnes from 1 t up, kilograms from 1 kg, grams below (never a milli-tonne): (threshold [t], divisor, format).
_CO2E_STEPS = (
    (100, 1, "{:,.0f} t CO2e"),
    (1, 1, "{:,.1f} t CO2e"),
    (0.1, 1e-3, "{:,.0f} kg CO2e"),
    (1e-3, 1e-3, "{:,.3g} kg CO2e"),
    (1e-4, 1e-6, "{:,.0f} g CO2e"),
    (1e-12, 1e-6, "{:,.3g} g CO2e"),
)


def t_co2e(value_t: float) -> str:
    """A mass of CO2e given in tonnes, written in t, kg or g with a precision that suits the magnitude,
    e.g. '8,938 t CO2e', '1.2 t CO2e', '380 kg CO2e', '4.5 g CO2e'; zero is '0 t CO2e'."""
    return _by_magnitude(value_t, _CO2E_STEPS, "{:,.3g} t CO2e")


def energy(value_kwh: float) -> str:
    """Energy in kWh, MWh or GWh, whichever reads best."""
    steps = ((KWH_PER_GWH, KWH_PER_GWH, "{:,.2f} GWh"), (KWH_PER_MWH, KWH_PER_MWH, "{:,.1f} MWh"))
    return _by_magnitude(value_kwh, steps, "{:,.1f} kWh")


def power_mw(value_mw: float) -> str:
    """Power in MW (kW below 1 MW)."""
    if abs(value_mw) >= 1:
        return f"{value_mw:,.1f} MW"
    return f"{value_mw * KW_PER_MW:,.1f} kW"


def water(value_l: float) -> str:
    """Water in litres, or in m³ (1,000 L) from 10,000 L up, e.g. '950 L', '4,693 m³'."""
    return _by_magnitude(value_l, ((10 * L_PER_M3, L_PER_M3, "{:,.0f} m³"), (10, 1, "{:,.0f} L")), "{:,.3g} L")


def count(value: float) -> str:
    """A count of things: whole numbers with separators from 10 up, three significant digits below."""
    return _by_magnitude(value, ((10, 1, "{:,.0f}"),), "{:,.3g}")


def input_number(value: float) -> str:
    """An input's value without its unit: whole with separators from 100 up ('1,882'), three figures below
    ('0.85', '1.1'), never in exponent notation."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def count_range(low: float, high: float, width: int = 13) -> str:
    """A range of counts that fits a narrow metric: '5,843–9,454', else in thousands or millions ('1.07M–1.5M')."""
    text = f"{count(low)}–{count(high)}"
    if len(text) <= width:
        return text
    scale, suffix = (1e6, "M") if abs(high) >= 1e6 else (1e3, "k")
    return f"{low / scale:,.3g}{suffix}–{high / scale:,.3g}{suffix}"


def escape_markdown(text: str) -> str:
    """``text`` with every Markdown/HTML control character escaped, so it displays literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
