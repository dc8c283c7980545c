"""Reading the history database: the current edition of each source, derivation, one organisation's history."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from nhs_oversight.errors import OptionError
from nhs_oversight.frameworks.periods import Quarter
from nhs_oversight.history.schema import RAW_TABLES, open_db
from nhs_oversight.sources.kinds import BY_NAME


def current_views(con: Any) -> set[str]:
    """Create temp views of the current edition of each raw source; return the sources present."""
    present = set()
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    for kind, table in RAW_TABLES.items():
        if table not in tables:
            continue
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "sha256"]
        select = ", ".join(f'r."{c}"' for c in cols)
        if not BY_NAME[kind].monthly:  # one current edition, no month
            where = f"e.kind = '{kind}' AND e.sha256 = r.sha256"
        else:
            where = f"e.kind = '{kind}' AND e.sha256 = r.sha256 AND e.period = r.period"
        con.execute(f"CREATE OR REPLACE TEMP VIEW {kind} AS SELECT {select} FROM {table} AS r JOIN editions AS e ON {where}")
        present.add(kind)
    con.execute(
        "CREATE OR REPLACE TEMP VIEW published AS SELECT p.*, f.name AS file FROM published_metrics AS p "
        "JOIN source_files AS f ON f.sha256 = p.sha256 "
        "JOIN editions AS e ON e.kind = f.kind AND e.part = f.part AND e.sha256 = p.sha256 "
        "AND e.period = p.period_start"
    )
    return present


def files(db: str | Path | None = None) -> pd.DataFrame:
    """The ``source_files`` table, in load order."""
    with open_db(db, read_only=True) as con:
        return con.execute("SELECT * FROM source_files ORDER BY seq").df()


def derive_from_db(
    db: str | Path | None = None,
    quarter: str | Quarter | None = None,
    metrics: Sequence[str] | None = None,
    successors: pd.DataFrame | None = None,
    allow_partial: bool = False,
    trusts_only: bool = False,
) -> Any:
    """Derive quarterly metrics from what is in the history database (current editions)."""
    from nhs_oversight.derive.runner import run

    with open_db(db, read_only=True) as con:
        present = current_views(con) - {"ods"}
        restrict = None
        if trusts_only:
            if "ods" not in current_views(con):
                raise OptionError("--trusts-only needs an ODS etr trust list in the history database")
            restrict = {r[0] for r in con.execute("SELECT org_code FROM ods").fetchall()}
        result = run(con, present, quarter, list(metrics) if metrics else None, successors, allow_partial, restrict)
        result.inputs = con.execute(
            "SELECT name AS file, kind, sha256, edition, periods AS months FROM source_files ORDER BY seq"
        ).df().to_dict("records")
        return result


HISTORY_COLUMNS = ["org_code", "metric_id", "period", "value", "numerator", "denominator", "source"]


def org_history(
    org: str,
    db: str | Path | None = None,
    metrics: Sequence[str] | None = None,
    allow_partial: bool = False,
) -> tuple[pd.DataFrame, list[str]]:
    """One organisation's metrics over quarters: derived from raw files and as published.

    Returns
    -------
    (table, notes). The table has :data:`HISTORY_COLUMNS`, sorted by metric then quarter;
    ``source`` is ``derived (<definition>.sql)`` or ``published (<file>)``. Published rows include
    segments and scores (``OF5000`` adjusted segment, ``OF5005`` final segment, ...).
    """
    from nhs_oversight.derive.runner import run
    from nhs_oversight.derive.successors import KNOWN_SUCCESSIONS

    code = org.strip().upper()
    notes: list[str] = []
    for pred, succ, since, _ in KNOWN_SUCCESSIONS:
        if pred == code:
            notes.append(f"{pred} merged into {succ} from {since}; its activity is reported under {succ}")
    frames = []
    with open_db(db, read_only=True) as con:
        present = current_views(con) - {"ods"}
        if present:
            try:
                derived = run(con, present, None, list(metrics) if metrics else None, None, allow_partial, {code})
            except OptionError as exc:
                notes.append(str(exc))
            else:
                notes.extend(derived.notes)
                d = derived.values
                d = d.assign(source="derived (" + d["definition"] + ".sql)")
                frames.append(d[HISTORY_COLUMNS])
        pub = con.execute(
            "SELECT org_code, metric_id, period, value, file FROM published WHERE org_code = ?", [code]
        ).df()
        if metrics:
            pub = pub[pub["metric_id"].str.upper().isin({m.upper() for m in metrics})]
        if len(pub):
            pub = pub.assign(numerator=float("nan"), denominator=float("nan"), source="published (" + pub["file"] + ")")
            frames.append(pub[HISTORY_COLUMNS])
    if not frames or all(f.empty for f in frames):
        return pd.DataFrame(columns=HISTORY_COLUMNS), notes
    table = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    table["_q"] = table["period"].map(lambda t: Quarter.parse(t))
    table = table.sort_values(["metric_id", "_q", "source"]).drop(columns="_q").reset_index(drop=True)
    return table, notes
