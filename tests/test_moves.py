"""Moves: the smallest metric changes that reach an adjacent segment, each checked by the engine.

Population P1 and its scores are worked out in test_explain.py; cut points 2.00 / 2.50 / 3.00.
Values are given to 1 dp, so "just past" another trust's value is 0.1 beyond it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nhs_oversight.engine.whatif import Probe
from nhs_oversight.explain import explain
from nhs_oversight.explain.ladders import ladder
from test_explain_builders import P1, build, rerun, run


def apply(assessment, code, move):
    return rerun(assessment, {(code, c.metric_id): c.to_value for c in move.changes})


def test_single_moves_up_from_segment_3_in_order_of_effort():
    a = run(build(P1))
    better = explain(a, "T3").distance[0]
    assert better.search == "single metrics"
    got = [(c.metric_id, c.from_value, c.to_value) for m in better.moves for c in m.changes]
    # A&E 70.0 -> 75.1 passes T2: rank 1 of 4, score 2.00; average (2.00 + 2.50 + 2.50)/3 = 2.33: segment 2.
    #   effort 5.1 / (80 - 60) = 0.255
    # 12 hours 6.0 -> 3.9 passes T2: rank 2 of 5, score 1.75; (2.67 + 1.75 + 2.50)/3 = 2.31. effort 2.1/8 = 0.2625
    # productivity 3.0 -> 4.1 passes T2: rank 2, 1.75; (2.67 + 2.50 + 1.75)/3 = 2.31. effort 1.1/4 = 0.275
    assert got == [("OF0013", 70.0, 75.1), ("OF0014", 6.0, 3.9), ("OF0085", 3.0, 4.1)]
    first = better.moves[0]
    assert (first.resulting_segment, first.resulting_average) == (2, 2.33)
    assert first.effort == pytest.approx(0.255)
    # T2 falls to rank 2 of 4 on A&E (2.67): its average becomes (2.67 + 1.75 + 1.75)/3 = 2.06, segment 2,
    # so T3 (segment 2, 2.33) ranks 3rd behind T1 and T2
    assert first.resulting_rank == 3
    c = first.changes[0]
    assert (c.from_score, c.to_score, c.from_rank, c.to_rank) == (pytest.approx(8 / 3), 2.0, 2, 1)
    assert c.text == "A&E 4-hour from 70.0% to 75.1% (rank 2 → 1 of 4; score 2.67 → 2.00)"
    assert [m.resulting_average for m in better.moves] == [2.33, 2.31, 2.31]


def test_single_moves_down_to_segment_4():
    a = run(build(P1))
    worse = explain(a, "T3").distance[1]
    # Segment 4 needs an average of 3.01 or more. A&E at its worst (rank 4 of 4, 4.00) gives
    # (4.00 + 2.50 + 2.50)/3 = 3.00: not enough. 12 hours past T5 (10.1, rank 5, 4.00):
    # (2.67 + 4.00 + 2.50)/3 = 3.06; past T4 only (8.1, 3.25) gives 2.81. Productivity below T5
    # (0.9, 4.00) likewise. Efforts 4.1/8 = 0.5125 and 2.1/4 = 0.525.
    got = [(c.metric_id, c.to_value) for m in worse.moves for c in m.changes]
    assert got == [("OF0014", 10.1), ("OF0085", 0.9)]
    assert [(m.resulting_segment, m.resulting_average) for m in worse.moves] == [(4, 3.06), (4, 3.06)]


def test_pairs_when_no_single_metric_can_do_it():
    # T2 is flagged (segment 1 capped at 3). Segment 4 needs its average from 1.83 to 3.01 or more:
    # a sum of scores of at least 9.015. No single metric can: at most 4.00 + 1.75 + 1.75 = 7.5.
    # Pairs (A&E ladder 69.9 -> 2.67, 64.9 -> 3.33, 59.9 -> 4.00; 12 hours 6.1 -> 2.50, 8.1 -> 3.25,
    # 10.1 -> 4.00; productivity 2.9 -> 2.50, 1.9 -> 3.25, 0.9 -> 4.00):
    #   A&E 64.9 + 12 hours 10.1: 3.33 + 4.00 + 1.75 = 9.08, effort 10.1/20 + 6.1/8 = 1.2675
    #   A&E 64.9 + productivity 0.9: 3.33 + 1.75 + 4.00 = 9.08, effort 0.505 + 3.1/4 = 1.28
    #   12 hours 8.1 + productivity 0.9 (or 10.1 + 1.9): 2.00 + 3.25 + 4.00 = 9.25, effort 1.2875
    #   (A&E 59.9 + 12 hours 8.1 gives 4.00 + 3.25 + 1.75 = 9.00: 3.00, not enough)
    a = run(build(P1, financial=[0.0, 1.0, 0.0, 0.0, 0.0]))
    worse = explain(a, "T2").distance[1]
    assert worse.target_segment == 4 and worse.search == "pairs of metrics"
    got = [sorted((c.metric_id, c.to_value) for c in m.changes) for m in worse.moves]
    assert got[0] == [("OF0013", 64.9), ("OF0014", 10.1)]
    assert got[1] == [("OF0013", 64.9), ("OF0085", 0.9)]
    assert got[2] in ([("OF0014", 8.1), ("OF0085", 0.9)], [("OF0014", 10.1), ("OF0085", 1.9)])
    assert [m.effort for m in worse.moves] == pytest.approx([1.2675, 1.28, 1.2875])
    assert worse.moves[0].resulting_average == 3.03 and worse.moves[0].resulting_segment == 4


def test_score_only_inputs_move_by_band_after_value_moves():
    # B: productivity 2.0 (rank 2 of 3: 2.50) and SHMI band 3: average 2.75, segment 3.
    # Productivity past A (3.1): 1.00, average 2.00: segment 1 (at or below 2.00). SHMI to As expected (2):
    # average 2.25: segment 2. Value moves are offered first, band moves after.
    a = run(build({"OF0085": [3.0, 2.0, 1.0], "OF0046": [2.0, 3.0, 2.0]}))
    better = explain(a, "T2").distance[0]
    assert [c.metric_id for m in better.moves for c in m.changes] == ["OF0085", "OF0046"]
    band = better.moves[1].changes[0]
    assert band.kind == "band" and (band.from_value, band.to_value) == (3.0, 2.0)
    assert band.text.startswith("SHMI from Higher than expected (3) to As expected (2)")
    assert (better.moves[0].resulting_segment, better.moves[1].resulting_segment) == (1, 2)


def test_finance_moves_through_the_matrix():
    # Planned surplus/deficit (OF0079) and variance to plan (OF0081) are not averaged: they move the
    # combined finance score (OF0080) through the matrix. T3: A&E 70.0 is rank 2 of the 2 below 78%
    # (4.00); plan -2.5% (band 4) and variance -1.5% (band 4) give matrix cell (4, 4) = 4. Average
    # (4.00 + 4)/2 = 4.00: segment 4. Segment 3 needs 3.00 or less, a sum of 6 or less.
    #   A&E past T2 (75.1): 2.00, average 3.00. Effort 5.1 / (80 - 70) = 0.51.
    #   Variance: -0.9 is band 3, cell (4, 3) = 4; -0.4 band 2, cell (4, 2) = 3: average 3.50; 0.0 band 1,
    #   cell (4, 1) = 2: average 3.00. Effort 1.5 / (0.5 - -1.5) = 0.75.
    #   Plan: even band 1 (0.0) gives cell (1, 4) = 3: average 3.50, not enough.
    a = run(build({"OF0013": [80.0, 75.0, 70.0], "OF0079": [1.0, -1.5, -2.5], "OF0081": [0.5, 0.0, -1.5]}))
    e = explain(a, "T3")
    assert (e.average_score, e.final_segment) == (4.0, 4)
    better = e.distance[0]
    assert [(c.metric_id, c.to_value) for m in better.moves for c in m.changes] == [("OF0013", 75.1), ("OF0081", 0.0)]
    assert [m.effort for m in better.moves] == pytest.approx([0.51, 0.75])
    assert better.moves[1].changes[0].text == "Variance to financial plan from -1.5% to 0.0% (score 4.00 → 1.00; Combined finance 4 → 2)"
    assert e.distance[1].reason.startswith("Already in segment 4")
    lines = {m.metric_id: m for m in e.metrics}
    assert lines["OF0080"].rule_text.startswith("combined from Planned surplus/deficit score 4 (matrix row) and Variance to financial plan score 4")
    assert lines["OF0079"].contribution is None and not lines["OF0079"].in_average


# ----------------------------------------------------------------------------- properties
VAL = st.integers(min_value=0, max_value=1000).map(lambda v: v / 10)
METRICS = ["OF0013", "OF0014", "OF0023", "OF0003", "OF0085"]


@st.composite
def populations(draw):
    n = draw(st.integers(min_value=3, max_value=9))
    values = {m: draw(st.lists(st.one_of(st.none(), VAL), min_size=n, max_size=n)) for m in METRICS}
    for i in range(n):
        if all(values[m][i] is None for m in METRICS):
            values["OF0023"][i] = draw(VAL)
    values["OF0046"] = draw(st.lists(st.sampled_from([1.0, 2.0, 3.0, None]), min_size=n, max_size=n))
    flags = draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n))
    rsp = draw(st.lists(st.sampled_from([0.0, 0.0, 0.0, 1.0]), min_size=n, max_size=n))
    c1 = draw(st.sampled_from([1.6, 1.8, 2.0, 2.2]))
    cuts = (c1, c1 + draw(st.sampled_from([0.2, 0.35, 0.5])), c1 + 0.9)
    who = draw(st.integers(min_value=0, max_value=n - 1))
    return values, flags, rsp, tuple(round(c, 2) for c in cuts), f"T{who + 1}"


FAST = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THOROUGH = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(populations())
def test_every_move_reaches_its_segment_and_is_the_smallest_step(pop):
    check_moves(pop)


@pytest.mark.slow
@THOROUGH
@given(populations())
def test_every_move_reaches_its_segment_thoroughly(pop):
    check_moves(pop)


def check_moves(pop):
    values, flags, rsp, cuts, code = pop
    a = run(build(values, financial=flags, rsp=rsp), cuts=cuts)
    e = explain(a, code)
    assert sum(m.contribution for m in e.metrics if m.contribution is not None) == pytest.approx(0, abs=1e-9)
    assert sum(m.share for m in e.metrics if m.share is not None) == pytest.approx(e.average_score_unrounded, abs=1e-9)
    probe = Probe(a, code)
    for d in e.distance:
        for move in d.moves:
            after = apply(a, code, move).org(code)
            assert int(after["final_segment"]) == move.resulting_segment
            assert float(after["average_score"]) == move.resulting_average
            if d.direction == "better":
                assert move.resulting_segment <= d.target_segment
            else:
                assert move.resulting_segment >= d.target_segment
            if len(move.changes) == 1:  # one candidate nearer does not reach the segment
                c = move.changes[0]
                lad = ladder(probe, a.framework.metric(c.metric_id), d.direction)
                k = int(np.flatnonzero(np.isclose(lad.candidates, c.to_value))[0])
                nearer = lad.current if k == 0 else float(lad.candidates[k - 1])
                before = rerun(a, {(code, c.metric_id): nearer}).org(code)
                reached = int(before["final_segment"]) <= d.target_segment if d.direction == "better" else int(before["final_segment"]) >= d.target_segment
                assert not reached, (c.metric_id, nearer, c.to_value)
        if not d.reachable:
            assert d.moves == ()


@FAST
@given(populations())
def test_no_single_move_is_missed(pop):
    """When pairs are offered, really no single metric at its farthest candidate reaches the segment."""
    check_no_single(pop)


@pytest.mark.slow
@THOROUGH
@given(populations())
def test_no_single_move_is_missed_thoroughly(pop):
    check_no_single(pop)


def check_no_single(pop):
    values, flags, rsp, cuts, code = pop
    a = run(build(values, financial=flags, rsp=rsp), cuts=cuts)
    e = explain(a, code)
    probe = Probe(a, code)
    for d in e.distance:
        if d.search != "pairs of metrics":
            continue
        for line in e.metrics:
            if not line.movable:
                continue
            lad = ladder(probe, a.framework.metric(line.metric_id), d.direction)
            if lad is None:
                continue
            after = rerun(a, {(code, line.metric_id): float(lad.candidates[-1])}).org(code)
            seg = int(after["final_segment"])
            assert (seg > d.target_segment) if d.direction == "better" else (seg < d.target_segment)


# ------------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def acute(acute_q1):
    import nhs_oversight as no

    return no.assess(no.read_inputs([acute_q1]))


@pytest.fixture(scope="module")
def explained(acute):
    cache = {}
    return lambda code: cache.setdefault(code, explain(acute, code))


@pytest.mark.parametrize("code", ["R0A", "RBL", "RAN", "RA2"])
def test_real_moves_hold_when_the_engine_is_re_run(acute, explained, code):
    e = explained(code)
    assert e.search["unconfirmed"] == 0
    for d in e.distance:
        for move in d.moves:
            after = apply(acute, code, move).org(code)
            assert int(after["final_segment"]) == move.resulting_segment
            assert float(after["average_score_unrounded"]) == pytest.approx(move.resulting_average_unrounded, abs=1e-12)
            for c in move.changes:
                assert c.metric_id not in {"OF0005", "OF0041", "OF0057", "OF0082"}  # published stand-ins are never offered


def test_real_moves_of_an_ordinary_trust(explained):
    # R0A: average 2.41 (segment 3); segment 2 needs 2.32 or below. Meeting the 78% A&E standard
    # (score 3.11 -> 1.00, entering the average at 2 dp) lowers the sum by 2.11 over a weight of 19:
    # 2.4137 - 0.1111 = 2.30.
    e = explained("R0A")
    better = e.distance[0]
    assert better.average_needed == 2.32 and better.target_segment == 2
    ae = [m for m in better.moves if m.changes[0].metric_id == "OF0013"]
    assert ae and ae[0].changes[0].to_value == 78.0 and ae[0].resulting_average == 2.30
    assert ae[0].changes[0].to_rule == "meets standard"
