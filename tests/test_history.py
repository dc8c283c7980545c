"""History database: records, idempotence, editions, published files, org history, errors."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from nhs_oversight import history
from nhs_oversight.cli import main
from nhs_oversight.derive import derive_files
from nhs_oversight.errors import InputError, OptionError

AE_HEADER = (
    "Period,Org Code,Parent Org,Org name,A&E attendances Type 1,A&E attendances Type 2,"
    "A&E attendances Other A&E Department,Attendances over 4hrs Type 1,Attendances over 4hrs Type 2,"
    "Attendances over 4hrs Other Department"
)
MONTHS = {"2025-04": "APRIL", "2025-05": "MAY", "2025-06": "JUNE", "2025-07": "JULY"}


def ae_file(folder: Path, month: str, rows: dict[str, tuple[int, int]], suffix: str = "") -> Path:
    """A small A&E monthly file: org -> (type 1 attendances, over 4 hours)."""
    lines = [AE_HEADER]
    for org, (att, over) in rows.items():
        lines.append(f"MSitAE-{MONTHS[month]}-{month[:4]},{org},NHS ENGLAND LONDON,{org} TRUST,{att},0,0,{over},0,0")
    p = folder / f"ae-{month}{suffix}.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


@pytest.fixture
def quarter_files(tmp_path: Path) -> list[Path]:
    return [ae_file(tmp_path, m, {"RXX": (100, 10), "RYY": (50, 25)}) for m in ("2025-04", "2025-05", "2025-06")]


def snapshot(db: Path) -> dict[str, pd.DataFrame]:
    """Every table's content, sorted, so two states can be compared exactly."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        out = {}
        for t in tables:
            df = con.execute(f"SELECT * FROM {t}").df()
            out[t] = df.sort_values(list(df.columns)).reset_index(drop=True) if len(df) else df
        return out
    finally:
        con.close()


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for t in a:
        pd.testing.assert_frame_equal(a[t], b[t], check_dtype=False)


def test_files_are_recorded(tmp_path: Path, quarter_files: list[Path]) -> None:
    db = tmp_path / "h.duckdb"
    results = history.ingest_files(quarter_files, db)
    assert [r.status for r in results] == ["loaded"] * 3
    files = history.files(db)
    assert files["name"].tolist() == [p.name for p in quarter_files]
    assert files["sha256"].tolist() == [hashlib.sha256(p.read_bytes()).hexdigest() for p in quarter_files]
    assert files["kind"].tolist() == ["ae_monthly"] * 3
    assert files["periods"].tolist() == ["2025-04", "2025-05", "2025-06"]
    assert files["rows"].tolist() == [2, 2, 2]
    assert files["loaded_at"].notna().all() and files["seq"].tolist() == [1, 2, 3]


def test_loading_twice_changes_nothing(tmp_path: Path, quarter_files: list[Path]) -> None:
    db = tmp_path / "h.duckdb"
    history.ingest_files(quarter_files, db)
    before = snapshot(db)
    again = history.ingest_files(quarter_files, db)
    assert [r.status for r in again] == ["already loaded"] * 3
    renamed = tmp_path / "copy-of-april.csv"
    renamed.write_bytes(quarter_files[0].read_bytes())
    assert history.ingest_files([renamed], db)[0].status == "already loaded"  # keyed on content
    assert_same(before, snapshot(db))
    assert len(before["raw_ae_monthly"]) == 6 and len(before["source_files"]) == 3


def test_derive_from_db_equals_derive_from_files(tmp_path: Path, quarter_files: list[Path]) -> None:
    db = tmp_path / "h.duckdb"
    history.ingest_files(quarter_files, db)
    from_db = history.derive_from_db(db, "2025/26 Q1").values
    from_files = derive_files(quarter_files, "2025/26 Q1").values
    pd.testing.assert_frame_equal(from_db, from_files)
    assert from_db.set_index("org_code")["value"].to_dict() == {"RXX": 90.0, "RYY": 50.0}


