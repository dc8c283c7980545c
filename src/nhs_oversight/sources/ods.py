"""Readers for organisation reference data: the ODS ``etr`` trust list and trust lookups.

ODS publishes ``etr.csv`` (NHS trusts) without a header, in the standard 27-column ODS layout:
code, name, national grouping (NHS England region, e.g. ``Y56`` London), high level health
geography (ICB), five address lines, postcode, open date, close date (``YYYYMMDD``), then contact
and amendment fields we do not need. Region names are not in the file: :data:`REGIONS` maps them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.sources.layout import alias_lookup, frame_below, locate_header, norm, read_grid

KIND = "ods"

#: NHS England region codes (2020 onwards) as used in the etr ``national grouping`` column.
REGIONS = {
    "Y56": "London",
    "Y58": "South West",
    "Y59": "South East",
    "Y60": "Midlands",
    "Y61": "East of England",
    "Y62": "North West",
    "Y63": "North East and Yorkshire",
}

ETR_COLUMNS = ["org_code", "org_name", "region_code", "region_name", "icb_code", "postcode", "open_date", "close_date", "line"]

# positions in the ODS standard layout (0-based)
_CODE, _NAME, _REGION, _ICB, _POSTCODE, _OPEN, _CLOSE = 0, 1, 2, 3, 9, 10, 11
_MIN_FIELDS = 12


def _date(text: str, path: str, line: int, column: str) -> pd.Timestamp | None:
    t = text.strip()
    if not t:
        return None
    try:
        return pd.Timestamp(datetime.strptime(t, "%Y%m%d"))
    except ValueError:
        raise InputError(f"{t!r} is not a date (YYYYMMDD)", file=path, row=line, column=column) from None


def read_ods_etr(path: str | Path) -> pd.DataFrame:
    """Read an ODS etr (trust) file, which has no header row.

    Returns
    -------
    DataFrame with :data:`ETR_COLUMNS`; ``close_date`` is NaT for open organisations.

    Raises
    ------
    InputError
        Rows with fewer than 12 fields, empty codes, bad dates or repeated codes.
    """
    grid = read_grid(path)
    p = grid.path
    rows = list(zip(grid.rows, grid.lines, strict=True))
    if rows and norm(rows[0][0][0] if rows[0][0] else "") in {"organisationcode", "orgcode", "code"}:
        rows = rows[1:]  # a mirror added a header: tolerate it
    records = []
    seen: dict[str, int] = {}
    for row, line in rows:
        if not any(c.strip() for c in row):
            continue
        if len(row) < _MIN_FIELDS:
            raise InputError(
                f"{len(row)} fields, expected the 27-field ODS layout (at least {_MIN_FIELDS})",
                file=p, row=line, hint="is this an ODS etr file?",
            )
        code = row[_CODE].strip().upper()
        if not code:
            raise InputError("empty organisation code", file=p, row=line, column="column 1 (code)")
        if code in seen:
            raise InputError(f"duplicate organisation {code} (also at row {line})", file=p, row=seen[code], column="column 1 (code)")
        seen[code] = line
        region = row[_REGION].strip().upper()
        records.append(
            {
                "org_code": code,
                "org_name": row[_NAME].strip(),
                "region_code": region,
                "region_name": REGIONS.get(region, ""),
                "icb_code": row[_ICB].strip().upper(),
                "postcode": row[_POSTCODE].strip(),
                "open_date": _date(row[_OPEN], p, line, "column 11 (open date)"),
                "close_date": _date(row[_CLOSE], p, line, "column 12 (close date)"),
                "line": line,
            }
        )
    if not records:
        raise InputError("no organisations", file=p)
    df = pd.DataFrame.from_records(records, columns=ETR_COLUMNS)
    for c in ("open_date", "close_date"):
        df[c] = pd.to_datetime(df[c])
    df["line"] = df["line"].astype(np.int64)
    df.attrs.update(kind=KIND, warnings=[])
    return df


#: Trust reference CSVs (with headers): canonical column -> accepted header spellings.
REFERENCE_ALIASES: dict[str, list[str]] = {
    "org_code": ["nhs_trust22_code", "trust_code", "org_code", "Organisation code"],
    "org_name": ["nhs_trust22_name", "trust_name", "org_name"],
    "region_code": ["nhs_region21_nhs_code", "region_nhs_code_from_ods_etr", "region_code"],
    "region_name": ["nhs_region21_name", "region_name"],
    "icb_code": ["icb22_code_h", "icb_code"],
    "icb_ons_code": ["icb22_code"],
    "icb_name": ["icb22_name", "icb_name"],
    "stp_code": ["stp21_code"],
    "stp_name": ["stp21_name"],
    "status": ["status"],
}


def read_trust_reference(path: str | Path) -> pd.DataFrame:
    """Read a trust or ICB lookup CSV (trust -> region, trust -> ICS, the ICB list).

    Known columns are renamed to canonical names (:data:`REFERENCE_ALIASES`); others are kept
    as written. Needs an organisation code (``org_code``) or an ICB code (``icb_code``).
    """
    grid = read_grid(path)
    lookup = alias_lookup(REFERENCE_ALIASES)
    first = [lookup.get(norm(c)) for c in grid.rows[0]] if grid.rows else []
    key = "org_code" if "org_code" in first else "icb_code"
    header = locate_header(grid, REFERENCE_ALIASES, [key], kind="trust reference")
    df = frame_below(grid, header, key=key)
    extras = {
        c.strip(): j for j, c in enumerate(grid.rows[header.index]) if j not in header.columns.values() and c.strip()
    }
    if extras:
        more = frame_below(grid, header, key=key, extra=extras)
        for c in extras:
            df[c] = more[c]
    for c in df.columns:
        if c != "line":
            df[c] = df[c].astype(str).str.strip()
    df[key] = df[key].str.upper()
    dup = df[key].duplicated(keep=False)
    if dup.any():
        lines = df.loc[dup, "line"].to_numpy()
        raise InputError(
            f"duplicate {key} {df.loc[dup, key].iloc[0]} (also at row {int(lines[1])})",
            file=grid.path, row=int(lines[0]), column=header.labels[key],
        )
    df.attrs.update(kind="reference", warnings=[])
    return df.reset_index(drop=True)
