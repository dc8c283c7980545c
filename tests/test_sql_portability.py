"""Metric SQL is standard SQL: it means the same on DuckDB and Spark SQL (checked with sqlglot).

Four checks on every shipped definition (and the shared quarter step):
1. only standard functions (aggregates, COALESCE, CASE, EXTRACT, CAST ...);
2. no DuckDB-only syntax (``::`` casts, ``GROUP BY ALL``, ``FILTER``, ``QUALIFY``, ``EXCLUDE``);
3. read as DuckDB or as Spark SQL, the text gives the same Spark SQL (no dialect-dependent
   meaning, such as where NULLs sort);
4. transpiled to Spark SQL and back, it returns the same rows on DuckDB as the original.
"""

from __future__ import annotations

from importlib import resources

import duckdb
import numpy as np
import pandas as pd
import pytest
import sqlglot
from sqlglot import exp
from sqlglot.tokens import TokenType

from nhs_oversight.derive.calendar import calendar_frame
from nhs_oversight.derive.catalog import definitions

SQL_DIR = resources.files("nhs_oversight.derive").joinpath("sql")
SQL_FILES = sorted(p.name for p in SQL_DIR.iterdir() if p.name.endswith(".sql"))

#: sqlglot expression types allowed as functions (standard SQL everywhere).
ALLOWED_FUNCTIONS = {"Sum", "Count", "Min", "Max", "Avg", "Coalesce", "Nullif", "Case", "If", "Extract", "Cast", "And", "Or", "Not"}


def portability_problems(sql: str) -> list[str]:
    """What stops this SQL from running unchanged on Spark SQL (empty when portable)."""
    problems = []
    tokens = sqlglot.Tokenizer().tokenize(sql)
    if any(t.token_type == TokenType.DCOLON for t in tokens):
        problems.append(":: cast (use CAST(x AS type))")
    tree = sqlglot.parse_one(sql, read="duckdb")
    for node in tree.find_all(exp.Func):
        name = type(node).__name__
        if name not in ALLOWED_FUNCTIONS:
            problems.append(f"function {node.sql(dialect='duckdb')[:40]!r} ({name}) is not standard")
    if list(tree.find_all(exp.Filter)):
        problems.append("aggregate FILTER clause")
    if list(tree.find_all(exp.Qualify)):
        problems.append("QUALIFY")
    for group in tree.find_all(exp.Group):
        if group.args.get("all"):
            problems.append("GROUP BY ALL")
    for star in tree.find_all(exp.Star):
        if any(star.args.get(k) for k in ("except", "except_", "replace", "replace_", "rename")):
            problems.append("SELECT * EXCLUDE/REPLACE")
    as_duckdb = tree.sql(dialect="spark")
    as_spark = sqlglot.parse_one(sql, read="spark").sql(dialect="spark")
    if as_duckdb != as_spark:
        problems.append("reads differently as DuckDB and as Spark SQL")
    return problems


@pytest.mark.parametrize("name", SQL_FILES)
def test_definition_is_portable(name: str) -> None:
    sql = SQL_DIR.joinpath(name).read_text(encoding="utf-8")
    assert portability_problems(sql) == []
    spark = sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
    assert len(spark) == 1 and spark[0].lstrip().upper().startswith(("SELECT", "WITH", "/*"))


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT org_code, SUM(x) FROM t GROUP BY ALL",
        "SELECT x::INTEGER FROM t",
        "SELECT COUNT(*) FILTER (WHERE x > 1) FROM t",
        "SELECT list_sum(x) FROM t",
        "SELECT date_trunc('month', d) FROM t",
        "SELECT * EXCLUDE (x) FROM t",
        "SELECT a FROM t ORDER BY a",
        "SELECT epoch_ms(x) FROM t",
    ],
)
def test_the_checker_catches_duckdb_only_sql(sql: str) -> None:
    assert portability_problems(sql) != []


def test_every_shipped_file_is_checked() -> None:
    keys = {d.filename for d in definitions()}
    assert keys <= set(SQL_FILES) and "_quarters.sql" in SQL_FILES and len(keys) >= 10


# -- same rows after a round trip through Spark SQL ---------------------------------------------


