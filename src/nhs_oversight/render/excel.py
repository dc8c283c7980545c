"""Excel workbooks a board pack can use directly: one sheet per table, frozen headers, formats.

Number formats follow the column: scores and averages to 2 dp, shares and probabilities as
percentages, counts and ranks as whole numbers. Columns holding a segment get the segment colours,
explained in a legend on the last sheet, which also documents the method version and sources.
A dataset label (e.g. SYNTHETIC) is printed in every sheet's header.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from nhs_oversight.render.palette import NHS_BLUE, SEGMENT_COLOURS, SEGMENT_TEXT
from nhs_oversight.util.files import atomic_write

_SCORE_HINTS = ("score", "average")
_SEGMENT = re.compile(r"segment(_(before|after|a|b))?$")
_PERCENT = re.compile(r"^(share_\d|p_segment_\d|p_same)$|_share$|^share$")
_INTEGER = re.compile(r"(^|_)(rank|rank_of|rank_low|rank_high|rank_median|n_metrics|organisations|group_size|population_size|segment_\d)$|^rank_(a|b|before|after)$")


def is_segment_column(name: str) -> bool:
    """A column holding segment values 1-5 (not counts such as ``segment_3``)."""
    return bool(_SEGMENT.search(str(name).lower()))


def column_kind(name: str, series: pd.Series) -> str:
    """``segment``, ``percent``, ``integer``, ``score`` or ``plain``: how a column is formatted."""
    low = str(name).lower()
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    if not numeric:
        return "plain"
    if is_segment_column(low):
        return "segment"
    if _PERCENT.search(low):
        return "percent"
    if _INTEGER.search(low):
        return "integer"
    if any(h in low for h in _SCORE_HINTS) and pd.api.types.is_float_dtype(series):
        return "score"
    return "plain"


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Sheet"
    out, k = base, 2
    while out.lower() in used:
        out = f"{base[:28]}_{k}"
        k += 1
    used.add(out.lower())
    return out


def _blank(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def write_workbook(
    tables: dict[str, pd.DataFrame],
    path: str | Path,
    meta: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    about: str = "About",
    label: str | None = None,
    freeze_columns: dict[str, int] | None = None,
    cover: list[tuple[str, Any]] | None = None,
    cover_title: str = "Cover",
) -> Path:
    """Write a cover sheet (when given), each table to its own sheet, then ``meta`` with the legend.

    Every sheet prints on A4 landscape, fitted to the page width, with its header row repeated on
    each printed page and the print area set to the table.

    Parameters
    ----------
    tables : sheet name -> table.
    meta : key -> value rows of the last sheet (method, period, sources...).
    headers : readable titles for column names (others are written as they are).
    about : name of the last sheet.
    label : dataset label (e.g. ``SYNTHETIC``) printed in the header of every sheet.
    freeze_columns : sheet name -> number of leading columns to keep in view.
    cover : (label, value) rows of the first sheet; numbers are written as numbers.
    """
    import xlsxwriter

    headers = headers or {}
    freeze_columns = freeze_columns or {}
    label = label or (meta or {}).get("dataset")

    def build(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"nan_inf_to_errors": True})
        styles = _styles(wb)
        used: set[str] = set()
        if cover:
            _cover_sheet(wb, styles, wb.add_worksheet(_sheet_name(cover_title, used)), cover, cover_title, label)
        for name, df in tables.items():
            _table_sheet(styles, wb.add_worksheet(_sheet_name(name, used)), name, df, headers, label, freeze_columns.get(name, 0))
        _about_sheet(wb, styles, wb.add_worksheet(_sheet_name(about, used)), about, meta or {}, label)
        wb.close()

    return atomic_write(path, build)


def _styles(wb: Any) -> dict[str, Any]:
    """The header style, the number formats by column kind, and one style per segment colour."""
    return {
        "head": wb.add_format({"bold": True, "bg_color": NHS_BLUE, "font_color": "#FFFFFF", "text_wrap": True, "valign": "top", "border": 1}),
        "formats": {
            "score": wb.add_format({"num_format": "0.00"}),
            "percent": wb.add_format({"num_format": "0%"}),
            "integer": wb.add_format({"num_format": "0"}),
            "plain": None,
        },
        "segments": {
            k: wb.add_format({"bg_color": c, "font_color": SEGMENT_TEXT[k], "align": "center", "num_format": "0", "border": 1, "border_color": "#425563"})
            for k, c in SEGMENT_COLOURS.items()
        },
    }


def _print_setup(ws: Any, last_row: int, last_col: int, repeat: bool = True) -> None:
    """A4 landscape, one page wide, the print area set to the table, the header row on every page."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.print_area(0, 0, max(last_row, 0), max(last_col, 0))
    if repeat:
        ws.repeat_rows(0)


