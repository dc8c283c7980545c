"""Read a CSV of values over time for ``oversight spc``: dates, values or rates, filters.

Any tidy table works: one row per series and date, with a value column, or a numerator and a
denominator from which a rate is computed per series and date after summing rows that share
them (e.g. A&E types 1, 2 and other of one trust in one month).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError, OptionError
from nhs_oversight.frameworks.periods import Quarter
from nhs_oversight.sources.common import MissingReport, read_csv, require_columns, to_number

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


@dataclass(frozen=True)
class DateFormat:
    """One accepted way of writing a date; ``kind`` says how precise it is."""

    name: str
    pattern: re.Pattern[str]
    kind: str  # "date", "month", "quarter" or "year"


DATE_FORMATS = (
    DateFormat("YYYY-MM-DD", re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"), "date"),
    DateFormat("DD/MM/YYYY", re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), "date"),
    DateFormat("YYYY-MM", re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    DateFormat("Mon YYYY", re.compile(r"^([A-Za-z]{3,9})[ -](\d{4})$"), "month"),
    DateFormat("YYYY/YY Qn", re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})\s*Q([1-4])$", re.I), "quarter"),
    DateFormat("YYYY", re.compile(r"^(\d{4})$"), "year"),
)


def _parse_one(text: str, fmt: DateFormat) -> pd.Timestamp | None:
    m = fmt.pattern.match(text)
    if not m:
        return None
    g = m.groups()
    try:
        if fmt.name == "YYYY-MM-DD":
            return pd.Timestamp(int(g[0]), int(g[1]), int(g[2]))
        if fmt.name == "DD/MM/YYYY":
            return pd.Timestamp(int(g[2]), int(g[1]), int(g[0]))
        if fmt.name == "YYYY-MM":
            return pd.Timestamp(int(g[0]), int(g[1]), 1)
        if fmt.name == "Mon YYYY":
            month = _MONTHS.get(g[0][:3].lower())
            return None if month is None else pd.Timestamp(int(g[1]), month, 1)
        if fmt.name == "YYYY/YY Qn":
            return pd.Timestamp(Quarter.parse(text).months[0])
        return pd.Timestamp(int(g[0]), 1, 1)
    except (ValueError, OptionError):
        return None


def detect_format(text: str) -> DateFormat | None:
    """The first accepted format that reads ``text`` as a real date."""
    for fmt in DATE_FORMATS:
        if _parse_one(text.strip(), fmt) is not None:
            return fmt
    return None


def parse_date(text: str, fmt: DateFormat | None = None) -> pd.Timestamp:
    """Read one date (e.g. a ``--rebase`` option) in any accepted format, or in ``fmt``."""
    fmt = fmt or detect_format(str(text))
    stamp = _parse_one(str(text).strip(), fmt) if fmt else None
    if stamp is None:
        raise OptionError(
            f"date {text!r} not understood; write it like "
            + (fmt.name if fmt else ", ".join(f.name for f in DATE_FORMATS))
        )
    return stamp


def parse_dates(
    values: pd.Series, path: str | Path, column: str, rows: np.ndarray | None = None
) -> tuple[pd.Series, DateFormat]:
    """Parse a date column; every cell must use the format of the first cell.

    ``rows`` gives the file line number of each value (default: 2, 3, ...), for error messages.
    """
    texts = values.astype(str).str.strip().reset_index(drop=True)
    rows = np.arange(2, len(texts) + 2) if rows is None else np.asarray(rows)
    if texts.empty:
        raise InputError("no rows to read", file=str(path), column=column)
    fmt = detect_format(texts.iloc[0])
    if fmt is None:
        raise InputError(
            f"{texts.iloc[0]!r} is not a date",
            file=str(path),
            row=int(rows[0]),
            column=column,
            hint="write dates like 2024-04-01, 2024-04, Apr 2024, 01/04/2024, 2024/25 Q1 or 2024",
        )
    parsed = {t: _parse_one(t, fmt) for t in texts.unique()}
    bad = texts.map(lambda t: parsed[t] is None).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{texts.iloc[i]!r} is not a date like the first row's {texts.iloc[0]!r} ({fmt.name})",
            file=str(path),
            row=int(rows[i]),
            column=column,
        )
    out = pd.Series(pd.DatetimeIndex(texts.map(parsed).to_list()), name=column)
    return out, fmt


def format_dates(values: pd.Series, kind: str) -> pd.Series:
    """Write parsed dates back at the precision they were given (``kind`` of the format)."""
    if kind == "quarter":
        return values.map(lambda d: str(Quarter.of_month(d.date())))
    spec = {"date": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[kind]
    return values.dt.strftime(spec)


def parse_where(items: Sequence[str]) -> list[tuple[str, list[str]]]:
    """``COL=V1,V2`` filters into (column, allowed values)."""
    out = []
    for item in items:
        col, sep, vals = item.partition("=")
        if not sep or not col.strip() or not vals.strip():
            raise OptionError(f"--where {item!r} is not of the form COLUMN=VALUE[,VALUE...]")
        out.append((col.strip(), [v.strip() for v in vals.split(",")]))
    return out


@dataclass
class SeriesTable:
    """The table ready for :func:`~nhs_oversight.stats.spc.spc`, and what happened on the way."""

    data: pd.DataFrame
    value: str
    date_kind: str
    missing: MissingReport = field(default_factory=MissingReport)
    notes: list[str] = field(default_factory=list)


def read_series_csv(
    path: str | Path,
    *,
    date: str,
    value: str | None = None,
    group: Sequence[str] = (),
    numerator: str | None = None,
    denominator: str | None = None,
    per: float = 1.0,
    sum_rows: bool = False,
    where: Sequence[str] = (),
    extra: Sequence[str] = (),
) -> SeriesTable:
    """Read and validate a CSV of values over time.

    Parameters
    ----------
    path : str or Path
        CSV file (UTF-8, header on the first line).
    date : str
        Date column (formats: see :data:`DATE_FORMATS`; one format per file).
    value : str, optional
        Value column. Give either ``value`` or both ``numerator`` and ``denominator``.
    group : sequence of str
        Columns that identify a series.
    numerator, denominator : str, optional
        Rate = ``per`` x sum(numerator) / sum(denominator) per series and date.
    per : float
        Multiplier for rates (100 for a percentage).
    sum_rows : bool
        Sum values of rows sharing series and date (otherwise such rows are an error).
    where : sequence of str
        Filters ``COLUMN=VALUE[,VALUE...]`` applied before anything else.
    extra : sequence of str
        Further columns to keep (e.g. a target or direction column), taken from the first row
        of each series and date.

    Returns
    -------
    SeriesTable
    """
    _check_measure(value, numerator, denominator)
    df = read_csv(path)
    filters = parse_where(where)
    measure_cols = [value] if value else [numerator, denominator]
    require_columns(df, [*group, date, *measure_cols, *extra, *(c for c, _ in filters)], path)
    df, rows = _filtered(df, filters, path)
    missing = MissingReport()
    frame, fmt = _keyed(df, group, date, extra, path, rows)
    keys = [*group, date]
    for col in measure_cols:
        frame[col] = _numbers(df, col, path, rows, missing)
    if value is None:
        frame, notes = _rates(frame, rows, keys, extra, path, numerator, denominator, per)
        return SeriesTable(data=frame, value="rate", date_kind=fmt.kind, missing=missing, notes=notes)
    if sum_rows:
        frame = _sum_by(frame, keys, [value], extra)
    else:
        _dup_check(frame, keys, rows, path)
    return SeriesTable(data=frame, value=value, date_kind=fmt.kind, missing=missing, notes=[])


def _check_measure(value: str | None, numerator: str | None, denominator: str | None) -> None:
    """A series is either a value column or a rate of two columns, never both or half."""
    if (value is None) == (numerator is None and denominator is None):
        raise OptionError("give either --value COL or both --numerator COL and --denominator COL")
    if (numerator is None) != (denominator is None):
        raise OptionError("--numerator and --denominator go together")


def _keyed(
    df: pd.DataFrame, group: Sequence[str], date: str, extra: Sequence[str], path: str | Path, rows: np.ndarray
) -> tuple[pd.DataFrame, DateFormat]:
    """The series keys, parsed dates and kept columns: the frame the measures are added to."""
    dates, fmt = parse_dates(df[date], path, date, rows)
    frame = pd.DataFrame({col: df[col].str.strip() for col in group})
    frame[date] = dates.to_numpy()
    for col in extra:
        frame[col] = df[col].to_numpy()
    return frame, fmt


def _filtered(df: pd.DataFrame, filters: list, path: str | Path) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows the --where filters keep, with their file row numbers so errors still point at the file."""
    rows = np.arange(2, len(df) + 2)
    for col, allowed in filters:
        keep = df[col].str.strip().isin(allowed).to_numpy()
        df, rows = df[keep], rows[keep]
    if df.empty:
        raise InputError("no rows left" + (" after the --where filters" if filters else ""), file=str(path))
    return df.reset_index(drop=True), rows


