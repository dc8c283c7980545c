"""Hand-computed cases for every scoring variant of the 2025/26 method.

Formula (M25, verified on the published data): the ranked group excludes trusts meeting a standard
(1.00) or failing a floor (4.00); competition ranks r = 1..N best to worst; score = low + (high - low)
* (r - 1) / (N - 1) with (low, high) = (1, 4) no bookend, (2, 4) with a standard, (1, 3) with a floor.
"""

from __future__ import annotations

import numpy as np
import pytest

from builders import framework, inputs, scores
from nhs_oversight.engine import AssessOptions, assess
from nhs_oversight.engine.ranking import competition_rank
from nhs_oversight.engine.rounding import round_half_up

ACUTE = "acute"
FIVE = [(f"A{i}", ACUTE) for i in range(1, 6)]


def run(data, **opts):
    return assess(data, framework(), AssessOptions(cutpoints=(2.0, 2.5, 3.0), **opts))


def test_variant_a_higher_is_better_with_ties():
    # RTT 18 weeks (OF0023), higher is better, no standard. Values 90, 80, 80, 70, 60:
    # competition ranks 1, 2, 2, 4, 5 of N = 5 -> 1 + 3 * (r - 1) / 4 = 1, 1.75, 1.75, 3.25, 4.
    a = run(inputs(FIVE, {"OF0023": [90, 80, 80, 70, 60]}))
    assert scores(a, "OF0023") == pytest.approx([1.0, 1.75, 1.75, 3.25, 4.0])


def test_variant_a_lower_is_better_zeros_share_best_score():
    # A&E 12 hours (OF0014), lower is better: 0, 0, 1, 5 -> ranks 1, 1, 3, 4 of 4 -> 1, 1, 3, 4.
    a = run(inputs(FIVE[:4], {"OF0014": [0, 0, 1, 5]}))
    assert scores(a, "OF0014") == pytest.approx([1.0, 1.0, 3.0, 4.0])


def test_variant_b_standard_is_inclusive_for_four_hours():
    # 4-hour standard 78% (>=): 85 and 78.0 meet (1.00); 77.9, 70, 60 ranked 1..3 of 3 -> 2, 3, 4.
    a = run(inputs(FIVE, {"OF0013": [85, 78.0, 77.9, 70, 60]}))
    assert scores(a, "OF0013") == pytest.approx([1.0, 1.0, 2.0, 3.0, 4.0])
    rows = a.metrics.set_index("org_code")
    assert rows.loc["A1", "rule"] == "meets standard"
    assert rows.loc["A3", "group_size"] == 3 and rows.loc["A3", "rank"] == 1


def test_variant_b_strict_standard_for_52_weeks():
    # 52-week waits standard < 1%: 0.99 meets, 1.00 and above are ranked (lower is better).
    a = run(inputs(FIVE[:4], {"OF0003": [0.99, 1.0, 2.0, 4.0]}))
    assert scores(a, "OF0003") == pytest.approx([1.0, 2.0, 3.0, 4.0])


def test_variant_c_floor():
    # UCR 2-hour floor 70% (< fails = 4.00); 95, 90, 80 ranked 1..3 of 3 -> 1 + 2*(r-1)/2 = 1, 2, 3.
    a = run(inputs(FIVE, {"OF0057": [95, 90, 80, 69.9, 0]}))
    assert scores(a, "OF0057") == pytest.approx([1.0, 2.0, 3.0, 4.0, 4.0])


def test_single_member_group_gets_best_score_of_its_band():
    a = run(inputs(FIVE[:2], {"OF0013": [90, 60]}))
    assert scores(a, "OF0013") == pytest.approx([1.0, 2.0])


def test_published_rank_breaks_ties_between_equal_rounded_values():
    # Equal published values 5.00 and 5.00 ranked 2 and 1 by NHS England on unrounded values:
    # A2 is ahead, so ranks are 2, 1, 3 of 3 -> scores 2.5, 1.0, 4.0.
    data = inputs(FIVE[:3], {"OF0085": [5.0, 5.0, 4.0]}, tie_ranks={"OF0085": [2.0, 1.0, 3.0]})
    assert scores(run(data), "OF0085") == pytest.approx([2.5, 1.0, 4.0])
    # without published ranks the two tie
    data = inputs(FIVE[:3], {"OF0085": [5.0, 5.0, 4.0]})
    assert scores(run(data), "OF0085") == pytest.approx([1.0, 1.0, 4.0])


