"""The note on ties: values equal after rounding, ordered by the published rank or left sharing one."""

from __future__ import annotations

from collections import Counter, defaultdict

import pandas as pd

from nhs_oversight.engine.scoring import TIE_PUBLISHED_RANK, TIE_SHARED


def tie_note(metrics: pd.DataFrame, type_of: dict, values: pd.DataFrame) -> str:
    """Say where values equal after rounding were ordered by the published Rank, and where they stay tied."""
    tie = metrics["tie_order"].to_numpy()
    ordered = Counter(metrics["metric_id"].to_numpy()[tie == TIE_PUBLISHED_RANK].tolist())
    across = _unordered_across_types(metrics[tie == TIE_SHARED], type_of, values)
    parts = []
    if ordered:
        listed = ", ".join(f"{m} {n}" for m, n in sorted(ordered.items()))
        parts.append(
            f"tie order: published rank for {sum(ordered.values())} value(s) equal after rounding, which NHS England "
            f"ranked unrounded ({listed})"
        )
    if across:
        listed = ", ".join(f"{m} {n}" for m, n in sorted(across.items()))
        parts.append(
            f"{sum(across.values())} equal value(s) of different trust types share their best rank, since the published "
            f"ranks (within type) cannot order them ({listed})"
        )
    return "; ".join(parts)


def _unordered_across_types(shared: pd.DataFrame, type_of: dict, values: pd.DataFrame) -> Counter:
    """Values sharing a rank with another trust type's, where the published ranks do not show a true tie.

    Counted per metric. Within one type, members holding one published rank are a true tie; a cluster spanning types is
    a true tie only when every type in it shows one (two or more members, one rank). A few hundred
    values at most share a rank, so they are grouped in plain Python (pandas' groupby cost half of
    a whole assessment here).
    """
    if shared.empty:
        return Counter()
    first = values[values["metric_id"].isin(set(shared["metric_id"]))].drop_duplicates(["org_code", "metric_id"])
    tie_rank = dict(zip(zip(first["org_code"], first["metric_id"], strict=True), first["tie_rank"], strict=True))
    clusters: dict[tuple, dict[object, list[float]]] = defaultdict(lambda: defaultdict(list))
    rows = zip(shared["metric_id"], shared["population"], shared["rank"], shared["org_code"], strict=True)
    keys = []
    for metric_id, population, rank, org in rows:
        key = (metric_id, population, rank)
        keys.append(None if any(map(_missing, key)) else key)
        kind = type_of.get(org)
        if keys[-1] is not None and not _missing(kind):  # a trust of unknown type is counted, but shows no type
            clusters[key][kind].append(tie_rank.get((org, metric_id), float("nan")))
    unresolved = {key for key, by_type in clusters.items() if len(by_type) > 1 and not all(map(_true_tie, by_type.values()))}
    return Counter(key[0] for key in keys if key in unresolved)


def _true_tie(ranks: list[float]) -> bool:
    """Two or more members of one type and one published rank among them (missing ranks aside)."""
    return len(ranks) >= 2 and len({r for r in ranks if not _missing(r)}) <= 1


def _missing(x: object) -> bool:
    return x is None or x != x
