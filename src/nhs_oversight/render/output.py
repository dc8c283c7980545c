"""Output formats: the format a user asked for, and CSV safe to open in a spreadsheet.

Atomic writes and JSON-ready values live in :mod:`nhs_oversight.util` (results use them too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

TABLE_FORMATS = ("table", "csv", "json", "xlsx", "parquet")


def infer_format(output: str | Path | None, fmt: str | None, default: str = "table") -> str:
    """The format asked for, else the one the output file's suffix implies."""
    if fmt:
        return fmt
    if output:
        suffix = Path(output).suffix.lower().lstrip(".")
        return {"xls": "xlsx", "pq": "parquet", "htm": "html", "md": "markdown"}.get(suffix, suffix) or default
    return default


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading ``'``; numbers never.

    An organisation name such as ``=HYPERLINK(...)`` in an input file must not become a live
    formula in the CSV a user opens in Excel. Numeric columns (and numeric-looking text such as
    ``-1.5``) are left exactly as they are.
    """
    out = None
    for col in df.columns:
        s = df[col]
        if s.dtype != object and not isinstance(s.dtype, pd.StringDtype):
            continue
        text = s.map(lambda v: v if isinstance(v, str) else None)
        risky = text.str.startswith(_FORMULA_START, na=False) & pd.to_numeric(text, errors="coerce").isna()
        if risky.any():
            out = df.copy() if out is None else out
            out[col] = s.where(~risky, "'" + text)
    if out is None:
        out = df
    if any(isinstance(c, str) and c.startswith(_FORMULA_START) for c in out.columns):
        out = out.rename(columns=lambda c: "'" + c if isinstance(c, str) and c.startswith(_FORMULA_START) else c)
    return out


def csv_text(df: pd.DataFrame, **kwargs: Any) -> str:
    """A table as CSV text, safe to open in a spreadsheet (see :func:`neutralise_formulas`)."""
    return neutralise_formulas(df).to_csv(index=False, lineterminator="\n", **kwargs)
