"""The note on ties: values equal after rounding, ordered by the published rank or left sharing one."""

from __future__ import annotations

import pandas as pd

from nhs_oversight.engine.scoring import TIE_PUBLISHED_RANK, TIE_SHARED


def tie_note(metrics: pd.DataFrame, type_of: dict, values: pd.DataFrame) -> str:
    """Say where values equal after rounding were ordered by the published Rank, and where they stay tied."""
    tie = metrics["tie_order"]
    ordered = metrics.loc[tie == TIE_PUBLISHED_RANK, "metric_id"].value_counts()
    across = _unordered_across_types(metrics[tie == TIE_SHARED], type_of, values)
    parts = []
    if not ordered.empty:
        listed = ", ".join(f"{m} {n}" for m, n in ordered.sort_index().items())
        parts.append(
            f"tie order: published rank for {int(ordered.sum())} value(s) equal after rounding, which NHS England "
            f"ranked unrounded ({listed})"
        )
    if not across.empty:
        listed = ", ".join(f"{m} {n}" for m, n in across.sort_index().items())
        parts.append(
            f"{int(across.sum())} equal value(s) of different trust types share their best rank, since the published "
            f"ranks (within type) cannot order them ({listed})"
        )
    return "; ".join(parts)


def _unordered_across_types(shared: pd.DataFrame, type_of: dict, values: pd.DataFrame) -> pd.Series:
    """Values sharing a rank with another trust type's, where the published ranks do not show a true tie.

    Within one type, members holding one published rank are a true tie; a cluster spanning types is
    a true tie only when every type in it shows one (two or more members, one rank).
    """
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
