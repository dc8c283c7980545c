"""Loading raw and published files into the history database, all or nothing.

A file is identified by the SHA-256 of its bytes; every file of one load is read and validated
before the database is touched, then written in a single transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from nhs_oversight.errors import InputError, OptionError
from nhs_oversight.frameworks.periods import Quarter
from nhs_oversight.history.schema import (
    PUBLISHED_COLUMNS,
    PUBLISHED_KIND,
    RAW_TABLES,
    _ensure_schema,
    open_db,
)
from nhs_oversight.sources.common import MissingReport
from nhs_oversight.sources.editions import Candidate, Edition, edition_of, winner


@dataclass
class LoadResult:
    """What happened to one file."""

    name: str
    sha256: str
    kind: str
    status: str  # "loaded" or "already loaded"
    rows: int
    periods: list[str]
    notes: list[str]


def _sql_type(series: pd.Series, column: str) -> str:
    if column == "period" or column.endswith("_date"):
        return "DATE"
    if pd.api.types.is_bool_dtype(series):
        return "BOOLEAN"
    if pd.api.types.is_integer_dtype(series):
        return "BIGINT"
    if pd.api.types.is_float_dtype(series):
        return "DOUBLE"
    return "VARCHAR"


def _create_raw_table(con: Any, table: str, frame: pd.DataFrame) -> None:
    cols = ", ".join(f'"{c}" {_sql_type(frame[c], c)}' for c in frame.columns)
    con.execute(f'CREATE TABLE IF NOT EXISTS {table} (sha256 VARCHAR, {cols})')


def _insert_frame(con: Any, table: str, frame: pd.DataFrame, sha: str) -> None:
    columns = [(r[0], r[1]) for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "sha256"]
    missing = [c for c, _ in columns if c not in frame.columns]
    if missing:
        raise InputError(f"cannot store in {table}: columns {missing} absent (reader changed?)")
    con.register("_incoming", frame)
    select = ", ".join(f'CAST("{c}" AS {t})' for c, t in columns)
    names = ", ".join(f'"{c}"' for c, _ in columns)
    con.execute(f"INSERT INTO {table} (sha256, {names}) SELECT ?, {select} FROM _incoming", [sha])
    con.unregister("_incoming")


def _next_seq(con: Any) -> int:
    return int(con.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM source_files").fetchone()[0])


def _claim(con: Any, kind: str, part: str, periods: Sequence[pd.Timestamp], sha: str, name: str,
           edition: Edition, seq: int) -> list[str]:
    """Make this file the current edition of each period unless a better edition is there."""
    notes = []
    for period in periods:
        day = pd.Timestamp(period).date()
        row = con.execute(
            "SELECT e.sha256, f.name, f.revised, f.stamp, f.seq FROM editions e JOIN source_files f "
            "ON f.sha256 = e.sha256 WHERE e.kind = ? AND e.part = ? AND e.period = ?",
            [kind, part, day],
        ).fetchone()
        new = Candidate(name, edition, seq)
        if row is None:
            con.execute("INSERT INTO editions VALUES (?, ?, ?, ?)", [kind, part, day, sha])
            continue
        old = Candidate(row[1], Edition(bool(row[2]), row[3] or ""), int(row[4]))
        best = winner([old, new])
        label = f"{day:%b %Y}" + (f" {part}" if part else "")
        if best is new:
            con.execute(
                "UPDATE editions SET sha256 = ? WHERE kind = ? AND part = ? AND period = ?", [sha, kind, part, day]
            )
            notes.append(f"{label}: {name} ({edition.describe()}) replaces {old.name} ({old.edition.describe()})")
        else:
            notes.append(f"{label}: {old.name} ({old.edition.describe()}) still counts over {name} ({edition.describe()})")
    return notes


def _record_file(con: Any, sha: str, name: str, kind: str, part: str, edition: Edition,
                 periods: list[str], first: Any, last: Any, rows: int, seq: int) -> None:
    con.execute(
        "INSERT INTO source_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [sha, name, kind, part, edition.describe(), edition.revised, edition.stamp, ",".join(periods),
         first, last, rows, datetime.now(UTC).replace(tzinfo=None), seq],
    )


def ingest_files(
    paths: Sequence[str | Path],
    db: str | Path | None = None,
    missing: MissingReport | None = None,
    on_read: Any = None,
) -> list[LoadResult]:
    """Load raw files into the history database in one transaction.

    Every file is read and validated before the database is touched. Files already loaded
    (same SHA-256) are skipped.

    Parameters
    ----------
    paths : raw CSV files of any kind recognised by :func:`nhs_oversight.sources.raw.detect_kind`.
    db : database path (:func:`default_path` by default).
    missing : collects suppressed cells read as missing.
    on_read : optional callback ``f(path)`` called after each file is read (progress).
    """
    from nhs_oversight.derive.inputs import part_of

    with open_db(db) as con:
        known = {r[0] for r in con.execute("SELECT sha256 FROM source_files").fetchall()}
    results, pending = _read_new(paths, known, missing, on_read)
    if not pending:
        return results
    by_sha = {r.sha256: r for r in results}
    by_sha_first: dict[str, Any] = {}
    for raw in pending:
        by_sha_first.setdefault(raw.sha256, raw)
    with open_db(db) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            for raw in pending:
                _store_raw(con, raw, part_of(raw), by_sha[raw.sha256], first=raw is by_sha_first[raw.sha256])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return results


def _read_new(paths: Sequence[str | Path], known: set[str], missing: MissingReport | None, on_read: Any) -> tuple[list[LoadResult], list]:
    """Read every file not yet loaded before the database is touched, so a bad file changes nothing."""
    from nhs_oversight.sources.raw import read_raws, sha256_of

    results: list[LoadResult] = []
    pending = []
    seen: set[str] = set()
    for p in paths:
        sha = sha256_of(p)
        if sha in known or sha in seen:
            results.append(LoadResult(Path(p).name, sha, "", "already loaded", 0, [], []))
        else:
            tables = read_raws(p, missing)  # the A&E workbook holds its month and its type 3 mapping
            seen.add(sha)
            pending.extend(tables)
            raw = tables[0]
            results.append(LoadResult(raw.name, sha, raw.kind, "loaded", sum(len(t.frame) for t in tables), [],
                                      [w for t in tables for w in t.warnings]))
        if on_read:
            on_read(p)
    return results, pending


def _store_raw(con: Any, raw: Any, part: str, result: LoadResult, first: bool) -> None:
    """Insert one raw table and claim its months; a file's first table also records the file."""
    table = RAW_TABLES[raw.kind]
    frame = raw.frame
    _create_raw_table(con, table, frame)
    _insert_frame(con, table, frame, raw.sha256)
    seq = _next_seq(con)
    months = raw.months
    periods = [f"{m:%Y-%m}" for m in months]
    if first:
        _record_file(con, raw.sha256, raw.name, raw.kind, part, raw.edition, periods,
                     months[0].date() if months else None, months[-1].date() if months else None,
                     len(frame), seq)
    # the ODS list has no month: it is one edition, the latest counts
    claims = months if months else [pd.Timestamp("1900-01-01")]
    result.notes.extend(_claim(con, raw.kind, part, claims, raw.sha256, raw.name, raw.edition, seq))
    if first:
        result.periods = periods


