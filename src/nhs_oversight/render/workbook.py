"""The Excel board pack of an assessment.

Sheets: segments by region, trust type and ICB; the league table; metric scores; domain scores;
cut points; movement since last quarter and uncertainty when given; and "About" (method version,
period, sources, dataset label, notes, segment colour legend). Every table comes from the
assessment or from a library result; nothing is computed here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from nhs_oversight import tabulate
from nhs_oversight.engine import Assessment
from nhs_oversight.render.excel import write_workbook
from nhs_oversight.render.labels import with_labels

#: Readable column titles of the board pack.
HEADERS = {
    "dataset": "Dataset", "org_code": "ODS code", "org_name": "Organisation", "trust_type": "Trust type",
    "trust_subtype": "Trust subtype", "region": "Region", "icb_code": "ICB code", "icb_name": "ICB",
    "n_metrics": "Metrics", "average_score_unrounded": "Average score (unrounded)", "average_score": "Average score",
    "unadjusted_segment": "Unadjusted segment", "financial_flag": "Financial flag", "financial_flag_source": "Financial flag source",
    "financial_override": "Financial override applied", "adjusted_segment": "Adjusted segment",
    "recovery_support": "Recovery Support Programme", "final_segment": "Final segment", "rank": "Rank", "rank_of": "Rank of",
    "metric_id": "Metric", "score_id": "Score id", "domain": "Domain", "value": "Value", "unit": "Unit",
    "population": "Scoring population", "population_size": "Population size", "group_size": "Ranked group size",
    "rule": "Rule", "score": "Score (unrounded)", "score_2dp": "Score", "weight": "Weight", "in_average": "In average",
    "score_source": "Score source", "input_row": "Input row", "segment": "Segment", "group": "Group", "label": "Name",
    "organisations": "Organisations", "scale": "Scale", "cut_1_2": "Cut 1/2", "cut_2_3": "Cut 2/3", "cut_3_4": "Cut 3/4",
    "method": "Method", "detail": "Detail",
    **{f"segment_{k}": f"Segment {k} (count)" for k in range(1, 6)},
    **{f"share_{k}": f"Segment {k} (share)" for k in range(1, 6)},
    **{f"p_segment_{k}": f"Chance of segment {k}" for k in range(1, 5)},
    "p_same": "Chance of the same segment", "modal_segment": "Most likely segment", "entropy": "Entropy",
    "average_low": "Average score, low", "average_high": "Average score, high", "rank_median": "Rank, median",
    "rank_low": "Rank, low", "rank_high": "Rank, high", "mc_error": "Monte Carlo error",
    "segment_before": "Segment before", "segment_after": "Segment after", "direction": "Direction",
    "average_before": "Average before", "average_after": "Average after", "rank_before": "Rank before", "rank_after": "Rank after",
    "reason": "Why", "metric_changes": "Largest score changes",
}


def cutpoint_table(a: Assessment) -> pd.DataFrame:
    rows = []
    for scale, c in a.cutpoints.items():
        rows.append({"scale": scale, "cut_1_2": c.values[0], "cut_2_3": c.values[1], "cut_3_4": c.values[2], "method": c.method, "detail": c.detail, "organisations": c.population_size})
    return pd.DataFrame(rows)


def method_meta(a: Assessment) -> dict[str, str]:
    meta = {k: (", ".join(v) if isinstance(v, list) else str(v)) for k, v in a.provenance().items() if k != "cutpoints"}
    meta["warnings"] = " | ".join(a.warnings) or "none"
    meta["scores"] = "1.00 best to 4.00 worst; average = weighted mean of metric scores (infection metrics one third each)"
    return meta


def _labelled(a: Assessment, df: pd.DataFrame) -> pd.DataFrame:
    """Trust type ids as words, and the dataset label as a first column when there is one."""
    out = df.copy()
    if "trust_type" in out.columns:
        out["trust_type"] = [a.framework.trust_type_label(t) if isinstance(t, str) else t for t in out["trust_type"]]
    return with_labels(out, a.label)


def segment_sheets(a: Assessment) -> dict[str, pd.DataFrame]:
    """Segment counts and shares: by region (with England), by trust type, by ICB where given."""
    england = tabulate.segment_counts(a)
    sheets = {"Segments by region": pd.concat([tabulate.segment_counts(a, "region"), england], ignore_index=True)}
    by_type = tabulate.segment_counts(a, "trust_type")
    sheets["Segments by trust type"] = by_type.assign(group=by_type["label"]).drop(columns="label")
    if tabulate.has_icbs(a):
        sheets["Segments by ICB"] = tabulate.segment_counts(a, "icb_code")
    return sheets


def assessment_workbook(a: Assessment, path: str | Path, movement: Any = None, uncertainty: Any = None) -> Path:
    """Write the board pack.

    Parameters
    ----------
    movement : a :class:`nhs_oversight.movement.Movement` (adds the "Movement" sheet).
    uncertainty : a :class:`nhs_oversight.uncertainty.Uncertainty` (adds the "Uncertainty" sheet).
    """
    tables = {name: _labelled(a, df) for name, df in segment_sheets(a).items()}
    tables["League table"] = _labelled(a, a.league_table(wide=False))
    tables["Metric scores"] = _labelled(a, a.metrics.drop(columns=["average_input"]))
    tables["Domains"] = _labelled(a, a.domains)
    tables["Cut points"] = _labelled(a, cutpoint_table(a))
    meta = method_meta(a)
    if movement is not None:
        tables["Movement"] = _labelled(a, movement.movers)
        meta["movement"] = f"final segments of {movement.previous_period} against {movement.current_period}"
    if uncertainty is not None:
        tables["Uncertainty"] = _labelled(a, uncertainty.table)
        u = getattr(uncertainty, "meta", {}) or {}
        meta["uncertainty"] = f"{u.get('method_description', u.get('method', ''))}; {u.get('draws', '')} draws, seed {u.get('seed', '')}"
    return write_workbook(tables, path, meta=meta, headers=HEADERS, label=a.label)
