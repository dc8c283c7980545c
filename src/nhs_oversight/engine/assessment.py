"""The assessment: one immutable result holding every intermediate of the method.

Explanations, reports, the dashboard and the briefing read it; none of them recompute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.engine.options import AssessOptions
from nhs_oversight.engine.segments import SEGMENTS, CutPoints
from nhs_oversight.errors import OptionError
from nhs_oversight.frameworks.model import Framework

SUMMARY_COLUMNS = [
    "org_code",
    "org_name",
    "trust_type",
    "trust_subtype",
    "region",
    "icb_code",
    "icb_name",
    "n_metrics",
    "average_score_unrounded",
    "average_score",
    "unadjusted_segment",
    "financial_flag",
    "financial_flag_source",
    "financial_override",
    "adjusted_segment",
    "recovery_support",
    "final_segment",
    "rank",
    "rank_of",
]


@dataclass(frozen=True)
class Assessment:
    """Everything the method computed for one quarter.

    Attributes
    ----------
    framework : the method version used.
    options : how it was run (fixed cut points, recomputation of pooled metrics).
    inputs : the inputs it was run on (kept so that what-if runs can change one value).
    metrics : one row per organisation x metric: value, population, rank, score, weight, the rule
        applied, the source of the score (computed / published / input) and the input row.
    domains : one row per organisation x domain: score, segment, rank.
    summary : one row per organisation: average score, segments before and after the override,
        final segment (5 = Recovery Support Programme) and league rank within trust type.
    cutpoints : cut points for ``overall`` and each domain, with how they were obtained.
    national : whether the input holds every trust type the framework segments.
    warnings : plain-English notes about the input that users should see.
    notes : how the method was applied where the published data leave a choice (e.g. the order of
        values equal after rounding); shown in JSON provenance and on request, not as warnings.
    """

    framework: Framework
    options: AssessOptions
    inputs: OversightInputs
    metrics: pd.DataFrame
    domains: pd.DataFrame
    summary: pd.DataFrame
    cutpoints: dict[str, CutPoints]
    national: bool
    warnings: tuple[str, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = field(default_factory=tuple)

    # -- identity -----------------------------------------------------------------------------
    @property
    def period(self) -> str | None:
        return self.inputs.period

    @property
    def label(self) -> str | None:
        return self.inputs.label

    def provenance(self) -> dict[str, Any]:
        """What every output must say: source files, period, method version, data label."""
        meta = {
            "framework": self.framework.id,
            "framework_name": self.framework.name,
            "framework_status": "provisional" if self.framework.is_provisional else self.framework.status,
            "period": self.period,
            "source_files": [str(f) for f in self.inputs.files],
            "organisations": len(self.summary),
            "national_population": self.national,
            "cutpoints": {k: {"values": list(v.values), "method": v.method, "detail": v.detail} for k, v in self.cutpoints.items()},
        }
        if self.inputs.reference:
            meta["organisation_reference"] = self.inputs.reference
        if self.notes:
            meta["notes"] = list(self.notes)
        if self.warnings:
            meta["warnings"] = list(self.warnings)  # in full: the terminal shows one summary line
        if self.label:
            meta["dataset"] = self.label
        if self.framework.provisional:
            meta["provisional_rules"] = list(self.framework.provisional)
        return meta

    # -- look-ups -----------------------------------------------------------------------------
    def org(self, code: str) -> pd.Series:
        """The summary row of one organisation, by ODS code (case-insensitive)."""
        code_u = code.strip().upper()
        rows = self.summary[self.summary["org_code"].str.upper() == code_u]
        if rows.empty:
            raise OptionError(f"organisation {code!r} is not in the input ({len(self.summary)} organisations)")
        return rows.iloc[0]

    def org_metrics(self, code: str) -> pd.DataFrame:
        code_u = self.org(code)["org_code"]
        return self.metrics[self.metrics["org_code"] == code_u].reset_index(drop=True)

    def org_domains(self, code: str) -> pd.DataFrame:
        code_u = self.org(code)["org_code"]
        return self.domains[self.domains["org_code"] == code_u].reset_index(drop=True)

    # -- tables for people --------------------------------------------------------------------
    def league_table(self, wide: bool = True) -> pd.DataFrame:
        """One row per organisation, ordered by trust type then rank.

        With ``wide`` the domain scores and each metric's value, score and source are added as
        columns (``value_OF0013``, ``score_OF1013``, ``source_OF1013``).
        """
        table = self.summary.copy()
        if wide:
            dom = self.domains.pivot(index="org_code", columns="domain", values="score")
            dom = dom.reindex(columns=[d.id for d in self.framework.domains if d.id in dom.columns])
            dom.columns = [f"domain_{c}" for c in dom.columns]
            table = table.merge(dom, left_on="org_code", right_index=True, how="left")
            m = self.metrics
            for col, prefix, key in (("value", "value_", "metric_id"), ("score", "score_", "score_id"), ("score_source", "source_", "score_id")):
                piv = m.pivot(index="org_code", columns=key, values=col)
                order = [getattr(x, "id" if key == "metric_id" else "score_id") for x in self.framework.metrics]
                piv = piv.reindex(columns=[c for c in order if c in piv.columns])
                piv.columns = [f"{prefix}{c}" for c in piv.columns]
                table = table.merge(piv, left_on="org_code", right_index=True, how="left")
        type_order = {t.id: i for i, t in enumerate(self.framework.trust_types)}
        table = table.assign(_t=table["trust_type"].map(type_order)).sort_values(["_t", "rank", "org_code"]).drop(columns="_t")
        if self.label:
            table.insert(0, "dataset", self.label)
        return table.reset_index(drop=True)

    def has_icbs(self) -> bool:
        """Whether the input gives ICB codes (published NOF files do not)."""
        codes = self.summary["icb_code"].fillna("").astype(str).str.strip()
        return bool((codes != "").any())

    def segment_totals(self, column: str = "final_segment") -> dict[int, int]:
        """Organisations in each segment 1-5 of a summary column (segments with none count 0)."""
        counts = self.summary[column].value_counts()
        return {s: int(counts.get(s, 0)) for s in SEGMENTS}

    def segment_counts(self, by: str | None = None) -> pd.DataFrame:
        """Organisations in each final segment, overall or by a summary column.

        Returns one row per group (or one row, group ``England``) with ``organisations``,
        ``segment_1`` .. ``segment_5`` counts and ``share_1`` .. ``share_5`` (0-1), sorted by group.
        For ``icb_code`` the ICB name is added; for ``trust_type`` the framework's label.
        """
        s = self.summary
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
            out.insert(1, "label", [self.framework.trust_type_label(t) for t in out["group"]])
            order = {t.id: i for i, t in enumerate(self.framework.trust_types)}
            return out.assign(_o=out["group"].map(order)).sort_values(["_o", "group"]).drop(columns="_o").reset_index(drop=True)
        else:
            out.insert(1, "label", out["group"])
        return out.sort_values("group").reset_index(drop=True)

    def largest_share(self, by: str | None = None, segment: int = 4) -> pd.DataFrame:
        """The group(s) of :meth:`segment_counts` ``by`` with the largest share in ``segment``."""
        table = self.segment_counts(by)
        col = f"share_{segment}"
        if table.empty:
            return table
        top = table[col].max()
        return table[table[col] == top].reset_index(drop=True)

    def metric_rows(self, metric_id: str) -> pd.DataFrame:
        """Every organisation's value and score for one metric, with its name, type and region."""
        m = self.metrics[self.metrics["metric_id"] == metric_id]
        names = self.summary[["org_code", "org_name", "trust_type", "region"]]
        return m.merge(names, on="org_code", how="left").reset_index(drop=True)

    def best_and_worst(self, metric_id: str, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The ``n`` organisations with the best and the worst scores on a metric.

        Ordered by the engine's score (1 best), then by value in the metric's better direction,
        then ODS code; organisations without a score are left out.
        """
        rows = self.metric_rows(metric_id).dropna(subset=["score"])
        higher = self.framework.metric(metric_id).higher_is_better
        ordered = rows.sort_values(["score", "value", "org_code"], ascending=[True, not higher, True], na_position="last")
        worst = rows.sort_values(["score", "value", "org_code"], ascending=[False, higher, True], na_position="last")
        return ordered.head(n).reset_index(drop=True), worst.head(n).reset_index(drop=True)
