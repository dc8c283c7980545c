"""Properties of the engine that hold for any population (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import framework, inputs, scores
from nhs_oversight.engine import AssessOptions, assess

VALUES = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: round(v, 1))
METRICS = ["OF0013", "OF0014", "OF0023", "OF0057", "OF0003"]  # B higher, A lower, A higher, C higher, B lower


@st.composite
def population(draw):
    n = draw(st.integers(min_value=2, max_value=25))
    values = {m: draw(st.lists(st.one_of(st.none(), VALUES), min_size=n, max_size=n)) for m in METRICS}
    for m in METRICS:  # every trust reports at least one metric
        values[m] = list(values[m])
    for i in range(n):
        if all(values[m][i] is None for m in METRICS):
            values["OF0023"][i] = draw(VALUES)
    flags = draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n))
    return [(f"T{i:02d}", "acute") for i in range(n)], values, flags


def run(orgs, values, flags):
    return assess(inputs(orgs, values, financial=flags), framework(), AssessOptions(cutpoints=(2.0, 2.4, 2.8), recompute_all=True))


@settings(max_examples=60, deadline=None)
@given(population())
def test_scores_lie_between_one_and_four(pop):
    a = run(*pop)
    s = a.metrics["score"]
    assert ((s >= 1 - 1e-12) & (s <= 4 + 1e-12)).all()
    avg = a.summary["average_score_unrounded"]
    assert ((avg >= 1 - 1e-12) & (avg <= 4 + 1e-12)).all()
    assert a.summary["final_segment"].between(1, 5).all()


@settings(max_examples=60, deadline=None)
@given(population())
def test_a_better_value_never_gets_a_worse_score(pop):
    orgs, values, flags = pop
    a = run(orgs, values, flags)
    fw = a.framework
    for m in METRICS:
        higher = fw.metric(m).higher_is_better
        v = np.array([np.nan if x is None else x for x in values[m]])
        s = np.array(scores(a, m))
        ok = ~np.isnan(v)
        vv, ss = v[ok], s[ok]
        for i in range(len(vv)):
            for j in range(len(vv)):
                better = vv[i] > vv[j] if higher else vv[i] < vv[j]
                if better:
                    assert ss[i] <= ss[j] + 1e-12, (m, vv[i], vv[j], ss[i], ss[j])


@settings(max_examples=40, deadline=None)
@given(population(), st.randoms(use_true_random=False))
def test_row_order_is_irrelevant(pop, rnd):
    orgs, values, flags = pop
    a = run(orgs, values, flags)
    data = inputs(orgs, values, financial=flags)
    shuffled_values = data.values.sample(frac=1.0, random_state=rnd.randint(0, 10**6))
    shuffled_orgs = data.orgs.sample(frac=1.0, random_state=rnd.randint(0, 10**6))
    b = assess(
        data.with_values(shuffled_values).__class__(**{**data.__dict__, "values": shuffled_values, "orgs": shuffled_orgs}),
        framework(),
        AssessOptions(cutpoints=(2.0, 2.4, 2.8), recompute_all=True),
    )
    key = ["org_code"]
    sa = a.summary.sort_values(key).reset_index(drop=True)
    sb = b.summary.sort_values(key).reset_index(drop=True)
    for col in ("average_score", "unadjusted_segment", "adjusted_segment", "final_segment", "rank"):
        assert sa[col].tolist() == sb[col].tolist()


@settings(max_examples=40, deadline=None)
@given(population())
def test_override_never_improves_a_segment(pop):
    a = run(*pop)
    s = a.summary
    assert (s["adjusted_segment"] >= s["unadjusted_segment"]).all()
    assert (s.loc[s["financial_flag"] == 1, "adjusted_segment"] >= 3).all()