def _frame_sha(df: pd.DataFrame) -> str:
    data = df[PUBLISHED_COLUMNS].to_csv(index=False, lineterminator="\n").encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def ingest_published(con_or_db_path: Any, tidy_df: pd.DataFrame, source_meta: dict[str, Any]) -> LoadResult:
    """Store a published NOF file that has already been read into long form.

    Parameters
    ----------
    con_or_db_path : an open DuckDB connection to a history database, or its path.
    tidy_df : columns ``org_code, org_name, trust_type, metric_id, period, value``; ``period`` a
        quarter such as ``2025/26 Q1``; one row per organisation x metric x period.
    source_meta : ``name`` (the file name; required), optionally ``sha256`` of the file's bytes
        (else a hash of the rows), ``revised`` (bool) and ``stamp`` (revision stamp); when absent
        the edition is read from the name (``...-v2`` counts as a revision).

    Returns
    -------
    LoadResult; loading the same content again returns status ``already loaded`` and changes
    nothing. For each (trust types, quarter) the revised or later file counts.
    """
    name = str(source_meta.get("name") or "")
    if not name:
        raise OptionError("source_meta needs the file name under 'name'")
    df = _published_rows(tidy_df, name)
    sha = str(source_meta.get("sha256") or _frame_sha(df))
    edition = _published_edition(source_meta, name)

    def load(con: Any) -> LoadResult:
        return _store_published(con, df, name, sha, edition)

    if isinstance(con_or_db_path, str | Path):
        with open_db(con_or_db_path) as con:
            return load(con)
    _ensure_schema(con_or_db_path)
    return load(con_or_db_path)