def test_finance_bands_at_their_edges():
    # plan: >= 0 -> 1; > -1 -> 2; > -2 -> 3; else 4
    orgs = [(f"F{i}", ACUTE) for i in range(7)]
    plan = [0.5, 0.0, -0.92, -1.0, -1.97, -2.0, -2.03]
    var = [0.0, -0.47, -0.5, -0.52, -0.95, -1.0, -1.01]
    a = run(inputs(orgs, {"OF0079": plan, "OF0081": var}))
    assert scores(a, "OF0079") == [1, 1, 2, 3, 3, 4, 4]
    assert scores(a, "OF0081") == [1, 2, 3, 3, 3, 4, 4]
    # combined finance matrix (plan row, variance column): (1,1)=1 (1,2)=1 (2,3)=3 (3,3)=3 (3,3)=3 (4,4)=4 (4,4)=4
    assert scores(a, "OF0080") == [1, 1, 3, 3, 3, 4, 4]
    # only combined finance enters the average
    m = a.metrics.set_index(["org_code", "metric_id"])
    assert not m.loc[("F0", "OF0079"), "in_average"] and m.loc[("F0", "OF0080"), "in_average"]
    assert a.summary["average_score"].tolist() == [1, 1, 3, 3, 3, 4, 4]


@pytest.mark.parametrize(
    ("plan", "var", "combined"),
    [(1, 1, 1), (1, 2, 1), (1, 3, 2), (1, 4, 3), (2, 1, 2), (2, 2, 2), (3, 1, 2), (3, 2, 3), (3, 4, 4), (4, 1, 2), (4, 2, 3), (4, 3, 4)],
)
def test_combined_finance_matrix_cells(plan, var, combined):
    plan_value = {1: 1.0, 2: -0.5, 3: -1.5, 4: -3.0}[plan]
    var_value = {1: 0.5, 2: -0.2, 3: -0.7, 4: -2.0}[var]
    a = run(inputs(FIVE[:1], {"OF0079": [plan_value], "OF0081": [var_value]}))
    assert scores(a, "OF0080") == [combined]


def test_infection_rates_and_counts():
    # rate rows: <= 1.00 meets (1.00); failing rates ranked into 2..4; count rows: min(count, 3) + 1
    orgs = [(f"I{i}", ACUTE) for i in range(7)]
    vals = [0.9, 1.0, 1.2, 1.5, 0, 2, 7]
    units = ["rate", "rate", "rate", "rate", "count", "count", "count"]
    a = run(inputs(orgs, {"OF0048": vals}, units={"OF0048": units}))
    assert scores(a, "OF0048") == pytest.approx([1.0, 1.0, 2.0, 4.0, 1.0, 3.0, 4.0])
    m = a.metrics.set_index("org_code")
    assert m.loc["I2", "group_size"] == 2  # count rows are not in the ranked group


def test_weights_missing_metrics_and_rounding_of_averages():
    # One trust: 4-hour 2.00 (weight 1), RTT 18 weeks 3.00 (weight 1) and three infection metrics
    # 4, 1, 1 each weighted one third: (2 + 3 + (4 + 1 + 1) / 3) / (1 + 1 + 1) = 7 / 3 = 2.333...
    # Community 52-week waits not reported: left out of numerator and denominator, never zero.
    orgs = [("W1", ACUTE), ("W2", ACUTE), ("W3", ACUTE)]
    a = assess(
        inputs(
            orgs,
            {
                "OF0013": [70.0, 60.0, 80.0],  # ranked 1, 2 of 2 and one meeting: 2, 4, 1
                "OF0023": [60.0, 70.0, 50.0],  # ranks 2, 1, 3: 2.5, 1, 4
                "OF0020": [3, 0, 1],  # MRSA: 0 meets; 3 and 1 ranked: 4, 1, 2
                "OF0048": [0.8, 0.8, 0.8],
                "OF0088": [0.9, 0.9, 0.9],
                "OF0005": [None, None, None],
            },
            units={"OF0048": ["rate"] * 3, "OF0088": ["rate"] * 3},
        ),
        framework(),
        AssessOptions(cutpoints=(2.0, 2.5, 3.0)),
    )
    s = a.summary.set_index("org_code")
    # W1: 4-hour 2, RTT 2.5, infections 4, 1, 1 -> (2 + 2.5 + 2) / 3 = 2.1667
    assert s.loc["W1", "average_score_unrounded"] == pytest.approx((2 + 2.5 + 6 / 3) / 3)
    assert s.loc["W1", "average_score"] == 2.17
    assert s.loc["W1", "n_metrics"] == 5
    assert (a.metrics["metric_id"] != "OF0005").all()


def test_rounded_metrics_enter_the_average_at_two_decimals():
    # RTT 18 weeks (average_input: rounded) scored 1 + 3 * 1/3 = 2.0 exactly; use 4 trusts -> 1, 2, 3, 4
    # 4-hour 4 trusts failing: 2 + 2*(r-1)/3 -> 2, 2.6667, 3.3333, 4; rounded to 2.67 in the average.
    orgs = [(f"R{i}", ACUTE) for i in range(4)]
    a = run(inputs(orgs, {"OF0013": [77, 76, 75, 74]}))
    s = a.summary.set_index("org_code")
    assert s.loc["R1", "average_score_unrounded"] == pytest.approx(2.67)


