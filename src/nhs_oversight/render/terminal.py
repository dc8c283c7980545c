"""Plain-text tables for the terminal (Rich when it is a terminal, plain text otherwise)."""

from __future__ import annotations

import pandas as pd

from nhs_oversight.engine import Assessment
from nhs_oversight.util.labels import label_prefix

LEAGUE_COLUMNS = [
    ("rank", "Rank"),
    ("org_code", "ODS"),
    ("org_name", "Trust"),
    ("trust_type", "Type"),
    ("region", "Region"),
    ("n_metrics", "Metrics"),
    ("average_score", "Average"),
    ("unadjusted_segment", "Unadj."),
    ("financial_override", "Override"),
    ("adjusted_segment", "Adjusted"),
    ("final_segment", "Final"),
]


def heading(assessment: Assessment) -> str:
    fw = assessment.framework
    label = label_prefix(assessment.label)
    prov = " (PROVISIONAL method)" if fw.is_provisional else ""
    cut = assessment.cutpoints["overall"]
    return (
        f"{label}{fw.name}{prov}, {assessment.period or 'period not stated'}: {len(assessment.summary)} organisations\n"
        f"Cut points {cut.describe()}\n"
    )


def league_text(assessment: Assessment, width: int = 48) -> str:
    table = assessment.league_table(wide=False)
    fw = assessment.framework
    parts = [heading(assessment)]
    for type_id, group in table.groupby("trust_type", sort=False):
        view = pd.DataFrame({label: group[col] for col, label in LEAGUE_COLUMNS if col in group})
        view["Trust"] = view["Trust"].str.slice(0, width)
        view["Type"] = fw.trust_type_label(type_id)
        view["Average"] = view["Average"].map(lambda v: f"{v:.2f}")
        view["Override"] = view["Override"].map({True: "yes", False: ""})
        parts.append(f"\n{fw.trust_type_label(type_id)} league table ({len(group)})\n")
        parts.append(view.drop(columns=["Type"]).to_string(index=False) + "\n")
    return "".join(parts)
