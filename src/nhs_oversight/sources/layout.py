"""Finding the header row of a raw NHS statistics file and reading the cells below it.

NHS England's raw files differ between editions and mirrors: title rows above the header,
renamed columns, footnotes below the data. A reader describes its columns as canonical names,
each with the header spellings (aliases) it accepts; :func:`locate_header` finds the row that
carries them. Unknown extra columns are tolerated. Row numbers are file line numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.sources.common import (
    MAX_MAGNITUDE,
    TEXT_SUPPRESSED,
    MissingReport,
    check_number,
    decode,
    number_error,
    read_bytes,
)

#: Encodings tried in order: NHS files are UTF-8 (often with a BOM) or Windows-1252.
ENCODINGS = ("utf-8-sig", "cp1252")

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ]
    )
    for m in names
}


def norm(text: str) -> str:
    """A header cell reduced to letters, digits and ``+`` so that spellings compare equal.

    ``"Number of A&E attendances Type 1"`` and ``"A&E attendances type 1"`` both become
    ``"aandeattendancestype1"``.
    """
    t = str(text).lower().replace("&", "and")
    t = re.sub(r"[^a-z0-9+]", "", t)
    return t.removeprefix("numberof")


@dataclass
class Grid:
    """The cells of a CSV file as text, with the file line number of each row."""

    path: str
    rows: list[list[str]]
    lines: list[int]
    cut: bool = False  # the file does not end with a line break (it may be cut short)

    @property
    def name(self) -> str:
        return Path(self.path).name


def read_grid(path: str | Path, encodings: Sequence[str] = ENCODINGS) -> Grid:
    """Read every row of a CSV as text. Ragged rows (title lines, footnotes) are kept as they are."""
    data = read_bytes(path)
    if data[:4] == b"PK\x03\x04":
        raise InputError(
            "is an Excel workbook, not a CSV file", file=str(path), hint="save the sheet as CSV UTF-8"
        )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("is a binary file, not a CSV file", file=str(path))
    text = decode(data, path, encodings)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for row in reader:
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise InputError(
                "a quote is opened and never closed (the file may be cut short)", file=str(path), row=start
            ) from None
        raise InputError(f"not a well-formed CSV: {exc}", file=str(path), row=reader.line_num) from None
    return Grid(str(path), rows, lines, cut=not text.endswith(("\n", "\r")))


@dataclass
class Header:
    """Where the header is and which file column holds each canonical column."""

    index: int  # position of the header row in ``Grid.rows``
    line: int  # its file line number
    columns: dict[str, int]  # canonical name -> column position
    labels: dict[str, str]  # canonical name -> the header text as written in the file
    extras: list[str] = field(default_factory=list)  # header cells we do not know (tolerated)


def _match_row(row: Sequence[str], lookup: Mapping[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    cols: dict[str, int] = {}
    labels: dict[str, str] = {}
    for j, cell in enumerate(row):
        canon = lookup.get(norm(cell))
        if canon and canon not in cols:
            cols[canon] = j
            labels[canon] = cell.strip()
    return cols, labels


def alias_lookup(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Invert ``{canonical: [spellings]}`` into ``{normalised spelling: canonical}``."""
    out: dict[str, str] = {}
    for canon, names in aliases.items():
        for n in (canon, *names):
            out[norm(n)] = canon
    return out


def locate_header(
    grid: Grid,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    kind: str,
    max_scan: int = 40,
) -> Header:
    """Find the header row: the first of the top ``max_scan`` rows holding every required column.

    Raises
    ------
    InputError
        Naming the most header-like row and the first required column it lacks, or saying that no
        row looks like a ``kind`` header at all.
    """
    lookup = alias_lookup(aliases)
    best: tuple[int, int, dict[str, int], dict[str, str]] | None = None
    for i, row in enumerate(grid.rows[:max_scan]):
        cols, labels = _match_row(row, lookup)
        if all(r in cols for r in required):
            extras = [c.strip() for j, c in enumerate(row) if c.strip() and j not in cols.values()]
            return Header(i, grid.lines[i], cols, labels, extras)
        if len(cols) >= 2 and (best is None or len(cols) > best[1]):
            best = (i, len(cols), cols, labels)
    if best is None:
        raise InputError(
            f"no {kind} header row found in the first {min(max_scan, len(grid.rows))} rows",
            file=grid.path,
            row=1,
            hint=f"expected columns such as {', '.join(repr(aliases[r][0]) for r in required[:3])}",
        )
    i, _, cols, _ = best
    missing = [r for r in required if r not in cols]
    first = aliases[missing[0]][0] if aliases.get(missing[0]) else missing[0]
    raise InputError(
        f"missing column{'s' if len(missing) > 1 else ''} "
        + ", ".join(repr(aliases[m][0] if aliases.get(m) else m) for m in missing),
        file=grid.path,
        row=grid.lines[i],
        column=first,
        hint=f"this looks like a {kind} file but its header lacks {len(missing)} expected column(s)",
    )


