"""Plain-text view of segment and rank uncertainty (no computation: reads the Uncertainty)."""

from __future__ import annotations

import pandas as pd

from nhs_oversight.uncertainty import PublishedAgreement, Uncertainty
from nhs_oversight.util.labels import label_prefix, with_labels

VIEW = [
    ("rank", "Rank"),
    ("org_code", "ODS"),
    ("org_name", "Organisation"),
    ("average_score", "Average"),
    ("likely", "Likely range"),
    ("segment", "Segment"),
    ("p_segment_1", "P(1)"),
    ("p_segment_2", "P(2)"),
    ("p_segment_3", "P(3)"),
    ("p_segment_4", "P(4)"),
    ("p_same", "P(same)"),
    ("label", "Label"),
    ("rank_range", "Rank 95%"),
]


def labelled(u: Uncertainty, table: pd.DataFrame) -> pd.DataFrame:
    """The table with the dataset label and PROVISIONAL status as leading columns, for CSV and Excel."""
    return with_labels(table, u.assessment.label, u.is_provisional)


def heading(u: Uncertainty) -> str:
    a, m = u.assessment, u.meta
    label = label_prefix(a.label)
    status = " (PROVISIONAL method)" if u.is_provisional else ""
    k = m["label_counts"]
    lines = [
        f"{label}Segment and rank uncertainty: {a.framework.name}{status}, {a.period or 'period not stated'}: {len(u.table)} organisations",
        f"Method: {m['method_description']}; {m['draws']:,} draws, seed {m['seed']}",
        f"Labels: {m['labels']['rule']}. Counts: stable {k['stable']}, probable {k['probable']}, uncertain {k['uncertain']}",
        f"Segments: {m['segments']}",
    ]
    lines += [f"- {c}" for c in m["caveats"]]
    return "\n".join(lines) + "\n"


def agreement_text(agreement: PublishedAgreement) -> str:
    s = agreement.summary
    lines = ["\nAgreement with NHS England's published likely ranges"]
    for what, unit in (("average", "average score"), ("rank", "rank")):
        x = s[what]
        if not x["compared"]:
            lines.append(f"- {unit}: no published ranges to compare")
            continue
        lines.append(
            f"- {unit}: both ends within ±{x['tolerance']:g} for {x['within']} of {x['compared']} "
            f"({100 * x['share_within']:.1f}%); mean difference {x['mean_abs_difference']:.3f}, largest {x['max_abs_difference']:.3g}"
        )
    return "\n".join(lines) + "\n"


def uncertainty_text(u: Uncertainty, agreement: PublishedAgreement | None = None, width: int = 40) -> str:
    fw = u.assessment.framework
    t = u.table.copy()
    t["likely"] = [f"{lo:.2f}-{hi:.2f}" for lo, hi in zip(t["average_low"], t["average_high"], strict=True)]
    t["rank_range"] = [f"{lo}-{hi}" for lo, hi in zip(t["rank_low"], t["rank_high"], strict=True)]
    order = {x.id: i for i, x in enumerate(fw.trust_types)}
    t = t.assign(_t=t["trust_type"].map(order)).sort_values(["_t", "rank", "org_code"])
    parts = [heading(u)]
    if agreement is not None:
        parts.append(agreement_text(agreement))
    for type_id, group in t.groupby("trust_type", sort=False):
        view = pd.DataFrame({label: group[col] for col, label in VIEW})
        view["Organisation"] = view["Organisation"].str.slice(0, width)
        view["Average"] = view["Average"].map(lambda v: f"{v:.2f}")
        for col in ("P(1)", "P(2)", "P(3)", "P(4)", "P(same)"):
            view[col] = view[col].map(lambda v: f"{v:.2f}")
        parts.append(f"\n{fw.trust_type_label(type_id)} ({len(group)})\n")
        parts.append(view.to_string(index=False) + "\n")
    return "".join(parts)