def fixture_tables() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(3)
    months = pd.to_datetime(["2025-04-01", "2025-05-01", "2025-06-01"])
    orgs = ["RXX", "RYY", "RZZ"]
    ae = pd.DataFrame([{"period": m, "org_code": o} for m in months for o in orgs])
    for c in ("att_type1", "att_type2", "att_type3", "att_booked_type1", "att_booked_type2", "att_booked_type3"):
        ae[c] = rng.integers(50, 500, len(ae)).astype(float)
        ae["over4h" + c[3:]] = np.floor(ae[c] * rng.uniform(0, 0.5, len(ae)))
    ae.loc[0, "att_booked_type2"] = np.nan
    rtt = pd.DataFrame([
        {"period": m, "org_code": o, "pathway": p, "is_total_function": tf, "week_from": lo, "week_to": hi,
         "patients": float(rng.integers(0, 40)) if rng.random() > 0.1 else np.nan}
        for m in months for o in orgs for p in ("admitted", "non_admitted", "incomplete") for tf in (True, False)
        for lo, hi in ((0, 18), (18, 52), (52, np.nan), (np.nan, np.nan))
    ])
    cwt = pd.DataFrame([
        {"period": m, "org_code": o, "standard": s, "cut": c, "total": float(t), "within_standard": float(t - rng.integers(0, t + 1))}
        for m in months for o in orgs for s, c in (("FDS28", "fds"), ("D62", "by_cancer_type"), ("D62", "by_modality"), ("D31", "by_cancer_type"))
        for t in rng.integers(1, 30, 2)
    ])
    beds = pd.DataFrame([
        {"period": m, "org_code": o, "level": lvl, "measure": meas, "value": float(rng.integers(10, 900))}
        for m in months for o in orgs for lvl in ("Provider", "ICB")
        for meas in ("ga_beds_available", "ga_beds_occupied", "ga_beds_occupied_los_21plus")
    ])
    n = 400
    ecds = pd.DataFrame({
        "org_code": rng.choice(orgs, n),
        "arrival_time": pd.Timestamp("2025-04-01") + pd.to_timedelta(rng.integers(0, 91 * 86400, n), unit="s"),
        "duration_minutes": rng.integers(5, 1500, n),
        "department_type": rng.integers(1, 4, n),
    })
    cal = calendar_frame(pd.Timestamp("2025-04-01").date(), pd.Timestamp("2025-06-01").date())
    cal["month"] = cal["month"].dt.date
    monthly = pd.DataFrame([
        {"definition": d, "org_code": o, "period": m.date(), "numerator": float(rng.integers(0, 50)), "denominator": float(rng.integers(0, 80)),
         "mapping_month": months[0].date() if d == "a" else None}
        for d in ("a", "b") for o in ("RXX", "RAP", "RAL") for m in months
    ])
    mapping = pd.DataFrame({"period": [months[0], months[0], months[0], months[2]], "org_code": ["RZZ", "RZZ", "RYY", "RZZ"],
                            "acute_code": ["RXX", "RYY", "RYY", "RXX"], "proportion": [0.4, 0.6, 1.0, 1.0]})
    nss = pd.DataFrame({"period": pd.Timestamp("2024-01-01"), "org_code": orgs * 2, "measure": ["PP3_2"] * 3 + ["Staff Engagement"] * 3,
                        "score": rng.uniform(5, 8, 6)})
    defs = pd.DataFrame({"definition": ["a", "b"], "metric_id": ["M1", "M2"], "quarter_rule": ["sum", "last_month"], "scale": [100.0, 1.0]})
    succ = pd.DataFrame({"predecessor": ["RAP"], "successor": ["RAL"]})
    return {"ae_monthly": ae, "rtt": rtt, "cwt": cwt, "beds": beds, "ecds": ecds, "calendar": cal,
            "monthly": monthly, "definitions": defs, "org_successors": succ,
            "ae_type3_mapping": mapping, "nss_scores": nss}


@pytest.mark.parametrize("name", SQL_FILES)
def test_round_trip_through_spark_sql_gives_the_same_rows(name: str) -> None:
    sql = SQL_DIR.joinpath(name).read_text(encoding="utf-8")
    back = sqlglot.transpile(sqlglot.transpile(sql, read="duckdb", write="spark")[0], read="spark", write="duckdb")[0]
    con = duckdb.connect()
    for table, frame in fixture_tables().items():
        con.register(table, frame)
    original = con.execute(sql).df()
    again = con.execute(back).df()
    assert len(original) > 0
    keys = list(original.columns)
    pd.testing.assert_frame_equal(
        original.sort_values(keys).reset_index(drop=True), again.sort_values(keys).reset_index(drop=True), check_dtype=False
    )
