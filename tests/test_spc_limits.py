"""XmR limits: statistics.md 1.9 (b), (c) and the package's end-to-end case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nhs_oversight.stats.spc import spc

# R: set.seed(123); rnorm(20)
RNORM20 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
    -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
    -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]


def run(y, **kw) -> pd.DataFrame:
    return spc(pd.DataFrame({"t": range(len(y)), "y": y}), date="t", value="y", **kw)


def first_limits(out: pd.DataFrame) -> tuple[float, float, float]:
    row = out.iloc[0]
    return row["mean"], row["lpl"], row["upl"]


def test_rnorm_series_screened():
    out = run(RNORM20)
    assert first_limits(out) == pytest.approx((0.1416238, -3.01138, 3.294627), rel=1e-6)
    assert (out["point_type"] == "common_cause").all()
    expected_rtm = [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1, 1, 1, -1, 1, -1]
    assert np.sign(out["value"] - out["mean"]).astype(int).tolist() == expected_rtm


def test_rnorm_with_an_outlier_screened_and_unscreened():
    y = list(RNORM20)
    y[14] = 10
    assert first_limits(run(y)) == pytest.approx((0.6694159, -2.383666, 3.722497), rel=1e-6)
    assert first_limits(run(y, screen_outliers=False)) == pytest.approx((0.6694159, -4.596625, 5.935457), rel=1e-6)


def test_rebase_at_point_11_gives_the_two_facet_limits():
    out = run(RNORM20, rebase=[10])
    by = out.groupby("rebase_group")[["mean", "lpl", "upl"]].first()
    assert by.loc[0].tolist() == pytest.approx([0.0746, -2.60, 2.75], abs=6e-3)
    assert by.loc[1].tolist() == pytest.approx([0.209, -3.28, 3.70], abs=6e-3)
    assert out["rebase_group"].tolist() == [0] * 10 + [1] * 10
    assert out["trial_limits"].all()  # 10 points per period < 13


def test_fix_after_twelve_points():
    out = run(RNORM20, fix_after=12)
    assert first_limits(out) == pytest.approx((0.1941793, -2.607400, 2.995758), rel=1e-6)
    assert out["in_baseline"].tolist() == [True] * 12 + [False] * 8
    assert not out["trial_limits"].any()


def test_vignette_deviations_screening():
    y = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    screened = run(y)
    assert first_limits(screened) == pytest.approx((1.94, -0.72, 4.60), abs=5e-3)
    assert first_limits(run(y, screen_outliers=False)) == pytest.approx((1.94, -3.06, 6.95), abs=5e-3)
    types = screened["point_type"].tolist()
    assert types[4] == "special_cause_improvement"
    assert set(types[:4] + types[5:]) == {"common_cause"}


def test_close_points_on_opposite_sides_are_common_cause():
    y = [1, -1] * 8
    y[14], y[15] = 5.5, -5.5
    out = run(y)
    assert out["upl"].iloc[0] == pytest.approx(6.175)
    assert out["lpl"].iloc[0] == pytest.approx(-6.175)
    assert (out["point_type"] == "common_cause").all()


def test_constant_series_has_no_variation_and_flags_nothing():
    out = run([0.1] * 20)
    assert out["no_variation"].all()
    assert (out["special_cause"] == "Common Cause").all()
    assert out["lpl"].iloc[0] == out["upl"].iloc[0] == pytest.approx(0.1)
    assert out["variation_icon"].iloc[0] == "common_cause"


def test_limits_use_the_mean_moving_range():
    # hand computed: mean 2, moving ranges all 2 -> amr 2, limits 2 -/+ 5.32
    out = run([1, 3, 1, 3, 1, 3])
    assert first_limits(out) == pytest.approx((2.0, 2 - 5.32, 2 + 5.32))
    assert out["amr"].iloc[0] == pytest.approx(2.0)


def test_single_point_series_has_no_limits_and_no_flag():
    out = run([5.0])
    assert np.isnan(out["lpl"].iloc[0]) and np.isnan(out["upl"].iloc[0])
    assert out["special_cause"].iloc[0] == "Common Cause"
    assert out["trial_limits"].iloc[0]
