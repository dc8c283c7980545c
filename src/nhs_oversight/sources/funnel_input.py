"""Reader for a funnel-plot input: one row per unit with a count and a denominator (or expected)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nhs_oversight.errors import InputError, OptionError
from nhs_oversight.sources.common import (
    MissingReport,
    read_csv,
    require_columns,
    to_number,
)


def read_funnel_input(
    path: str | Path, numerator: str, denominator: str | None, expected: str | None, label: str,
    where: Sequence[str] | None = None, left_out: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, MissingReport]:
    """Read the columns a funnel plot needs: labels, counts and denominators (or expected counts).

    Only rows meeting every ``where`` condition (``COLUMN=VALUE``, ``COLUMN!=VALUE``) are read;
    national and total rows (a TOTAL or England row) are left out, and their labels appended to
    ``left_out`` when it is given. Suppressed cells are read as missing and reported; a repeated
    label, a negative count, or a numerator larger than its denominator is an error naming the
    row of the file.

    Returns
    -------
    (labels, numerator, denominator_or_expected, MissingReport)
    """
    from nhs_oversight.stats.funnel_rows import apply_where, parse_where, total_rows

    if (denominator is None) == (expected is None):
        raise OptionError("give --denominator (proportions) or --expected (standardised ratios), not both")
    base_col = denominator or expected
    conditions = parse_where(where)
    df = read_csv(path)
    require_columns(df, [label, numerator, base_col], path)
    if df.empty:
        raise InputError("file has a header but no rows", file=str(path))
    df = apply_where(df, conditions, str(path))
    totals = total_rows(df, label)
    if left_out is not None:
        left_out.extend(df.loc[totals, label].str.strip())
    df = df[~totals].copy()
    if df.empty:
        raise InputError("no rows left once national and total rows are left out", file=str(path))
    file_rows = df.index.to_numpy() + 2
    df = df.reset_index(drop=True)
    df[label] = df[label].str.strip()
    dup = df.duplicated([label], keep=False).to_numpy()
    if dup.any():
        first = np.flatnonzero(dup & (df[label] == df[label].iloc[np.flatnonzero(dup)[0]]).to_numpy())
        raise InputError(f"duplicate row for {label}={df[label].iloc[first[0]]} (also at row {file_rows[first[1]]})",
                         file=str(path), row=int(file_rows[first[0]]), column=label)
    missing = MissingReport()
    o = to_number(df[numerator], path, numerator, missing, rows=file_rows)
    m = to_number(df[base_col], path, base_col, missing, rows=file_rows)
    for values, col in ((o, numerator), (m, base_col)):
        with np.errstate(invalid="ignore"):
            neg = values < 0
        if neg.any():
            i = int(np.flatnonzero(neg)[0])
            raise InputError(f"{values[i]:g} is negative", file=str(path), row=int(file_rows[i]), column=col)
    if denominator is not None:
        with np.errstate(invalid="ignore"):
            over = o > m
        if over.any():
            i = int(np.flatnonzero(over)[0])
            raise InputError(f"numerator {o[i]:g} is larger than denominator {m[i]:g}",
                             file=str(path), row=int(file_rows[i]), column=numerator)
    return df[label].to_numpy(dtype=object), o, m, missing
