"""The tie note's grouping in plain Python gives what the pandas groupby it replaced gave.

The reference is the earlier implementation (pandas groupby over metric, population, rank and
trust type); the engine's version groups the same values by hand because the groupby cost half of
an assessment. Random clusters, with missing published ranks and unknown trust types, must give
the same counts per metric.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from nhs_oversight.engine.ties import _unordered_across_types


def reference(shared: pd.DataFrame, type_of: dict, values: pd.DataFrame) -> pd.Series:
    if shared.empty:
        return pd.Series(dtype=int)
    tie_rank = values.drop_duplicates(["org_code", "metric_id"]).set_index(["org_code", "metric_id"])["tie_rank"]
    d = shared.assign(
        _type=shared["org_code"].map(type_of),
        _tie=tie_rank.reindex(pd.MultiIndex.from_arrays([shared["org_code"], shared["metric_id"]])).to_numpy(),
    )
    cluster = ["metric_id", "population", "rank"]
    per_type = d.groupby([*cluster, "_type"])["_tie"].agg(["size", "nunique"])
    true_tie = ((per_type["size"] >= 2) & (per_type["nunique"] <= 1)).groupby(level=cluster).all()
    n_types = d.groupby(cluster)["_type"].nunique()
    unresolved = (n_types > 1) & ~true_tie.reindex(n_types.index, fill_value=False)
    keys = pd.MultiIndex.from_frame(d[cluster])
    return d.loc[unresolved.reindex(keys).to_numpy(), "metric_id"].value_counts()


@st.composite
def clusters(draw):
    n_orgs = draw(st.integers(1, 14))
    orgs = [f"R{i:02d}" for i in range(n_orgs)]
    type_of = {o: draw(st.sampled_from(["acute", "mhc", "ambulance"])) for o in orgs if draw(st.booleans()) or o != orgs[-1]}
    rows, values = [], []
    for metric in draw(st.lists(st.sampled_from(["OF0005", "OF0057", "OF0082"]), min_size=1, max_size=3, unique=True)):
        for org in draw(st.lists(st.sampled_from(orgs), min_size=1, unique=True)):
            rank = float(draw(st.integers(1, 3)))
            rows.append({"metric_id": metric, "population": draw(st.sampled_from(["national", "acute"])), "rank": rank,
                         "org_code": org})
            tie = draw(st.one_of(st.just(np.nan), st.integers(1, 4).map(float)))
            values.append({"org_code": org, "metric_id": metric, "tie_rank": tie})
            if draw(st.booleans()):  # a later duplicate row: the first one counts
                values.append({"org_code": org, "metric_id": metric, "tie_rank": float(draw(st.integers(1, 4)))})
    return pd.DataFrame(rows), type_of, pd.DataFrame(values)


@settings(max_examples=300, deadline=None)
@given(clusters())
def test_counts_match_the_pandas_reference(case):
    shared, type_of, values = case
    expected = reference(shared, type_of, values)
    got = _unordered_across_types(shared, type_of, values)
    assert dict(got) == expected.sort_index().to_dict()


def test_a_cluster_by_hand():
    # rank 1 of OF0005 is shared by two acute trusts (published ranks 3 and 3: a true tie) and one
    # ambulance trust (alone in its type: the published ranks cannot say): all three are counted
    shared = pd.DataFrame({"metric_id": ["OF0005"] * 3, "population": ["national"] * 3, "rank": [1.0] * 3,
                           "org_code": ["A1", "A2", "B1"]})
    values = pd.DataFrame({"org_code": ["A1", "A2", "B1"], "metric_id": ["OF0005"] * 3, "tie_rank": [3.0, 3.0, 1.0]})
    type_of = {"A1": "acute", "A2": "acute", "B1": "ambulance"}
    assert _unordered_across_types(shared, type_of, values) == {"OF0005": 3}
    # a second ambulance trust with the same published rank: every type shows a true tie, none counted
    shared.loc[3] = ["OF0005", "national", 1.0, "B2"]
    values.loc[3] = ["B2", "OF0005", 1.0]
    type_of["B2"] = "ambulance"
    assert not _unordered_across_types(shared, type_of, values)
