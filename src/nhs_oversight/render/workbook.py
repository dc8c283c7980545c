"""The Excel board pack of an assessment: league table, metric scores, domains, cut points, method."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nhs_oversight.engine import Assessment
from nhs_oversight.render.excel import write_workbook


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


def assessment_workbook(a: Assessment, path: str | Path) -> Path:
    metrics = a.metrics.drop(columns=["average_input"])
    return write_workbook(
        {
            "League table": a.league_table(wide=False),
            "Metric scores": metrics,
            "Domains": a.domains,
            "Cut points": cutpoint_table(a),
        },
        path,
        meta=method_meta(a),
    )
