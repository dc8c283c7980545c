"""The metric SQL on Apache Spark: the same definition files, run through ``spark.sql``.

Record-level data (ECDS, waiting lists, years of history) lives on Spark platforms, so the
definitions must run there as they are, not in a translation. :class:`SparkConnection` gives a
``SparkSession`` the few connection calls the runner makes on DuckDB (``register``, ``execute``,
``.df()``, ``.fetchall()``), so :func:`nhs_oversight.derive.runner.run` drives both engines with
one code path: same SQL text, same quarter step, same half-up rounding in Python.

pyspark is optional (``pip install 'nhs-oversight[spark]'``) and needs a Java runtime
(``scripts/install-java.sh``); :func:`unavailable` says why Spark cannot be used here.
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from nhs_oversight.derive.catalog import REFERENCES, SOURCES
from nhs_oversight.errors import InputError, OptionError

#: Settings of the session this module starts when none is active: one machine, small shuffles
#: (the tables after the first aggregation are small), no web UI, UTC so dates never shift.
LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "2",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}
#: Spark's own logging for that session: warnings and errors, no start-up chatter (see the file).
LOG_CONFIG = Path(__file__).with_name("log4j2-spark.properties")
_TEMP_TABLE = re.compile(r"^\s*CREATE\s+OR\s+REPLACE\s+TEMP\s+TABLE\s+(\w+)\s+AS\s+(.*)$", re.IGNORECASE | re.DOTALL)


def unavailable() -> str | None:
    """Why Spark cannot run here (no pyspark, no Java), or None when it can."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'nhs-oversight[spark]')"
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and Path(java_home, "bin", "java").exists()) and not shutil.which("java"):
        return "no Java runtime for Spark (bash scripts/install-java.sh installs Debian's openjdk-17-jre-headless)"
    return None


def local_session(master: str = "local[2]", conf: Mapping[str, str] | None = None) -> Any:
    """The active SparkSession, or a new local one with :data:`LOCAL_CONF` (plus ``conf``)."""
    why = unavailable()
    if why:
        raise OptionError(f"--engine spark: {why}")
    _quiet_pandas_warning()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.master(master).appName("nhs-oversight")
    # Java options are split on spaces: an install path with one keeps Spark's default logging
    java = f"-Dlog4j2.configurationFile=file:{LOG_CONFIG}" if LOG_CONFIG.exists() and " " not in str(LOG_CONFIG) else ""
    for key, value in {**LOCAL_CONF, "spark.driver.extraJavaOptions": java, **(conf or {})}.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # the JVM failed to start: a setup problem, not a bug
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise OptionError(f"--engine spark: Spark did not start ({first})") from None
    spark.sparkContext.setLogLevel("FATAL")
    return spark


def _quiet_pandas_warning() -> None:
    # pyspark warns on every conversion that it "does not yet fully support pandas >= 3"; the
    # conversions here go through Arrow tables built by pyarrow, which does.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    warnings.filterwarnings("ignore", message="The copy keyword is deprecated", module=r"pyspark\.")


def to_spark(spark: Any, frame: pd.DataFrame) -> Any:
    """A pandas frame as a Spark DataFrame, via Arrow: NaN becomes NULL (as DuckDB reads it),
    naive timestamps stay wall-clock, and empty or all-NULL columns keep a type."""
    import pyarrow as pa

    frame = frame.reset_index(drop=True)
    fields, arrays = [], []
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype(object)
        if pd.api.types.is_object_dtype(col.dtype) and col.isna().all():
            arr = pa.array([None] * len(col), type=pa.string())
        else:
            arr = pa.Array.from_pandas(col)
        if pa.types.is_large_string(arr.type):
            arr = arr.cast(pa.string())
        if pa.types.is_null(arr.type):
            arr = arr.cast(pa.string())
        fields.append(pa.field(str(name), arr.type))
        arrays.append(arr)
    # one partition: a frame that fits in pandas is small, and every extra partition is a task
    # in every stage of every definition
    return spark.createDataFrame(pa.Table.from_arrays(arrays, schema=pa.schema(fields))).coalesce(1)


class _Result:
    """What ``con.execute(sql)`` returns on DuckDB, for the calls the runner makes."""

    def __init__(self, frame: Any) -> None:
        self._frame = frame

    def df(self) -> pd.DataFrame:
        _quiet_pandas_warning()
        return self._frame.toPandas()

    def fetchall(self) -> list[tuple]:
        return [tuple(r) for r in self._frame.collect()]


class SparkConnection:
    """A SparkSession seen through the DuckDB connection calls the runner uses.

    Tables are temporary views of the session; :meth:`close` drops the ones made here and
    leaves the session running (it may be a cluster's, shared with other work).
    """

    def __init__(self, spark: Any) -> None:
        self.spark = spark
        self._views: set[str] = set()
        self._cached: list[Any] = []

    def register(self, name: str, table: Any) -> None:
        frame = to_spark(self.spark, table) if isinstance(table, pd.DataFrame) else table
        frame.createOrReplaceTempView(name)
        self._views.add(name)

    def execute(self, sql: str) -> _Result:
        m = _TEMP_TABLE.match(sql)
        if m:  # DuckDB's materialised temp table: computed once here, its long plan cut off
            frame = self.spark.sql(m.group(2)).localCheckpoint(eager=True)
            self._cached.append(frame)
            self.register(m.group(1), frame)
            return _Result(frame)
        return _Result(self.spark.sql(sql))

    def close(self) -> None:
        for frame in self._cached:
            frame.unpersist()
        for name in self._views:
            self.spark.catalog.dropTempView(name)
        self._views.clear()
        self._cached.clear()


def connect_spark_sources(spark: Any, tables: Mapping[str, Any]) -> tuple[SparkConnection, set[str]]:
    """A :class:`SparkConnection` with each source registered under its name.

    ``tables`` maps a source name to a pandas frame (from the readers), a Spark DataFrame
    already on the cluster, or for ``ecds`` Parquet path(s) or folder globs, read by Spark.
    """
    from nhs_oversight.derive.inputs import ECDS_COLUMNS

    con = SparkConnection(spark)
    present = set()
    for name, table in tables.items():
        if name not in SOURCES and name not in REFERENCES:
            continue
        if isinstance(table, str | Path) or (isinstance(table, list | tuple) and all(isinstance(p, str | Path) for p in table)):
            paths = [str(table)] if isinstance(table, str | Path) else [str(p) for p in table]
            try:
                frame = spark.read.parquet(*paths)
            except Exception as exc:  # pyspark's AnalysisException and Py4J errors alike
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise InputError(f"cannot read as Parquet: {first}", file=paths[0]) from None
            lacking = sorted(ECDS_COLUMNS - set(frame.columns))
            if lacking:
                raise InputError(
                    f"record-level file lacks column(s) {', '.join(lacking)}", file=paths[0],
                    hint="expected the columns written by `oversight synth-ecds`",
                )
            con.register(name, frame)
        else:
            con.register(name, table)
        present.add(name)
    return con, present
