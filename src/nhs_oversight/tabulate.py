"""Tables for people, read from an assessment: segment counts by group, a metric's best and worst.

Pure functions, no IO. They count and order what the engine computed; they never score or
segment. The dashboard, the HTML report and the board pack all show these same tables.
"""

from __future__ import annotations

import pandas as pd

from nhs_oversight.engine import Assessment

SEGMENTS = (1, 2, 3, 4, 5)

#: Groupings of the overview: column of the summary -> words.
GROUPINGS = {"region": "Region", "icb_code": "Integrated care board", "trust_type": "Trust type"}


def has_icbs(a: Assessment) -> bool:
    """Whether the input gives ICB codes (published NOF files do not)."""
    codes = a.summary["icb_code"].fillna("").astype(str).str.strip()
    return bool((codes != "").any())


def segment_counts(a: Assessment, by: str | None = None) -> pd.DataFrame:
    """Organisations in each final segment, overall or by a summary column.

    Returns one row per group (or one row, group ``England``) with ``organisations``,
    ``segment_1`` .. ``segment_5`` counts and ``share_1`` .. ``share_5`` (0-1), sorted by group.
    For ``icb_code`` the ICB name is added; for ``trust_type`` the framework's label.
    """
    s = a.summary
    if by is None:
        key = pd.Series("England", index=s.index, name="group")
    elif by not in s.columns:
        raise KeyError(by)
    else:
        key = s[by].fillna("").astype(str).str.strip().replace("", "not stated").rename("group")
    counts = pd.crosstab(key, s["final_segment"].astype(int)).reindex(columns=list(SEGMENTS), fill_value=0)
    counts.columns = [f"segment_{k}" for k in SEGMENTS]
    out = counts.reset_index()
    out.insert(1, "organisations", counts.sum(axis=1).to_numpy())
    for k in SEGMENTS:
        out[f"share_{k}"] = out[f"segment_{k}"] / out["organisations"]
    if by == "icb_code":
        names = s.drop_duplicates("icb_code").set_index("icb_code")["icb_name"]
        out.insert(1, "label", out["group"].map(names).fillna(""))
    elif by == "trust_type":
        out.insert(1, "label", [a.framework.trust_type_label(t) for t in out["group"]])
        order = {t.id: i for i, t in enumerate(a.framework.trust_types)}
        return out.assign(_o=out["group"].map(order)).sort_values(["_o", "group"]).drop(columns="_o").reset_index(drop=True)
    else:
        out.insert(1, "label", out["group"])
    return out.sort_values("group").reset_index(drop=True)


def largest_share(table: pd.DataFrame, segment: int = 4) -> pd.DataFrame:
    """The group(s) of a :func:`segment_counts` table with the largest share in ``segment``."""
    col = f"share_{segment}"
    if table.empty:
        return table
    top = table[col].max()
    return table[table[col] == top].reset_index(drop=True)


def metric_rows(a: Assessment, metric_id: str) -> pd.DataFrame:
    """Every organisation's value and score for one metric, with its name, type and region."""
    m = a.metrics[a.metrics["metric_id"] == metric_id]
    names = a.summary[["org_code", "org_name", "trust_type", "region"]]
    return m.merge(names, on="org_code", how="left").reset_index(drop=True)


def best_and_worst(a: Assessment, metric_id: str, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` organisations with the best and the worst scores on a metric.

    Ordered by the engine's score (1 best), then by value in the metric's better direction, then
    ODS code; organisations without a score are left out.
    """
    rows = metric_rows(a, metric_id).dropna(subset=["score"])
    higher = a.framework.metric(metric_id).higher_is_better
    ordered = rows.sort_values(["score", "value", "org_code"], ascending=[True, not higher, True], na_position="last")
    worst = rows.sort_values(["score", "value", "org_code"], ascending=[False, higher, True], na_position="last")
    return ordered.head(n).reset_index(drop=True), worst.head(n).reset_index(drop=True)
