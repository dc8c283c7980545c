"""What a board reads from a nowcast: the segment published, the segment nowcast, and why they differ.

Both segments come from the engine: the published quarter's values assessed as published, and
the nowcast inputs (derived values replacing published ones) assessed the same way. The change
in a trust's average metric score is split exactly into one contribution per metric:

    contribution(m) = w_m x_now,m / W_now - w_m x_pub,m / W_pub

where x is the score entering the average, w its weight and W the trust's total weight in each
assessment; the contributions add up to the change of the unrounded average. The cause of a
segment change is the metrics with the largest contributions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nhs_oversight.engine import Assessment

BOARD_COLUMNS = ["org_code", "org_name", "trust_type", "published_segment", "nowcast_segment", "segment_change",
                 "published_average", "nowcast_average", "average_change", "cause", "derived", "carried_forward", "missing"]
CAUSE_COLUMNS = ["org_code", "metric_id", "status", "published_value", "nowcast_value", "published_score",
                 "nowcast_score", "contribution"]
#: Contributions smaller than this (in average-score points) are not named as causes.
NEGLIGIBLE = 0.005


def _shares(a: Assessment) -> pd.DataFrame:
    m = a.metrics
    use = m["in_average"].to_numpy(bool) & ~np.isnan(m["score"].to_numpy(float))
    d = m.loc[use, ["org_code", "metric_id", "value", "average_input", "weight"]].copy()
    d["wx"] = d["weight"] * d["average_input"]
    d["share"] = d["wx"] / d.groupby("org_code")["weight"].transform("sum")
    return d.set_index(["org_code", "metric_id"])


def causes(published: Assessment, now: Assessment, status: pd.DataFrame) -> pd.DataFrame:
    """One row per trust x metric whose value or score entered either average (:data:`CAUSE_COLUMNS`)."""
    p, n = _shares(published), _shares(now)
    idx = p.index.union(n.index)
    p, n = p.reindex(idx), n.reindex(idx)
    out = pd.DataFrame({
        "published_value": p["value"], "nowcast_value": n["value"],
        "published_score": p["average_input"], "nowcast_score": n["average_input"],
        "contribution": n["share"].fillna(0) - p["share"].fillna(0),
    }).reset_index()
    st = status.drop_duplicates(["org_code", "metric_id"]).set_index(["org_code", "metric_id"])["status"]
    out["status"] = [st.get((o, m), "") for o, m in zip(out["org_code"], out["metric_id"], strict=True)]
    return out[CAUSE_COLUMNS]


def _change(before: float, after: float) -> str:
    if np.isnan(before) or np.isnan(after):
        return "not comparable"
    if before == after:
        return "no change"
    word = "better" if after < before else "worse"
    return f"{int(before)} -> {int(after)} ({word})"


def _cause_text(part: pd.DataFrame, top: int = 3) -> str:
    moved = part[part["contribution"].abs() >= NEGLIGIBLE].sort_values("contribution", key=np.abs, ascending=False)
    if moved.empty:
        return "no metric moved the average"
    bits = []
    for r in moved.head(top).itertuples(index=False):
        score = f"score {r.published_score:.2f} -> {r.nowcast_score:.2f}" if np.isfinite(r.published_score) and np.isfinite(r.nowcast_score) else "score entered or left"
        value = f"value {r.published_value:g} -> {r.nowcast_value:g}, " if np.isfinite(r.published_value) and np.isfinite(r.nowcast_value) else ""
        bits.append(f"{r.metric_id} {r.contribution:+.2f} ({value}{score}, {r.status or 'n/a'})")
    more = len(moved) - top
    return "; ".join(bits) + (f"; {more} more" if more > 0 else "")


def board(published: Assessment, now: Assessment, status: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per trust: published and nowcast segments, the change and its cause; and the causes table."""
    c = causes(published, now, status)
    ps = published.summary.set_index("org_code")
    ns = now.summary.set_index("org_code")
    counts = status.pivot_table(index="org_code", columns="status", values="metric_id", aggfunc="count", fill_value=0)
    by_org = {k: g for k, g in c.groupby("org_code", sort=False)}
    rows = []
    for code in ns.index:
        before = float(ps["final_segment"].get(code, np.nan))
        after = float(ns.loc[code, "final_segment"])
        pa, na = float(ps["average_score_unrounded"].get(code, np.nan)), float(ns.loc[code, "average_score_unrounded"])
        part = by_org.get(code, pd.DataFrame(columns=CAUSE_COLUMNS))
        rows.append({
            "org_code": code, "org_name": ns.loc[code, "org_name"], "trust_type": ns.loc[code, "trust_type"],
            "published_segment": before, "nowcast_segment": after, "segment_change": _change(before, after),
            "published_average": round(pa, 3), "nowcast_average": round(na, 3), "average_change": round(na - pa, 3),
            "cause": _cause_text(part) if np.isfinite(pa) else "not in the published quarter",
            "derived": int(counts.loc[code].get("derived", 0)) if code in counts.index else 0,
            "carried_forward": int(counts.loc[code].get("carried forward", 0)) if code in counts.index else 0,
            "missing": int(counts.loc[code].get("missing", 0)) if code in counts.index else 0,
        })
    table = pd.DataFrame(rows, columns=BOARD_COLUMNS)
    for col in ("published_segment", "nowcast_segment"):
        table[col] = table[col].astype("Int64")
    order = table["segment_change"].eq("no change").to_numpy()
    table = pd.concat([table[~order], table[order]], ignore_index=True)
    return table, c


def board_text(table: pd.DataFrame, by_metric: pd.DataFrame, check_lines: list[str], quarter: str, published_period: str) -> str:
    """The terminal view: changed trusts first with causes, then value sources and the check."""
    changed = table[table["segment_change"] != "no change"]
    out = [f"Nowcast {quarter} against the published {published_period}: {len(changed)} of {len(table)} trusts change segment", ""]
    for r in changed.itertuples(index=False):
        out.append(f"{r.org_code} {r.org_name}: segment {r.segment_change}; average {r.published_average:.2f} -> {r.nowcast_average:.2f} ({r.average_change:+.2f})")
        out.append(f"    why: {r.cause}")
        out.append(f"    metrics: {r.derived} derived, {r.carried_forward} carried forward, {r.missing} missing")
    if len(changed):
        out.append("")
    same = table[table["segment_change"] == "no change"]
    if len(same):
        out.append(f"Unchanged ({len(same)}): " + ", ".join(f"{c} {s}" for c, s in zip(same["org_code"], same["nowcast_segment"], strict=True)))
        out.append("")
    out.append("Where each metric's values come from (organisations):")
    out.append(by_metric.to_string(index=False))
    out.append("")
    out.append("Definition check of the derived metrics (how far to trust them):")
    out.extend(f"  {x}" for x in (check_lines or ["no derived metric has a published value to check against"]))
    return "\n".join(out) + "\n"
