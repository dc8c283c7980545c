"""Published NOF files in the history database: validated by the NOF reader, loaded once."""

from __future__ import annotations

import duckdb
import pandas as pd
from typer.testing import CliRunner

from nhs_oversight.cli import app

runner = CliRunner()


def test_ingest_published_file_then_history(acute_q1, tmp_path):
    db = tmp_path / "h.duckdb"
    r = runner.invoke(app, ["ingest", str(acute_q1), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "nof_published" in r.stdout and "loaded" in r.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        n = con.execute("SELECT count(*) FROM published_metrics").fetchone()[0]
    raw = pd.read_csv(acute_q1, encoding="utf-8-sig")
    assert n == raw["Value"].notna().sum()
    again = runner.invoke(app, ["ingest", str(acute_q1), "--db", str(db)])
    assert again.exit_code == 0 and "already loaded" in again.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM published_metrics").fetchone()[0] == n
    h = runner.invoke(app, ["history", "RJ1", "--db", str(db), "--format", "csv"])
    assert h.exit_code == 0
    rows = pd.read_csv(__import__("io").StringIO(h.stdout))
    final = rows[(rows["metric_id"] == "OF5005")]["value"].tolist()
    expected = raw[(raw["Trust_code"] == "RJ1") & (raw["Metric_ID"] == "OF5005")]["Value"].tolist()
    assert final == expected


def test_bad_published_file_loads_nothing(acute_q1, tmp_path):
    db = tmp_path / "h.duckdb"
    bad = tmp_path / "bad-nof.csv"
    text = acute_q1.read_text(encoding="utf-8-sig").splitlines()
    text[5] = text[5].replace(",OF0003,", ",OF0999,")
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    from nhs_oversight.cli import main

    assert main(["ingest", str(acute_q1), str(bad), "--db", str(db)]) == 2  # one bad file: nothing loads
    if db.exists():
        with duckdb.connect(str(db), read_only=True) as con:
            tables = {t[0] for t in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            for table in ("published_metrics", "source_files"):
                if table in tables:
                    assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
