"""Excel workbooks a board pack can use directly: one sheet per table, frozen headers, formats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from nhs_oversight.render.output import atomic_write
from nhs_oversight.render.palette import SEGMENT_COLOURS, SEGMENT_TEXT

_SCORE_HINTS = ("score", "average")


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Sheet"
    out, k = base, 2
    while out.lower() in used:
        out = f"{base[:28]}_{k}"
        k += 1
    used.add(out.lower())
    return out


def write_workbook(
    tables: dict[str, pd.DataFrame], path: str | Path, meta: dict[str, Any] | None = None
) -> Path:
    """Write each table to its own sheet; segment columns get the segment colours and a legend."""
    import xlsxwriter

    def build(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"nan_inf_to_errors": True})
        head = wb.add_format({"bold": True, "bg_color": "#005EB8", "font_color": "#FFFFFF", "text_wrap": True, "valign": "top"})
        two_dp = wb.add_format({"num_format": "0.00"})
        seg_fmt = {
            k: wb.add_format({"bg_color": c, "font_color": SEGMENT_TEXT[k], "align": "center"})
            for k, c in SEGMENT_COLOURS.items()
        }
        used: set[str] = set()
        for name, df in tables.items():
            ws = wb.add_worksheet(_sheet_name(name, used))
            for j, col in enumerate(df.columns):
                ws.write(0, j, str(col), head)
                series = df[col]
                is_seg = "segment" in str(col).lower() and pd.api.types.is_numeric_dtype(series)
                is_score = any(h in str(col).lower() for h in _SCORE_HINTS) and pd.api.types.is_float_dtype(series)
                width = max([len(str(col))] + [len(str(v)) for v in series.head(200)]) + 2
                ws.set_column(j, j, min(max(width, 8), 60), two_dp if is_score else None)
                for i, v in enumerate(series.tolist(), start=1):
                    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
                        ws.write_blank(i, j, None)
                    elif is_seg and int(v) in seg_fmt:
                        ws.write_number(i, j, int(v), seg_fmt[int(v)])
                    elif isinstance(v, bool):
                        ws.write_boolean(i, j, v)
                    elif isinstance(v, int | float):
                        ws.write_number(i, j, v)
                    else:
                        ws.write_string(i, j, str(v))
            ws.freeze_panes(1, 0)
            if len(df.columns):
                ws.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
        about = wb.add_worksheet(_sheet_name("About", used))
        about.set_column(0, 0, 28)
        about.set_column(1, 1, 100)
        r = 0
        for key, value in (meta or {}).items():
            about.write(r, 0, str(key), head)
            about.write(r, 1, str(value))
            r += 1
        r += 1
        about.write(r, 0, "Segment colours", head)
        for k in sorted(seg_fmt):
            r += 1
            about.write(r, 0, f"Segment {k}", seg_fmt[k])
            about.write(r, 1, SEGMENT_LEGEND[k])
        wb.close()

    return atomic_write(path, build)


SEGMENT_LEGEND = {
    1: "Segment 1: narrowest range of challenges",
    2: "Segment 2",
    3: "Segment 3",
    4: "Segment 4: broadest range of challenges",
    5: "Segment 5: Recovery Support Programme",
}
