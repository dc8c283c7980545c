"""Metric derivation from raw NHS statistics, in SQL that runs on DuckDB or Spark.

One definition per metric in ``derive/sql/*.sql`` (see :mod:`.catalog`); :mod:`.runner` runs
them on DuckDB (or on Spark, through :mod:`.spark`) and aggregates months into financial-year quarters; :mod:`.inputs` reads raw
files and keeps the right edition of each month.

    >>> from nhs_oversight.derive import list_definitions
    >>> "OF0013" in set(list_definitions()["metric_id"])
    True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from nhs_oversight.derive.catalog import REFERENCES, SOURCES, definitions
from nhs_oversight.derive.runner import OUTPUT_COLUMNS, Derived, run
from nhs_oversight.errors import InputError
from nhs_oversight.frameworks.periods import Quarter
from nhs_oversight.sources.common import MissingReport

#: Engines the SQL definitions run on; DuckDB is the default.
ENGINES = ("duckdb", "spark")

__all__ = ["ENGINES", "OUTPUT_COLUMNS", "Derived", "connect_sources", "derive_files", "derive_tables", "list_definitions"]


def list_definitions() -> pd.DataFrame:
    """One row per definition: metric id, name, source, quarter rule, status, file."""
    return pd.DataFrame(
        [
            {"metric_id": d.metric_id, "name": d.name, "source": d.source, "quarter_rule": d.quarter_rule,
             "unit": d.unit, "decimals": d.decimals, "status": d.status, "variant_of": d.variant_of or "",
             "definition": d.filename}
            for d in definitions()
        ]
    )


def _quote(path: str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def connect_sources(tables: Mapping[str, Any], con: Any = None) -> tuple[Any, set[str]]:
    """A DuckDB connection with each source registered under its name.

    ``tables`` maps a source name (see :data:`~nhs_oversight.derive.catalog.SOURCES`) to a
    DataFrame, or for ``ecds`` to Parquet file path(s), which stay on disk.
    """
    import duckdb

    con = con or duckdb.connect()
    present = set()
    for name, table in tables.items():
        if name not in SOURCES and name not in REFERENCES:
            continue
        if isinstance(table, pd.DataFrame):
            con.register(name, table)
        else:
            paths = [table] if isinstance(table, str | Path) else list(table)
            listing = "[" + ", ".join(_quote(str(p)) for p in paths) + "]"
            try:
                cols = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({listing})").fetchall()}
            except duckdb.Error as exc:
                raise InputError(f"cannot read as Parquet: {str(exc).splitlines()[0]}", file=str(paths[0])) from None
            from nhs_oversight.derive.inputs import ECDS_COLUMNS

            lacking = sorted(ECDS_COLUMNS - cols)
            if lacking:
                raise InputError(
                    f"record-level file lacks column(s) {', '.join(lacking)}", file=str(paths[0]),
                    hint="expected the columns written by `oversight synth-ecds`",
                )
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM read_parquet({listing})")
        present.add(name)
    return con, present


def derive_tables(
    tables: Mapping[str, Any],
    quarter: str | Quarter | None = None,
    metrics: Sequence[str] | None = None,
    successors: pd.DataFrame | None = None,
    allow_partial: bool = False,
    trusts_only: bool = False,
    engine: str = "duckdb",
    spark: Any = None,
) -> Derived:
    """Derive quarterly metrics from tidy source tables (see :func:`connect_sources`).

    Parameters
    ----------
    tables : source name -> tidy DataFrame (from the ``sources`` readers) or Parquet path(s).
    quarter : ``"2025/26 Q1"``; every complete quarter when None.
    metrics : metric ids; all that the given sources support when None.
    successors : merger table; the built-in list when None (an empty frame keeps codes as reported).
    allow_partial : keep quarters lacking months.
    trusts_only : keep only organisations in the ODS etr table (``tables["ods"]``).
    engine : ``"duckdb"`` (in process) or ``"spark"``: the same SQL files through ``spark.sql``
        (see :mod:`.spark`); tables may then also be Spark DataFrames.
    spark : the SparkSession to use with ``engine="spark"``; the active one, or a new local
        one, when None.

    Examples
    --------
    >>> import pandas as pd
    >>> ae = pd.DataFrame({"period": pd.to_datetime(["2025-04-01", "2025-05-01", "2025-06-01"]),
    ...     "org_code": "RXX", "att_type1": [100.0, 100, 100], "att_type2": 0.0, "att_type3": 0.0,
    ...     "over4h_type1": [20.0, 25, 21], "over4h_type2": 0.0, "over4h_type3": 0.0})
    >>> for c in ("att_booked_type1", "att_booked_type2", "att_booked_type3", "over4h_booked_type1",
    ...           "over4h_booked_type2", "over4h_booked_type3"):
    ...     ae[c] = 0.0
    >>> derive_tables({"ae_monthly": ae}, "2025/26 Q1").values[["org_code", "period", "value"]].to_dict("records")
    [{'org_code': 'RXX', 'period': '2025/26 Q1', 'value': 78.0}]
    """
    from nhs_oversight.errors import OptionError

    restrict = None
    if trusts_only:
        if "ods" not in tables:
            raise OptionError("--trusts-only needs the ODS etr trust list among the inputs")
        restrict = set(tables["ods"]["org_code"])
    if engine not in ENGINES:
        raise OptionError(f"unknown engine {engine!r}; choose {' or '.join(ENGINES)}")
    if engine == "spark":
        from nhs_oversight.derive.spark import connect_spark_sources, local_session

        con, present = connect_spark_sources(spark if spark is not None else local_session(), tables)
    else:
        con, present = connect_sources(tables)
    try:
        return run(con, present, quarter, list(metrics) if metrics else None, successors, allow_partial, restrict)
    finally:
        con.close()


def derive_files(
    paths: Sequence[str | Path],
    quarter: str | Quarter | None = None,
    metrics: Sequence[str] | None = None,
    successors: pd.DataFrame | None = None,
    allow_partial: bool = False,
    trusts_only: bool = False,
    missing: MissingReport | None = None,
    on_read: Any = None,
    engine: str = "duckdb",
) -> Derived:
    """Read raw files (any mix of kinds, in any order) and derive quarterly metrics.

    ``on_read(path)`` is called after each file is read (progress bars).

    When two files cover the same month of the same collection, the revised or later edition
    wins (see :mod:`nhs_oversight.sources.editions`); ``Derived.notes`` says which.
    """
    from nhs_oversight.derive.inputs import read_raw_tables

    tables, notes, used = read_raw_tables(list(paths), missing, on_read)
    result = derive_tables(tables, quarter, metrics, successors, allow_partial, trusts_only, engine)
    result.notes[:0] = notes
    result.inputs = used
    return result