def test_financial_override_caps_segments_one_and_two_only():
    # cut points 2.0 / 2.5 / 3.0; average scores from one metric: 1, 2.5, 4 (three trusts)
    orgs = [("O1", ACUTE), ("O2", ACUTE), ("O3", ACUTE)]
    data = inputs(orgs, {"OF0023": [90, 80, 70]}, financial=[1.0, 1.0, 1.0])
    a = run(data)
    s = a.summary.set_index("org_code")
    assert s["unadjusted_segment"].tolist() == [1, 2, 4]  # 1.0 <= 2.0; 2.5 <= 2.5; 4.0 > 3.0
    assert s["adjusted_segment"].tolist() == [3, 3, 4]
    assert s["financial_override"].tolist() == [True, True, False]


def test_segment_five_and_rank_within_adjusted_segment():
    orgs = [("P1", ACUTE), ("P2", ACUTE), ("P3", ACUTE), ("P4", ACUTE)]
    data = inputs(orgs, {"OF0023": [90, 80, 80, 70]}, rsp=[1.0, 0.0, 0.0, 0.0])
    a = run(data)
    s = a.summary.set_index("org_code")
    # scores 1, 2, 2, 4 (ranks 1, 2, 2, 4 of 4); 2.00 sits on the first cut point, so segment 1
    assert s["adjusted_segment"].tolist() == [1, 1, 1, 4]
    assert s["final_segment"].tolist() == [5, 1, 1, 4]
    # ranks by (adjusted segment, 2-dp average), segment 5 ranked within its adjusted segment:
    # P1 (1, 1.00) first; P2 and P3 tie (1, 2.00) and share rank 2; P4 (4, 4.00) is 4th
    assert s["rank"].tolist() == [1, 2, 2, 4]


def test_trust_on_a_cut_point_is_in_the_better_segment():
    orgs = [("C1", ACUTE), ("C2", ACUTE)]
    a = assess(inputs(orgs, {"OF0023": [90, 80]}), framework(), AssessOptions(cutpoints=(1.0, 2.5, 3.9)))
    assert a.summary["unadjusted_segment"].tolist() == [1, 4]


def test_national_quartile_cut_points_by_hand():
    # Averages 1.0, 1.75, 2.5, 3.25, 4.0 (one ranked metric over five trusts of every type):
    # linear quartiles of [1, 1.75, 2.5, 3.25, 4] are 1.75, 2.5, 3.25.
    orgs = [("N1", "acute"), ("N2", "mental_health_community"), ("N3", "ambulance"), ("N4", "acute"), ("N5", "acute")]
    a = assess(inputs(orgs, {"OF0082": [3.0, 4.0, 5.0, 6.0, 7.0]}), framework())
    assert a.national
    cut = a.cutpoints["overall"]
    assert cut.method == "national quartiles"
    assert cut.values == pytest.approx((1.75, 2.5, 3.25))
    assert a.summary["unadjusted_segment"].tolist() == [1, 1, 2, 3, 4]


def test_pooled_metric_uses_published_score_when_population_absent():
    # OF0082 is scored over every trust nationally; with acute trusts only, the published score stands
    # in and is marked published. With --recompute-all it is scored over the trusts given.
    orgs = [("S1", ACUTE), ("S2", ACUTE)]
    data = inputs(orgs, {"OF0082": [4.0, 5.0], "OF0023": [70, 60]}, published=[("S1", "OF1082", 1.23), ("S2", "OF1082", 2.34)])
    a = run(data)
    m = a.metrics[a.metrics["metric_id"] == "OF0082"].set_index("org_code")
    assert m["score_source"].tolist() == ["published", "published"]
    assert m["score_2dp"].tolist() == [1.23, 2.34]
    assert any("OF0082" in w for w in a.warnings)
    b = run(data, recompute_all=True)
    mb = b.metrics[b.metrics["metric_id"] == "OF0082"].set_index("org_code")
    assert mb["score_source"].tolist() == ["computed", "computed"]
    assert mb["score"].tolist() == [1.0, 4.0]


def test_score_only_inputs_are_taken_as_input():
    orgs = [("Q1", ACUTE), ("Q2", ACUTE)]
    a = run(inputs(orgs, {"OF0046": [1, 3], "OF0023": [70, 60]}))
    m = a.metrics[a.metrics["metric_id"] == "OF0046"]
    assert m["score"].tolist() == [1, 3] and set(m["score_source"]) == {"input"}


def test_competition_rank_with_tie_break():
    better = np.array([5.0, 5.0, 5.0, 1.0])
    tie = np.array([3.0, 1.0, 3.0, 4.0])
    assert competition_rank(better, tie).tolist() == [2, 1, 2, 4]


@pytest.mark.parametrize(("x", "expected"), [(2.675, 2.68), (2.665, 2.67), (1.005, 1.01), (2.0049999, 2.0), (-0.125, -0.13)])
def test_round_half_up(x, expected):
    assert round_half_up(x, 2) == expected
