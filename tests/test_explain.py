"""The explanation of one trust's segment: steps, metrics, contributions, domains and peers.

Population P1 (tests/test_explain_builders.py), cut points fixed at 2.00 / 2.50 / 3.00:

    trust  A&E 4-hour (OF0013)        12 hours (OF0014)     productivity (OF0085)
    T1     80.0 meets 78: 1.00        2.0  rank 1: 1.00     5.0 rank 1: 1.00
    T2     75.0 rank 1 of 4: 2.00     4.0  rank 2: 1.75     4.0 rank 2: 1.75
    T3     70.0 rank 2 of 4: 2.67     6.0  rank 3: 2.50     3.0 rank 3: 2.50
    T4     65.0 rank 3 of 4: 3.33     8.0  rank 4: 3.25     2.0 rank 4: 3.25
    T5     60.0 rank 4 of 4: 4.00     10.0 rank 5: 4.00     1.0 rank 5: 4.00

A&E: the ranked group is the four below 78%, score 2 + 2(r-1)/3 (2.666.. enters the average as
2.67). The others: 1 + 3(r-1)/4. T3's average = (2.67 + 2.50 + 2.50)/3 = 7.67/3 = 2.556667 ->
2.56, above 2.50 and at or below 3.00: segment 3. League: T1 1.00 (seg 1), T2 5.5/3 = 1.83
(seg 1), T3 2.56 (seg 3), T4 9.83/3 = 3.28 (seg 4), T5 4.00 (seg 4): ranks 1-5.
"""

from __future__ import annotations

import json

import pytest

from nhs_oversight.errors import OptionError
from nhs_oversight.explain import explain
from test_explain_builders import P1, build, run


@pytest.fixture(scope="module")
def p1():
    return run(build(P1))


def test_headline_and_steps_of_a_plain_segment_3(p1):
    e = explain(p1, "T3")
    assert (e.final_segment, e.unadjusted_segment, e.adjusted_segment) == (3, 3, 3)
    assert e.average_score == 2.56
    assert e.average_score_unrounded == pytest.approx(7.67 / 3, abs=1e-12)
    assert e.headline.startswith("Segment 3. Its metric scores place it in segment 3 (average 2.56, at or below the cut point 3.00)")
    assert "ranks 3 of 5 acute trusts" in e.headline
    names = [s.name for s in e.steps]
    assert names == ["average", "cut_points", "unadjusted_segment", "financial_override", "recovery_support", "league_rank"]
    steps = {s.name: s for s in e.steps}
    assert steps["cut_points"].figures["values"] == [2.0, 2.5, 3.0]
    assert steps["cut_points"].figures["method"] == "fixed"
    assert steps["financial_override"].figures == {
        "flag": 0, "flag_id": "OF5004", "input_row": "hand.csv:flag T3", "applied": False, "segment_before": 3, "segment_after": 3,
    }
    assert steps["recovery_support"].figures["input_row"] == "hand.csv:rsp T3"
    assert steps["league_rank"].figures["rank"] == 3 and steps["league_rank"].figures["rank_of"] == 5


def test_metric_lines_name_the_rule_the_row_and_the_contribution(p1):
    e = explain(p1, "T3")
    m = {line.metric_id: line for line in e.metrics}
    assert set(m) == {"OF0013", "OF0014", "OF0085"}
    ae = m["OF0013"]
    assert ae.value == 70.0 and ae.value_text == "70.0%"
    assert (ae.rank, ae.group_size, ae.population_size, ae.population) == (2, 4, 5, "acute")
    assert ae.rule_text == (
        "ranked 2 of 4 acute trusts not meeting the standard (at or above 78%): 2 + 2 × (2 − 1)/(4 − 1) = 2.67"
    )
    assert ae.input_row.startswith("hand.csv:row ")
    avg = 7.67 / 3
    # contribution = w (x - avg) / sum(w): A&E enters at 2.67, the others at 2.50; weights 1, sum 3
    assert ae.contribution == pytest.approx((2.67 - avg) / 3, abs=1e-12)
    assert m["OF0014"].contribution == pytest.approx((2.50 - avg) / 3, abs=1e-12)
    assert ae.share == pytest.approx(2.67 / 3, abs=1e-12)
    assert sum(x.contribution for x in e.metrics) == pytest.approx(0, abs=1e-12)
    assert sum(x.share for x in e.metrics) == pytest.approx(avg, abs=1e-12)
    t1 = {line.metric_id: line for line in explain(p1, "T1").metrics}
    assert t1["OF0013"].rule_text == "meets the standard (at or above 78%): scores 1.00"


