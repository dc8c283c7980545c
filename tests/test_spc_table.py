"""The DataFrame front door: groups, per-series directions and targets, rebasing, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nhs_oversight.errors import InputError, OptionError
from nhs_oversight.stats.spc import spc, spc_summary

# 15 points ending in 7 gently rising ones. Hand check: mean 10.26, moving ranges sum to 18.6
# over 14, so limits are 10.26 -/+ 3.5 and 2-sigma lines 10.26 -/+ 2.36: only the trend fires.
UP = [10, 12, 9, 11, 10, 12, 9, 11, 9.2, 9.5, 9.8, 10.1, 10.4, 10.7, 11.0]


def two_trusts() -> pd.DataFrame:
    return pd.concat(
        [
            pd.DataFrame({"org": "RAA", "metric": "waits", "month": pd.date_range("2023-04-01", periods=15, freq="MS"), "y": UP}),
            pd.DataFrame({"org": "RBB", "metric": "waits", "month": pd.date_range("2023-05-01", periods=14, freq="MS"), "y": [5.0, 6.0] * 7}),
        ],
        ignore_index=True,
    )


def test_grouped_output_shape_and_columns():
    out = spc(two_trusts(), date="month", value="y", group=["org", "metric"])
    assert len(out) == 29
    assert out["special_cause"].tolist()[:15] == ["Common Cause"] * 8 + ["7 Point Trend (Increasing)"] * 7
    for col in ("org", "metric", "month", "value", "mean", "lpl", "upl", "special_cause", "point_type",
                "variation_icon", "assurance_icon", "reason", "trial_limits"):
        assert col in out.columns
    assert out.attrs["spc"]["series"] == 2
    assert out.attrs["spc"]["rules"] == "ptd"
    assert out.groupby("org")["variation_icon"].first().to_dict() == {"RAA": "improvement_high", "RBB": "common_cause"}
    assert out["reason"].iloc[14] == "part of a run of 7 or more points each higher than the one before"


def test_improvement_and_target_from_columns():
    df = two_trusts()
    df["better"] = np.where(df["org"] == "RAA", "down", "up")
    df["goal"] = np.where(df["org"] == "RAA", 100.0, 2.0)
    out = spc(df, date="month", value="y", group="org", improvement_column="better", target_column="goal")
    last = out.groupby("org").tail(1).set_index("org")
    assert last.loc["RAA", "variation_icon"] == "concern_high"
    assert last.loc["RAA", "assurance"] == "consistent_pass"  # target 100 far above, lower is better
    # 5/6 alternating: mean 5.5, amr 1, lpl 2.84 > target 2 -> consistently passing
    assert last.loc["RBB", "lpl"] == pytest.approx(5.5 - 2.66)
    assert last.loc["RBB", "assurance"] == "consistent_pass"


def test_direction_changing_within_a_series_is_an_error():
    df = two_trusts()
    df["better"] = ["up"] * 28 + ["down"]
    with pytest.raises(InputError, match="changes within a series"):
        spc(df, date="month", value="y", group="org", improvement_column="better")


def test_targets_by_group_mapping_and_missing_target():
    out = spc(two_trusts(), date="month", value="y", group="org", target={"RAA": 0.0})
    last = out.groupby("org").tail(1).set_index("org")
    assert last.loc["RAA", "assurance"] == "consistent_pass"
    assert last.loc["RBB", "assurance"] == "no_target"
    assert last.loc["RBB", "assurance_icon"] == "none"


def test_rebase_per_group():
    df = two_trusts()
    out = spc(df, date="month", value="y", group="org", rebase={"RAA": ["2023-11-01"]})
    assert out.loc[out["org"] == "RAA", "rebase_group"].tolist() == [0] * 7 + [1] * 8
    assert (out.loc[out["org"] == "RBB", "rebase_group"] == 0).all()


def test_missing_values_are_left_out_and_reported():
    df = two_trusts()
    df.loc[3, "y"] = np.nan
    out = spc(df, date="month", value="y", group="org")
    assert len(out) == 28
    assert out.attrs["warnings"] == ["1 row(s) with a missing value left out of the SPC"]


def test_duplicate_dates_in_a_series_are_an_error():
    df = two_trusts()
    with pytest.raises(InputError) as err:
        spc(df, date="month", value="y")  # no group: both trusts collide
    assert err.value.message == "two rows for month=2023-05-01"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fix_after": 11}, "at least 12"),
        ({"rules": "westgard"}, "unknown rule set"),
        ({"improvement": "sideways"}, "not one of increase"),
        ({"run_length": 2}, "from 3 to 12"),
        ({"group": "nope"}, "no column 'nope'"),
    ],
)
def test_bad_options(kwargs, message):
    with pytest.raises(OptionError, match=message):
        spc(two_trusts(), date="month", value="y", **kwargs)


def test_non_numeric_values_are_an_input_error():
    df = two_trusts().astype({"y": object})
    df.loc[2, "y"] = "n/k"
    with pytest.raises(InputError, match="values must be numbers"):
        spc(df, date="month", value="y", group="org")


def test_carry_columns_and_summary():
    df = two_trusts().assign(num=1, den=2)
    out = spc(df, date="month", value="y", group="org", carry=["num", "den"])
    assert out[["num", "den"]].iloc[0].tolist() == [1, 2]
    summary = spc_summary(out)
    assert summary["org"].tolist() == ["RAA", "RBB"]
    assert summary["latest_date"].tolist() == [pd.Timestamp("2024-06-01")] * 2
    assert summary.loc[0, "latest_value"] == 11
    assert summary.loc[0, "summary"].startswith(
        "Latest value 11 (2024-06-01): special cause variation: improving (higher values); the latest point is part of a run"
    )
    assert summary.loc[1, "summary"].endswith("No target set.")


def test_summary_mentions_trial_limits_and_no_variation():
    short = spc(pd.DataFrame({"t": range(5), "y": [1.0, 2, 3, 2, 1]}), date="t", value="y", target=0)
    s = spc_summary(short, min_points=3)
    assert bool(s.loc[0, "trial_limits"])
    assert "Trial limits: only 5 points" in s.loc[0, "summary"]
    plain = spc_summary(short)  # the Making Data Count minimum: no icons for five points
    assert plain.loc[0, "variation_icon"] is None and plain.loc[0, "assurance_icon"] is None
    assert "Only 5 consecutive points: Making Data Count needs 13" in plain.loc[0, "summary"]
    flat = spc_summary(spc(pd.DataFrame({"t": range(15), "y": [3.0] * 15}), date="t", value="y"))
    assert "no variation" in flat.loc[0, "summary"]


def test_summary_needs_spc_output():
    with pytest.raises(OptionError):
        spc_summary(pd.DataFrame({"a": [1]}))
