"""Against peers: each metric's value beside its group's median and quartiles."""

from __future__ import annotations

import pytest

from nhs_oversight.explain import explain
from test_explain_builders import P1, build, run


def test_quartiles_computed_over_the_scoring_group_when_not_published():
    # P1, no published quartiles. 12 hours in A&E (lower better): 2, 4, 6, 8, 10 -> quartiles 4 / 6 / 8
    # (linear interpolation); T3's 6.0 is on the median, counted in the better half: quarter 2.
    # Productivity (higher better): 1 .. 5 -> 2 / 3 / 4; T3's 3.0: quarter 2. A&E: 60 .. 80 -> 65 / 70 / 75.
    e = explain(run(build(P1)), "T3", max_moves=0)
    by = {v.metric_id: v for v in e.against_peers}
    assert set(by) == {"OF0013", "OF0014", "OF0085"}
    v = by["OF0014"]
    assert (v.lower_quartile, v.median, v.upper_quartile, v.quarter, v.source) == (4.0, 6.0, 8.0, 2, "computed")
    assert v.group_size == 5 and v.group == "acute trusts"
    assert (by["OF0085"].median, by["OF0085"].quarter) == (3.0, 2)
    assert (by["OF0013"].lower_quartile, by["OF0013"].upper_quartile) == (65.0, 75.0)
    assert explain(run(build(P1)), "T1", max_moves=0).against_peers[0].quarter == 1
    assert explain(run(build(P1)), "T5", max_moves=0).against_peers[0].quarter == 4


def test_peers_in_text_markdown_and_json():
    e = explain(run(build(P1)), "T3", max_moves=0)
    assert "Against peers" in e.to_text() and "Against peers" in e.to_markdown()
    d = e.to_dict()
    assert d["against_peers"][0]["metric_id"] == "OF0013" and "quartiles_text" in d["against_peers"][0]
    assert {"plans", "against_peers"} <= set(d)


def test_no_plans_and_no_peers_when_asked():
    e = explain(run(build(P1)), "T3", max_moves=0, plans=False)
    assert e.plans == () and e.against_peers == ()


@pytest.fixture(scope="module")
def acute(acute_q1):
    import nhs_oversight as no

    return no.assess(no.read_inputs([acute_q1]))


def test_published_quartiles_from_the_nof_file(acute):
    # Read from the file's Median_value / Lower_quartile / Upper_quartile columns for RJ2's rows:
    # A&E 4-hour 70.05 / 76 / 78.95; RJ2 at 69.0% is below the lower quartile (worst quarter).
    e = explain(acute, "RJ2", max_moves=0)
    ae = next(v for v in e.against_peers if v.metric_id == "OF0013")
    assert (ae.lower_quartile, ae.median, ae.upper_quartile, ae.source, ae.quarter) == (70.05, 76.0, 78.95, "published", 4)
    assert ae.text.startswith("A&E 4-hour: 69.0% against a median 76.0%")
    # the published quartiles are those of the file's values (linear interpolation, to 2 dp)
    import numpy as np

    vals = acute.metrics.loc[acute.metrics["metric_id"] == "OF0013", "value"].dropna().to_numpy()
    assert np.round(np.quantile(vals, [0.25, 0.5, 0.75]), 2).tolist() == [70.05, 76.0, 78.95]