def test_distance_to_adjacent_segments(p1):
    e = explain(p1, "T3")
    better, worse = e.distance
    # segment 2 needs a 2-dp average at or below 2.50; segment 4 needs one above 3.00, i.e. 3.01
    assert (better.target_segment, better.cut_point, better.average_needed) == (2, 2.5, 2.5)
    assert better.average_change == pytest.approx(-0.06)
    assert (worse.target_segment, worse.cut_point, worse.average_needed) == (4, 3.0, 3.01)
    assert worse.average_change == pytest.approx(0.45)


def test_peers_are_the_neighbours_in_the_league_table(p1):
    e = explain(p1, "T3")
    assert [(p.position, p.org_code, p.rank) for p in e.peers] == [("above", "T1", 1), ("above", "T2", 2), ("below", "T4", 4), ("below", "T5", 5)]
    assert e.peers[1].average_score == 1.83 and e.peers[1].final_segment == 1


def test_financial_override_caps_segment_1_at_3():
    # T2 is flagged: its scores give segment 1 (1.83 <= 2.00), the override moves it to 3
    a = run(build(P1, financial=[0.0, 1.0, 0.0, 0.0, 0.0]))
    e = explain(a, "T2")
    assert (e.unadjusted_segment, e.final_segment) == (1, 3)
    assert e.headline.startswith(
        "Segment 3. On its metric scores alone the trust would be in segment 1 (average 1.83, at or below the cut point 2.00), "
        "but it reports a deficit or receives deficit support, which caps it at segment 3."
    )
    step = {s.name: s for s in e.steps}["financial_override"]
    assert step.figures["applied"] is True and step.figures["input_row"] == "hand.csv:flag T2"
    assert "segment 1 is capped at segment 3" in step.text
    better = e.distance[0]
    assert better.direction == "better" and not better.reachable and better.moves == ()
    assert "caps it at segment 3 whatever its metric scores" in better.reason


def test_recovery_support_is_segment_5_and_no_metric_moves_it():
    a = run(build(P1, rsp=[0.0, 0.0, 0.0, 1.0, 0.0]))
    e = explain(a, "T4")
    assert (e.final_segment, e.adjusted_segment, e.unadjusted_segment) == (5, 4, 4)
    assert e.headline.startswith("Segment 5. The trust is in the Recovery Support Programme")
    assert "segment 4 (average 3.28, above the cut point 3.00)" in e.headline
    assert len(e.distance) == 1 and e.distance[0].target_segment is None and not e.distance[0].reachable
    assert "programme decision" in e.distance[0].reason
    assert e.moves == ()


def test_segment_1_has_no_better_segment(p1):
    e = explain(p1, "T1")
    assert e.final_segment == 1
    assert e.distance[0].reason == "Already in segment 1, the best segment."
    assert e.distance[0].moves == ()


def test_unknown_organisation_lists_near_matches(p1):
    with pytest.raises(OptionError) as err:
        explain(p1, "T9")
    assert "'T9' is not in the input (5 organisations)" in str(err.value)
    assert "did you mean" in str(err.value) and "T1" in str(err.value)
    assert explain(p1, " t3 ").org_code == "T3"  # case and spaces do not matter


REQUIRED = {
    "final_segment", "average_score", "metrics", "moves", "steps", "distance", "domains", "peers", "provenance", "headline",
}


def test_json_has_the_documented_fields(p1):
    d = json.loads(json.dumps(explain(p1, "T3").to_dict()))
    assert set(d) >= REQUIRED
    assert {"metric_id", "value", "score", "rule", "input_row", "contribution", "share", "weight"} <= set(d["metrics"][0])
    move = d["moves"][0]
    assert {"changes", "resulting_segment", "resulting_average", "direction", "target_segment"} <= set(move)
    assert {"metric_id", "from", "to"} <= set(move["changes"][0])
    assert d["provenance"]["dataset"] == "TEST" and d["provenance"]["period"] == "2025/26 Q1"
    assert {"direction", "target_segment", "average_needed", "average_change", "cut_point", "moves"} <= set(d["distance"][0])


def test_text_and_markdown_say_the_same_things(p1):
    e = explain(p1, "T3")
    text, md = e.to_text(), e.to_markdown()
    for fragment in ("Segment 3.", "How the segment was reached", "A&E 4-hour from 70.0% to 75.1%", "[TEST DATA]", "hand.csv"):
        assert fragment in text
    assert "| Metric | Name | Value |" in md and "## How the segment was reached" in md
    assert "A&E 4-hour from 70.0% to 75.1%" in md


