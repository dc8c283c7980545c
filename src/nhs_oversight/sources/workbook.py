"""Reading sheets of NHS England's Excel publications: title blocks, two-row headers, Excel rows.

Published workbooks put a title block (``Period:``, ``Published:`` ...) above a header of two
rows: a group label spanning several columns (``A&E attendances``) over the column labels
(``Type 1 Departments - Major A&E``), which repeat from group to group. :class:`Sheet` finds the
header, names each column ``group | label`` and reports errors with the Excel row number and the
sheet, so a user can find the cell.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.sources.common import SUPPRESSED_MARKERS, MissingReport, read_bytes


def is_workbook(path: str | Path) -> bool:
    """True for an .xlsx file (a zip archive), whatever its name."""
    return read_bytes(path)[:4] == b"PK\x03\x04"


def open_workbook(path: str | Path) -> Any:
    """The workbook, read-only with cached values; a clear error for a broken or non-xlsx file."""
    import openpyxl

    read_bytes(path)  # not found, a directory, empty: the common messages
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(f"cannot read as an Excel workbook: {exc}", file=str(path)) from None


def sheet_names(path: str | Path) -> list[str]:
    wb = open_workbook(path)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


@dataclass
class Sheet:
    """One sheet's cells (values as stored) with Excel row numbers from 1."""

    path: str
    name: str
    rows: list[list[Any]]

    @classmethod
    def read(cls, workbook: Any, path: str | Path, name: str) -> Sheet:
        if name not in workbook.sheetnames:
            raise InputError(f"the workbook has no sheet {name!r}", file=str(path),
                             hint="sheets: " + ", ".join(workbook.sheetnames))
        return cls(str(path), name, [list(r) for r in workbook[name].iter_rows(values_only=True)])

    @property
    def where(self) -> str:
        return f"{Path(self.path).name} [{self.name}]"

    def meta(self, key: str) -> str:
        """The value beside a title-block label such as ``Period:`` ('' when absent)."""
        want = key.lower().rstrip(":")
        for row in self.rows[:30]:
            cells = [_text(c) for c in row]
            for i, c in enumerate(cells):
                if c.lower().rstrip(":") == want and c.endswith(":"):
                    return next((v for v in cells[i + 1:] if v), "")
        return ""

    def header(self, must: tuple[str, ...]) -> int:
        """Index of the first row holding every label in ``must`` (case-insensitive)."""
        want = {m.lower() for m in must}
        for i, row in enumerate(self.rows[:60]):
            if want <= {_text(c).lower() for c in row}:
                return i
        raise InputError(f"no header row with {', '.join(repr(m) for m in must)}", file=self.where,
                         hint="the sheet does not have the published layout")

    def labels(self, index: int, grouped: bool = True) -> list[str]:
        """Column names for the header at ``index``: ``group | label`` with groups carried right."""
        labels = [_text(c) for c in self.rows[index]]
        if not grouped or index == 0:
            return labels
        group, out = "", []
        for i, lab in enumerate(labels):
            above = _text(self.rows[index - 1][i]) if i < len(self.rows[index - 1]) else ""
            group = above or group
            out.append(f"{group} | {lab}" if group and lab else lab)
        return out

    def body(self, index: int, key: int, skip: tuple[str, ...] = ()) -> list[tuple[int, list[Any]]]:
        """(Excel row, cells) below the header whose ``key`` cell is filled; ``skip`` keys left out."""
        out = []
        for i in range(index + 1, len(self.rows)):
            row = self.rows[i]
            k = _text(row[key]) if key < len(row) else ""
            if k and k not in skip:
                out.append((i + 1, row))
        return out


def column_of(labels: list[str], where: str, group: str, label: str, start: int = 0) -> int:
    """Position of the first column whose group starts with ``group`` and label with ``label``."""
    g, lab = group.lower(), label.lower()
    for j in range(start, len(labels)):
        head, _, tail = labels[j].partition(" | ")
        if not tail:
            head, tail = "", head
        if head.lower().startswith(g) and tail.lower().startswith(lab):
            return j
    raise InputError(f"no column {label!r} under {group!r}", file=where, hint="the sheet does not have the published layout")


def numeric(rows: list[tuple[int, list[Any]]], col: int, where: str, label: str,
            missing: MissingReport | None = None) -> np.ndarray:
    """One column as floats: suppression markers are missing (reported), other text is an error."""
    out = np.empty(len(rows))
    for k, (line, row) in enumerate(rows):
        v = row[col] if col < len(row) else None
        if isinstance(v, int | float) and not isinstance(v, bool):
            out[k] = float(v)
            continue
        t = _text(v)
        if t.lower() in SUPPRESSED_MARKERS:
            out[k] = np.nan
            if missing is not None:
                missing.add(where, line, label, t)
            continue
        try:
            out[k] = float(t.replace(",", ""))
        except ValueError:
            raise InputError(f"{t!r} is not a number", file=where, row=line, column=label) from None
    return out


def texts(rows: list[tuple[int, list[Any]]], col: int) -> pd.Series:
    return pd.Series([_text(r[col]) if col < len(r) else "" for _, r in rows], dtype=object)
