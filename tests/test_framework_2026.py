"""The provisional 2026/27 framework: what is stated, what is carried over, ICBs, thresholds."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import nhs_oversight as no
from builders import inputs
from nhs_oversight.cli import main
from nhs_oversight.engine import assess
from nhs_oversight.frameworks.model import MatrixScoring


@pytest.fixture(scope="module")
def fw():
    return no.load_framework("nof-2026-27")


def test_marked_provisional_everywhere(fw):
    assert fw.status == "provisional" and fw.is_provisional
    assert len(fw.provisional) >= 5
    assert all(m.provisional for m in fw.metrics)  # the 2026/27 metric list is not published
    text = " ".join(fw.provisional).lower()
    for topic in ("metric list", "icb", "threshold", "adjustment", "segment 5"):
        assert topic in text


def test_scores_segments_trusts_and_icbs(fw):
    assert {t.id for t in fw.trust_types} == {"acute", "mental_health_community", "ambulance", "icb"}
    assert set(fw.organisation_kinds) == {"trust", "icb"}
    assert fw.trust_type_id("ICB") == "icb" and fw.trust_type_id("Integrated care board") == "icb"


def test_icbs_are_never_pooled_with_trusts(fw):
    icb_metrics = [m for m in fw.metrics if "icb" in m.trust_types]
    assert len(icb_metrics) >= 5  # enough for the minimum number of metrics
    assert all(m.population in ("trust_type", "none") for m in icb_metrics)
    for m in icb_metrics:  # a combined score needs both of its inputs for ICBs too
        if isinstance(m.scoring, MatrixScoring):
            assert "icb" in fw.metric(m.scoring.rows).trust_types and "icb" in fw.metric(m.scoring.columns).trust_types


def test_defined_thresholds_lie_in_the_published_q1_cut_intervals(fw):
    # nof-2025-26.md section 4 and acute-q1-findings.md section 4: Q1 2025/26 cut intervals, intersected
    # over the acute and the mental health and community files: (2.05, 2.06] (2.32, 2.33] (2.60, 2.61].
    seg = fw.segmentation
    assert seg.method == "thresholds" and seg.score == "rounded"
    t1, t2, t3 = seg.thresholds
    assert 2.05 <= t1 < 2.06 and 2.32 <= t2 < 2.33 and 2.60 <= t3 < 2.61
    # no 2-dp average can sit exactly on a threshold, so the boundary rule never decides a segment
    assert all(abs(t * 100 - round(t * 100)) > 0.1 for t in seg.thresholds)


def test_scoring_carried_over_unchanged_for_trusts(fw):
    old = no.load_framework("nof-2025-26")
    for m in old.metrics:
        new = fw.metric(m.id)
        assert new.scoring == m.scoring and new.weight == m.weight and new.average_input == m.average_input
        assert set(new.trust_types) - {"icb"} == set(m.trust_types)


def test_acute_q1_published_segments_and_ranks_reproduced(fw, acute_q1):
    # Independent expectation: NHS England's own published OF5003 / OF5000 and league ranks.
    data = no.read_inputs([acute_q1], fw)
    a = assess(data, fw)
    pub = data.published
    s = a.summary.set_index("org_code")
    for field, col in (("OF5003", "unadjusted_segment"), ("OF5000", "adjusted_segment")):
        p = pub[pub["field"] == field].set_index("org_code")
        assert (s[col].astype(float) == p["value"].reindex(s.index)).all(), field
    ranks = pub[pub["field"] == "OF5000"].set_index("org_code")["rank"].reindex(s.index)
    assert (s["rank"].astype(float) == ranks).all()
    assert a.cutpoints["overall"].method == "framework thresholds"
    assert a.provenance()["framework_status"] == "provisional"


def _icb_population():
    """Three ICBs scored by hand (see the test below)."""
    codes = [("QA1", "icb"), ("QA2", "icb"), ("QA3", "icb")]
    return inputs(
        codes,
        {
            "OF0013": [80.0, 75.0, 70.0],  # standard >= 78: QA1 meets (1.00); QA2, QA3 ranked N=2: 2.00, 4.00
            "OF0023": [60.0, 55.0, 50.0],  # ranked, higher better: 1.00, 2.50, 4.00
            "OF0014": [5.0, 10.0, 15.0],  # ranked, lower better: 1.00, 2.50, 4.00
            "OF0025": [0.5, 1.0, 1.5],  # ranked, lower better: 1.00, 2.50, 4.00
            "OF0003": [0.5, 2.0, 3.0],  # standard < 1%: QA1 meets; QA2, QA3 ranked N=2: 2.00, 4.00
            "OF0079": [0.0, 0.0, 0.0],  # plan >= 0: band 1
            "OF0081": [0.0, 0.0, 0.0],  # variance >= 0: band 1 -> combined finance 1.00
        },
    )


def test_icbs_segmented_by_hand(fw):
    a = assess(_icb_population(), fw)
    s = a.summary.set_index("org_code")
    # QA1: six scores of 1 -> 1.00; QA2: (2 + 2.5 + 2.5 + 2.5 + 2 + 1) / 6 = 2.0833 -> 2.08; QA3: (4*5 + 1) / 6 = 3.50
    assert s["average_score"].tolist() == [1.00, 2.08, 3.50]
    # thresholds 2.055 / 2.325 / 2.605: 1.00 -> 1, 2.08 -> 2, 3.50 -> 4
    assert s["adjusted_segment"].tolist() == [1, 2, 4]
    assert s["rank"].tolist() == [1, 2, 3] and s["rank_of"].tolist() == [3, 3, 3]
    ranked = a.metrics[a.metrics["rule"] == "ranked"]
    assert set(ranked["population"]) == {"icb"}


def test_adding_icbs_changes_no_trust(fw):
    trusts = no.synthetic_inputs("2025/26 Q1", fw)
    icbs = _icb_population()
    both = replace(
        trusts,
        orgs=pd.concat([trusts.orgs, icbs.orgs], ignore_index=True),
        values=pd.concat([trusts.values, icbs.values], ignore_index=True),
        flags=pd.concat([trusts.flags, icbs.flags], ignore_index=True),
    )
    alone = assess(trusts, fw).summary.set_index("org_code")
    joint = assess(both, fw).summary.set_index("org_code")
    cols = ["average_score_unrounded", "adjusted_segment", "final_segment", "rank", "rank_of"]
    assert joint.loc[alone.index, cols].equals(alone[cols])
    assert np.isfinite(joint.loc[["QA1", "QA2", "QA3"], "average_score"].astype(float)).all()


def test_outputs_say_provisional(capsys):
    assert main(["segment", "--synthetic", "--framework", "nof-2026-27"]) == 0
    assert "PROVISIONAL" in capsys.readouterr().out
