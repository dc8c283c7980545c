"""Plain-text and table views of a method comparison (no computation: reads the Comparison)."""

from __future__ import annotations

import pandas as pd

from nhs_oversight.compare import Comparison
from nhs_oversight.util.labels import label_prefix, with_labels

WHO_COLUMNS = [
    ("org_code", "ODS"),
    ("org_name", "Organisation"),
    ("segment_a", "Seg A"),
    ("segment_b", "Seg B"),
    ("change", "Change"),
    ("rank_a", "Rank A"),
    ("rank_b", "Rank B"),
    ("average_a", "Avg A"),
    ("average_b", "Avg B"),
    ("reason", "Why"),
]


def labelled(c: Comparison, table: pd.DataFrame) -> pd.DataFrame:
    """The table with the dataset label and PROVISIONAL status as leading columns, for CSV and Excel."""
    return with_labels(table, c.a.label, c.is_provisional)


def heading(c: Comparison) -> str:
    meta = c.provenance()
    label = label_prefix(c.a.label)
    lines = [f"{label}Method comparison, {c.a.period or 'period not stated'}: {len(c.table)} organisations"]
    for side, x in (("A", c.a), ("B", c.b)):
        status = ", PROVISIONAL" if x.framework.is_provisional else ""
        lines.append(f"{side}: {x.framework.name} [{x.framework.id}{status}]; cut points {x.cutpoints['overall'].describe()}")
    for name, words in meta.get("switches", {}).items():
        lines.append(f"   switch --{name}: {words}")
    if c.is_provisional:
        lines.append("PROVISIONAL: a framework here is provisional (its rules are not yet published in full); treat the results as indicative.")
    lines.append("Segments are adjusted segments 1-4 (after the financial override); segment 5 (Recovery Support Programme) is a programme decision.")
    k = meta["counts"]
    lines.append(
        f"{k['assessed_by_both'] - k['same_segment']} of {k['assessed_by_both']} change segment "
        f"({k['better_under_b']} better, {k['worse_under_b']} worse under B); {k['rank_changed']} change rank."
    )
    lines += [f"note: {n}" for n in c.notes]
    return "\n".join(lines) + "\n"


def comparison_text(c: Comparison, show_all: bool = False, width: int = 40) -> str:
    tr = c.transition
    parts = [heading(c), "\nSegment under A (rows) by segment under B (columns)\n", tr.to_string() + "\n"]
    rows = c.table if show_all else c.who_moves
    title = "Every organisation" if show_all else "Who moves"
    if rows.empty:
        parts.append(f"\n{title}: nobody changes segment.\n")
        return "".join(parts)
    fw_types = {t.id: t.label for t in (*c.a.framework.trust_types, *c.b.framework.trust_types)}
    for type_id, group in rows.groupby("trust_type", sort=False):
        view = pd.DataFrame({label: group[col] for col, label in WHO_COLUMNS})
        view["Organisation"] = view["Organisation"].str.slice(0, width)
        for col in ("Avg A", "Avg B"):
            view[col] = view[col].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
        view["Change"] = view["Change"].map(lambda v: "" if pd.isna(v) else f"{int(v):+d}" if v else "0")
        parts.append(f"\n{title}: {fw_types.get(type_id, type_id)} ({len(group)})\n")
        left = {c: _left(view[c]) for c in ("Organisation", "Why")}
        text = view.to_string(index=False, formatters=left, justify="left")
        parts.append("\n".join(line.rstrip() for line in text.splitlines()) + "\n")
    return "".join(parts)


def _left(column: pd.Series):
    width = max(column.astype(str).str.len().max(), len(column.name))
    return lambda v: str(v).ljust(width)


def comparison_sheets(c: Comparison) -> dict[str, pd.DataFrame]:
    """Sheets of an Excel workbook: who moves, the transition counts, every organisation."""
    tr = c.transition.reset_index()
    tr.columns = ["segment A \\ segment B", *[f"B = {k}" for k in c.transition.columns]]
    return {"who moves": labelled(c, c.who_moves), "transition": tr, "all organisations": labelled(c, c.table)}
