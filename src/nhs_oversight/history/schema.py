"""The history database's tables and version, and opening it (see :mod:`nhs_oversight.history`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from nhs_oversight.errors import OptionError
from nhs_oversight.sources.kinds import RAW_KINDS

SCHEMA_VERSION = 1

#: Raw kinds stored, with their table (from the registry of raw data kinds).
RAW_TABLES = {k.name: k.table for k in RAW_KINDS if k.stored}
PUBLISHED_KIND = "nof_published"
PUBLISHED_COLUMNS = ["org_code", "org_name", "trust_type", "metric_id", "period", "value"]

_DDL = [
    "CREATE TABLE IF NOT EXISTS history_meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS source_files (
        sha256 VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, kind VARCHAR NOT NULL, part VARCHAR,
        edition VARCHAR, revised BOOLEAN, stamp VARCHAR, periods VARCHAR, first_period DATE,
        last_period DATE, rows BIGINT, loaded_at TIMESTAMP, seq BIGINT)""",
    """CREATE TABLE IF NOT EXISTS editions (
        kind VARCHAR, part VARCHAR, period DATE, sha256 VARCHAR, PRIMARY KEY (kind, part, period))""",
    """CREATE TABLE IF NOT EXISTS published_metrics (
        sha256 VARCHAR, org_code VARCHAR, org_name VARCHAR, trust_type VARCHAR, metric_id VARCHAR,
        period VARCHAR, value DOUBLE, period_start DATE)""",
]


def default_path() -> Path:
    """``history.duckdb`` in the user's data folder (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("nhs-oversight", appauthor=False)) / "history.duckdb"


@contextmanager
def open_db(path: str | Path | None = None, read_only: bool = False) -> Iterator[Any]:
    """Open (creating if writable) the history database; close it afterwards.

    Raises
    ------
    OptionError
        No database at ``path`` (when reading), a database in use by another process, or a file
        that is not a history database of this version.
    """
    import duckdb

    target = Path(path) if path else default_path()
    if read_only and not target.exists():
        raise OptionError(f"no history database at {target}; load files first with `oversight ingest`")
    if not read_only and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(target), read_only=read_only)
    except (duckdb.IOException, duckdb.ConnectionException) as exc:
        text = str(exc).splitlines()[0]
        if "lock" in text.lower():
            raise OptionError(f"the history database {target} is in use by another process") from None
        raise OptionError(f"cannot open the history database {target}: {text}") from None
    except duckdb.Error as exc:
        raise OptionError(f"{target} is not a DuckDB database: {str(exc).splitlines()[0]}") from None
    try:
        if not read_only:
            _ensure_schema(con)
        _check_version(con, target)
        yield con
    finally:
        con.close()


def _ensure_schema(con: Any) -> None:
    for ddl in _DDL:
        con.execute(ddl)
    con.execute(
        "INSERT INTO history_meta SELECT 'schema_version', ? WHERE NOT EXISTS "
        "(SELECT 1 FROM history_meta WHERE key = 'schema_version')",
        [str(SCHEMA_VERSION)],
    )


def _check_version(con: Any, target: Path) -> None:
    try:
        row = con.execute("SELECT value FROM history_meta WHERE key = 'schema_version'").fetchone()
    except Exception:
        raise OptionError(f"{target} is not an nhs-oversight history database") from None
    if row is None or int(row[0]) > SCHEMA_VERSION:
        raise OptionError(f"{target} was written by a newer version (schema {row[0] if row else '?'})")
