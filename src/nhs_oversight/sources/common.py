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


#: Cells written as text that mean "suppressed" (``nan`` is not one: in a CSV it is an error).
TEXT_SUPPRESSED = SUPPRESSED_MARKERS - {"nan"}

#: The longest line a reader accepts: a file with no line breaks is refused before it is read.
MAX_LINE = 1024 * 1024

#: No count, rate or score in NHS statistics comes near this; anything larger is damage.
MAX_MAGNITUDE = 1e15


def read_bytes(path: str | Path, max_line: int = MAX_LINE) -> bytes:
    """Read a file, turning OS errors, empty files, non-files and endless lines into :class:`InputError`.

    FIFOs and devices are refused before they are opened (a FIFO would block for ever, a device
    never ends); the file is read in blocks so a line longer than ``max_line`` stops the read at
    once instead of filling memory.
    """
    import stat

    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", file=str(path)) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a directory, not a file", file=str(path))
    if not stat.S_ISREG(st.st_mode):
        raise InputError("is not a regular file (a pipe or a device); save the data to a file first", file=str(path))
    chunks: list[bytes] = []
    line_start = 0  # offset where the current line starts
    offset = 0
    too_long = False
    try:
        with open(p, "rb") as f:
            while block := f.read(1 << 20):
                limit = max_line * (2 if _utf16(chunks[0] if chunks else block) else 1)
                chunks.append(block)
                breaks = [i for i in (block.find(b"\n"), block.find(b"\r")) if i >= 0]
                if breaks:
                    if offset + min(breaks) - line_start > limit:
                        too_long = True
                        break
                    line_start = offset + max(block.rfind(b"\n"), block.rfind(b"\r")) + 1
                offset += len(block)
                if offset - line_start > limit:
                    too_long = True
                    break
    except IsADirectoryError:
        raise InputError("is a directory, not a file", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", file=str(path)) from None
    data = b"".join(chunks)
    if not too_long:
        return _not_empty(data, path)
    row = data[:line_start].count(b"\n") + 1
    raise InputError(
        f"a line is longer than {max_line // (1024 * 1024)} MiB: not a CSV file, or its line breaks are lost",
        file=str(path),
        row=row,
    )


def _utf16(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _not_empty(data: bytes, path: str | Path) -> bytes:
    if not data.strip(b"\xef\xbb\xbf\xff\xfe \r\n\t,\x00"):
        raise InputError("file is empty", file=str(path))
    return data


def decode(data: bytes, path: str | Path, encodings: Sequence[str] = ("utf-8-sig",)) -> str:
    """Decode a CSV the way NHS files come: UTF-8 (with or without BOM), UTF-16 with a BOM, or cp1252.

    A file that is not UTF-8 but reads as Windows-1252 is accepted and said so on stderr (one
    line), since the characters it holds are then guessed rather than known.
    """
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        enc = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            return data[2:].decode(enc)
        except UnicodeDecodeError as exc:
            row = data[2 : 2 + exc.start].decode(enc, errors="replace").count("\n") + 1
            raise InputError("not valid UTF-16 text (cut short or damaged)", file=str(path), row=row) from None
    first_error: UnicodeDecodeError | None = None
    for enc in (*encodings, "cp1252"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
            continue
        if enc == "cp1252" and first_error is not None:
            row = data[: first_error.start].count(b"\n") + 1
            _note(f"{Path(path).name} is not UTF-8: read as Windows-1252 (cp1252) from row {row}; save it as UTF-8 to be sure of its accents")
        return text
    assert first_error is not None
    row = data[: first_error.start].count(b"\n") + 1
    raise InputError(
        f"not valid {encodings[0].replace('-sig', '')} text (byte 0x{data[first_error.start]:02x})",
        file=str(path),
        row=row,
        hint="save the file as UTF-8",
    )


def _note(message: str) -> None:
    import sys

    print(f"note: {message}", file=sys.stderr)


def _csv_error(exc: Exception, path: str | Path) -> InputError:
    """A pandas parser error in words, with the file line it names (pandas counts from 0)."""
    text = str(exc).split("\n")[0]
    m = re.search(r"EOF inside string starting at row (\d+)", text)
    if m:
        return InputError("a quote is opened and never closed (the file may be cut short)", file=str(path), row=int(m.group(1)) + 1)
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if m:
        return InputError(
            f"{m.group(3)} fields where the header has {m.group(1)}", file=str(path), row=int(m.group(2)),
            hint="a comma inside an unquoted cell, or a damaged row",
        )
    m = re.search(r"line (\d+)", text)
    return InputError(f"not a well-formed CSV: {text}", file=str(path), row=int(m.group(1)) if m else None)


def read_csv(
    path: str | Path,
    encodings: Sequence[str] = ("utf-8-sig",),
    header: int | None = 0,
    skiprows: int = 0,
) -> pd.DataFrame:
    """Read a CSV as stripped strings (no type guessing), with clear errors for damaged files.

    Every cell is stripped of padding, so a padded file reads exactly as a clean one. A row
    with fewer fields than the header (a file cut short, a damaged row) is an error naming the
    row; pandas would pad it with blanks that then read as "suppressed".
    """
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
        raise _csv_error(exc, path) from None
    if header is not None:
        df.columns = [str(c).strip() for c in df.columns]
    if df.empty:
        raise InputError("file has a header but no data rows", file=str(path), row=2)
    _check_short_rows(text, df, path, header, skiprows)
    for c in df.columns:
        df[c] = df[c].str.strip()
    return df


def _check_short_rows(text: str, df: pd.DataFrame, path: str | Path, header: int | None, skiprows: int) -> None:
    """Raise on the first data row with fewer fields than the header (cheap: only when some do).

    Columns the header leaves unnamed (a trailing comma in an Excel export) may be missing.
    """
    import csv

    if header is None or df.shape[1] < 2:
        return
    last = df.columns[-1]
    suspects = df.index[(df[last] == "").to_numpy()]
    if not len(suspects):
        return
    width = df.shape[1]
    reader = csv.reader(io.StringIO(text, newline=""))
    skip = skiprows + header + 1
    for row in reader:
        if skip:
            skip -= 1
            continue
        if not any(c.strip() for c in row):
            continue  # pandas skips blank lines too
        if len(row) < width and any(not str(c).startswith("Unnamed:") and str(c) for c in df.columns[len(row):]):
            end = "" if text.endswith(("\n", "\r")) else " (the file ends without a line break: it may be cut short)"
            raise InputError(
                f"{len(row)} fields where the header has {width}{end}",
                file=str(path), row=reader.line_num, column=str(df.columns[len(row)]),
            )


def check_number(cell: str, value: float, path: str | Path, row: int, column: str) -> None:
    """Raise when a parsed cell is not finite or is absurdly large (damage, not data)."""
    if not np.isfinite(value):
        raise InputError(f"{cell!r} is not a finite number", file=str(path), row=row, column=column)
    if abs(value) > MAX_MAGNITUDE:
        raise InputError(f"{cell!r} is far too large to be a count or a rate", file=str(path), row=row, column=column)


_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d{1,2}$|^[+-]?\d+,\d{4,}$|^[+-]?\d{1,3}(\.\d{3})+,\d+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_cell(s: str) -> float | None:
    """A text cell as a number, or None: thousands commas (``12,345``), ``+`` and ``%`` accepted.

    A comma that cannot be a thousands separator (``71,1``, ``7,1.1``) is refused rather than
    dropped, because dropping it turns 71.1 into 711.
    """
    t = s.strip().rstrip("%").strip()
    if "," in t:
        if not _THOUSANDS.match(t):
            return None
        t = t.replace(",", "")
    if not _NUMBER.match(t):
        return None
    return float(t)


def number_error(s: str, path: str | Path, row: int, column: str) -> InputError:
    """The error for a cell that is not a number, saying why when it is a decimal comma."""
    t = s.strip().rstrip("%").strip()
    if _DECIMAL_COMMA.match(t):
        return InputError(f"{s!r} has a decimal comma", file=str(path), row=row, column=column,
                          hint="write numbers with a decimal point, e.g. 71.1")
    if "," in t:
        return InputError(f"{s!r} is not a number (a comma that is not a thousands separator)", file=str(path), row=row, column=column)
    return InputError(f"{s!r} is not a number", file=str(path), row=row, column=column)


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
    plain = pd.Series(raw, dtype=object).str.strip()
    plain = plain.where(~plain.str.lower().isin(["nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"]), "x")
    out = pd.to_numeric(plain, errors="coerce").to_numpy(dtype=float, copy=True)

    def row_of(i: int) -> int:
        return int(rows[i]) if rows is not None else first_row + i

    for i in np.flatnonzero(np.isnan(out)):  # only cells that are not plain numbers
        s = raw[i].strip()
        if s.lower() in TEXT_SUPPRESSED:
            if missing is not None:
                missing.add(str(path), row_of(i), column, s)
            continue
        v = parse_cell(s)
        if v is None:
            raise number_error(s, path, row_of(i), column)
        out[i] = v
    bad = ~np.isnan(out) & ~(np.abs(np.nan_to_num(out, nan=0.0)) <= MAX_MAGNITUDE)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        check_number(raw[i].strip(), out[i], path, row_of(i), column)
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
