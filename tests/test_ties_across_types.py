"""Tie order of values equal after rounding: the published Rank orders them within a trust type only.

NHS England publishes each metric's Rank within the trust type, on unrounded values. A metric scored
over several types (community 52-week waits, UCR 2-hour, ...) therefore gets an order for equal
values of one type, and none between types: those share the best position (M25's tie rule).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import framework, inputs, scores
from nhs_oversight.engine import AssessOptions, assess
from nhs_oversight.engine.ranking import competition_rank


def run(data):
    return assess(data, framework(), AssessOptions(cutpoints=(2.0, 2.5, 3.0)))


def test_one_type_cluster_is_ordered_by_its_published_rank():
    # Community 52-week waits (OF0005, lower is better, national pool, no standard), N = 5:
    # 0.00 0.05 0.05 0.05 0.10; the three acute 0.05s hold published ranks 3, 2, 4 -> national 3, 2, 4.
    orgs = [("A1", "acute"), ("A2", "acute"), ("A3", "acute"), ("A4", "acute"), ("M1", "mental_health_community")]
    data = inputs(orgs, {"OF0005": [0.0, 0.05, 0.05, 0.05, 0.10]}, tie_ranks={"OF0005": [1, 3, 2, 4, 1]})
    a = run(data)
    # ranks 1, 3, 2, 4, 5 of 5 -> 1 + 3 (r - 1) / 4
    assert scores(a, "OF0005") == pytest.approx([1.0, 2.5, 1.75, 3.25, 4.0])
    tie = a.metrics.set_index("org_code")["tie_order"]
    assert tie[["A2", "A3", "A4"]].tolist() == ["published rank"] * 3 and tie["A1"] == "" and tie["M1"] == ""


def test_cluster_across_types_orders_each_type_and_ties_between_them():
    # 0.01 held by two mental health trusts (their ranks 11, 12) and one acute trust (rank 18), as
    # RW4, RRE and RH5 in the Q1 files. Only M1 before M2 is known: M1 and A1 share rank 2, M2 is 3.
    orgs = [("A0", "acute"), ("A1", "acute"), ("M1", "mental_health_community"), ("M2", "mental_health_community"), ("A2", "acute")]
    data = inputs(orgs, {"OF0005": [0.0, 0.01, 0.01, 0.01, 0.50]}, tie_ranks={"OF0005": [1, 18, 11, 12, 40]})
    a = run(data)
    # ranks 1, 2, 2, 3, 5 of 5
    assert scores(a, "OF0005") == pytest.approx([1.0, 1.75, 1.75, 2.5, 4.0])
    tie = a.metrics.set_index("org_code")["tie_order"]
    assert tie["A1"] == "tied" and tie["M1"] == "tied" and tie["M2"] == "published rank"
    assert any("share their best rank" in n and "OF0005 2" in n for n in a.notes)


def test_values_that_differ_are_never_reordered_by_published_rank():
    # a published rank that contradicts the values (A2 better value, worse rank) is ignored
    orgs = [("A1", "acute"), ("A2", "acute"), ("A3", "acute")]
    data = inputs(orgs, {"OF0085": [5.0, 6.0, 4.0]}, tie_ranks={"OF0085": [1, 3, 2]})
    assert scores(run(data), "OF0085") == pytest.approx([2.5, 1.0, 4.0])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(1, 6), st.sampled_from(["a", "m", "x"])),
        min_size=1,
        max_size=25,
    )
)
def test_group_tie_rank_counts_better_values_and_same_group_ties_ahead(rows):
    better = np.array([r[0] for r in rows], dtype=float)
    tie = np.array([r[1] for r in rows], dtype=float)
    group = np.array([r[2] for r in rows], dtype=object)
    got = competition_rank(better, tie, group)
    for i in range(len(rows)):
        ahead = sum(1 for j in range(len(rows)) if better[j] > better[i])
        ahead += sum(1 for j in range(len(rows)) if better[j] == better[i] and group[j] == group[i] and tie[j] < tie[i])
        assert got[i] == 1 + ahead
    if len(set(group)) == 1:  # one group: the same as the plain tie-broken ranking
        assert (got == competition_rank(better, tie)).all()
