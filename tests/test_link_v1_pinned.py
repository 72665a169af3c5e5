"""Link format 1 pinned by recorded links: each opens on the same numbers as before the input registry.

``fixtures/link_v1_recorded.json`` holds 212 links (hand-made goldens, every preset's link, bad parameters
and 150 seeded random links) and what each opened on, recorded at commit bfdb88d, before the link's
parameters were derived from :mod:`carbon_core.inputs`: the rejected parameters, the number of warnings and
the footprint. A link whose compute needed more than ten years of training opened on an error then; it now
opens with one warning naming ``params`` and the duration's default (the only recorded change).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from carbon_core import estimate
from explorer.link import parse_link

RECORDED = json.loads((Path(__file__).parent / "fixtures" / "link_v1_recorded.json").read_text(encoding="utf-8"))
LINKS = RECORDED["links"]


def _open(link: str):
    return parse_link(parse_qs(link, keep_blank_values=True))


def test_the_recording_covers_goldens_presets_and_rejections() -> None:
    assert len(LINKS) == 212
    assert sum(1 for r in LINKS if r["rejected"]) >= 20
    assert sum(1 for r in LINKS if r["link"].startswith("v=1&preset=")) >= 25


@pytest.mark.parametrize("record", [r for r in LINKS if "error" not in r["numbers"]], ids=lambda r: r["link"][:60])
def test_recorded_link_opens_on_the_same_numbers(record: dict) -> None:
    parsed = _open(record["link"])
    assert sorted(parsed.rejected) == sorted(record["rejected"])
    assert len(parsed.warnings) == record["warnings"]
    assert (parsed.scenario.present, parsed.scenario.preset) == (record["present"], record["preset"])
    if record["compare_a"] is not None:
        assert parse_qs(parsed.scenario.compare_a) == parse_qs(record["compare_a"])
    footprint = estimate(parsed.scenario.training_run())
    for key, value in record["numbers"].items():
        if isinstance(value, float):
            assert math.isclose(getattr(footprint, key), value, rel_tol=1e-12), key
        else:
            assert getattr(footprint.run, key) == value, key


@pytest.mark.parametrize("record", [r for r in LINKS if "error" in r["numbers"]], ids=lambda r: r["link"][:60])
def test_recorded_link_that_failed_now_names_params(record: dict) -> None:
    assert record["numbers"]["error"] == "ValidationError"
    parsed = _open(record["link"])
    assert parsed.rejected == [*record["rejected"], "params"]
    assert "'params'" in parsed.warnings[-1] and "87,600 h" in parsed.warnings[-1]
    assert not parsed.scenario.compute_mode
    assert math.isfinite(estimate(parsed.scenario.training_run()).total_t_co2e)