def test_revised_edition_counts_whatever_the_load_order(tmp_path: Path, quarter_files: list[Path]) -> None:
    revised = ae_file(tmp_path, "2025-06", {"RXX": (100, 40), "RYY": (50, 25)}, suffix="-revised")
    db1, db2 = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    history.ingest_files(quarter_files, db1)
    loaded = history.ingest_files([revised], db1)
    assert any("ae-2025-06-revised.csv (revised) replaces ae-2025-06.csv" in n for n in loaded[0].notes)
    history.ingest_files([revised], db2)
    late = history.ingest_files(quarter_files, db2)
    assert any("ae-2025-06-revised.csv (revised) still counts" in n for n in late[2].notes)
    for db in (db1, db2):
        v = history.derive_from_db(db, "2025/26 Q1").values.set_index("org_code")
        assert v.loc["RXX", "numerator"] == 90 + 90 + 60
    # a later original replaces an earlier original
    db3 = tmp_path / "c.duckdb"
    history.ingest_files(quarter_files, db3)
    history.ingest_files([ae_file(tmp_path, "2025-06", {"RXX": (100, 0), "RYY": (50, 25)}, suffix="-second")], db3)
    assert history.derive_from_db(db3, "2025/26 Q1").values.set_index("org_code").loc["RXX", "numerator"] == 280


def test_a_bad_file_loads_nothing(tmp_path: Path, quarter_files: list[Path]) -> None:
    db = tmp_path / "h.duckdb"
    history.ingest_files(quarter_files[:1], db)
    before = snapshot(db)
    bad = tmp_path / "bad.csv"
    bad.write_text(AE_HEADER + "\nMSitAE-JULY-2025,RXX,R,N,1,0,0,lots,0,0\n", encoding="utf-8")
    with pytest.raises(InputError, match="'lots' is not a number"):
        history.ingest_files([*quarter_files[1:], bad], db)
    assert_same(before, snapshot(db))


def test_failure_inside_the_transaction_rolls_back(tmp_path: Path, quarter_files: list[Path], monkeypatch) -> None:
    db = tmp_path / "h.duckdb"
    history.ingest_files(quarter_files[:1], db)
    before = snapshot(db)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(history.ingest, "_claim", boom)  # fails after rows were inserted
    with pytest.raises(RuntimeError, match="disk full"):
        history.ingest_files(quarter_files[1:], db)
    assert_same(before, snapshot(db))


PUBLISHED = pd.DataFrame(
    {
        "org_code": ["RXX", "RXX", "RXX", "RYY"],
        "org_name": ["X Trust"] * 3 + ["Y Trust"],
        "trust_type": ["Acute trust"] * 4,
        "metric_id": ["OF0013", "OF5000", "OF5005", "OF0013"],
        "period": ["2025/26 Q1", "2025/26 Q1", "Q1 2025/26", "2025/26 Q1"],
        "value": [88.1, 2, 5, 51.0],
    }
)


def test_published_files_are_stored_once_and_shown_in_history(tmp_path: Path, quarter_files: list[Path]) -> None:
    db = tmp_path / "h.duckdb"
    history.ingest_files(quarter_files, db)
    r = history.ingest_published(db, PUBLISHED, {"name": "nhs-oversight-framework-acute-trust-data.csv"})
    assert (r.status, r.rows, r.periods) == ("loaded", 4, ["2025/26 Q1"])
    before = snapshot(db)
    assert history.ingest_published(db, PUBLISHED, {"name": "again.csv"}).status == "already loaded"
    assert_same(before, snapshot(db))
    table, _ = history.org_history("rxx", db)
    got = {(m, s.split(" ")[0]): v for m, s, v in zip(table["metric_id"], table["source"], table["value"], strict=True)}
    assert got == {("OF0013", "derived"): 90.0, ("OF0013", "published"): 88.1, ("OF5000", "published"): 2.0, ("OF5005", "published"): 5.0}
    files = history.files(db)
    assert files.loc[files["kind"] == "nof_published", "part"].item() == "Acute trust"


