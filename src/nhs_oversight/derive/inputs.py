"""Raw files -> one tidy table per source, keeping only the winning edition of each month."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd

from nhs_oversight.sources.common import MissingReport
from nhs_oversight.sources.editions import Candidate, replacement_note, winner
from nhs_oversight.sources.raw import KINDS, RawTable, read_raw

#: Parquet columns that mark a record-level emergency care file.
ECDS_COLUMNS = {"org_code", "arrival_time", "duration_minutes", "department_type"}


def part_of(raw: RawTable) -> str:
    """Files of one kind that do not compete for a month: RTT pathways are separate collections."""
    return str(raw.frame.attrs.get("pathway", "")) if raw.kind == "rtt" else ""


def combine(raws: list[RawTable]) -> tuple[dict[str, pd.DataFrame], list[str], list[dict[str, Any]]]:
    """Pick each month's edition and stack the winners by kind.

    Returns
    -------
    tables : kind -> tidy frame (the ODS list under ``ods``).
    notes : one line per edition that replaced another.
    used : one dict per file, with the months it supplied.
    """
    notes: list[str] = []
    seen: dict[str, RawTable] = {}
    unique: list[RawTable] = []
    for raw in raws:
        if raw.sha256 in seen:
            notes.append(f"{raw.name} is the same file as {seen[raw.sha256].name}; read once")
            continue
        seen[raw.sha256] = raw
        unique.append(raw)

    claims: dict[tuple[str, str, pd.Timestamp], list[tuple[Candidate, RawTable]]] = defaultdict(list)
    ods: list[tuple[Candidate, RawTable]] = []
    for order, raw in enumerate(unique):
        cand = Candidate(raw.name, raw.edition, order)
        if raw.kind == "ods":
            ods.append((cand, raw))
            continue
        for month in raw.months:
            claims[(raw.kind, part_of(raw), month)].append((cand, raw))

    pieces: dict[str, list[pd.DataFrame]] = defaultdict(list)
    supplied: dict[str, list[str]] = defaultdict(list)
    for (kind, part, month), entries in sorted(claims.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
        best = winner([c for c, _ in entries])
        chosen = next(r for c, r in entries if c == best)
        for cand, _ in entries:
            if cand != best:
                label = f"{month:%b %Y}" + (f" {part}" if part else "")
                notes.append(replacement_note(KINDS[kind], label, best, cand))
        frame = chosen.frame
        pieces[kind].append(frame[pd.to_datetime(frame["period"]) == month])
        supplied[chosen.name].append(f"{month:%Y-%m}")
    tables = {kind: pd.concat(frames, ignore_index=True) for kind, frames in pieces.items()}
    if ods:
        best = winner([c for c, _ in ods])
        tables["ods"] = next(r for c, r in ods if c == best).frame
        supplied[best.name] = []
    used = [
        {"file": r.name, "kind": r.kind, "sha256": r.sha256, "edition": r.edition.describe(),
         "months": supplied.get(r.name, [])}
        for r in unique if r.name in supplied
    ]
    return tables, notes, used


def read_inputs(paths: list[str | Path], missing: MissingReport | None = None) -> tuple[dict[str, Any], list[str], list[dict[str, Any]]]:
    """Read raw CSV files and record-level Parquet files into source tables.

    Parquet files with ECDS columns become the ``ecds`` source (kept on disk, read by DuckDB).
    """
    raws: list[RawTable] = []
    parquet: list[str] = []
    warnings: list[str] = []
    for p in paths:
        if Path(p).is_dir():  # a folder of Parquet parts
            parquet.append(str(Path(p) / "*.parquet"))
            continue
        if str(p).lower().endswith(".parquet"):
            parquet.append(str(p))
            continue
        raw = read_raw(p, missing)
        warnings.extend(raw.warnings)
        raws.append(raw)
    tables, notes, used = combine(raws)
    out: dict[str, Any] = dict(tables)
    if parquet:
        out["ecds"] = parquet
        used.extend({"file": Path(p).name, "kind": "ecds", "sha256": None, "edition": "", "months": []} for p in parquet)
    return out, warnings + notes, used
