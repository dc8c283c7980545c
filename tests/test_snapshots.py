"""Snapshots of the report's HTML and the Excel board pack, so any change to them is seen in review.

The report is normalised before comparing: the inlined stylesheet becomes its length and digest,
each chart keeps only its accessible label (the SVG drawing depends on the chart library's
version), data URIs and timestamps are blanked. The pack is summarised as JSON: sheet names,
headers, the first rows, print settings, page headers and footers, the cover and About sheets.

After an intended change, refresh the files in ``tests/snapshots`` and review their diff:

    UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import nhs_oversight
from nhs_oversight.cli import app
from nhs_oversight.web.report import build_report
from web_support import synthetic_site

SNAPSHOTS = Path(__file__).parent / "snapshots"
PACKAGE = str(Path(nhs_oversight.__file__).parent)
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")


def normalise_html(text: str) -> str:
    """The report without what varies by machine or library version (see the module's docstring)."""

    def style(m: re.Match) -> str:
        css = m.group(1)
        return f"<style>/* {len(css)} characters, sha256 {hashlib.sha256(css.encode()).hexdigest()[:16]} */</style>"

    def svg(m: re.Match) -> str:
        label = re.search(r'aria-label="([^"]*)"', m.group(0))
        return f'<svg role="img" aria-label="{label.group(1) if label else ""}"></svg>'

    text = re.sub(r"<style>(.*?)</style>", style, text, flags=re.S)
    text = re.sub(r"<svg\b.*?</svg>", svg, text, flags=re.S)
    text = re.sub(r"data:[^\"')\s]+", "data:...", text)
    return TIMESTAMP.sub("<timestamp>", text)


def _plain(value):
    if isinstance(value, float):
        return float(f"{value:.10g}")
    if isinstance(value, str):
        return TIMESTAMP.sub("<timestamp>", value.replace(PACKAGE, "<package>"))
    return value if value is None or isinstance(value, int | bool) else str(value)


def summarise_pack(path: Path) -> dict:
    """What a reader of the pack sees first, sheet by sheet (see the module's docstring)."""
    wb = openpyxl.load_workbook(path)
    sheets = {}
    for ws in wb:
        setup, fit = ws.page_setup, ws.sheet_properties.pageSetUpPr
        whole = ws.title in ("Cover", "About")
        rows = ws.iter_rows(min_row=1, max_row=ws.max_row if whole else 3)
        sheets[ws.title] = {
            "size": [ws.max_row, ws.max_column],
            "freeze_panes": ws.freeze_panes,
            "auto_filter": ws.auto_filter.ref,
            "print": {"orientation": setup.orientation, "paper_size": setup.paperSize, "fit_to_page": bool(fit and fit.fitToPage),
                      "fit_to_width": setup.fitToWidth, "fit_to_height": setup.fitToHeight, "title_rows": ws.print_title_rows},
            "header": [ws.oddHeader.left.text, ws.oddHeader.center.text, ws.oddHeader.right.text],
            "footer": [ws.oddFooter.left.text, ws.oddFooter.center.text, ws.oddFooter.right.text],
            "rows": [[_plain(c.value) for c in row] for row in rows],
            "formats": [c.number_format for c in ws[2]] if ws.max_row >= 2 and not whole else [],
        }
    return {"sheets": list(sheets), "sheet": sheets}


def check(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot {path}: run UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        old, new = expected.splitlines(), actual.splitlines()
        at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
        pytest.fail(f"{name} differs from its snapshot at line {at + 1}:\n- {old[at] if at < len(old) else '(end)'}\n"
                    f"+ {new[at] if at < len(new) else '(end)'}\nIf intended, refresh: UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py")


def test_normalising_keeps_the_text_and_drops_what_varies():
    raw = ('<style>a{b:c}</style><p>Run 2025-10-01T09:30:00Z</p><svg role="img" aria-label="Chart">'
           '<path d="M0"/></svg><img src="data:image/png;base64,AAAA">')
    out = normalise_html(raw)
    assert out == ('<style>/* 6 characters, sha256 ' + hashlib.sha256(b"a{b:c}").hexdigest()[:16] + ' */</style>'
                   '<p>Run <timestamp></p><svg role="img" aria-label="Chart"></svg><img src="data:...">')


def test_report_html_matches_its_snapshot():
    html = build_report(synthetic_site(), trusts=["Z00"], metrics=False)
    assert html.startswith("<!DOCTYPE html>")
    check("report.html", normalise_html(html))


def test_excel_pack_matches_its_snapshot(tmp_path):
    out = tmp_path / "pack.xlsx"
    r = CliRunner().invoke(app, ["report", "--synthetic", "--output", str(out), "--draws", "50"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    summary = summarise_pack(out)
    assert summary["sheets"][0] == "Cover" and summary["sheets"][-1] == "About"
    check("pack.json", json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