def test_a_second_published_version_replaces_the_first(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    with history.open_db(db) as con:  # a connection is accepted as well as a path
        history.ingest_published(con, PUBLISHED, {"name": "nof-q1.csv"})
        v2 = PUBLISHED.assign(value=PUBLISHED["value"] + 1)
        r = history.ingest_published(con, v2, {"name": "nof-q1-v2.csv"})
    assert any("nof-q1-v2.csv" in n and "replaces" in n for n in r.notes)
    table, _ = history.org_history("RXX", db, metrics=["OF0013"])
    assert table[["value", "source"]].values.tolist() == [[89.1, "published (nof-q1-v2.csv)"]]


def test_published_table_checks(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    with pytest.raises(InputError, match="lacks column"):
        history.ingest_published(db, PUBLISHED.drop(columns="trust_type"), {"name": "x.csv"})
    with pytest.raises(InputError, match="not a quarter"):
        history.ingest_published(db, PUBLISHED.assign(period="June 2025"), {"name": "x.csv"})
    with pytest.raises(InputError, match="duplicate"):
        history.ingest_published(db, pd.concat([PUBLISHED, PUBLISHED.iloc[:1]]), {"name": "x.csv"})
    with pytest.raises(OptionError, match="name"):
        history.ingest_published(db, PUBLISHED, {})


def test_history_of_a_merged_trust_says_where_it_went(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    history.ingest_files([ae_file(tmp_path, m, {"RAP": (100, 10), "RAL": (100, 20)}) for m in ("2025-04", "2025-05", "2025-06")], db)
    table, notes = history.org_history("RAP", db)
    assert table.empty and any("RAP merged into RAL" in n for n in notes)
    table, _ = history.org_history("RAL", db)
    assert table["value"].tolist() == [85.0]


def test_missing_and_foreign_databases(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="no history database"):
        history.derive_from_db(tmp_path / "none.duckdb")
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    with pytest.raises(OptionError, match="not an nhs-oversight history database"):
        history.files(other)
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database", encoding="utf-8")
    with pytest.raises(OptionError):
        history.files(junk)


def test_database_in_use_by_another_process(tmp_path: Path, quarter_files: list[Path]) -> None:
    db = tmp_path / "h.duckdb"
    history.ingest_files(quarter_files[:1], db)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); time.sleep(30)", str(db)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(OptionError, match="in use by another process"):
            history.ingest_files(quarter_files[1:], db)
    finally:
        holder.kill()
        holder.wait()


def test_cli_ingest_and_history(tmp_path: Path, quarter_files: list[Path], capsys) -> None:
    db = tmp_path / "h.duckdb"
    assert main(["ingest", *map(str, quarter_files), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.count("loaded") == 3 and "ae_monthly" in out
    assert main(["ingest", str(quarter_files[0]), "--db", str(db), "--format", "csv"]) == 0
    assert "already loaded" in capsys.readouterr().out
    assert main(["history", "RXX", "--db", str(db), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "org_code,metric_id,metric,period,value,numerator,denominator,source"
    assert lines[1] == "RXX,OF0013,A&E 4-hour,2025/26 Q1,90.0,270.0,300.0,derived (of0013_ae_4h.sql)"
    assert main(["history", "RXX", "--db", str(db), "--wide", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "metric_id,metric,source,2025/26 Q1"
    assert main(["history", "--files", "--db", str(db), "--format", "json"]) == 0
    assert '"ae-2025-04.csv"' in capsys.readouterr().out
    assert main(["derive", "--db", str(db), "--quarter", "2025/26 Q1", "--format", "csv"]) == 0
    assert "RYY,OF0013,2025/26 Q1,50.0" in capsys.readouterr().out
    assert main(["history", "RZZ", "--db", str(db)]) == 2
    assert "nothing for RZZ" in capsys.readouterr().err
    assert main(["history", "RXX", "--db", str(tmp_path / "none.duckdb")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no history database") and "Traceback" not in err


def test_default_path_is_in_the_user_data_folder() -> None:
    p = history.default_path()
    assert p.name == "history.duckdb" and "nhs-oversight" in str(p)


def test_ingest_of_real_files_is_quick_and_derives_the_same(tmp_path: Path, shared_data: Path) -> None:
    files = sorted((shared_data / "ae/monthly").glob("*.csv"))
    db = tmp_path / "h.duckdb"
    t = time.perf_counter()
    history.ingest_files(files, db)
    assert time.perf_counter() - t < 30
    pd.testing.assert_frame_equal(history.derive_from_db(db).values, derive_files(files).values)
