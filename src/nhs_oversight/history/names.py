"""Names for the codes in a history table, so that ``oversight history ORG`` reads as words.

NOF codes are named from the framework (``OF0013`` its metric, ``OF1013`` that metric's score,
``OF40xx`` / ``OF41xx`` a domain's score and segment, ``OF50xx`` the summary fields); metrics
derived from raw statistics take the name of their definition file. Pure: no IO.
"""

from __future__ import annotations

import pandas as pd

from nhs_oversight.frameworks import Framework

_SUMMARY_WORDS = {
    "adjusted_segment": "Adjusted segment",
    "average_score": "Average metric score",
    "unadjusted_segment": "Unadjusted segment",
    "financial_override": "Financial override flag",
    "final_segment": "Final segment (5 = Recovery Support Programme)",
    "recovery_support": "Recovery Support Programme flag",
}


def metric_names(framework: Framework, derived: dict[str, str] | None = None) -> dict[str, str]:
    """Code -> name for every code the framework publishes, plus derived metrics' names."""
    names = dict(derived or {})
    for m in framework.metrics:
        names[m.id] = m.short_name
        names[m.score_id] = f"{m.short_name} (score)"
    for d in framework.domains:
        names[d.score_id] = f"{d.name} domain score"
        names[d.segment_id] = f"{d.name} domain segment"
    for field, code in framework.summary_ids.model_dump().items():
        names[code] = _SUMMARY_WORDS.get(field, field.replace("_", " ").capitalize())
    return names


def named(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The table with a ``metric`` name column after ``metric_id`` (codes without a name: blank)."""
    if "metric_id" not in table.columns or "metric" in table.columns:
        return table
    out = table.copy()
    out.insert(out.columns.get_loc("metric_id") + 1, "metric", out["metric_id"].map(names).fillna(""))
    return out


def for_screen(table: pd.DataFrame) -> pd.DataFrame:
    """Blank instead of NaN, and whole counts without a trailing .0, for the terminal table."""
    out = table.astype(object).where(table.notna(), "")
    for col in ("numerator", "denominator"):
        if col in table.columns:
            out[col] = [("" if pd.isna(v) else f"{v:,.0f}" if float(v).is_integer() else f"{v:,g}") for v in table[col]]
    return out
