"""One national assessment from NHS England's two Q1 2025/26 files (acute 134, mental health and
community 61 trusts): exact from the values, with stand-ins only for metrics whose scoring
population includes the ten ambulance trusts, which no shared file holds.

Expectations are the published figures, read here with pandas, independently of the reader.
"""

from __future__ import annotations

import pandas as pd
import pytest

from nhs_oversight import api
from nhs_oversight.cli import main
from nhs_oversight.compare.verify import verify

AMBULANCE_POOLED = {"OF0017", "OF0028", "OF0082", "OF0086"}


@pytest.fixture(scope="module")
def files(acute_q1, mhc_q1):
    return [acute_q1, mhc_q1]


@pytest.fixture(scope="module")
def published(files) -> pd.DataFrame:
    return pd.concat([pd.read_csv(f, encoding="utf-8-sig") for f in files], ignore_index=True)


@pytest.fixture(scope="module")
def run(files):
    fw = api.load_framework()
    return verify(api.read_inputs(files, fw), fw)


def _pub(published, metric_id, col="Value"):
    return published[published["Metric_ID"] == metric_id].set_index("Trust_code")[col]


def test_one_assessment_of_195_trusts_with_league_tables_per_type(run, published):
    _, a = run
    s = a.summary.set_index("org_code")
    assert len(s) == 195
    assert s.groupby("trust_type")["rank_of"].first().to_dict() == {"acute": 134, "mental_health_community": 61}
    rank = _pub(published, "OF5000", "Rank").astype(int)
    assert (s["rank"].astype(int).reindex(rank.index) == rank).all()


def test_segments_all_match(run, published):
    _, a = run
    s = a.summary.set_index("org_code")
    for metric_id, col in (("OF5003", "unadjusted_segment"), ("OF5000", "adjusted_segment"), ("OF5005", "final_segment")):
        pub = _pub(published, metric_id).astype(int)
        assert (s[col].astype(int).reindex(pub.index) == pub).all(), metric_id


def test_averages_exact_at_two_decimals_for_each_type(run, published):
    _, a = run
    s = a.summary.set_index("org_code")
    avg = _pub(published, "OF5002")
    exact = (s["average_score"].reindex(avg.index) - avg).abs() <= 0.005
    assert exact.mean() >= 0.99
    types = s["trust_type"].reindex(avg.index)
    assert exact[types == "mental_health_community"].sum() == 61  # OF1016, OF1063 enter at 2 dp
    assert exact[types == "acute"].sum() == 134


def test_metric_scores_recomputed_from_values(run, published):
    _, a = run
    m = a.metrics
    computed = m[m["score_source"] == "computed"].set_index(["org_code", "score_id"])["score_2dp"]
    pub = published[published["Metric_ID"].str.startswith("OF1")].set_index(["Trust_code", "Metric_ID"])["Value"]
    both = computed.index.intersection(pub.index)
    exact = (computed[both] - pub[both]).abs() <= 0.005 + 1e-9
    assert len(both) >= 2800 and exact.mean() >= 0.995
    # the pooled metrics whose population both files hold are now computed, not taken as published
    for metric_id in ("OF0005", "OF0041", "OF0057", "OF0016", "OF0063"):
        assert set(m.loc[m["metric_id"] == metric_id, "score_source"]) == {"computed"}, metric_id


def test_stand_ins_only_for_ambulance_pooled_metrics(run):
    report, a = run
    used = set(a.metrics.loc[a.metrics["score_source"] == "published", "metric_id"])
    assert used == AMBULANCE_POOLED
    listed = report.stand_ins.set_index("metric_id")
    assert set(listed.index) == AMBULANCE_POOLED
    assert listed.loc["OF0082", "trusts"] == 195 and listed.loc["OF0082", "unrounded_with_national_group"] == 205
    assert (listed["population_missing"] == "Ambulance trust").all()


def test_cut_points_in_the_intersection_of_both_types_intervals(run, published):
    _, a = run
    cut = a.cutpoints["overall"]
    avg, seg = _pub(published, "OF5002"), _pub(published, "OF5003")
    types = published.drop_duplicates("Trust_code").set_index("Trust_code")["Trust_type"]
    for k, c in enumerate(cut.values, start=1):
        lows, highs = [], []
        for t in types.unique():
            keep = types.index[types == t]
            a_t, s_t = avg.reindex(keep), seg.reindex(keep)
            lows.append(a_t[s_t <= k].max())
            highs.append(a_t[s_t > k].min())
        assert max(lows) < c < min(highs)  # inside each type's interval, so in their intersection
        assert cut.intervals[k - 1] == (max(lows), min(highs))
    assert cut.intervals == ((2.05, 2.06), (2.32, 2.33), (2.60, 2.61))
    assert "Acute trust (2.05, 2.08]" in cut.detail and "Mental health and community trust (2.04, 2.06]" in cut.detail


def test_verify_reports_exact_and_tolerance_apart(files, capsys):
    assert main(["verify", *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert "Result: PASS" in out
    row = next(line for line in out.splitlines() if line.strip().startswith("OF5002"))
    assert "195/195" in row
    assert "within 0.01" in out and "By trust type (exact):" in out
    assert "OF0082 Sickness absence: 195 trust(s); needs Ambulance trust" in out


def test_recompute_all_counts_exact_averages_only(files, tmp_path):
    # every published metric score removed: sickness absence and costs are scored over 195 trusts
    # instead of the national 205, so exact averages fall; within-0.01 counts more, reported apart
    out = tmp_path / "v.json"
    main(["verify", *map(str, files), "--recompute-all", "--format", "json", "-o", str(out)])
    import json

    fields = {f["field"]: f for f in json.loads(out.read_text())["fields"]}
    avg = fields["OF5002"]
    assert avg["matched"] < avg["within_0_01"] <= avg["compared"] == 195