def _numbers(df: pd.DataFrame, col: str, path: str | Path, rows: np.ndarray, missing: MissingReport) -> np.ndarray:
    """A column as numbers, with errors and blanks named by file row (filters may have dropped lines)."""
    local = MissingReport()
    try:
        out = to_number(df[col], path, col, local, first_row=0)
    except InputError as exc:
        raise InputError(exc.message, file=exc.file, row=int(rows[exc.row]), column=exc.column) from None
    for f, r, c, raw in local.cells:
        missing.add(f, int(rows[r]), c, raw)
    return out


def _rates(
    frame: pd.DataFrame,
    rows: np.ndarray,
    keys: list[str],
    extra: Sequence[str],
    path: str | Path,
    numerator: str,
    denominator: str,
    per: float,
) -> tuple[pd.DataFrame, list[str]]:
    """Sum numerator and denominator per series and date, then the rate; a zero denominator has none."""
    raw_rows = frame.assign(_row=rows)
    frame = _sum_by(frame, keys, [numerator, denominator], extra)
    num = frame[numerator].to_numpy(dtype=float)
    den = frame[denominator].to_numpy(dtype=float)
    zero = den == 0
    if per == 100:  # a percentage: a part cannot exceed its whole
        _part_not_above_whole(frame, raw_rows, num, den, keys, path, numerator, denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["rate"] = np.where(zero, np.nan, per * num / den)
    notes = [f"{int(zero.sum())} series-date(s) with a zero {denominator} have no rate"] if zero.any() else []
    return frame, notes


def _dup_check(frame: pd.DataFrame, keys: list[str], rows: np.ndarray, path: str | Path) -> None:
    dup = frame.duplicated(keys, keep=False).to_numpy()
    if dup.any():
        idx = np.flatnonzero(dup)
        first = idx[0]
        key = tuple(frame.iloc[first][k] for k in keys)
        same = [i for i in idx if tuple(frame.iloc[i][k] for k in keys) == key]
        shown = ", ".join(f"{k}={v.date() if isinstance(v, pd.Timestamp) else v}" for k, v in zip(keys, key, strict=True))
        raise InputError(
            f"two rows for {shown} (also at row {rows[same[1]]})",
            file=str(path),
            row=int(rows[same[0]]),
            hint="add a --group column that tells them apart, or pass --sum to add them up",
        )


def _part_not_above_whole(frame, raw_rows, num, den, keys, path, numerator, denominator) -> None:
    """Raise when a series-date's numerator exceeds its (non-zero) denominator, naming its first row."""
    with np.errstate(invalid="ignore"):
        over = (num > den) & (den > 0)
    if not over.any():
        return
    i = int(np.flatnonzero(over)[0])
    key = frame.iloc[i][keys]
    same = (raw_rows[keys] == key.to_numpy()).all(axis=1).to_numpy()
    row = int(raw_rows["_row"].to_numpy()[same][0]) if same.any() else None
    raise InputError(
        f"{num[i]:g} is more than the {denominator} ({den[i]:g}), so the percentage would exceed 100",
        file=str(path), row=row, column=numerator,
    )


def _sum_by(frame: pd.DataFrame, keys: list[str], cols: list[str], extra: Sequence[str]) -> pd.DataFrame:
    """Sum ``cols`` per key; a sum with any missing part is missing (never an undercount)."""
    g = frame.groupby(keys, sort=False, dropna=False)
    summed = g[cols].sum()
    incomplete = g[cols].count().to_numpy() < g.size().to_numpy()[:, None]
    summed = summed.mask(incomplete)
    out = summed.reset_index()
    for col in extra:
        out[col] = g[col].first().to_numpy()
    return out
