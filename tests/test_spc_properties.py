"""Property tests: the vectorised engine against the literal per-series reference, and invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from nhs_oversight.stats.spc import spc
from reference_spc import spc_one

# Values on a coarse grid make ties, points on the mean and equal neighbours common, which is
# where rule implementations usually disagree.
values = st.lists(st.integers(-6, 6).map(lambda v: v / 2), min_size=1, max_size=40)
directions = st.sampled_from(["increase", "decrease", "neutral"])
DIRECTION = {"increase": 1, "decrease": -1, "neutral": 0}
FAST = settings(max_examples=80, deadline=None)
GROUPED = settings(max_examples=40, deadline=None)


def frame(y) -> pd.DataFrame:
    return pd.DataFrame({"t": range(len(y)), "y": y})


@FAST
@given(
    y=values,
    direction=directions,
    rules=st.sampled_from(["ptd", "mdc2023"]),
    screen=st.booleans(),
    run=st.integers(5, 8),
    trend=st.integers(5, 8),
    fix=st.one_of(st.none(), st.integers(12, 20)),
    rebase=st.lists(st.integers(1, 39), max_size=2),
    target=st.one_of(st.none(), st.integers(-4, 4)),
)
def test_engine_matches_the_per_series_reference(y, direction, rules, screen, run, trend, fix, rebase, target):
    out = spc(
        frame(y), date="t", value="y", improvement=direction, rules=rules, screen_outliers=screen,
        run_length=run, trend_length=trend, fix_after=fix, rebase=rebase or None,
        target=None if target is None else float(target),
    )
    ref = spc_one(
        y, DIRECTION[direction], rebase_at=rebase, fix_after=fix, screen=screen, rules=rules,
        run_length=run, trend_length=trend, target=None if target is None else float(target),
    )
    assert out["special_cause"].tolist() == ref["special_cause"]
    assert out["point_type"].tolist() == ref["point_type"]
    np.testing.assert_allclose(out["mean"], ref["mean"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out["lpl"], ref["lpl"], rtol=1e-12, atol=1e-12, equal_nan=True)
    np.testing.assert_allclose(out["upl"], ref["upl"], rtol=1e-12, atol=1e-12, equal_nan=True)
    assert out["variation_icon"].iloc[0] == ref["variation_icon"]
    assert out["assurance"].iloc[0] == ref["assurance"]


@FAST
@given(y=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=40), screen=st.booleans())
def test_limits_are_symmetric_about_the_mean(y, screen):
    out = spc(frame(y), date="t", value="y", screen_outliers=screen)
    width_up = out["upl"] - out["mean"]
    width_down = out["mean"] - out["lpl"]
    np.testing.assert_allclose(width_up, width_down, rtol=1e-9, atol=1e-6)
    assert (width_up >= 0).all()


@FAST
@given(v=st.floats(-1e9, 1e9, allow_nan=False), n=st.integers(1, 40), direction=directions)
def test_constant_series_flags_nothing(v, n, direction):
    out = spc(frame([v] * n), date="t", value="y", improvement=direction, target=0.0)
    assert (out["special_cause"] == "Common Cause").all()
    assert (out["variation_icon"] == "common_cause").all()
    if n > 1:
        assert out["no_variation"].all()


@st.composite
def grouped_tables(draw):
    n_groups = draw(st.integers(1, 5))
    rows = []
    for g in range(n_groups):
        ys = draw(st.lists(st.integers(0, 8), min_size=1, max_size=25))
        days = draw(st.permutations(range(len(ys))))
        rows += [{"org": f"R{g}", "metric": "m" if g % 2 else "k", "day": d, "y": float(v)} for d, v in zip(days, ys, strict=True)]
    df = pd.DataFrame(rows)
    return df.sample(frac=1, random_state=draw(st.integers(0, 1000))).reset_index(drop=True)


@GROUPED
@given(df=grouped_tables(), seed=st.integers(0, 1000))
def test_row_order_does_not_matter(df, seed):
    a = spc(df, date="day", value="y", group=["org", "metric"])
    b = spc(df.sample(frac=1, random_state=seed), date="day", value="y", group=["org", "metric"])
    pd.testing.assert_frame_equal(a, b)


@GROUPED
@given(df=grouped_tables(), direction=directions)
def test_grouped_call_equals_per_group_calls(df, direction):
    together = spc(df, date="day", value="y", group=["org", "metric"], improvement=direction, target=4.0)
    for (org, metric), part in df.groupby(["org", "metric"]):
        alone = spc(part.drop(columns=["org", "metric"]), date="day", value="y", improvement=direction, target=4.0)
        mine = together[(together["org"] == org) & (together["metric"] == metric)].drop(columns=["org", "metric"])
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), alone.reset_index(drop=True))
