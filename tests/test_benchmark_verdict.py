"""The benchmarks' verdicts: a ratio over its limit fails, one at the limit (to the page clock's float noise) holds."""

from benchmarks.common import verdict


def test_verdicts() -> None:
    assert verdict(201.6000000005588 / 134.3999999994412, 1.5) == "met"  # 1.5 at the clock's 0.1 ms steps
    assert verdict(1.49, 1.5) == "met"
    assert verdict(1.501, 1.5, "x") == "NOT met (1.501x > 1.5x)"
    assert verdict(float("nan"), 1.5) == "not measured"
