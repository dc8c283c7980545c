"""Whole-series vectors: statistics.md 1.9 (d) and (e), and hand-made series for every icon."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nhs_oversight.stats.spc import spc
from nhs_oversight.stats.spc.icons import ASSURANCE, assurance_codes

SHIFT = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10, 12, 13, 12, 14, 13, 12, 13, 10, 9, 11]
TREND = [5, 6, 4, 5, 3, 4, 5, 6, 7, 8, 9, 10, 4, 5, 6, 5, 4, 5, 6, 5]
TREND_TIE = [5, 6, 4, 5, 3, 4, 5, 6, 6, 7, 8, 9, 4, 5, 6, 5, 4, 5, 6, 5]
TWO_OF_THREE = [10, 10.4, 9.6, 10, 10.3, 9.7, 10, 10.4, 9.6, 10, 11.0, 11.1, 10.3, 10, 9.8, 10.2, 10, 9.8, 10.2, 10]
TWO_OF_THREE_MDC = [*TWO_OF_THREE[:10], 11.1, 11.6, *TWO_OF_THREE[12:]]
NEUTRAL = [20, 22, 21, 19, 20, 21, 35, 20, 22, 21, 19, 20, 21, 22, 20, 19, 1]


def run(y, **kw) -> pd.DataFrame:
    return spc(pd.DataFrame({"t": range(len(y)), "y": y}), date="t", value="y", **kw)


def flagged(out: pd.DataFrame) -> dict[int, str]:
    """1-based position -> label of every special-cause point."""
    return {i + 1: lab for i, lab in enumerate(out["special_cause"]) if lab != "Common Cause"}


def stats(out: pd.DataFrame) -> tuple[float, float, float, float]:
    r = out.iloc[0]
    return r["mean"], r["amr"], r["lpl"], r["upl"]


def test_tv_shift():
    out = run(SHIFT, improvement="increase")
    assert stats(out) == pytest.approx((10.95, 1.631579, 6.61, 15.29), abs=1e-6)
    assert flagged(out) == {i: "7 Points Above CL" for i in range(11, 18)}
    assert set(out["point_type"].iloc[10:17]) == {"special_cause_improvement"}
    assert out["point_type"].iloc[-1] == "common_cause"
    assert out["variation_icon"].iloc[0] == "common_cause"


def test_tv_trend_with_outside_points_taking_precedence():
    out = run(TREND)
    assert stats(out) == pytest.approx((5.6, 1.111111, 2.644444, 8.555556), abs=1e-6)
    expected = {i: "7 Point Trend (Increasing)" for i in range(5, 11)}
    expected.update({11: "Above UCL", 12: "Above UCL"})
    assert flagged(out) == expected


def test_tv_trend_broken_by_a_tie():
    out = run(TREND_TIE)
    assert stats(out) == pytest.approx((5.4, 1.055556, 2.592222, 8.207778), abs=1e-6)
    assert flagged(out) == {12: "Above UCL"}


def test_tv_two_of_three():
    out = run(TWO_OF_THREE, improvement="decrease")
    assert stats(out) == pytest.approx((10.12, 0.431579, 8.972, 11.268), abs=1e-6)
    assert out["mean"].iloc[0] + 2 * 2.66 / 3 * out["amr"].iloc[0] == pytest.approx(10.8853, abs=1e-4)
    assert flagged(out) == {11: "2 in 3 Above CL", 12: "2 in 3 Above CL"}
    assert set(out["point_type"].iloc[10:12]) == {"special_cause_concern"}


def test_tv_two_of_three_package_versus_mdc2023():
    ptd = run(TWO_OF_THREE_MDC, improvement="decrease")
    assert stats(ptd) == pytest.approx((10.15, 0.484211, 8.862, 11.438), abs=1e-6)
    assert flagged(ptd) == {12: "Above UCL"}
    mdc = run(TWO_OF_THREE_MDC, improvement="decrease", rules="mdc2023")
    assert flagged(mdc) == {11: "2 in 3 Above CL", 12: "Above UCL"}
    assert "beyond 2 sigma" in mdc["reason"].iloc[10]


def test_tv_neutral():
    out = run(NEUTRAL, improvement="neutral")
    mean, amr, lpl, upl = stats(out)
    assert (mean, amr) == pytest.approx((20.176471, 1.384615), abs=1e-6)
    # the spec lists 16.493434 / 23.859507; mean -/+ 2.66 x amr gives 16.493394 / 23.859548
    assert (lpl, upl) == pytest.approx((16.493434, 23.859507), abs=1e-4)
    assert flagged(out) == {7: "Above UCL", 17: "Below LCL"}
    assert out["point_type"].iloc[6] == "special_cause_neutral_high"
    assert out["point_type"].iloc[16] == "special_cause_neutral_low"
    assert out["variation_icon"].iloc[0] == "neutral_low"


@pytest.mark.parametrize(("target", "expected"), [(16, "consistent_fail"), (5, "consistent_pass"), (8, "inconsistent")])
def test_tv_assurance(target, expected):
    out = run(SHIFT, improvement="increase", target=target)
    assert out["assurance"].iloc[0] == expected
    assert out["assurance_icon"].iloc[0] == {"consistent_fail": "fail", "consistent_pass": "pass", "inconsistent": "inconsistent"}[expected]


def test_assurance_three_facets():
    lpl, upl, target = np.array([1.0, 5, 1]), np.array([3.0, 7, 5]), np.full(3, 4.0)
    def names(d):
        return ASSURANCE[assurance_codes(target, lpl, upl, np.full(3, d))].tolist()
    assert names(1) == ["consistent_fail", "consistent_pass", "inconsistent"]
    assert names(-1) == ["consistent_pass", "consistent_fail", "inconsistent"]
    assert names(0) == ["not_applicable"] * 3
    assert ASSURANCE[assurance_codes(np.full(3, np.nan), lpl, upl, np.ones(3))].tolist() == ["no_target"] * 3


def test_assurance_target_on_a_limit_is_inconsistent():
    out = run(SHIFT, target=15.29)  # upl is exactly 10.95 + 2.66 x 1.631579 = 15.29
    upl = out["upl"].iloc[0]
    out = run(SHIFT, target=float(upl))
    assert out["assurance"].iloc[0] == "inconsistent"


def test_assurance_uses_the_latest_period_only():
    # first period around 0.5, second around 100.5; lower is better, target 50.
    # Rebased at point 11, the latest limits are 100.5 -/+ 2.66: always above 50 -> failing.
    y = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 100, 101, 100, 101, 100, 101, 100, 101]
    out = run(y, rebase=[10], target=50, improvement="decrease")
    assert out["lpl"].iloc[-1] == pytest.approx(100.5 - 2.66)
    assert out["assurance"].iloc[-1] == "consistent_fail"
    # Not rebased: mean 809/18 = 44.94, the one jump of 99 is screened out, amr 1,
    # upl 47.6 < 50 -> judged consistently passing.
    out = run(y, target=50, improvement="decrease")
    assert out["upl"].iloc[-1] == pytest.approx(809 / 18 + 2.66)
    assert out["assurance"].iloc[-1] == "consistent_pass"


# Hand-made series ending on a special-cause point, one per variation icon.
BASE = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9]


@pytest.mark.parametrize(
    ("last", "direction", "icon", "point_type"),
    [
        (10, "increase", "common_cause", "common_cause"),
        (20, "increase", "improvement_high", "special_cause_improvement"),
        (0, "decrease", "improvement_low", "special_cause_improvement"),
        (20, "decrease", "concern_high", "special_cause_concern"),
        (0, "increase", "concern_low", "special_cause_concern"),
        (20, "neutral", "neutral_high", "special_cause_neutral_high"),
        (0, "neutral", "neutral_low", "special_cause_neutral_low"),
    ],
)
def test_every_variation_icon(last, direction, icon, point_type):
    # BASE: mean 10, moving ranges 1,2,1,1,2,... -> limits well inside 0 and 20
    out = run([*BASE, last], improvement=direction)
    assert out["point_type"].iloc[-1] == point_type
    assert (out["variation_icon"] == icon).all()
    if last != 10:
        assert out["special_cause"].iloc[-1] == ("Above UCL" if last == 20 else "Below LCL")


def test_every_rule_on_hand_made_series():
    # shift below: 7 points under the mean at the end
    out = run([*BASE, 9.5, 9.5, 9.6, 9.4, 9.5, 9.6, 9.5])
    assert out["special_cause"].iloc[-7:].tolist() == ["7 Points Below CL"] * 7
    assert out["point_type"].iloc[-1] == "special_cause_concern"
    # falling trend of 7 (small steps, stays inside the limits)
    out = run([*BASE, 11.5, 11, 10.5, 10, 9.5, 9, 8.5], improvement="decrease")
    assert out["special_cause"].iloc[-7:].tolist() == ["7 Point Trend (Decreasing)"] * 7
    assert out["variation_icon"].iloc[0] == "improvement_low"
    # 2 of 3 below, limits fixed on BASE: mean 10, amr 19/14, so the 2-3 sigma band below the
    # mean is 10 - 2.66 x 19/14 = 6.39 to 10 - 1.7733 x 19/14 = 7.59
    out = run([*BASE, 7.0, 9.5, 6.9], fix_after=15)
    assert out["amr"].iloc[0] == pytest.approx(19 / 14)
    assert out["lpl"].iloc[0] == pytest.approx(10 - 2.66 * 19 / 14)
    assert out["special_cause"].iloc[-3:].tolist() == ["2 in 3 Below CL", "Common Cause", "2 in 3 Below CL"]