def frame_below(
    grid: Grid, header: Header, key: str, extra: Mapping[str, int] | None = None
) -> pd.DataFrame:
    """The data rows under the header as a text DataFrame with canonical columns and ``line``.

    ``extra`` names more columns by position (e.g. weekly bands recognised by pattern).

    Fully blank rows are skipped. Rows after the data whose ``key`` cell is blank (footnotes,
    source notes) end the table; a blank key *between* data rows is an error, not a footnote.
    """
    width = len(grid.rows[header.index])
    body = []
    lines = []
    kcol = header.columns[key]
    blank_at: int | None = None
    for row, line in zip(grid.rows[header.index + 1 :], grid.lines[header.index + 1 :], strict=True):
        if not any(c.strip() for c in row):
            continue
        if kcol >= len(row) or not row[kcol].strip():
            if grid.cut and line == grid.lines[-1] and 1 < len(row) < width:
                raise InputError(
                    f"{len(row)} fields where the header has {width} (the file ends without a line break: it may be cut short)",
                    file=grid.path, row=line,
                )
            blank_at = blank_at or line
            continue
        if blank_at is not None:
            raise InputError(
                "empty cell in a data row", file=grid.path, row=blank_at, column=header.labels[key]
            )
        if len(row) != width:
            _check_width(grid, header, row, line, width, extra)
            row = (row + [""] * (width - len(row)))[:width] if len(row) < width else row[:width]
        body.append(row)
        lines.append(line)
    wanted = dict(header.columns) | dict(extra or {})
    cells = np.array(body, dtype=object).reshape(len(body), width)
    df = pd.DataFrame({canon: cells[:, j] for canon, j in wanted.items()}, dtype=object)
    df["line"] = np.asarray(lines, dtype=np.int64)
    return df


def _check_width(grid: Grid, header: Header, row: list[str], line: int, width: int, extra: Mapping[str, int] | None) -> None:
    """A data row of the wrong length is damage when it loses a column we read or carries values
    beyond the header; a short last row of a file without a final line break was cut short."""
    needed = max([*header.columns.values(), *(extra or {}).values()]) + 1
    last = line == grid.lines[-1]
    if len(row) < width and (len(row) < needed or (last and grid.cut)):
        cut = " (the file ends without a line break: it may be cut short)" if last and grid.cut else ""
        label = grid.rows[header.index][len(row)].strip() if len(row) < width else ""
        raise InputError(f"{len(row)} fields where the header has {width}{cut}", file=grid.path, row=line, column=label or None)
    if len(row) > width and any(c.strip() for c in row[width:]):
        raise InputError(f"{len(row)} fields where the header has {width}", file=grid.path, row=line,
                         hint="a comma inside an unquoted cell, or a damaged row")


def numbers(
    df: pd.DataFrame,
    columns: Sequence[str],
    path: str,
    labels: Mapping[str, str],
    missing: MissingReport | None = None,
    allow_negative: bool = False,
) -> None:
    """Convert text columns to floats in place (vectorised).

    Suppression markers (``*``, ``-``, blank, ``..``) become NaN and are reported to ``missing``;
    thousands separators, padding and a trailing ``%`` are accepted. Anything else is an
    :class:`InputError` naming the file line and the column as written in the file.
    """
    if not len(columns):
        return
    lines = df["line"].to_numpy()
    n = len(df)
    # all columns at once: one flat vector of cells, column after column
    flat = pd.Series(np.concatenate([df[c].to_numpy(dtype=object) for c in columns]), dtype=object)
    raw = flat.astype(str).str.strip()
    text = raw.to_numpy(dtype=object)
    supp = raw.str.lower().isin(TEXT_SUPPRESSED).to_numpy()
    cleaned = raw.str.rstrip("%").str.strip()
    commas = cleaned.str.contains(",", regex=False)
    if commas.any():  # only thousands separators may be dropped: 71,1 is not 711
        ok = cleaned[commas].str.match(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
        cleaned = cleaned.where(~commas, cleaned.str.replace(",", "", regex=False).where(ok.reindex(cleaned.index, fill_value=True), "x"))
    literal = cleaned.str.lower().str.lstrip("+-").isin(["nan", "inf", "infinity"])
    values = pd.to_numeric(cleaned.where(~(supp | literal.to_numpy()), "x"), errors="coerce").to_numpy(dtype=float)
    bad = (np.isnan(values) & ~supp) | (np.abs(np.nan_to_num(values)) > MAX_MAGNITUDE)
    if not allow_negative:
        bad |= values < 0
    if bad.any():
        k = int(np.flatnonzero(bad.reshape(len(columns), n).T.reshape(-1))[0])  # first in file order
        i, j = divmod(k, len(columns))
        cell = text[j * n + i]
        label = labels.get(columns[j], columns[j])
        v = values[j * n + i]
        if np.isnan(v):
            raise number_error(cell, path, int(lines[i]), label)
        if abs(v) > MAX_MAGNITUDE:
            check_number(cell, v, path, int(lines[i]), label)
        raise InputError(f"negative count {cell!r}", file=path, row=int(lines[i]), column=label)
    if missing is not None and supp.any():
        for k in np.flatnonzero(supp):
            j, i = divmod(int(k), n)
            missing.add(path, int(lines[i]), labels.get(columns[j], columns[j]), text[k])
    block = values.reshape(len(columns), n)
    for j, col in enumerate(columns):
        df[col] = block[j]

def not_above(df: pd.DataFrame, part: str, whole: str, path: str, labels: Mapping[str, str]) -> None:
    """Raise when a part exceeds its whole on a row (breaches above attendances): damage, not data."""
    if part not in df.columns or whole not in df.columns:
        return
    p, w = df[part].to_numpy(dtype=float), df[whole].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        bad = p > w
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{p[i]:g} is more than the {labels.get(whole, whole)!r} of the row ({w[i]:g})",
            file=path, row=int(df["line"].iloc[i]), column=labels.get(part, part),
        )


