"""Gaps between periods are gaps: runs of consecutive points, and icons only from 13 of them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from nhs_oversight.render.spc_chart import spc_chart
from nhs_oversight.stats.spc import spc, spc_summary
from nhs_oversight.stats.spc.gaps import MIN_POINTS_FOR_ICONS, consecutive_run, gap_before


def test_a_missing_quarter_is_a_gap():
    q = pd.Series(["2023/24 Q3", "2023/24 Q4", "2024/25 Q2", "2024/25 Q3"])
    new = np.array([True, False, False, False])
    assert gap_before(q, new).tolist() == [False, False, True, False]
    assert consecutive_run(gap_before(q, new), new).tolist() == [1, 2, 1, 2]


def test_months_days_and_years():
    months = pd.Series(pd.to_datetime(["2024-01-01", "2024-02-01", "2024-04-01", "2024-05-01"]))
    assert gap_before(months, np.array([1, 0, 0, 0], bool)).tolist() == [False, False, True, False]
    quarters = pd.Series(pd.to_datetime(["2024-01-01", "2024-04-01", "2024-07-01", "2025-01-01"]))
    assert gap_before(quarters, np.array([1, 0, 0, 0], bool)).tolist() == [False, False, False, True]
    years = pd.Series([2019, 2020, 2022])
    assert gap_before(years, np.array([1, 0, 0], bool)).tolist() == [False, False, True]
    text = pd.Series(["a", "b", "d"])  # no known scale: no gaps claimed
    assert not gap_before(text, np.array([1, 0, 0], bool)).any()


def test_a_new_series_is_not_a_gap():
    q = pd.Series(["2024/25 Q1", "2024/25 Q2", "2022/23 Q1", "2022/23 Q2"])
    new = np.array([True, False, True, False])
    assert not gap_before(q, new).any()
    assert consecutive_run(np.zeros(4, bool), new).tolist() == [1, 2, 1, 2]


@given(st.lists(st.booleans(), min_size=1, max_size=40))
def test_run_length_counts_back_to_the_last_break(breaks):
    gap = np.array(breaks)
    gap[0] = False
    new = np.zeros(len(gap), bool)
    new[0] = True
    run = consecutive_run(gap, new)
    for i in range(len(gap)):
        k = i
        while k > 0 and not gap[k]:
            k -= 1
        assert run[i] == i - k + 1


def _series(n_before: int, n_after: int) -> pd.DataFrame:
    """Quarters with one missing between the two runs."""
    q = [f"{2010 + i // 4}/{(11 + i // 4) % 100:02d} Q{i % 4 + 1}" for i in range(n_before + 1 + n_after)]
    del q[n_before]
    rng = np.random.default_rng(3)
    return pd.DataFrame({"q": q, "y": rng.normal(10, 1, len(q))})


def test_icons_need_thirteen_consecutive_points_after_the_last_gap():
    s = spc_summary(spc(_series(20, 12), date="q", value="y"))
    assert int(s.loc[0, "consecutive"]) == 12 and int(s.loc[0, "gaps"]) == 1
    assert not s.loc[0, "icons"] and s.loc[0, "variation_icon"] is None
    assert "Only 12 consecutive points since a gap (of 32 in all)" in s.loc[0, "summary"]
    s = spc_summary(spc(_series(5, MIN_POINTS_FOR_ICONS), date="q", value="y"))
    assert s.loc[0, "icons"] and s.loc[0, "variation_icon"] == "common_cause"


def test_the_chart_breaks_the_line_at_the_gap_and_shows_no_icon_for_a_short_run():
    pts = spc(_series(4, 3), date="q", value="y")
    spec = spc_chart(pts, spc_summary(pts)).to_dict()
    text = json.dumps(spec)
    assert '"detail": {"field": "run"' in text
    rows = next(v for k, v in spec["datasets"].items())
    assert sorted({r["run"] for r in rows}) == [0, 1]
    assert "data:image/svg+xml" not in text and "too few" in text
