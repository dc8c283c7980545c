"""Raw files -> one tidy table per source, keeping only the winning edition of each month."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nhs_oversight.sources.common import MissingReport
from nhs_oversight.sources.editions import Candidate, replacement_note, winner
from nhs_oversight.sources.raw import KINDS, RawTable, read_raws

#: Parquet columns that mark a record-level emergency care file.
ECDS_COLUMNS = {"org_code", "arrival_time", "duration_minutes", "department_type"}


def part_of(raw: RawTable) -> str:
    """Files of one kind that do not compete for a month: RTT pathways are separate collections."""
    return str(raw.frame.attrs.get("pathway", "")) if raw.kind == "rtt" else ""


def same_figures(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two editions of a month carry the same organisations and counts (names, file and
    line numbers aside; a count one edition lacks and the other has as zero counts as the same)."""
    skip = {"file", "line", "org_name", "parent_org", "acute_name", "sheet", "measure_name"}
    cols = sorted((set(a.columns) & set(b.columns)) - skip)
    keys = [c for c in ("org_code", "acute_code", "measure", "pathway", "standard", "cut", "level", "week_from", "is_total_function") if c in cols]
    if len(a) != len(b) or not keys:
        return False
    x = a[cols].sort_values(keys).reset_index(drop=True)
    y = b[cols].sort_values(keys).reset_index(drop=True)
    for c in cols:
        u, v = x[c], y[c]
        if pd.api.types.is_numeric_dtype(u) and pd.api.types.is_numeric_dtype(v):
            if not np.allclose(u.fillna(0).to_numpy(float), v.fillna(0).to_numpy(float), rtol=0, atol=1e-9):
                return False
        elif not (u.astype(str).to_numpy() == v.astype(str).to_numpy()).all():
            return False
    return True


def combine(raws: list[RawTable]) -> tuple[dict[str, pd.DataFrame], list[str], list[dict[str, Any]]]:
    """Pick each month's edition and stack the winners by kind.

    Returns
    -------
    tables : kind -> tidy frame (the ODS list under ``ods``).
    notes : one line per edition that replaced another.
    used : one dict per file, with the months it supplied.
    """
    notes: list[str] = []
    seen: dict[tuple[str, str], RawTable] = {}
    unique: list[RawTable] = []
    for raw in raws:
        if (raw.sha256, raw.kind) in seen:
            notes.append(f"{raw.name} is the same file as {seen[(raw.sha256, raw.kind)].name}; read once")
            continue
        seen[(raw.sha256, raw.kind)] = raw
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
        frame = chosen.frame
        mine = frame[pd.to_datetime(frame["period"]) == month]
        for cand, other in entries:
            if cand != best:
                label = (f"{month:%Y}" if kind == "nss_scores" else f"{month:%b %Y}") + (f" {part}" if part else "")
                theirs = other.frame[pd.to_datetime(other.frame["period"]) == month]
                if same_figures(mine, theirs):
                    notes.append(f"{KINDS[kind]} {label}: {best.name} and {cand.name} hold the same figures; {best.name} is used")
                else:
                    notes.append(replacement_note(KINDS[kind], label, best, cand))
        pieces[kind].append(mine)
        supplied[chosen.name].append(f"{month:%Y-%m}")
    tables = {kind: pd.concat(frames, ignore_index=True) for kind, frames in pieces.items()}
    if ods:
        best = winner([c for c, _ in ods])
        tables["ods"] = next(r for c, r in ods if c == best).frame
        supplied[best.name] = []
    used = [
        {"file": r.name, "kind": r.kind, "sha256": r.sha256, "edition": r.edition.describe(),
         "months": supplied.get(r.name, [])}
        for r in unique if r.name in supplied and r.kind != "ae_type3_mapping"
    ]
    return tables, notes, used


def read_raw_tables(paths: list[str | Path], missing: MissingReport | None = None, on_read: Any = None) -> tuple[dict[str, Any], list[str], list[dict[str, Any]]]:
    """Read raw CSV files and record-level Parquet files into source tables.

    Parquet files with ECDS columns become the ``ecds`` source (kept on disk, read by DuckDB).
    ``on_read(path)`` is called after each file (progress).
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
        for raw in read_raws(p, missing):
            warnings.extend(raw.warnings)
            raws.append(raw)
        if on_read:
            on_read(p)
    tables, notes, used = combine(raws)
    out: dict[str, Any] = dict(tables)
    if parquet:
        out["ecds"] = parquet
        used.extend({"file": Path(p).name, "kind": "ecds", "sha256": None, "edition": "", "months": []} for p in parquet)
    return out, warnings + notes, used
