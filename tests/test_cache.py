"""One computation per scenario (issue 17, item 2): sessions on the same link share explorer/cache.py's
results, different links do not, and the cache is bounded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import carbon_core.uncertainty
from carbon_core import TrainingRun
from carbon_core.grid import grid_for_country
from explorer import cache, warmup
from tests.headline_reader import headline

ROOT = Path(__file__).resolve().parents[1]
LINK = {"preset": "llama-3.1-405b", "pue": "1.2"}
OTHER_LINK = {"preset": "llama-3.1-405b", "pue": "1.3"}


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How often carbon_core's footprint and Monte Carlo ran through explorer/cache.py, from an empty cache."""
    counter: Counter[str] = Counter()
    assert warmup.monte_carlo is not None  # bound before patching: its one-time 100-sample warm-up is not counted

    def counted(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counter[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(cache, "estimate", counted("estimate", cache.estimate))
    monkeypatch.setattr(
        carbon_core.uncertainty, "monte_carlo", counted("monte_carlo", carbon_core.uncertainty.monte_carlo)
    )
    monkeypatch.setattr(cache, "ENABLED", True)
    cache.clear()
    yield counter
    cache.clear()


def open_link(params: dict[str, str]) -> AppTest:
    """A new session on the link ``params``, after its first run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_same_link_computes_once(calls: Counter[str]) -> None:
    first = open_link(LINK)
    assert calls == {"estimate": 1, "monte_carlo": 1}
    second = open_link(LINK)
    assert calls == {"estimate": 1, "monte_carlo": 1}, "the second session recomputed the same scenario"
    for label in ("Total emissions", "Energy drawn", "90 % range [t CO2e]"):
        assert headline(second, label) == headline(first, label)


def test_different_links_do_not_share(calls: Counter[str]) -> None:
    first = open_link(LINK)
    other = open_link(OTHER_LINK)
    assert calls == {"estimate": 2, "monte_carlo": 2}
    assert headline(other, "Total emissions") != headline(first, "Total emissions")


def test_without_the_cache_every_session_computes(calls: Counter[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "ENABLED", False)
    open_link(LINK)
    open_link(LINK)
    assert calls == {"estimate": 2, "monte_carlo": 2}


def test_cache_is_bounded(calls: Counter[str]) -> None:
    """Past MAX_ENTRIES distinct scenarios the least recently used is dropped (and computed again if asked)."""
    runs = [TrainingRun(gpu_count=n) for n in range(1, cache.MAX_ENTRIES + 2)]
    for run in runs:
        cache.footprint(run)
    assert calls["estimate"] == len(runs)
    cache.footprint(runs[-1])
    assert calls["estimate"] == len(runs), "the newest entry was dropped"
    cache.footprint(runs[0])
    assert calls["estimate"] == len(runs) + 1, "more than MAX_ENTRIES scenarios were kept"


def test_each_caller_gets_its_own_copy(calls: Counter[str]) -> None:
    """A session that changes what it received cannot change what the next session reads."""
    fp = cache.footprint(TrainingRun())
    frame = cache.countries(fp)
    frame.loc[:, "total_t_co2e"] = -1.0
    assert (cache.countries(fp)["total_t_co2e"] > 0).all()
    assert cache.footprint(TrainingRun()) == fp


def test_key_tells_an_entered_intensity_from_the_country_default() -> None:
    """Same number, different uncertainty: a hand-entered grid has no range over the country's years."""
    fra = grid_for_country("FRA").grid_g_co2e_per_kwh
    by_country = TrainingRun(country_iso3="FRA").resolve()
    entered = TrainingRun(country_iso3="FRA", grid_g_co2e_per_kwh=fra).resolve()
    assert by_country.grid_g_co2e_per_kwh == entered.grid_g_co2e_per_kwh
    assert cache.run_key(by_country) != cache.run_key(entered)
    assert cache.run_key(TrainingRun(pue=1.2)) == cache.run_key(TrainingRun(pue=1.2))
    assert cache.run_key(TrainingRun(pue=1.2)) != cache.run_key(TrainingRun(pue=1.2000001))


def test_the_countries_views_figures_are_built_once_per_scenario(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Countries view's three Plotly figures (most of its rerun) are built once per scenario and shared;
    another scenario or another chosen country builds its own, and what is drawn is the same either way."""
    from explorer import figures

    built: Counter[str] = Counter()
    for name in ("countries_bar_figure", "world_map_figure", "regions_bar_figure"):
        original = getattr(figures, name)
        monkeypatch.setattr(figures, name, lambda *a, _f=original, _n=name, **k: built.update([_n]) or _f(*a, **k))
    monkeypatch.setattr(cache, "ENABLED", True)
    cache.clear()
    try:
        first = open_link({**LINK, "view": "countries"})
        assert built == {"countries_bar_figure": 1, "world_map_figure": 1, "regions_bar_figure": 1}
        second = open_link({**LINK, "view": "countries"})
        assert built == {"countries_bar_figure": 1, "world_map_figure": 1, "regions_bar_figure": 1}
        assert [c.proto.spec for c in first.get("plotly_chart")] == [c.proto.spec for c in second.get("plotly_chart")]
        open_link({**OTHER_LINK, "view": "countries"})
        open_link({**LINK, "view": "countries", "country": "FRA"})
        assert built == {"countries_bar_figure": 3, "world_map_figure": 3, "regions_bar_figure": 3}
        monkeypatch.setattr(cache, "ENABLED", False)
        uncached = open_link({**LINK, "view": "countries"})
        assert [c.proto.spec for c in uncached.get("plotly_chart")] == [c.proto.spec for c in first.get("plotly_chart")]
    finally:
        cache.clear()
