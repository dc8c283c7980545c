"""``oversight derive --engine spark``: the same values as DuckDB on the shared A&E files and on
record-level Parquet parts, and one-line errors when Spark cannot be used.

The Spark tests share one session (the ``spark`` fixture of conftest.py) and stay few and small.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nhs_oversight.cli import main
from nhs_oversight.derive import derive_files
from nhs_oversight.derive import spark as spark_engine
from nhs_oversight.derive.runner import round_half_up
from nhs_oversight.synthetic import ecds as synthetic_ecds


def run(argv: list, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def same_rows(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Identical rows; numerators made of fractional mapped counts may differ in the 12th digit."""
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12, atol=1e-9)
    assert a["value"].equals(b["value"])


def test_cli_spark_gives_the_duckdb_values_on_the_shared_ae_files(shared_data, spark, tmp_path, capsys) -> None:
    files = sorted((shared_data / "ae" / "monthly").glob("monthly-ae-*.csv"))
    book = shared_data / "ae" / "ae-by-provider-2025-06.xlsx"
    if not files or not book.is_file():
        pytest.skip(f"shared A&E files absent under {shared_data / 'ae'}")
    out = {}
    err = {}
    for engine in ("duckdb", "spark"):
        path = tmp_path / f"{engine}.csv"
        code, _, err[engine] = run(["derive", *files, book, "--engine", engine, "--output", path], capsys)
        assert code == 0, err[engine]
        out[engine] = pd.read_csv(path)
    assert len(out["duckdb"]) > 300 and set(out["duckdb"]["metric_id"]) == {"OF0013"}
    assert out["duckdb"]["basis"].str.startswith("footprint").sum() > 100
    same_rows(out["spark"], out["duckdb"])
    notes = {e: [x for x in err[e].splitlines() if x.startswith("note: ")] for e in err}
    assert notes["spark"] == notes["duckdb"] and notes["spark"]  # mapping months, organisations not mapped


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> Path:
    """A folder of two synthetic ECDS Parquet parts: Apr-Jun and Jul-Sep 2024."""
    folder = tmp_path_factory.mktemp("ecds-parts")
    synthetic_ecds.generate(folder / "part-0.parquet", rows=6000, seed=7, providers=4, start=date(2024, 4, 1), months=3)
    synthetic_ecds.generate(folder / "part-1.parquet", rows=6000, seed=8, providers=4, start=date(2024, 7, 1), months=3)
    return folder


def expected_from_records(folder: Path) -> dict[tuple[str, str, str], float]:
    """OF0013 and OF0014 worked out with pandas from the records (independent of the SQL)."""
    df = pd.concat([pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))])
    month = df["arrival_time"].dt.month
    quarter = np.where(month <= 6, "2024/25 Q1", "2024/25 Q2")
    out = {}
    for (org, q), g in df.groupby([df["org_code"], quarter]):
        out[(org, "OF0013", q)] = round_half_up(float((g["duration_minutes"] <= 240).sum()), float(len(g)), 100, 1)
        t1 = g[g["department_type"] == 1]
        out[(org, "OF0014", q)] = round_half_up(float((t1["duration_minutes"] > 720).sum()), float(len(t1)), 100, 2)
    return out


def test_record_level_parts_on_spark_match_duckdb_and_the_records(parts, spark) -> None:
    on_spark = derive_files([parts], engine="spark").values
    on_duckdb = derive_files([parts]).values
    same_rows(on_spark, on_duckdb)
    got = {(o, m, p): v for o, m, p, v in on_spark[["org_code", "metric_id", "period", "value"]].itertuples(index=False)}
    assert got == expected_from_records(parts)
    assert set(on_spark["period"]) == {"2024/25 Q1", "2024/25 Q2"}  # both parts read


def test_a_file_spark_cannot_read_is_one_line_exit_2(spark, tmp_path, capsys) -> None:
    bad = tmp_path / "attendances.parquet"
    bad.write_text("not parquet\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code, stdout, err = run(["derive", bad, "--engine", "spark", "--output", out], capsys)
    assert code == 2 and stdout == "" and not out.exists()
    assert err.startswith("error: ") and "attendances.parquet" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


# -- without Spark: clear reasons, no start-up -----------------------------------------------------


def test_unavailable_names_java_when_there_is_none(monkeypatch, tmp_path) -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed: the Java check comes after it")
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no java on the path
    monkeypatch.delenv("JAVA_HOME", raising=False)
    assert "no Java runtime" in spark_engine.unavailable()
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))  # a JAVA_HOME without bin/java does not count
    assert "scripts/install-java.sh" in spark_engine.unavailable()


def test_cli_without_spark_says_why_before_reading_any_file(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setattr(spark_engine, "unavailable", lambda: "pyspark is not installed (pip install 'nhs-oversight[spark]')")
    code, stdout, err = run(["derive", tmp_path / "absent.csv", "--engine", "spark"], capsys)
    assert (code, stdout) == (2, "")
    assert err == "error: --engine spark: pyspark is not installed (pip install 'nhs-oversight[spark]')\n"


@pytest.mark.parametrize(("argv", "message"), [
    (["--engine", "polars", "x.csv"], "unknown engine 'polars'; choose duckdb or spark"),
    (["--engine", "spark", "--db", "h.duckdb"], "--db reads a DuckDB history database"),
])
def test_engine_option_errors(argv, message, monkeypatch, capsys) -> None:
    monkeypatch.setattr(spark_engine, "unavailable", lambda: None)  # no session is started for these
    code, _, err = run(["derive", *argv], capsys)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
