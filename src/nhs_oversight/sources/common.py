"""Shared reading helpers: decoding, required columns, NHS missing-value conventions.

Row numbers in errors are file line numbers (the header is row 1), so a user can open the file
at the row we name.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError

#: Cells that NHS statistics use for "suppressed", "not available" or "not applicable".
SUPPRESSED_MARKERS = frozenset({"*", "-", "", "..", ":", "c", "x", "n/a", "na", "nan", "none", "null", "–", "—"})

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass
class MissingReport:
    """Cells read as missing because they were suppressed or blank (never read as zero)."""

    cells: list[tuple[str, int, str, str]] = field(default_factory=list)  # file, row, column, raw

    def add(self, file: str, row: int, column: str, raw: str) -> None:
        self.cells.append((file, row, column, raw))

    def __len__(self) -> int:
        return len(self.cells)

    def summary(self) -> str:
        if not self.cells:
            return ""
        by_file: dict[str, int] = {}
        for f, *_ in self.cells:
            by_file[f] = by_file.get(f, 0) + 1
        parts = [f"{n} in {Path(f).name}" for f, n in by_file.items()]
        return f"{len(self.cells)} suppressed or blank value(s) read as missing: " + ", ".join(parts)


def read_bytes(path: str | Path) -> bytes:
    """Read a file, turning OS errors and empty files into :class:`InputError`."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", file=str(path)) from None
    if not data.strip(b"\xef\xbb\xbf \r\n\t,"):
        raise InputError("file is empty", file=str(path))
    return data


def decode(data: bytes, path: str | Path, encodings: Sequence[str] = ("utf-8-sig",)) -> str:
    """Decode with the first encoding that works; say where the first bad byte is otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "file is UTF-16 encoded", file=str(path), hint="save it as UTF-8 (CSV UTF-8 in Excel)"
        )
    first_error: UnicodeDecodeError | None = None
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    assert first_error is not None
    row = data[: first_error.start].count(b"\n") + 1
    raise InputError(
        f"not valid {encodings[0].replace('-sig', '')} text (byte 0x{data[first_error.start]:02x})",
        file=str(path),
        row=row,
        hint="save the file as UTF-8",
    )


def read_csv(
    path: str | Path,
    encodings: Sequence[str] = ("utf-8-sig",),
    header: int | None = 0,
    skiprows: int = 0,
) -> pd.DataFrame:
    """Read a CSV as strings (no type guessing), with clear errors for empty or malformed files."""
    text = decode(read_bytes(path), path, encodings)
    try:
        df = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            header=header,
            skiprows=skiprows,
            skipinitialspace=False,
        )
    except pd.errors.EmptyDataError:
        raise InputError("file has no rows", file=str(path)) from None
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(
            f"not a well-formed CSV: {exc}".split("\n")[0],
            file=str(path),
            row=int(m.group(1)) if m else None,
        ) from None
    if header is not None:
        df.columns = [str(c).strip() for c in df.columns]
    if df.empty:
        raise InputError("file has a header but no data rows", file=str(path), row=2)
    return df


def require_columns(df: pd.DataFrame, required: Iterable[str], path: str | Path) -> None:
    """Raise naming the first missing column (and what the file does have)."""
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}",
            file=str(path),
            row=1,
            column=missing[0],
            hint=f"found: {', '.join(map(str, df.columns[:12]))}{' ...' if len(df.columns) > 12 else ''}",
        )


def to_number(
    values: pd.Series,
    path: str | Path,
    column: str,
    missing: MissingReport | None = None,
    first_row: int = 2,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Convert text cells to floats. Suppression markers become NaN and are reported.

    Thousands separators and a trailing ``%`` are accepted; anything else that is not a number is
    an :class:`InputError` naming the row. Rows are numbered from ``first_row``, or given per cell
    in ``rows`` (file line numbers of a subset of the file's rows).
    """
    if rows is not None:
        first_row, values = 0, values.set_axis(range(len(values)))
    raw = values.astype(str).to_numpy(dtype=object)
    out = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(dtype=float, copy=True)
    for i in np.flatnonzero(np.isnan(out)):  # only cells that are not plain numbers
        s = raw[i].strip()
        if s.lower() in SUPPRESSED_MARKERS:
            if missing is not None:
                missing.add(str(path), int(rows[i]) if rows is not None else first_row + i, column, s)
            continue
        t = s.replace(",", "").rstrip("%").strip()
        if not _NUMBER.match(t):
            raise InputError(f"{s!r} is not a number", file=str(path), row=int(rows[i]) if rows is not None else first_row + i, column=column)
        out[i] = float(t)
    bad = np.isinf(out)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{raw[i]!r} is not a finite number", file=str(path), row=int(rows[i]) if rows is not None else first_row + i, column=column)
    return out


def check_duplicates(df: pd.DataFrame, keys: Sequence[str], path: str | Path, first_row: int = 2) -> None:
    """Raise on the first repeated key, naming both rows."""
    dup = df.duplicated(list(keys), keep=False)
    if dup.any():
        rows = np.flatnonzero(dup.to_numpy())
        first = rows[0]
        key = tuple(df.iloc[first][k] for k in keys)
        same = [r for r in rows if tuple(df.iloc[r][k] for k in keys) == key]
        raise InputError(
            f"duplicate row for {', '.join(f'{k}={v}' for k, v in zip(keys, key, strict=True))}"
            f" (also at row {first_row + same[1]})",
            file=str(path),
            row=first_row + same[0],
            column=keys[-1],
        )
