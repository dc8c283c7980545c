"""The engine's what-if primitives: ``with_values`` and ``Probe`` agree with a full ``assess`` run."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nhs_oversight as no
from nhs_oversight.engine import AssessOptions, assess
from nhs_oversight.engine.whatif import Probe, metric_scores_at, with_values
from nhs_oversight.errors import OptionError
from nhs_oversight.frameworks.model import MatrixScoring
from test_explain_builders import P1, build, run


@pytest.fixture(scope="module")
def national():
    return no.assess(no.synthetic_inputs("2025/26 Q1"))


def test_probe_at_the_current_value_is_the_engine_score(national):
    fw = national.framework
    codes = national.summary["org_code"].tolist()[::15]  # every 15th trust, all trust types
    checked = 0
    for code in codes:
        probe = Probe(national, code)
        for r in national.org_metrics(code).itertuples():
            if isinstance(fw.metric(r.metric_id).scoring, MatrixScoring):
                continue
            got = probe.scores_at(r.metric_id, [probe.value(r.metric_id)]).score[0]
            assert got == pytest.approx(r.score, abs=1e-12), (code, r.metric_id)
            checked += 1
    assert checked > 150


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_probe_agrees_with_a_full_engine_run_after_a_change(national, data):
    fw = national.framework
    rows = national.metrics[national.metrics["rule"].isin(["ranked", "meets standard", "fails floor", "band", "input score"])]
    r = rows.iloc[data.draw(st.integers(0, len(rows) - 1))]
    code, metric_id = r["org_code"], r["metric_id"]
    probe = Probe(national, code)
    values, _ = probe.group_values(metric_id)
    if fw.metric(metric_id).scoring.model == "published_score":
        new = float(data.draw(st.sampled_from([1.0, 2.0, 3.0])))
    else:
        lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
        new = round(data.draw(st.floats(lo - 1, hi + 1, allow_nan=False)), 1)
    at = probe.scores_at(metric_id, [new])
    cuts = national.cutpoints["overall"].values
    after = assess(with_values(national.inputs, {(code, metric_id): new}), fw, AssessOptions(cutpoints=cuts))
    own = after.org_metrics(code).set_index("metric_id")
    assert at.score[0] == pytest.approx(own.at[metric_id, "score"], abs=1e-12)
    for dep, x in at.average_inputs.items():  # the metric itself and the combined finance score it feeds
        assert x[0] == pytest.approx(own.at[dep, "average_input"], abs=1e-12)


def test_a_changed_value_keeps_its_rank_cell_as_an_edited_file_does():
    # Published tie ranks order equal rounded values. T3 moved to exactly T2's 75.0 keeps its own tie rank
    # (3, after T2's 2), as when the Value cell of the file is edited: rank 2 of the 4 below 78%,
    # 2 + 2 x 1/3 = 2.67. Counted before T2 it would rank 1 (2.00): the safe score for a claim of
    # improvement is the worse, 2.67; for a claim of decline the better, 2.00.
    data = build(P1)
    values = data.values.copy()
    values["tie_rank"] = np.arange(1, len(values) + 1, dtype=float)
    data = data.with_values(values)
    changed = with_values(data, {("T3", "OF0013"): 75.0})
    row = changed.values[(changed.values["org_code"] == "T3") & (changed.values["metric_id"] == "OF0013")].iloc[0]
    assert row["value"] == 75.0 and row["tie_rank"] == 3.0
    assert changed.values["tie_rank"].tolist() == data.values["tie_rank"].tolist()
    a = run(changed)
    scores = a.metrics[a.metrics["metric_id"] == "OF0013"].set_index("org_code")["score"]
    assert scores["T2"] == 2.0 and scores["T3"] == pytest.approx(2 + 2 / 3)
    base = run(data)
    assert metric_scores_at(base, "T3", "OF0013", [75.0]).score[0] == pytest.approx(2 + 2 / 3)
    probe = Probe(base, "T3")
    assert probe.scores_at("OF0013", [75.0], safe="better").score[0] == pytest.approx(2 + 2 / 3)
    assert probe.scores_at("OF0013", [75.0], safe="worse").score[0] == 2.0
    assert probe.ties_at("OF0013", 75.0) == 1 and probe.ties_at("OF0013", 74.0) == 0


def test_scores_at_many_values_for_a_ranked_metric():
    # T3 on A&E: 74.9 still rank 2 of 4 (2.67), 75.1 rank 1 (2.00), 78.0 meets the standard (1.00),
    # 60.0 ties T5 (no tie ranks: both rank 3 of 4 -> 2 + 2 x 2/3 = 3.33), 50.0 last (4.00)
    a = run(build(P1))
    at = metric_scores_at(a, "T3", "OF0013", [74.9, 75.1, 78.0, 60.0, 50.0])
    assert at.score == pytest.approx([2 + 2 / 3, 2.0, 1.0, 2 + 4 / 3, 4.0])
    assert at.average_inputs["OF0013"] == pytest.approx([2.67, 2.0, 1.0, 3.33, 4.0])  # averaged at 2 dp


def test_what_cannot_be_probed():
    a = run(build({"OF0013": [80.0, 75.0], "OF0079": [0.0, -1.0], "OF0081": [0.0, 0.0], "OF0014": [1.0, None]}))
    with pytest.raises(OptionError, match="looked up from other metrics"):
        metric_scores_at(a, "T1", "OF0080", [1.0])
    with pytest.raises(OptionError, match="no value for OF0014"):
        metric_scores_at(a, "T2", "OF0014", [1.0])
    with pytest.raises(OptionError, match="no value"):
        with_values(a.inputs, {("T2", "OF0014"): 1.0})