def _cover_sheet(wb: Any, styles: dict[str, Any], ws: Any, cover: list[tuple[str, Any]], cover_title: str, label: str | None) -> None:
    """The first sheet: a title, then (label, value) rows; a row without a value is a heading."""
    title = wb.add_format({"bold": True, "font_size": 16, "font_color": NHS_BLUE})
    key = wb.add_format({"bold": True, "valign": "top"})
    wrap_ = wb.add_format({"text_wrap": True, "valign": "top", "align": "left"})
    whole = wb.add_format({"num_format": "0", "align": "left"})
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 90)
    if label:
        ws.set_header(f"&L&B{label} DATA&C{cover_title}")
    r = 0
    for k, v in cover:
        if v is None and r == 0:
            ws.write_string(r, 0, str(k), title)
        elif v is None:
            ws.write_string(r, 0, str(k), styles["head"])
        elif isinstance(v, bool) or not isinstance(v, int | float):
            ws.write_string(r, 0, str(k), key)
            ws.write_string(r, 1, str(v), wrap_)
        else:
            ws.write_string(r, 0, str(k), key)
            ws.write_number(r, 1, v, whole if float(v).is_integer() else None)
        r += 1
    _print_setup(ws, r - 1, 1, repeat=False)


def _table_sheet(styles: dict[str, Any], ws: Any, name: str, df: pd.DataFrame, headers: dict[str, str], label: str | None,
                 freeze: int) -> None:
    """One table: titled header row, a format per column, frozen header, filter and print settings."""
    if label:
        ws.set_header(f"&L&B{label} DATA&C{name}")
        ws.set_footer(f"&L{label} DATA&RPage &P of &N")
    ws.set_row(0, 30)
    formats = styles["formats"]
    for j, col in enumerate(df.columns):
        series = df[col]
        kind = column_kind(col, series)
        title = headers.get(str(col), str(col))
        ws.write(0, j, title, styles["head"])
        width = max([min(len(title), 24)] + [len(str(v)) for v in series.head(200)]) + 2
        ws.set_column(j, j, min(max(width, 8), 60), formats.get(kind) if kind != "segment" else formats["integer"])
        _write_column(ws, j, series, kind, styles["segments"])
    ws.freeze_panes(1, freeze)
    if len(df.columns):
        ws.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
    _print_setup(ws, len(df), len(df.columns) - 1)


def _write_column(ws: Any, j: int, series: pd.Series, kind: str, seg_fmt: dict[int, Any]) -> None:
    """The cells of one column: blanks stay blank, segments coloured, numbers as numbers."""
    for i, v in enumerate(series.tolist(), start=1):
        if _blank(v):
            ws.write_blank(i, j, None)
        elif kind == "segment" and int(v) in seg_fmt:
            ws.write_number(i, j, int(v), seg_fmt[int(v)])
        elif isinstance(v, bool):
            ws.write_boolean(i, j, v)
        elif isinstance(v, int | float):
            ws.write_number(i, j, v)
        else:
            ws.write_string(i, j, str(v))


def _about_sheet(wb: Any, styles: dict[str, Any], sheet: Any, about: str, meta: dict[str, Any], label: str | None) -> None:
    """The last sheet: method, period and sources as key-value rows, then the segment colour legend."""
    head, seg_fmt = styles["head"], styles["segments"]
    if label:
        sheet.set_header(f"&L&B{label} DATA&C{about}")
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 100)
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    r = 0
    for key, value in meta.items():
        sheet.write(r, 0, str(key), head)
        sheet.write(r, 1, str(value), wrap)
        r += 1
    r += 1
    sheet.write(r, 0, "Segment colours", head)
    for k in sorted(seg_fmt):
        r += 1
        sheet.write(r, 0, f"Segment {k}", seg_fmt[k])
        sheet.write(r, 1, SEGMENT_LEGEND[k])
    _print_setup(sheet, r, 1, repeat=False)


SEGMENT_LEGEND = {
    1: "Segment 1: narrowest range of challenges",
    2: "Segment 2",
    3: "Segment 3",
    4: "Segment 4: broadest range of challenges",
    5: "Segment 5: Recovery Support Programme",
}
