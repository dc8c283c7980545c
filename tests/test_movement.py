"""Segment movement between quarters: a hand-made pair (tests/golden/brief-small-*.csv, designed
in test_brief_golden.py) and the synthetic national set, 2025/26 Q1 to Q2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import nhs_oversight as no
from nhs_oversight.errors import OptionError
from nhs_oversight.stats.movement import movement_text, transitions
from nhs_oversight.synthetic.nof import files as synthetic_files

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def small():
    q1 = no.assess([GOLDEN / "brief-small-q1.csv"], cutpoints=(2.0, 2.5, 3.0))
    q2 = no.assess([GOLDEN / "brief-small-q2.csv"], cutpoints=(2.0, 2.3, 3.0))
    return q1, q2, transitions(q1, q2)


def test_matrix_of_the_hand_made_pair(small):
    m = small[2].matrix
    # rows: before (AAA 1, CCC 2, GGG 2, BBB 3, DDD 3, HHH 3 left, FFF 4, EEE 5; III entered)
    expected = pd.DataFrame(
        [
            [0, 0, 1, 0, 0, 0],
            [0, 0, 2, 0, 0, 0],
            [1, 0, 1, 0, 0, 1],
            [0, 0, 1, 0, 0, 0],
            [0, 0, 0, 0, 1, 0],
            [0, 0, 1, 0, 0, 0],
        ],
        index=[1, 2, 3, 4, 5, "entered"],
        columns=[1, 2, 3, 4, 5, "left"],
    )
    assert list(m.index) == list(expected.index) and list(m.columns) == list(expected.columns)
    assert (m.to_numpy() == expected.to_numpy()).all()


def test_movers_directions_reasons_and_averages(small):
    mv = small[2].movers.set_index("org_code")
    assert sorted(mv.index) == ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG"]
    expected = {
        "AAA": (1, 3, "down", "financial override now applies", 1.20, 1.20),
        "BBB": (3, 1, "up", "financial override no longer applies", 1.60, 1.60),
        "CCC": (2, 3, "down", "average score changed", 2.20, 2.80),
        "DDD": (3, 3, "same", "", 2.80, 2.80),
        "EEE": (5, 5, "same", "", 3.80, 3.80),
        "FFF": (4, 3, "up", "average score changed", 3.60, 2.80),
        "GGG": (2, 3, "down", "cut points changed", 2.40, 2.40),
    }
    for code, (before, after, direction, reason, avg_b, avg_a) in expected.items():
        r = mv.loc[code]
        assert (r.segment_before, r.segment_after, r.direction, r.reason) == (before, after, direction, reason), code
        assert (r.average_before, r.average_after) == pytest.approx((avg_b, avg_a)), code
    assert (mv.loc["AAA", "override_before"], mv.loc["AAA", "override_after"]) == (False, True)
    assert (mv.loc["AAA", "flag_before"], mv.loc["AAA", "flag_after"]) == (0, 1)
    assert mv.loc["EEE", "recovery_support_before"] and mv.loc["EEE", "recovery_support_after"]
    assert list(small[2].moved["org_code"].sort_values()) == ["AAA", "BBB", "CCC", "FFF", "GGG"]


def test_ranks_are_read_from_each_quarter(small):
    q1, q2, m = small
    mv = m.movers.set_index("org_code")
    for code in mv.index:
        assert mv.loc[code, "rank_before"] == q1.org(code)["rank"]
        assert mv.loc[code, "rank_after"] == q2.org(code)["rank"]
    assert set(mv["rank_of_before"]) == {8} and set(mv["rank_of_after"]) == {8}


def test_drivers_are_the_largest_score_changes_in_the_direction_of_the_move(small):
    m = small[2]
    fff = m.drivers_of("FFF")  # moved up: falls in score, largest first, ties in framework order
    assert list(zip(fff["score_id"], fff["score_before"], fff["score_after"], strict=True)) == [
        ("OF1080", 4.0, 2.0), ("OF1035", 4.0, 3.0), ("OF1069", 4.0, 3.0),
    ]
    ccc = m.drivers_of("CCC")  # moved down: rises in score
    assert list(ccc["score_id"]) == ["OF1046", "OF1069", "OF1080"] and (ccc["change"] == 1.0).all()
    assert m.drivers_of("AAA").empty and m.drivers_of("GGG").empty  # no score changed
    mv = m.movers.set_index("org_code")
    assert mv.loc["FFF", "metric_changes"] == "Combined finance 4.00 to 2.00; CQC community MH survey 4.00 to 3.00; CQC inpatient survey 4.00 to 3.00"
    changes = m.metric_changes
    assert set(changes["status"]) <= {"changed", "same", "new", "dropped"}
    assert len(changes[changes["org_code"] == "CCC"]) == 5  # the five metrics entering the average
    assert not changes["score_id"].isin(["OF1079", "OF1081"]).any()


def test_entered_and_left(small):
    m = small[2]
    assert m.entered[["org_code", "segment_after"]].values.tolist() == [["III", 3]]
    assert m.left[["org_code", "segment_before"]].values.tolist() == [["HHH", 3]]


def test_to_dict_is_json_and_complete(small):
    d = json.loads(json.dumps(small[2].to_dict()))
    assert d["previous_period"] == "2025/26 Q1" and d["current_period"] == "2025/26 Q2"
    assert d["dataset"] == "SYNTHETIC"
    assert d["counts"] == {"up": 2, "down": 3, "same": 2}
    assert d["matrix"]["2"]["3"] == 2 and d["matrix"]["entered"]["3"] == 1 and d["matrix"]["3"]["left"] == 1
    fff = next(r for r in d["movers"] if r["org_code"] == "FFF")
    assert [x["score_id"] for x in fff["drivers"]] == ["OF1080", "OF1035", "OF1069"]
    assert d["meta"]["previous"]["cutpoints"]["overall"]["values"] == [2.0, 2.5, 3.0]


def test_text_names_the_dataset_and_lists_movers(small):
    text = movement_text(small[2])
    assert text.startswith("[SYNTHETIC DATA] Segment movement, 2025/26 Q1 to 2025/26 Q2: 7 trusts in both quarters; 2 up, 3 down, 2 same")
    assert "Moved up (2)" in text and "Moved down (3)" in text


def test_quarters_must_be_in_order(small):
    q1, q2, _ = small
    with pytest.raises(OptionError, match="later than the current"):
        transitions(q2, q1)
    with pytest.raises(OptionError, match="both sets of files are for 2025/26 Q1"):
        transitions(q1, q1)


@pytest.fixture(scope="module")
def synthetic():
    q1 = no.assess(no.synthetic_inputs("2025/26 Q1"))
    q2 = no.assess(no.synthetic_inputs("2025/26 Q2"))
    return q1, q2, transitions(q1, q2)


def _flags(quarter: str) -> pd.DataFrame:
    """The financial (OF5004) and programme (OF5007) flags, read from the synthetic CSVs."""
    d = pd.concat([pd.read_csv(f) for f in synthetic_files(quarter)])
    return d[d["Metric_ID"].isin(["OF5004", "OF5007"])].pivot(index="Trust_code", columns="Metric_ID", values="Value").astype(int)


def test_synthetic_matrix_is_the_crosstab_of_the_two_quarters(synthetic):
    q1, q2, m = synthetic
    both = q1.summary[["org_code", "final_segment"]].merge(q2.summary[["org_code", "final_segment"]], on="org_code", suffixes=("_1", "_2"))
    cross = pd.crosstab(both["final_segment_1"], both["final_segment_2"]).reindex(index=[1, 2, 3, 4, 5], columns=[1, 2, 3, 4, 5], fill_value=0)
    assert (m.matrix.loc[[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]].to_numpy() == cross.to_numpy()).all()
    assert m.matrix.loc["entered"].sum() == 0 and m.matrix["left"].sum() == 0  # the same 205 trusts
    diagonal = sum(int(cross.loc[k, k]) for k in range(1, 6))
    assert (m.movers["direction"] == "same").sum() == diagonal
    assert len(m.moved) == len(both) - diagonal
    up = sum(int(cross.loc[i, j]) for i in range(1, 6) for j in range(1, 6) if j < i)
    assert (m.movers["direction"] == "up").sum() == up


def test_synthetic_reasons_follow_the_flags_in_the_files(synthetic):
    _, _, m = synthetic
    f1, f2 = _flags("2025/26 Q1"), _flags("2025/26 Q2")
    moved = m.moved.set_index("org_code")
    rsp = moved["reason"].str.contains("Recovery Support Programme")
    for code in moved.index[rsp]:
        assert f1.loc[code, "OF5007"] != f2.loc[code, "OF5007"]
    override = moved["reason"].str.startswith("financial override")
    assert override.any()
    for code in moved.index[override]:
        assert f1.loc[code, "OF5004"] != f2.loc[code, "OF5004"]
        assert (moved.loc[code, "reason"] == "financial override now applies") == (f2.loc[code, "OF5004"] == 1)


def test_synthetic_drivers_are_read_from_both_metrics_tables(synthetic):
    q1, q2, m = synthetic
    s1 = q1.metrics.set_index(["org_code", "score_id"])["score_2dp"]
    s2 = q2.metrics.set_index(["org_code", "score_id"])["score_2dp"]
    moved = m.moved.set_index("org_code")["direction"]
    drivers = m.drivers[m.drivers["org_code"].isin(moved.index)]
    assert len(drivers) > 0
    for r in drivers.itertuples(index=False):
        assert r.score_before == s1[(r.org_code, r.score_id)] and r.score_after == s2[(r.org_code, r.score_id)]
        assert (r.change < 0) if moved[r.org_code] == "up" else (r.change > 0)
    assert drivers.groupby("org_code").size().max() <= 3
