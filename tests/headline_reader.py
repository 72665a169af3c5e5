"""Reading the dashboard's headline cards (explorer/headline.py) back from an AppTest run, as a person reads them."""

from __future__ import annotations

import re
from html import unescape

from streamlit.testing.v1 import AppTest

from explorer.headline import VALUE_CLASS

# A card: the headline's (class "headline-card") or presentation mode's hero figure ("headline-hero headline-card").
_CARD = re.compile(
    rf'class="(?:headline-hero )?headline-card"[^>]*aria-label="([^"]*)".*?class="{VALUE_CLASS}"[^>]*>([^<]*)<', re.S
)


def headline_values(at: AppTest) -> dict[str, str]:
    """Label -> value text of every headline card, in page order: one headline block on the page, and in
    presentation mode the hero figure before it (explorer/presentation.py); each label once."""
    bodies = [el.proto.body for el in at.get("html")]
    blocks = [body for body in bodies if 'class="headline"' in body]
    heroes = [body for body in bodies if 'class="headline-hero' in body]
    assert len(blocks) == 1 and len(heroes) <= 1, f"{len(blocks)} headline blocks, {len(heroes)} hero figures"
    cards = _CARD.findall("".join(heroes + blocks))
    values = {unescape(label): unescape(value) for label, value in cards}
    assert len(values) == len(cards), f"duplicate headline labels: {cards}"
    return values


def headline(at: AppTest, label: str) -> str:
    """The value of the headline card labelled ``label``, e.g. '8,938 t CO2e'."""
    values = headline_values(at)
    assert label in values, f"{label!r} not among {list(values)}"
    return values[label]