# --------------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def acute(acute_q1):
    import nhs_oversight as no

    return no.assess(no.read_inputs([acute_q1]))


def test_real_override_trust(acute):
    # RA2: average 2.03 is segment 1 on scores; in deficit (OF5004 = 1) so segment 3
    e = explain(acute, "RA2")
    assert (e.unadjusted_segment, e.adjusted_segment, e.final_segment, e.average_score) == (1, 3, 3, 2.03)
    assert "caps it at segment 3" in e.headline
    assert {s.name: s for s in e.steps}["financial_override"].figures["input_row"].startswith("nof-2025-26-q1-acute.csv:row ")
    assert not e.distance[0].reachable and e.distance[0].moves == ()
    worse = e.distance[1]
    assert worse.target_segment == 4 and worse.cut_point == pytest.approx(2.605) and worse.average_needed == 2.61


def test_real_segment_5_trust(acute):
    e = explain(acute, "RAJ")
    assert (e.final_segment, e.adjusted_segment, e.average_score) == (5, 4, 2.91)
    assert "Recovery Support Programme" in e.headline and e.moves == ()


def test_real_segment_1_trust_and_published_stand_ins(acute):
    e = explain(acute, "RAN")
    assert e.final_segment == 1 and e.rank == 2
    assert e.distance[0].reason == "Already in segment 1, the best segment."
    r0a = explain(acute, "R0A")
    offered = {n["metric_id"] for n in r0a.not_offered}
    assert {"OF0005", "OF0041", "OF0057", "OF0082", "OF0080"} == offered  # pooled published scores and the matrix
    lines = {m.metric_id: m for m in r0a.metrics}
    assert lines["OF0005"].score_source == "published" and not lines["OF0005"].movable
    assert sum(m.contribution for m in r0a.metrics if m.contribution is not None) == pytest.approx(0, abs=1e-12)
    assert sum(m.share for m in r0a.metrics if m.share is not None) == pytest.approx(r0a.average_score_unrounded, abs=1e-12)
    assert lines["OF0013"].value_text == "71.1%" and lines["OF0013"].score_2dp == 3.11


# ------------------------------------------------------------------------- method variants
@pytest.fixture(scope="module")
def national():
    import nhs_oversight as no

    return no.synthetic_inputs("2025/26 Q1")


def test_within_type_cut_points_are_the_trusts_own(national):
    import nhs_oversight as no
    from nhs_oversight.engine import assess

    fw = no.load_framework()
    by_type = fw.variant("by-type", segmentation={**fw.segmentation.model_dump(), "population": "trust_type"})
    a = assess(national, by_type)
    own = dict(a.cutpoints["overall"].by_group)["mental_health_community"]
    code = a.summary[a.summary["trust_type"] == "mental_health_community"]["org_code"].iloc[0]
    e = explain(a, code, max_moves=1)
    step = {s.name: s for s in e.steps}["cut_points"]
    assert step.figures["values"] == list(own)
    assert "quartiles of the 61 mental health and community trusts' averages" in step.text
    for d in e.distance:
        if d.cut_point is not None:
            assert d.cut_point in own
        for m in d.moves:  # confirmed with the trust type's own cut points
            assert (m.resulting_segment <= d.target_segment) if d.direction == "better" else (m.resulting_segment >= d.target_segment)


def test_contributions_follow_an_average_of_domains(national):
    # With the average taken over domain scores, each metric's effective weight is its weight within
    # its domain divided by the number of domains: shares still sum to the engine's average.
    import nhs_oversight as no
    from nhs_oversight.engine import assess

    fw = no.load_framework()
    a = assess(national, fw.variant("domains", average={"of": "domains", "minimum_metrics": 5}))
    e = explain(a, "Z03", max_moves=0)
    assert sum(m.share for m in e.metrics if m.share is not None) == pytest.approx(e.average_score_unrounded, abs=1e-12)
    assert sum(m.contribution for m in e.metrics if m.contribution is not None) == pytest.approx(0, abs=1e-12)
    people = [m for m in e.metrics if m.domain == "people" and m.effective_weight is not None]
    n_domains = len({m.domain for m in e.metrics if m.effective_weight is not None})
    assert sum(m.effective_weight for m in people) == pytest.approx(1 / n_domains)
