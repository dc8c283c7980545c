"""How outputs say what data they show: the SYNTHETIC label and PROVISIONAL methods."""

from __future__ import annotations

import pandas as pd


def label_prefix(label: str | None) -> str:
    """``[SYNTHETIC DATA] `` before a heading, or nothing for real data."""
    return f"[{label} DATA] " if label else ""


def with_labels(table: pd.DataFrame, label: str | None = None, provisional: bool = False) -> pd.DataFrame:
    """A copy with the dataset label and PROVISIONAL status as leading columns, for CSV and Excel."""
    out = table.copy()
    if provisional and "status" not in out.columns:
        out.insert(0, "status", "PROVISIONAL")
    if label and "dataset" not in out.columns:
        out.insert(0, "dataset", label)
    return out
