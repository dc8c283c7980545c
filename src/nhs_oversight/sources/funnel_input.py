"""Reader for a funnel-plot input: one row per unit with a count and a denominator (or expected)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nhs_oversight.errors import InputError, OptionError
from nhs_oversight.sources.common import (
    MissingReport,
    check_duplicates,
    read_csv,
    require_columns,
    to_number,
)


def read_funnel_input(
    path: str | Path, numerator: str, denominator: str | None, expected: str | None, label: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, MissingReport]:
    """Read the columns a funnel plot needs: labels, counts and denominators (or expected counts).

    Suppressed cells are read as missing and reported; a repeated label, a negative count, or a
    numerator larger than its denominator is an error naming the row.

    Returns
    -------
    (labels, numerator, denominator_or_expected, MissingReport)
    """
    if (denominator is None) == (expected is None):
        raise OptionError("give --denominator (proportions) or --expected (standardised ratios), not both")
    base_col = denominator or expected
    df = read_csv(path)
    require_columns(df, [label, numerator, base_col], path)
    if df.empty:
        raise InputError("file has a header but no rows", file=str(path))
    df[label] = df[label].str.strip()
    check_duplicates(df, [label], path)
    missing = MissingReport()
    o = to_number(df[numerator], path, numerator, missing)
    m = to_number(df[base_col], path, base_col, missing)
    for values, col in ((o, numerator), (m, base_col)):
        with np.errstate(invalid="ignore"):
            neg = values < 0
        if neg.any():
            i = int(np.flatnonzero(neg)[0])
            raise InputError(f"{values[i]:g} is negative", file=str(path), row=i + 2, column=col)
    if denominator is not None:
        with np.errstate(invalid="ignore"):
            over = o > m
        if over.any():
            i = int(np.flatnonzero(over)[0])
            raise InputError(f"numerator {o[i]:g} is larger than denominator {m[i]:g}",
                             file=str(path), row=i + 2, column=numerator)
    return df[label].to_numpy(dtype=object), o, m, missing
