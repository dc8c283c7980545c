"""Engine helpers used by the uncertainty draws: each agrees with its one-draw counterpart."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nhs_oversight.engine.ranking import competition_rank, competition_rank_rows
from nhs_oversight.engine.segments import CutPoints, league_rank, league_rank_draws, segment_of


def test_competition_rank_rows_by_hand():
    x = np.array([[3.0, 5.0, 5.0, 1.0], [0.25, 0.5, 0.25, 0.5]])
    assert competition_rank_rows(x).tolist() == [[3, 1, 1, 4], [3, 1, 3, 1]]


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 9)), elements=st.sampled_from([-2.5, 0.0, 0.125, 1.0, 7.0, 40000.0])))
def test_competition_rank_rows_equals_row_by_row(x):
    expected = np.array([competition_rank(row) for row in x])
    assert (competition_rank_rows(x) == expected).all()


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, (4, n), elements=st.sampled_from([1.0, 2.0, 3.0, 4.0])),
            arrays(np.float64, (4, n), elements=st.sampled_from([1.0, 1.5, 2.07, 2.5, 3.99])),
            arrays(np.int64, (n,), elements=st.integers(0, 1)),
        )
    )
)
def test_league_rank_draws_equals_league_rank_per_draw(case):
    segment, score, groups = case
    groups = groups.astype(str).astype(object)
    got = league_rank_draws(groups, segment, score)
    for b in range(segment.shape[0]):
        assert (got[b] == league_rank(groups, segment[b], score[b])[0]).all()


def test_segment_of_with_cut_points_per_organisation():
    cuts = CutPoints((2.0, 2.5, 3.0), "fixed", 3, by_group=(("b", (1.0, 1.5, 1.75)),))
    per_org = cuts.for_groups(np.array(["a", "b", "a"], dtype=object))
    assert per_org.tolist() == [[2.0, 2.5, 3.0], [1.0, 1.5, 1.75], [2.0, 2.5, 3.0]]
    scores = np.array([[1.9, 1.9, 2.5], [3.1, 1.0, np.nan]])
    assert np.array_equal(segment_of(scores, per_org), np.array([[1.0, 4.0, 2.0], [4.0, 1.0, np.nan]]), equal_nan=True)
    assert segment_of(np.array([2.5]), (2.0, 2.5, 3.0), upper_inclusive=False).tolist() == [3.0]
    assert "b 1 / 1.5 / 1.75" in cuts.describe()
