"""A plain pandas implementation of the 2025/26 method, written the way an analyst would.

It exists only as the benchmark's baseline (and as an independent cross-check of the engine's
segments on the synthetic set). It reads the same inputs and framework and applies the same rules
row by row with ``DataFrame.apply`` and ``groupby``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nhs_oversight.frameworks.model import (
    BandedScoring,
    ByUnitScoring,
    Framework,
    MatrixScoring,
    PublishedScoring,
    RankedScoring,
)

OPS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def _band(spec: BandedScoring, v: float) -> float:
    for b in spec.bands:
        if OPS[b.op](v, b.value):
            return b.score
    return spec.otherwise


def _ranked(spec: RankedScoring, higher: bool, group: pd.DataFrame) -> pd.Series:
    def status(row):
        if spec.standard is not None and OPS[spec.standard.op](row["value"], spec.standard.value):
            return "meets"
        if spec.floor is not None and OPS[spec.floor.op](row["value"], spec.floor.value):
            return "fails"
        return "ranked"

    st = group.apply(status, axis=1)
    out = pd.Series(np.nan, index=group.index)
    out[st == "meets"] = 1.0
    out[st == "fails"] = 4.0
    ranked = group[st == "ranked"].copy()
    if len(ranked):
        ranked["key"] = list(zip(-ranked["value"] if higher else ranked["value"], ranked["tie_rank"].fillna(np.inf), strict=True))
        ranked = ranked.sort_values("key")
        ranked["r"] = _min_rank(ranked["key"].tolist())
        low, high = spec.span
        n = len(ranked)
        out[ranked.index] = low + (high - low) * (ranked["r"] - 1) / (n - 1) if n > 1 else low
    return out


def _min_rank(keys: list) -> list[int]:
    ranks, prev = [], None
    for i, k in enumerate(keys):
        ranks.append(i + 1 if k != prev else ranks[-1])
        prev = k
    return ranks


def assess_pandas(values: pd.DataFrame, orgs: pd.DataFrame, flags: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    values = values.merge(orgs[["org_code", "trust_type"]], on="org_code")
    scored = []
    for m in framework.metrics:
        rows = values[values["metric_id"] == m.id].copy()
        if rows.empty and not isinstance(m.scoring, MatrixScoring):
            continue
        spec = m.scoring
        if isinstance(spec, PublishedScoring):
            rows["score"] = rows["value"]
        elif isinstance(spec, BandedScoring):
            rows["score"] = rows["value"].apply(lambda v, spec=spec: _band(spec, v))
        elif isinstance(spec, MatrixScoring):
            continue
        else:
            parts = []
            subs = spec.units if isinstance(spec, ByUnitScoring) else {"": spec}
            first = next(iter(subs))
            unit = rows["unit"].where(rows["unit"].isin(list(subs)), first) if isinstance(spec, ByUnitScoring) else pd.Series("", index=rows.index)
            for u, sub in subs.items():
                part = rows[unit == u]
                if isinstance(sub, BandedScoring):
                    parts.append(part["value"].apply(lambda v, sub=sub: _band(sub, v)))
                    continue
                keys = ["trust_type"] if m.population == "trust_type" else []
                groups = part.groupby(keys) if keys else [(None, part)]
                for _, g in groups:
                    parts.append(_ranked(sub, m.higher_is_better, g))
            rows["score"] = pd.concat(parts) if parts else np.nan
        rows["metric"] = m.id
        rows["weight"] = m.weight
        rows["in_average"] = m.in_average
        rows["used"] = rows["score"].round(2) if m.average_input == "rounded" else rows["score"]
        scored.append(rows)
    table = pd.concat(scored)
    for m in framework.metrics:
        if isinstance(m.scoring, MatrixScoring):
            a = table[table["metric"] == m.scoring.rows].set_index("org_code")["score"]
            b = table[table["metric"] == m.scoring.columns].set_index("org_code")["score"]
            both = a.index.intersection(b.index)
            comb = pd.DataFrame({"org_code": both, "score": [m.scoring.matrix[int(a[c]) - 1][int(b[c]) - 1] for c in both]})
            comb["metric"], comb["weight"], comb["in_average"], comb["used"] = m.id, m.weight, True, comb["score"]
            table = pd.concat([table, comb])
    used = table[table["in_average"]]
    avg = used.groupby("org_code").apply(lambda g: (g["used"] * g["weight"]).sum() / g["weight"].sum(), include_groups=False)
    out = orgs[["org_code", "trust_type"]].set_index("org_code")
    out["average"] = avg
    out["average_2dp"] = out["average"].apply(lambda x: np.floor(x * 100 + 0.5 + 1e-9) / 100)
    q = out["average_2dp"].quantile([0.25, 0.5, 0.75]).tolist()
    out["segment"] = out["average_2dp"].apply(lambda x: 1 + sum(x > c for c in q))
    f = flags.set_index("org_code")
    out["adjusted"] = [3 if f.loc[c, "financial_flag"] == 1 and s <= 2 else s for c, s in zip(out.index, out["segment"], strict=True)]
    out["final"] = [5 if f.loc[c, "rsp_flag"] == 1 else s for c, s in zip(out.index, out["adjusted"], strict=True)]
    out["key"] = out["adjusted"] * 1000 + (out["average_2dp"] * 100).round()
    out["rank"] = out.groupby("trust_type")["key"].rank(method="min")
    return out
