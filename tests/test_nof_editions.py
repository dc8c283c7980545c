"""NHS England's NOF file editions: the `Quarter` column, files of every quarter to date, and the
older "Non-acute hospital trust" type label, all read to the same assessment."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from nhs_oversight import api
from nhs_oversight.cli import main

COLS = ["org_code", "average_score", "final_segment", "rank", "region", "icb_code"]


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _write(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture(scope="module")
def mhc_summary(mhc_q1):
    return api.assess([mhc_q1]).summary[COLS].reset_index(drop=True)


@pytest.fixture
def two_quarters(mhc_q1, tmp_path):
    """The Q1 file with a copy of its rows as Q2, as NHS England's later downloads carry them."""
    header, *body = _rows(mhc_q1)
    q = header.index("Quarter")
    q2 = [[*r[:q], "Q2 2025/26", *r[q + 1 :]] for r in body]
    return _write(tmp_path / "nof-mhc-all-quarters.csv", [header, *body, *q2]), len(body)


def test_old_type_label_reads_the_same(mhc_q1, mhc_summary, tmp_path):
    header, *body = _rows(mhc_q1)
    t = header.index("Trust_type")
    old = [[*r[:t], "Non-acute hospital trust", *r[t + 1 :]] for r in body]
    path = _write(tmp_path / "nhs-oversight-framework-non-acute-hospital-trust-data.csv", [header, *old])
    pd.testing.assert_frame_equal(api.assess([path]).summary[COLS].reset_index(drop=True), mhc_summary)


def test_layout_without_the_quarter_column_reads_the_same(mhc_q1, mhc_summary, tmp_path):
    header, *body = _rows(mhc_q1)
    q = header.index("Quarter")
    path = _write(tmp_path / "no-quarter-column.csv", [[*r[:q], *r[q + 1 :]] for r in [header, *body]])
    data = api.read_inputs([path])
    assert data.period == "2025/26 Q1"  # from the summary rows' reporting date
    pd.testing.assert_frame_equal(api.assess(data).summary[COLS].reset_index(drop=True), mhc_summary)


def test_several_quarters_need_a_choice(two_quarters, capsys):
    path, _ = two_quarters
    assert main(["segment", str(path)]) == 2
    err = capsys.readouterr().err
    assert "several quarters (2025/26 Q1, 2025/26 Q2)" in err and "--quarter" in err and path.name in err
    assert "Traceback" not in err


def test_quarter_chooses_rows_of_one_quarter(two_quarters, mhc_summary):
    path, _ = two_quarters
    for q in ("2025/26 Q1", "Q2 2025/26"):
        data = api.read_inputs([path], quarter=q)
        assert len(data.orgs) == 61
        pd.testing.assert_frame_equal(api.assess(data).summary[COLS].reset_index(drop=True), mhc_summary)
    assert api.read_inputs([path], quarter="2025/26 Q2").period == "2025/26 Q2"


def test_errors_name_the_files_own_line(two_quarters, tmp_path, capsys):
    path, n = two_quarters
    rows = _rows(path)
    line = n + 10  # a Q2 row (the header is line 1)
    v = rows[0].index("Value")
    rows[line - 1][v] = "seventy"
    bad = _write(tmp_path / "bad.csv", rows)
    assert main(["segment", str(bad), "--quarter", "2025/26 Q2"]) == 2
    err = capsys.readouterr().err
    assert f"row {line}" in err and "Value" in err and "'seventy'" in err
    assert main(["segment", str(bad), "--quarter", "2025/26 Q1"]) == 0  # the damage is in Q2 only


def test_quarter_not_in_the_file(two_quarters, acute_q1, capsys):
    path, _ = two_quarters
    assert main(["segment", str(path), "--quarter", "2025/26 Q3"]) == 2
    assert "holds 2025/26 Q1, 2025/26 Q2, not 2025/26 Q3" in capsys.readouterr().err
    assert main(["segment", str(acute_q1), "--quarter", "2025/26 Q2"]) == 2  # the acute file has no Quarter column
    assert "holds 2025/26 Q1, not 2025/26 Q2" in capsys.readouterr().err
    assert main(["segment", str(acute_q1), "--quarter", "sometime"]) == 2
    assert "not of the form" in capsys.readouterr().err


def test_acute_and_mental_health_files_of_two_editions_together(acute_q1, mhc_q1):
    # the acute file has no Quarter column, the other has one: one quarter, one assessment
    data = api.read_inputs([acute_q1, mhc_q1], quarter="2025/26 Q1")
    assert data.period == "2025/26 Q1" and len(data.orgs) == 195


def test_ingest_stores_each_quarter_of_a_file(two_quarters, tmp_path, capsys):
    import duckdb

    path, _ = two_quarters
    db = tmp_path / "h.duckdb"
    assert main(["ingest", str(path), "--db", str(db)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        table = next(t for t in tables if "published" in t)
        periods = dict(con.execute(f"select period, count(distinct org_code) from {table} group by period").fetchall())
    finally:
        con.close()
    assert periods == {"2025/26 Q1": 61, "2025/26 Q2": 61}
