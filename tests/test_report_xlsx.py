"""`oversight report --output pack.xlsx`: the board pack, read back with openpyxl."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from nhs_oversight.cli import app
from nhs_oversight.render.palette import SEGMENT_COLOURS
from web_support import synthetic_assessments

DATA_SHEETS = ["Segments by region", "Segments by trust type", "Segments by ICB", "League table", "Metric scores",
               "Domains", "Cut points", "Movement", "Uncertainty"]


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("pack") / "pack.xlsx"
    r = CliRunner().invoke(app, ["report", "--synthetic", "--output", str(out), "--draws", "50"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return openpyxl.load_workbook(out)


def column(ws, title):
    heads = [c.value for c in ws[1]]
    return heads.index(title) + 1


def test_one_sheet_per_table_with_frozen_headers(pack):
    assert pack.sheetnames == ["Cover", *DATA_SHEETS, "About"]
    for name in DATA_SHEETS:
        ws = pack[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref, name
        assert ws.cell(1, 1).font.b
        assert "SYNTHETIC DATA" in ws.oddHeader.left.text


def test_league_table_values_formats_and_colours(pack):
    a, _ = synthetic_assessments()
    ws = pack["League table"]
    assert ws.max_row - 1 == len(a.summary)
    code_col, avg_col, seg_col = column(ws, "ODS code"), column(ws, "Average score"), column(ws, "Final segment")
    assert {ws.cell(r, 1).value for r in range(2, ws.max_row + 1)} == {"SYNTHETIC"}
    for r in range(2, ws.max_row + 1):
        code = ws.cell(r, code_col).value
        row = a.org(code)
        assert ws.cell(r, avg_col).value == pytest.approx(row["average_score"])
        seg = ws.cell(r, seg_col)
        assert seg.value == row["final_segment"]
        assert seg.fill.fgColor.rgb.upper().endswith(SEGMENT_COLOURS[seg.value].lstrip("#").upper())
    assert ws.cell(2, avg_col).number_format == "0.00"
    assert ws.cell(2, column(ws, "Rank")).number_format == "0"
    assert ws.cell(2, column(ws, "Trust type")).value == "Acute trust"


def test_segment_sheets_count_and_share(pack):
    a, _ = synthetic_assessments()
    ws = pack["Segments by region"]
    heads = [c.value for c in ws[1]]
    rows = {ws.cell(r, heads.index("Group") + 1).value: r for r in range(2, ws.max_row + 1)}
    assert set(rows) == set(a.summary["region"]) | {"England"}
    london = a.summary[a.summary["region"] == "London"]
    r = rows["London"]
    assert ws.cell(r, heads.index("Segment 4 (count)") + 1).value == int((london["final_segment"] == 4).sum())
    share = ws.cell(r, heads.index("Segment 4 (share)") + 1)
    assert share.value == pytest.approx((london["final_segment"] == 4).mean()) and share.number_format == "0%"
    counts = ws.cell(r, heads.index("Segment 3 (count)") + 1)
    assert counts.fill.fgColor.rgb in (None, "00000000")  # counts are not coloured as segments


def test_about_sheet_documents_method_sources_and_legend(pack):
    a, _ = synthetic_assessments()
    ws = pack["About"]
    pairs = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert pairs["framework"] == "nof-2025-26" and pairs["period"] == "2025/26 Q2" and pairs["dataset"] == "SYNTHETIC"
    for f in a.inputs.files:
        assert f in pairs["source_files"]
    assert "2025/26 Q1" in pairs["movement"] and "draws" in pairs["uncertainty"]
    legend = {ws.cell(r, 1).value: ws.cell(r, 1).fill.fgColor.rgb for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("Segment ")}
    for k, colour in SEGMENT_COLOURS.items():
        assert legend[f"Segment {k}"].upper().endswith(colour.lstrip("#").upper())


def test_uncertainty_and_movement_sheets(pack):
    a, previous = synthetic_assessments()
    ws = pack["Uncertainty"]
    heads = [c.value for c in ws[1]]
    assert ws.max_row - 1 == len(a.summary)
    p = ws.cell(2, heads.index("Chance of the same segment") + 1)
    assert 0 <= p.value <= 1 and p.number_format == "0%"
    mv = pack["Movement"]
    heads = [c.value for c in mv[1]]
    before = previous.summary.set_index("org_code")["final_segment"]
    for r in range(2, mv.max_row + 1):
        code = mv.cell(r, heads.index("ODS code") + 1).value
        assert mv.cell(r, heads.index("Segment before") + 1).value == before[code]


def test_cover_sheet_states_quarter_data_date_and_segment_counts(pack):
    a, _ = synthetic_assessments()
    ws = pack["Cover"]
    assert pack.sheetnames[0] == "Cover"
    assert "2025/26 Q2" in ws.cell(1, 1).value and "SYNTHETIC" in ws.cell(1, 1).value
    pairs = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(1, ws.max_row + 1)}
    assert pairs["Quarter"].value == "2025/26 Q2"
    assert pairs["Data to"].value == "September 2025"  # Q2 of 2025/26 is July to September 2025
    assert pairs["Organisations assessed"].value == len(a.summary) and pairs["Organisations assessed"].data_type == "n"
    for k in range(1, 6):
        cell = next(c for label, c in pairs.items() if str(label).startswith(f"Segment {k}"))
        assert cell.data_type == "n" and cell.value == int((a.summary["final_segment"] == k).sum())
    for name in DATA_SHEETS:
        assert name in pairs, f"the cover does not list sheet {name}"


def test_metric_names_sit_beside_codes(pack):
    a, _ = synthetic_assessments()
    ws = pack["Metric scores"]
    heads = [c.value for c in ws[1]]
    assert heads.index("Metric name") == heads.index("Metric") + 1
    assert heads.index("Organisation") == heads.index("ODS code") + 1
    names = {m.id: m.name for m in a.framework.metrics}
    seen = set()
    for r in range(2, ws.max_row + 1):
        mid = ws.cell(r, heads.index("Metric") + 1).value
        assert ws.cell(r, heads.index("Metric name") + 1).value == names[mid]
        seen.add(mid)
    assert seen == set(a.metrics["metric_id"])
    d = pack["Domains"]
    dheads = [c.value for c in d[1]]
    assert dheads.index("Domain name") == dheads.index("Domain") + 1
    assert {d.cell(r, dheads.index("Domain name") + 1).value for r in range(2, d.max_row + 1)} == {x.name for x in a.framework.domains if x.id in set(a.domains["domain"])}


def test_numbers_are_number_cells(pack):
    ws = pack["Metric scores"]
    heads = [c.value for c in ws[1]]
    for title in ("Value", "Score", "Rank", "Weight"):
        cells = [ws.cell(r, heads.index(title) + 1) for r in range(2, ws.max_row + 1)]
        filled = [c for c in cells if c.value is not None]
        assert filled, title
        assert all(c.data_type == "n" and isinstance(c.value, int | float) for c in filled), title
    league = pack["League table"]
    lheads = [c.value for c in league[1]]
    for title in ("Average score", "Rank", "Final segment", "Metrics"):
        assert all(league.cell(r, lheads.index(title) + 1).data_type == "n" for r in range(2, league.max_row + 1)), title


def test_every_sheet_prints_landscape_fitted_to_width_with_repeated_headers(pack):
    from openpyxl.utils import get_column_letter

    for name in ["Cover", *DATA_SHEETS, "About"]:
        ws = pack[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.page_setup.paperSize in (9, "9"), name  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.page_setup.fitToWidth in (1, "1", None) and ws.page_setup.fitToHeight in (0, "0"), name  # width absent = 1 page
        area = ws.print_area
        assert area, f"{name} has no print area"
        last = f"${get_column_letter(ws.max_column)}${ws.max_row}"
        assert area[0].endswith(f"!$A$1:{last}") if isinstance(area, list) else area.endswith(f"!$A$1:{last}"), (name, area)
    for name in DATA_SHEETS:
        assert pack[name].print_title_rows == "$1:$1", name  # the header row repeats on every printed page


def test_every_sheet_with_codes_names_the_organisation(pack):
    a, _ = synthetic_assessments()
    names = dict(zip(a.summary["org_code"], a.summary["org_name"], strict=True))
    for name in ("League table", "Metric scores", "Domains", "Uncertainty"):
        ws = pack[name]
        heads = [c.value for c in ws[1]]
        code, org = heads.index("ODS code") + 1, heads.index("Organisation") + 1
        for r in range(2, min(ws.max_row, 60) + 1):
            assert ws.cell(r, org).value == names[ws.cell(r, code).value], name
