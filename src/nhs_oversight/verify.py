"""Compare an assessment with NHS England's published figures: match rates and mismatch causes.

The engine is run on inputs from which every published figure it could copy has been removed;
only what it may legitimately use stays (scores of pooled metrics whose population is not in the
input, and the published average/segment pairs that imply the national cut points).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nhs_oversight.engine import Assessment, AssessOptions, assess
from nhs_oversight.frameworks.model import Framework
from nhs_oversight.inputs import OversightInputs

#: Acceptance targets: share of trusts (or trust x metric pairs) that must match.
TARGETS = {
    "segments": 1.0,
    "rank": 0.985,
    "average": 0.99,
    "domain": 0.99,
    "metric_scores": 0.95,
    "metric_in_file": 0.99,
    "published_share_max": 1 / 3,
}
SCORE_TOL = 0.005 + 1e-9
AVERAGE_TOL = 0.01 + 1e-9


def allowed_published(framework: Framework, stand_ins: bool = True) -> set[str]:
    """Published fields the engine may use: pooled-metric scores and cut-point evidence."""
    ids = framework.summary_ids
    keep = {ids.average_score, ids.unadjusted_segment}
    keep |= {d.score_id for d in framework.domains} | {d.segment_id for d in framework.domains}
    if stand_ins:
        keep |= {m.score_id for m in framework.metrics if m.is_pooled}
    return keep


def engine_inputs(inputs: OversightInputs, framework: Framework, stand_ins: bool = True) -> OversightInputs:
    return inputs.without_published(keep=allowed_published(framework, stand_ins))


@dataclass(frozen=True)
class VerifyReport:
    """Match rates per field and per metric, every mismatch with its cause, and the verdict."""

    fields: pd.DataFrame
    metrics: pd.DataFrame
    mismatches: pd.DataFrame
    passed: bool
    meta: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        from nhs_oversight.render.output import dataframe_records

        return {
            "meta": self.meta,
            "passed": self.passed,
            "fields": dataframe_records(self.fields),
            "metrics": dataframe_records(self.metrics),
            "mismatches": dataframe_records(self.mismatches),
        }


def _published(inputs: OversightInputs, field: str) -> pd.Series:
    p = inputs.published
    p = p[p["field"] == field].drop_duplicates("org_code")
    return p.set_index("org_code")["value"]


def _published_rank(inputs: OversightInputs, field: str) -> pd.Series:
    p = inputs.published
    p = p[p["field"] == field].drop_duplicates("org_code")
    return p.set_index("org_code")["rank"]


def compare(assessment: Assessment, full: OversightInputs) -> VerifyReport:
    """Compare an assessment with the published figures in ``full`` (the unfiltered inputs)."""
    fw = assessment.framework
    ids = fw.summary_ids
    s = assessment.summary.set_index("org_code")
    rows: list[dict[str, Any]] = []
    mism: list[dict[str, Any]] = []
    metric_bad = _metric_mismatches(assessment, full)
    bad_metric_orgs = metric_bad.groupby("org_code")["field"].apply(list).to_dict() if len(metric_bad) else {}

    def field_row(name, label, computed: pd.Series, published: pd.Series, tol: float | None, target: float, kind: str):
        both = computed.index.intersection(published.dropna().index)
        c = computed.reindex(both).astype(float)
        p = published.reindex(both).astype(float)
        ok = (c - p).abs() <= tol if tol is not None else (c == p)
        exact = (c - p).abs() <= SCORE_TOL
        rows.append(
            {
                "field": name,
                "what": label,
                "compared": len(both),
                "matched": int(ok.sum()),
                "match_rate": float(ok.mean()) if len(both) else np.nan,
                "exact_2dp": int(exact.sum()) if tol is not None else int(ok.sum()),
                "target": target,
                "meets_target": bool(len(both) == 0 or ok.mean() >= target - 1e-12),
            }
        )
        for org in both[~ok.to_numpy()]:
            mism.append(
                {
                    "org_code": org,
                    "field": name,
                    "what": label,
                    "computed": float(c[org]),
                    "published": float(p[org]),
                    "difference": float(c[org] - p[org]),
                    "cause": _cause(kind, org, assessment, bad_metric_orgs, full),
                }
            )

    field_row(ids.average_score, "average metric score", s["average_score"], _published(full, ids.average_score), AVERAGE_TOL, TARGETS["average"], "average")
    field_row(ids.unadjusted_segment, "unadjusted segment", s["unadjusted_segment"], _published(full, ids.unadjusted_segment), None, TARGETS["segments"], "segment")
    field_row(ids.financial_override, "financial override applied", s["financial_override"].astype(float), _override_published(full, fw), None, TARGETS["segments"], "override")
    field_row(ids.adjusted_segment, "adjusted segment", s["adjusted_segment"], _published(full, ids.adjusted_segment), None, TARGETS["segments"], "segment")
    field_row(ids.final_segment, "final segment (5 = RSP)", s["final_segment"], _published(full, ids.final_segment), None, TARGETS["segments"], "segment")
    field_row("rank", "league-table rank", s["rank"], _published_rank(full, ids.adjusted_segment), None, TARGETS["rank"], "rank")
    for d in fw.domains:
        dd = assessment.domains[assessment.domains["domain"] == d.id].set_index("org_code")
        field_row(d.score_id, f"{d.name} domain score", dd["score_2dp"], _published(full, d.score_id), AVERAGE_TOL, TARGETS["domain"], "domain")
        field_row(d.segment_id, f"{d.name} domain segment", dd["segment"], _published(full, d.segment_id), None, TARGETS["segments"], "domain_segment")

    metrics = _metric_table(assessment, full)
    overall_metrics = metrics[metrics["compared"] > 0]
    total = int(overall_metrics["compared"].sum())
    matched = int(overall_metrics["matched"].sum())
    pairs = assessment.metrics
    published_share = float((pairs["score_source"] == "published").mean()) if len(pairs) else 0.0
    rows.append(
        {
            "field": "OF1xxx",
            "what": "metric scores (all trust x metric pairs)",
            "compared": total,
            "matched": matched,
            "match_rate": matched / total if total else np.nan,
            "exact_2dp": matched,
            "target": TARGETS["metric_scores"],
            "meets_target": bool(total == 0 or matched / total >= TARGETS["metric_scores"]),
        }
    )
    in_file = overall_metrics[overall_metrics["population_in_input"] & (overall_metrics["computed"] > 0)]
    rows.append(
        {
            "field": "OF1xxx*",
            "what": "metric scores, each metric whose population is in the input (worst metric)",
            "compared": int(in_file["compared"].sum()),
            "matched": int(in_file["matched"].sum()),
            "match_rate": float(in_file["match_rate"].min()) if len(in_file) else np.nan,
            "exact_2dp": int(in_file["matched"].sum()),
            "target": TARGETS["metric_in_file"],
            "meets_target": bool(len(in_file) == 0 or in_file["match_rate"].min() >= TARGETS["metric_in_file"]),
        }
    )
    rows.append(
        {
            "field": "source",
            "what": "share of metric scores taken as published (pooled metrics only)",
            "compared": len(pairs),
            "matched": int((pairs["score_source"] == "published").sum()),
            "match_rate": published_share,
            "exact_2dp": np.nan,
            "target": TARGETS["published_share_max"],
            "meets_target": published_share <= TARGETS["published_share_max"] + 1e-12,
        }
    )
    fields = pd.DataFrame(rows)
    mismatches = pd.concat([pd.DataFrame(mism), metric_bad], ignore_index=True) if len(metric_bad) else pd.DataFrame(mism)
    if mismatches.empty:
        mismatches = pd.DataFrame(columns=["org_code", "field", "what", "computed", "published", "difference", "cause"])
    fields = fields[fields["compared"] > 0].reset_index(drop=True)
    passed = bool(fields["meets_target"].all())
    meta = {**assessment.provenance(), "targets": TARGETS}
    return VerifyReport(fields=fields, metrics=metrics, mismatches=mismatches, passed=passed, meta=meta)


def _override_published(full: OversightInputs, fw: Framework) -> pd.Series:
    """Published 'override applied' = adjusted segment differs from unadjusted."""
    ids = fw.summary_ids
    adj, un = _published(full, ids.adjusted_segment), _published(full, ids.unadjusted_segment)
    both = adj.index.intersection(un.index)
    return (adj[both] != un[both]).astype(float)


def _metric_table(assessment: Assessment, full: OversightInputs) -> pd.DataFrame:
    m = assessment.metrics
    pub = full.published
    present = set(assessment.inputs.orgs["trust_type"])
    out = []
    for metric in assessment.framework.metrics:
        rows = m[m["score_id"] == metric.score_id]
        if rows.empty:
            continue
        p = pub[pub["field"] == metric.score_id].drop_duplicates("org_code").set_index("org_code")["value"]
        c = rows.set_index("org_code")["score_2dp"]
        both = c.index.intersection(p.index)
        ok = ((c[both] - p[both]).abs() <= SCORE_TOL) if len(both) else pd.Series(dtype=bool)
        sources = rows["score_source"].value_counts().to_dict()
        out.append(
            {
                "score_id": metric.score_id,
                "metric": metric.short_name,
                "scoring": metric.scoring.model,
                "population": metric.population,
                "population_in_input": not metric.is_pooled or set(metric.trust_types) <= present,
                "computed": int(sources.get("computed", 0)),
                "published": int(sources.get("published", 0)),
                "input": int(sources.get("input", 0)),
                "compared": len(both),
                "matched": int(ok.sum()),
                "match_rate": float(ok.mean()) if len(both) else np.nan,
            }
        )
    return pd.DataFrame(out)


def _metric_mismatches(assessment: Assessment, full: OversightInputs) -> pd.DataFrame:
    m = assessment.metrics
    pub = full.published
    pub = pub[pub["field"].str.startswith("OF1")].drop_duplicates(["org_code", "field"])
    j = m.merge(pub[["org_code", "field", "value"]], left_on=["org_code", "score_id"], right_on=["org_code", "field"], how="inner")
    bad = j[(j["score_2dp"] - j["value_y"]).abs() > SCORE_TOL]
    rows = []
    for _, r in bad.iterrows():
        metric = assessment.framework.metric(r["score_id"])
        cause = "unknown"
        if r["score_source"] == "computed" and metric.is_pooled and not assessment.national:
            cause = "scored over the trusts in the input; NHS England scored over every trust nationally"
        elif r["score_source"] == "computed":
            same = j[(j["score_id"] == r["score_id"]) & (j["value_x"] == r["value_x"])]
            if len(same) > 1 and same["value_y"].nunique() > 1:
                cause = "equal published values with different published scores: NHS England ranked unrounded values"
        rows.append(
            {
                "org_code": r["org_code"],
                "field": r["score_id"],
                "what": f"{metric.short_name} score",
                "computed": float(r["score_2dp"]),
                "published": float(r["value_y"]),
                "difference": float(r["score_2dp"] - r["value_y"]),
                "cause": cause,
            }
        )
    return pd.DataFrame(rows)


def _cause(kind: str, org: str, assessment: Assessment, bad_metric_orgs: dict, full: OversightInputs) -> str:
    if org in bad_metric_orgs and kind in ("average", "domain", "segment", "rank", "domain_segment"):
        return "metric score(s) differ: " + ", ".join(sorted(bad_metric_orgs[org]))
    if kind in ("average", "domain"):
        return "rounding: published metric scores carry 2 dp"
    if kind == "segment":
        cut = assessment.cutpoints["overall"]
        return f"average score lies between the cut points' possible values ({cut.describe()})"
    if kind == "override":
        return "financial flag or unadjusted segment differs"
    if kind == "rank":
        return "equal 2-dp averages ranked differently, or a segment differs"
    return "unknown"


def verify(inputs: OversightInputs, framework: Framework, options: AssessOptions | None = None, stand_ins: bool = True) -> tuple[VerifyReport, Assessment]:
    """Recompute from inputs stripped of copyable published figures and compare with them."""
    a = assess(engine_inputs(inputs, framework, stand_ins), framework, options)
    return compare(a, inputs), a
