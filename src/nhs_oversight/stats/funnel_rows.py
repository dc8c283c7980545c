"""Which rows of a table enter a funnel plot: ``--where`` filters, and no national or total rows.

Published statistics often end with a TOTAL or England row (NHS England's monthly A&E file
does); plotted as a unit it would sit far out on the precision axis and pull the over-dispersion
estimate. Pure functions on a DataFrame of strings, as :func:`~nhs_oversight.sources.common.read_csv`
returns it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nhs_oversight.errors import OptionError

#: Words that mark a row as the national or total figure rather than a unit.
TOTAL_WORDS = frozenset({"TOTAL", "GRAND TOTAL", "ENGLAND", "ENGLAND TOTAL", "NATIONAL", "NATIONAL TOTAL", "ALL"})
_WHERE = re.compile(r"^\s*(?P<col>[^=!]+?)\s*(?P<op>!=|=)\s*(?P<value>.*?)\s*$")


@dataclass(frozen=True)
class Condition:
    """One ``--where`` condition: a column equal to one of some values (or to none), ignoring case.

    ``value`` is as written; commas separate alternatives, as in ``oversight spc --where``.
    """

    column: str
    value: str
    equal: bool = True

    @property
    def values(self) -> list[str]:
        return [v.strip().upper() for v in self.value.split(",")]

    def __str__(self) -> str:
        return f"{self.column}{'=' if self.equal else '!='}{self.value}"


def parse_where(expressions: Sequence[str] | None) -> list[Condition]:
    """``["Period=MSitAE-JUNE-2024", "Parent Org!=NHS ENGLAND LONDON,NHS ENGLAND EAST"]`` -> conditions."""
    out = []
    for text in expressions or ():
        m = _WHERE.match(text)
        if not m or not m.group("value"):
            raise OptionError(f"--where {text!r}: write COLUMN=VALUE[,VALUE...] or COLUMN!=VALUE[,VALUE...]")
        out.append(Condition(m.group("col"), m.group("value"), m.group("op") == "="))
    return out


def _norm(values: pd.Series) -> pd.Series:
    return values.astype(str).str.strip().str.upper()


def apply_where(df: pd.DataFrame, conditions: Sequence[Condition], file: str = "the file") -> pd.DataFrame:
    """The rows meeting every condition (values compared ignoring case and outer spaces)."""
    keep = np.ones(len(df), dtype=bool)  # a fresh, writable mask
    for c in conditions:
        if c.column not in df.columns:
            raise OptionError(f"--where {c}: {file} has no column {c.column!r} (columns: {', '.join(map(str, df.columns))})")
        hit = _norm(df[c.column]).isin(c.values).to_numpy()
        keep &= hit if c.equal else ~hit
    if conditions and not keep.any():
        raise OptionError(f"--where {' and '.join(map(str, conditions))}: no row of {file} matches")
    return df[keep]


def total_rows(df: pd.DataFrame, label: str) -> np.ndarray:
    """Rows that are national or total figures: the label is a total word, or any cell is TOTAL."""
    is_total = np.array(_norm(df[label]).isin(TOTAL_WORDS), dtype=bool)
    for col in df.columns:
        is_total |= (_norm(df[col]) == "TOTAL").to_numpy()
    return is_total