_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T].*)?$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_NAMED = re.compile(r"([a-z]{3,9})[\s\-_]*('?\d{2}|\d{4})\b")


def parse_month(text: str) -> date | None:
    """The first day of the month named by a period cell, or None if it names none.

    Accepts ``MSitAE-JUNE-2024``, ``2024-06-01``, ``2024-06``, ``01/06/2024`` (day first, the NHS
    way), ``June 2024``, ``Jun-24`` and ``RTT-September-2025``.
    """
    t = str(text).strip()
    m = _ISO.match(t)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        return date(y, mo, 1) if 1 <= mo <= 12 else None
    m = _DMY.match(t)
    if m:
        mo, y = int(m.group(2)), int(m.group(3))
        return date(y, mo, 1) if 1 <= mo <= 12 else None
    for m in _NAMED.finditer(t.lower()):
        mo = _MONTHS.get(m.group(1))
        if mo:
            y = m.group(2).lstrip("'")
            year = int(y) if len(y) == 4 else 2000 + int(y)
            return date(year, mo, 1)
    return None


def month_column(df: pd.DataFrame, col: str, path: str, label: str) -> pd.Series:
    """Parse a period column into month starts (datetime64), naming the first cell that fails."""
    texts = df[col].astype(str).str.strip()
    cache = {t: parse_month(t) for t in texts.unique()}
    months = texts.map(cache)
    bad = months.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{texts.iloc[i]!r} is not a month", file=path, row=int(df["line"].iloc[i]), column=label,
            hint="expected e.g. 2024-06-01, 01/06/2024 or June 2024",
        )
    return pd.to_datetime(months)


def month_from_name(path: str | Path) -> date | None:
    """A month named in a file name (``monthly-ae-2024-06.csv``, ``...-September-2025.csv``)."""
    stem = Path(path).stem.lower()
    m = re.search(r"(20\d{2})[-_](\d{2})(?!\d)", stem)
    if m and 1 <= int(m.group(2)) <= 12:
        return date(int(m.group(1)), int(m.group(2)), 1)
    for m in _NAMED.finditer(stem):
        mo = _MONTHS.get(m.group(1))
        if mo and len(m.group(2)) == 4:
            return date(int(m.group(2)), mo, 1)
    return None


def text_column(df: pd.DataFrame, col: str) -> pd.Series:
    """Strip padding from a text column (codes and names)."""
    return df[col].astype(str).str.strip()


def no_duplicates(df: pd.DataFrame, keys: Sequence[str], path: str, label: str) -> None:
    """Raise on the first repeated key, naming both file lines (uses the ``line`` column)."""
    dup = df.duplicated(list(keys), keep=False).to_numpy()
    if not dup.any():
        return
    first = df[dup].iloc[0]
    same = (df[list(keys)] == first[list(keys)]).all(axis=1).to_numpy() & dup
    lines = df["line"].to_numpy()[same]

    def show(k: str) -> str:
        v = first[k]
        return f"{k}={v:%Y-%m}" if isinstance(v, pd.Timestamp) else f"{k}={v}"

    raise InputError(
        f"duplicate row for {', '.join(show(k) for k in keys)} (also at row {int(lines[1])})",
        file=path,
        row=int(lines[0]),
        column=label,
    )
