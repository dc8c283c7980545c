"""The spec cases (tests/spec_cases.py) on every engine: DuckDB and Spark give the rows worked out
by hand, and identical rows to each other; the docs table of definitions is made from the cases."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nhs_oversight.derive import derive_tables
from nhs_oversight.derive.catalog import definitions
from spec_cases import CASES, Case, Row, batches, markdown, tables_of

REPO = Path(__file__).resolve().parents[1]
DEFS = {d.key: d for d in definitions()}


def rows_of(values: pd.DataFrame, case: Case) -> list[Row]:
    """The case's rows of a derived table, as :class:`Row` (sorted)."""
    mine = values[values["definition"].eq(case.definition) & values["org_code"].isin(case.all_orgs)]
    return sorted(
        Row(o, p, float(n), float(d), float(v), int(m), b)
        for o, p, n, d, v, m, b in mine[["org_code", "period", "numerator", "denominator", "value", "months", "basis"]].itertuples(index=False)
    )


def assert_rows(got: list[Row], expected: list[Row]) -> None:
    assert [(r.org_code, r.period, r.value, r.months, r.basis) for r in got] == [
        (r.org_code, r.period, r.value, r.months, r.basis) for r in sorted(expected)
    ]
    for g, e in zip(got, sorted(expected), strict=True):
        assert g.numerator == pytest.approx(e.numerator, abs=1e-9) and g.denominator == pytest.approx(e.denominator, abs=1e-9)


def derive(cases: list[Case], engine: str, spark=None, as_spark_frames: bool = False) -> pd.DataFrame:
    metrics = sorted({DEFS[c.definition].metric_id for c in cases})
    tables = tables_of(cases)
    if as_spark_frames:  # tables already on the cluster, as an analyst there would pass them
        from nhs_oversight.derive.spark import to_spark

        tables = {name: to_spark(spark, frame) for name, frame in tables.items()}
    return derive_tables(tables, cases[0].quarter, metrics, engine=engine, spark=spark).values


# -- the table of cases itself ----------------------------------------------------------------


def test_every_definition_has_a_case() -> None:
    assert set(DEFS) - {c.definition for c in CASES} == set()


def test_cases_that_run_together_share_no_organisation() -> None:
    for key, cases in batches().items():
        seen: set[str] = set()
        for case in cases:
            assert not (case.all_orgs & seen), (key, case.name)
            seen |= case.all_orgs


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hand_worked_values_follow_from_their_counts(case: Case) -> None:
    # the expected value is the hand-worked ratio at the published precision (half up)
    d = DEFS[case.definition]
    for r in case.expected:
        exact = d.scale * r.numerator / r.denominator
        assert abs(exact - r.value) <= 0.5 * 10 ** -d.decimals + 1e-12, (case.name, exact, r.value)


# -- every engine ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_case_on_duckdb(case: Case) -> None:
    assert_rows(rows_of(derive([case], "duckdb"), case), case.expected)


# the main batch goes in as pandas frames, the others as Spark DataFrames
@pytest.mark.parametrize("key", sorted(batches()), ids=lambda k: k[0])
def test_cases_on_spark_give_the_hand_worked_rows_identical_to_duckdb(key, spark) -> None:
    cases = batches()[key]
    on_duckdb = derive(cases, "duckdb")
    on_spark = derive(cases, "spark", spark, as_spark_frames=key[0] != "main")
    # identical rows: same organisations, periods, values, months and basis; counts to 1e-9
    pd.testing.assert_frame_equal(on_spark, on_duckdb, check_exact=False, rtol=1e-12, atol=1e-9)
    assert on_spark["value"].equals(on_duckdb["value"])  # exactly, NaN where both have no value
    for case in cases:
        assert_rows(rows_of(on_spark, case), case.expected)


# -- the docs -----------------------------------------------------------------------------------


def test_docs_table_of_definitions_is_generated_from_the_cases() -> None:
    doc = (REPO / "docs" / "derive.md").read_text(encoding="utf-8")
    assert markdown() in doc, "docs/derive.md is out of date: run PYTHONPATH=src python tests/spec_cases.py --write docs/derive.md"