def _published_rows(tidy_df: pd.DataFrame, name: str) -> pd.DataFrame:
    """The published table checked and normalised (codes upper case, periods canonical), one row per key."""
    lacking = [c for c in PUBLISHED_COLUMNS if c not in tidy_df.columns]
    if lacking:
        raise InputError(f"published table lacks column(s) {', '.join(lacking)}", file=name, column=lacking[0])
    df = tidy_df[PUBLISHED_COLUMNS].copy()
    for c in ("org_code", "org_name", "trust_type", "metric_id", "period"):
        df[c] = df[c].astype(str).str.strip()
    df["org_code"] = df["org_code"].str.upper()
    quarters = {}
    for text in df["period"].unique():
        try:
            quarters[text] = str(Quarter.parse(text))
        except OptionError:
            raise InputError(f"period {text!r} is not a quarter like 2025/26 Q1", file=name, column="period") from None
    df["period"] = df["period"].map(quarters)
    df["period_start"] = pd.to_datetime(df["period"].map(lambda q: Quarter.parse(q).months[0]))
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    dup = df.duplicated(["org_code", "metric_id", "period"])
    if dup.any():
        r = df[dup].iloc[0]
        raise InputError(f"duplicate row for {r['org_code']} {r['metric_id']} {r['period']}", file=name)
    return df


def _published_edition(source_meta: dict[str, Any], name: str) -> Edition:
    """The file's edition, from the metadata or else its name, so a revision outranks the first release."""
    if "revised" in source_meta:
        return Edition(bool(source_meta["revised"]), str(source_meta.get("stamp", "")))
    edition = edition_of(name)
    if not edition.revised:
        import re

        m = re.search(r"[-_]v(\d+)(?:\.|$|[-_])", name, re.I)
        if m and int(m.group(1)) > 1:
            edition = Edition(True, m.group(1).zfill(8))
    return edition


def _store_published(con: Any, df: pd.DataFrame, name: str, sha: str, edition: Edition) -> LoadResult:
    """Insert the rows and claim their quarters in one transaction; the same content twice changes nothing."""
    part = ",".join(sorted(df["trust_type"].unique()))
    periods = sorted(df["period"].unique())
    firsts = [pd.Timestamp(Quarter.parse(q).months[0]) for q in periods]
    if con.execute("SELECT 1 FROM source_files WHERE sha256 = ?", [sha]).fetchone():
        return LoadResult(name, sha, PUBLISHED_KIND, "already loaded", 0, periods, [])
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("_published", df)
        con.execute(
            "INSERT INTO published_metrics SELECT ?, org_code, org_name, trust_type, metric_id, period, "
            "CAST(value AS DOUBLE), CAST(period_start AS DATE) FROM _published",
            [sha],
        )
        con.unregister("_published")
        seq = _next_seq(con)
        _record_file(con, sha, name, PUBLISHED_KIND, part, edition, periods,
                     min(firsts).date(), max(firsts).date(), len(df), seq)
        notes = _claim(con, PUBLISHED_KIND, part, firsts, sha, name, edition, seq)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return LoadResult(name, sha, PUBLISHED_KIND, "loaded", len(df), periods, notes)
