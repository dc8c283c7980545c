"""Compare an assessment with NHS England's published figures: match rates and mismatch causes.

The engine is run on inputs from which every published figure it could copy has been removed;
only what it may legitimately use stays (scores of pooled metrics whose population is not in the
input, and the published average/segment pairs that imply the national cut points).

A match is exact: the same segment or rank, or a score equal at the 2 decimal places NHS England
publishes. Scores within 0.01 are counted too, in their own column, and never as matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nhs_oversight.engine import Assessment, AssessOptions, assess
from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.frameworks.model import Framework

#: Acceptance targets: share of trusts (or trust x metric pairs) that must match exactly.
TARGETS = {
    "segments": 1.0,
    "rank": 1.0,
    "average": 0.99,
    "domain": 0.99,
    "metric_scores": 0.95,
    "metric_in_file": 0.995,
}
SCORE_TOL = 0.005 + 1e-9  # equal at 2 dp
AVERAGE_TOL = 0.01 + 1e-9  # "within a hundredth": reported apart, never a match

FIELD_COLUMNS = ["field", "what", "compared", "matched", "match_rate", "within_0_01", "target", "meets_target"]


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
    """Match rates per field, per metric and per trust type, every mismatch with its cause, the verdict.

    ``fields`` has ``matched`` (exact) and, for scores, ``within_0_01``; ``stand_ins`` names each
    metric whose published score stood in because its population is not in the input.
    """

    fields: pd.DataFrame
    metrics: pd.DataFrame
    mismatches: pd.DataFrame
    passed: bool
    meta: dict[str, Any]
    by_type: pd.DataFrame
    stand_ins: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        from nhs_oversight.util.jsonable import dataframe_records

        return {
            "meta": self.meta,
            "passed": self.passed,
            "fields": dataframe_records(self.fields),
            "by_type": dataframe_records(self.by_type),
            "stand_ins": dataframe_records(self.stand_ins),
            "metrics": dataframe_records(self.metrics),
            "mismatches": dataframe_records(self.mismatches),
        }


# ------------------------------------------------------------------------------ published look-ups
def _published(inputs: OversightInputs, field: str, column: str = "value") -> pd.Series:
    p = inputs.published
    p = p[p["field"] == field].drop_duplicates("org_code")
    return p.set_index("org_code")[column]


def _override_published(full: OversightInputs, fw: Framework) -> pd.Series:
    """Published 'override applied' = adjusted segment differs from unadjusted."""
    ids = fw.summary_ids
    adj, un = _published(full, ids.adjusted_segment), _published(full, ids.unadjusted_segment)
    both = adj.index.intersection(un.index)
    return (adj[both] != un[both]).astype(float)


def _published_scores(full: OversightInputs) -> pd.DataFrame:
    pub = full.published
    return pub[pub["field"].str.startswith("OF1")].drop_duplicates(["org_code", "field"])


# ------------------------------------------------------------------------------------ comparisons
@dataclass(frozen=True)
class _Check:
    """One published field against its recomputed value."""

    field: str
    what: str
    computed: pd.Series
    published: pd.Series
    kind: str  # average, domain, segment, override, rank, domain_segment
    target: float

    @property
    def is_score(self) -> bool:
        return self.kind in ("average", "domain")

    def joined(self) -> tuple[pd.Series, pd.Series]:
        both = self.computed.index.intersection(self.published.dropna().index)
        return self.computed.reindex(both).astype(float), self.published.reindex(both).astype(float)

    def exact(self, c: pd.Series, p: pd.Series) -> pd.Series:
        return (c - p).abs() <= SCORE_TOL if self.is_score else (c == p)


def _checks(assessment: Assessment, full: OversightInputs) -> list[_Check]:
    fw = assessment.framework
    ids = fw.summary_ids
    s = assessment.summary.set_index("org_code")
    checks = [
        _Check(ids.average_score, "average metric score", s["average_score"], _published(full, ids.average_score), "average", TARGETS["average"]),
        _Check(ids.unadjusted_segment, "unadjusted segment", s["unadjusted_segment"], _published(full, ids.unadjusted_segment), "segment", TARGETS["segments"]),
        _Check(ids.financial_override, "financial override applied", s["financial_override"].astype(float), _override_published(full, fw), "override", TARGETS["segments"]),
        _Check(ids.adjusted_segment, "adjusted segment", s["adjusted_segment"], _published(full, ids.adjusted_segment), "segment", TARGETS["segments"]),
        _Check(ids.final_segment, "final segment (5 = RSP)", s["final_segment"], _published(full, ids.final_segment), "segment", TARGETS["segments"]),
        _Check("rank", "league-table rank", s["rank"], _published(full, ids.adjusted_segment, "rank"), "rank", TARGETS["rank"]),
    ]
    for d in fw.domains:
        dd = assessment.domains[assessment.domains["domain"] == d.id].set_index("org_code")
        checks.append(_Check(d.score_id, f"{d.name} domain score", dd["score_2dp"], _published(full, d.score_id), "domain", TARGETS["domain"]))
        checks.append(_Check(d.segment_id, f"{d.name} domain segment", dd["segment"], _published(full, d.segment_id), "domain_segment", TARGETS["segments"]))
    return checks


def _field_row(check: _Check) -> dict[str, Any]:
    c, p = check.joined()
    ok = check.exact(c, p)
    rate = float(ok.mean()) if len(c) else np.nan
    return {
        "field": check.field,
        "what": check.what,
        "compared": len(c),
        "matched": int(ok.sum()),
        "match_rate": rate,
        "within_0_01": int(((c - p).abs() <= AVERAGE_TOL).sum()) if check.is_score else np.nan,
        "target": check.target,
        "meets_target": bool(len(c) == 0 or rate >= check.target - 1e-12),
    }


def _metric_pairs(assessment: Assessment, full: OversightInputs) -> pd.DataFrame:
    """Every recomputed metric score beside its published 2-dp score."""
    m = assessment.metrics
    pub = _published_scores(full)[["org_code", "field", "value"]].rename(columns={"value": "published", "field": "score_id"})
    j = m.merge(pub, on=["org_code", "score_id"], how="inner")
    j["exact"] = (j["score_2dp"] - j["published"]).abs() <= SCORE_TOL
    return j


def _metric_table(assessment: Assessment, pairs: pd.DataFrame) -> pd.DataFrame:
    present = set(assessment.inputs.orgs["trust_type"])
    out = []
    for metric in assessment.framework.metrics:
        rows = assessment.metrics[assessment.metrics["score_id"] == metric.score_id]
        if rows.empty:
            continue
        pm = pairs[pairs["score_id"] == metric.score_id]
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
                "compared": len(pm),
                "matched": int(pm["exact"].sum()),
                "match_rate": float(pm["exact"].mean()) if len(pm) else np.nan,
                "tie_order_published_rank": int((rows["tie_order"] == "published rank").sum()),
            }
        )
    return pd.DataFrame(out)


def _summary_rows(assessment: Assessment, pairs: pd.DataFrame, metrics: pd.DataFrame) -> list[dict[str, Any]]:
    """The metric-score rows and the share of scores taken as published."""
    scored = metrics[metrics["compared"] > 0]
    total, matched = int(scored["compared"].sum()), int(scored["matched"].sum())
    computed = pairs[pairs["score_source"] == "computed"]
    in_file = computed[computed["score_id"].isin(set(scored.loc[scored["population_in_input"], "score_id"]))]
    share = float((assessment.metrics["score_source"] == "published").mean()) if len(assessment.metrics) else 0.0
    n_in = len(in_file)
    return [
        {
            "field": "OF1xxx",
            "what": "metric scores (all trust x metric pairs)",
            "compared": total,
            "matched": matched,
            "match_rate": matched / total if total else np.nan,
            "within_0_01": int((pairs["score_2dp"] - pairs["published"]).abs().le(AVERAGE_TOL).sum()),
            "target": TARGETS["metric_scores"],
            "meets_target": bool(total == 0 or matched / total >= TARGETS["metric_scores"]),
        },
        {
            "field": "OF1xxx*",
            "what": "metric scores recomputed from values (population in the input)",
            "compared": n_in,
            "matched": int(in_file["exact"].sum()),
            "match_rate": float(in_file["exact"].mean()) if n_in else np.nan,
            "within_0_01": int((in_file["score_2dp"] - in_file["published"]).abs().le(AVERAGE_TOL).sum()),
            "target": TARGETS["metric_in_file"],
            "meets_target": bool(n_in == 0 or in_file["exact"].mean() >= TARGETS["metric_in_file"] - 1e-12),
        },
        {
            "field": "source",
            "what": "share of metric scores taken as published (pooled metrics only)",
            "compared": len(assessment.metrics),
            "matched": int((assessment.metrics["score_source"] == "published").sum()),
            "match_rate": share,
            "within_0_01": np.nan,
            "target": np.nan,  # a property of the input (which trust types it holds), not a result
            "meets_target": True,
        },
    ]


def _by_type(assessment: Assessment, checks: list[_Check], pairs: pd.DataFrame) -> pd.DataFrame:
    """Exact matches per trust type: averages, segments, ranks and recomputed metric scores."""
    labels = {t.id: t.label for t in assessment.framework.trust_types}
    type_of = assessment.summary.set_index("org_code")["trust_type"]
    wanted = {c.field: c for c in checks if c.kind in ("average", "segment", "rank")}
    rows = []
    for t in [t for t in labels if (type_of == t).any()]:
        row: dict[str, Any] = {"trust_type": labels[t], "trusts": int((type_of == t).sum())}
        for field, check in wanted.items():
            c, p = check.joined()
            keep = c.index[type_of.reindex(c.index).to_numpy() == t]
            row[field] = f"{int(check.exact(c[keep], p[keep]).sum())}/{len(keep)}"
        mine = pairs[(pairs["org_code"].map(type_of) == t) & (pairs["score_source"] == "computed")]
        row["metric_scores_recomputed"] = f"{int(mine['exact'].sum())}/{len(mine)}"
        rows.append(row)
    return pd.DataFrame(rows)


def _stand_ins(assessment: Assessment) -> pd.DataFrame:
    """Each metric whose published score stood in, how many trusts it covers, and which types it lacks."""
    m = assessment.metrics
    present = set(assessment.inputs.orgs["trust_type"])
    fw = assessment.framework
    rows = []
    for metric_id, g in m[m["score_source"] == "published"].groupby("metric_id", sort=False):
        metric = fw.metric(metric_id)
        missing = [fw.trust_type_label(t) for t in metric.trust_types if t not in present]
        sizes = g["group_size"].dropna()
        rows.append(
            {
                "metric_id": metric_id,
                "metric": metric.short_name,
                "trusts": len(g),
                "population_missing": ", ".join(missing),
                "unrounded_with_national_group": int(sizes.iloc[0]) if len(sizes) else None,
            }
        )
    return pd.DataFrame(rows, columns=["metric_id", "metric", "trusts", "population_missing", "unrounded_with_national_group"])


# ------------------------------------------------------------------------------------- mismatches
def _metric_mismatches(assessment: Assessment, pairs: pd.DataFrame) -> pd.DataFrame:
    bad = pairs[~pairs["exact"]]
    rows = []
    for _, r in bad.iterrows():
        metric = assessment.framework.metric(r["score_id"])
        cause = "unknown"
        if r["score_source"] == "computed" and metric.is_pooled and not set(metric.trust_types) <= set(assessment.inputs.orgs["trust_type"]):
            cause = "scored over the trusts in the input; NHS England scored over every trust nationally"
        elif r["score_source"] == "computed" and r["tie_order"] == "tied":
            cause = "equal published values of different trust types: their order, which NHS England took from unrounded values, is not published"
        elif r["score_source"] == "computed":
            same = pairs[(pairs["score_id"] == r["score_id"]) & (pairs["value"] == r["value"])]
            if len(same) > 1 and same["published"].nunique() > 1:
                cause = "equal published values with different published scores: NHS England ranked unrounded values"
        rows.append(
            {
                "org_code": r["org_code"],
                "field": r["score_id"],
                "what": f"{metric.short_name} score",
                "computed": float(r["score_2dp"]),
                "published": float(r["published"]),
                "difference": float(r["score_2dp"] - r["published"]),
                "cause": cause,
            }
        )
    return pd.DataFrame(rows)


def _field_mismatches(checks: list[_Check], assessment: Assessment, bad_metric_orgs: dict) -> list[dict[str, Any]]:
    out = []
    for check in checks:
        c, p = check.joined()
        for org in c.index[~check.exact(c, p).to_numpy()]:
            out.append(
                {
                    "org_code": org,
                    "field": check.field,
                    "what": check.what,
                    "computed": float(c[org]),
                    "published": float(p[org]),
                    "difference": float(c[org] - p[org]),
                    "cause": _cause(check.kind, org, assessment, bad_metric_orgs),
                }
            )
    return out


def _cause(kind: str, org: str, assessment: Assessment, bad_metric_orgs: dict) -> str:
    if org in bad_metric_orgs and kind in ("average", "domain", "segment", "rank", "domain_segment"):
        return "metric score(s) differ: " + ", ".join(sorted(bad_metric_orgs[org]))
    if kind in ("average", "domain"):
        return "rounding: a metric score enters the average at the other precision (2 dp or unrounded)"
    if kind == "segment":
        cut = assessment.cutpoints["overall"]
        return f"average score lies between the cut points' possible values ({cut.describe()})"
    if kind == "override":
        return "financial flag or unadjusted segment differs"
    if kind == "rank":
        return "equal 2-dp averages ranked differently, or a segment differs"
    return "unknown"


# ------------------------------------------------------------------------------------------ entry
def compare(assessment: Assessment, full: OversightInputs) -> VerifyReport:
    """Compare an assessment with the published figures in ``full`` (the unfiltered inputs)."""
    checks = _checks(assessment, full)
    pairs = _metric_pairs(assessment, full)
    metrics = _metric_table(assessment, pairs)
    fields = pd.DataFrame([_field_row(c) for c in checks] + _summary_rows(assessment, pairs, metrics), columns=FIELD_COLUMNS)
    fields = fields[fields["compared"] > 0].reset_index(drop=True)

    metric_bad = _metric_mismatches(assessment, pairs)
    bad_metric_orgs = metric_bad.groupby("org_code")["field"].apply(list).to_dict() if len(metric_bad) else {}
    mismatches = pd.DataFrame(_field_mismatches(checks, assessment, bad_metric_orgs))
    mismatches = pd.concat([mismatches, metric_bad], ignore_index=True) if len(metric_bad) else mismatches
    if mismatches.empty:
        mismatches = pd.DataFrame(columns=["org_code", "field", "what", "computed", "published", "difference", "cause"])
    meta = {**assessment.provenance(), "targets": TARGETS, "match": "exact: equal segments and ranks, scores equal at 2 dp"}
    return VerifyReport(
        fields=fields,
        metrics=metrics,
        mismatches=mismatches,
        passed=bool(fields["meets_target"].all()),
        meta=meta,
        by_type=_by_type(assessment, checks, pairs),
        stand_ins=_stand_ins(assessment),
    )


def verify(inputs: OversightInputs, framework: Framework, options: AssessOptions | None = None, stand_ins: bool = True) -> tuple[VerifyReport, Assessment]:
    """Recompute from inputs stripped of copyable published figures and compare with them."""
    a = assess(engine_inputs(inputs, framework, stand_ins), framework, options)
    return compare(a, inputs), a
