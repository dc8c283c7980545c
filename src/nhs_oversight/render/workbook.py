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

from nhs_oversight.engine import Assessment
from nhs_oversight.engine.segments import QUARTILE_SEGMENTS, SEGMENTS
from nhs_oversight.render.excel import SEGMENT_LEGEND, write_workbook
from nhs_oversight.util.labels import with_labels

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
    **{f"segment_{k}": f"Segment {k} (count)" for k in SEGMENTS},
    **{f"share_{k}": f"Segment {k} (share)" for k in SEGMENTS},
    **{f"p_segment_{k}": f"Chance of segment {k}" for k in QUARTILE_SEGMENTS},
    "p_same": "Chance of the same segment", "modal_segment": "Most likely segment", "entropy": "Entropy",
    "average_low": "Average score, low", "average_high": "Average score, high", "rank_median": "Rank, median",
    "rank_low": "Rank, low", "rank_high": "Rank, high", "mc_error": "Monte Carlo error",
    "segment_before": "Segment before", "segment_after": "Segment after", "direction": "Direction",
    "average_before": "Average before", "average_after": "Average after", "rank_before": "Rank before", "rank_after": "Rank after",
    "reason": "Why", "metric_changes": "Largest score changes",
    "metric_name": "Metric name", "domain_name": "Domain name", "tie_order": "Tie order",
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
    england = a.segment_counts()
    sheets = {"Segments by region": pd.concat([a.segment_counts("region"), england], ignore_index=True)}
    by_type = a.segment_counts("trust_type")
    sheets["Segments by trust type"] = by_type.assign(group=by_type["label"]).drop(columns="label")
    if a.has_icbs():
        sheets["Segments by ICB"] = a.segment_counts("icb_code")
    return sheets


def with_names(a: Assessment, df: pd.DataFrame) -> pd.DataFrame:
    """Organisation, metric and domain names beside their codes, so a sheet reads without a key."""
    out = df.copy()
    fw = a.framework
    if "metric_id" in out.columns and "metric_name" not in out.columns:
        names = {m.id: m.name for m in fw.metrics}
        out.insert(out.columns.get_loc("metric_id") + 1, "metric_name", out["metric_id"].map(names))
    if "domain" in out.columns and "domain_name" not in out.columns:
        domains = {d.id: d.name for d in fw.domains}
        out.insert(out.columns.get_loc("domain") + 1, "domain_name", out["domain"].map(domains))
    if "org_code" in out.columns and "org_name" not in out.columns:
        orgs = dict(zip(a.summary["org_code"], a.summary["org_name"], strict=True))
        out.insert(out.columns.get_loc("org_code") + 1, "org_name", out["org_code"].map(orgs))
    return out


def cover_rows(a: Assessment, sheets: list[str]) -> list[tuple[str, Any]]:
    """The cover sheet: title, quarter, the month the data run to, method, segment counts, contents."""
    from nhs_oversight.frameworks.periods import Quarter

    try:
        data_to = f"{Quarter.parse(a.period).months[-1]:%B %Y}" if a.period else "not stated"
    except Exception:  # a period the calendar cannot read is shown as it is
        data_to = "not stated"
    national = a.segment_counts().iloc[0]
    fw = a.framework
    rows: list[tuple[str, Any]] = [
        (f"{fw.name}: segmentation, {a.period or 'period not stated'}" + (f" [{a.label} DATA]" if a.label else ""), None),
        ("Quarter", a.period or "not stated"),
        ("Data to", data_to),
        ("Method", f"{fw.name} ({fw.id})" + (" PROVISIONAL" if fw.is_provisional else "")),
        ("Organisations assessed", int(national["organisations"])),
        ("Organisations in each final segment", None),
    ]
    rows += [(SEGMENT_LEGEND[k], int(national[f"segment_{k}"])) for k in SEGMENTS]
    rows.append(("Sheets", None))
    rows += [(name, SHEET_NOTES.get(name, "")) for name in sheets]
    return rows


#: What each sheet holds, for the cover.
SHEET_NOTES = {
    "Segments by region": "organisations in each final segment by NHS England region, count and share; England last",
    "Segments by trust type": "organisations in each final segment by trust type",
    "Segments by ICB": "organisations in each final segment by integrated care board",
    "League table": "every organisation: rank within its trust type, average score, segments, financial override",
    "Metric scores": "every organisation's value, rank and score on each metric, with the metric's name",
    "Domains": "every organisation's score, segment and rank in each domain",
    "Cut points": "the average scores that separate the segments, and how they were obtained",
    "Movement": "each organisation's final segment last quarter and this quarter",
    "Uncertainty": "the chance of each segment and the plausible ranks, from resampling each trust's scores",
    "About": "method version, period, source files, data notes and the segment colours",
}


def assessment_workbook(a: Assessment, path: str | Path, movement: Any = None, uncertainty: Any = None) -> Path:
    """Write the board pack.

    Parameters
    ----------
    movement : a :class:`nhs_oversight.stats.movement.Movement` (adds the "Movement" sheet).
    uncertainty : a :class:`nhs_oversight.uncertainty.Uncertainty` (adds the "Uncertainty" sheet).
    """
    tables = {name: _labelled(a, df) for name, df in segment_sheets(a).items()}
    tables["League table"] = _labelled(a, a.league_table(wide=False))
    tables["Metric scores"] = _labelled(a, with_names(a, a.metrics.drop(columns=["average_input"])))
    tables["Domains"] = _labelled(a, with_names(a, a.domains))
    tables["Cut points"] = _labelled(a, cutpoint_table(a))
    meta = method_meta(a)
    if movement is not None:
        tables["Movement"] = _labelled(a, with_names(a, movement.movers))
        meta["movement"] = f"final segments of {movement.previous_period} against {movement.current_period}"
    if uncertainty is not None:
        tables["Uncertainty"] = _labelled(a, with_names(a, uncertainty.table))
        u = getattr(uncertainty, "meta", {}) or {}
        meta["uncertainty"] = f"{u.get('method_description', u.get('method', ''))}; {u.get('draws', '')} draws, seed {u.get('seed', '')}"
    cover = cover_rows(a, [*tables, "About"])
    return write_workbook(tables, path, meta=meta, headers=HEADERS, label=a.label, cover=cover)
