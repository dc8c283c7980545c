"""Reader for NHS England's monthly A&E attendances and emergency admissions by provider.

Two layouts are read into the same tidy table (one row per organisation and month):

* the monthly CSV (``Period, Org Code, Parent Org, Org name, A&E attendances Type 1, ...``), one
  row per organisation plus a ``TOTAL`` row. The TOTAL row is not an organisation: it is used to
  check that no row was lost or edited (providers must sum to it exactly), then dropped.
* the long series mirrored by NHS-R Community (``period, org_code, type, attendances, breaches,
  admissions``), where booked appointments are not reported separately (left missing).

Type 3 is "Other A&E department" (urgent treatment centres, walk-in centres, minor injury units).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.sources.common import MissingReport
from nhs_oversight.sources.editions import edition_of
from nhs_oversight.sources.layout import (
    Grid,
    alias_lookup,
    frame_below,
    locate_header,
    month_column,
    no_duplicates,
    norm,
    not_above,
    numbers,
    read_grid,
    text_column,
)

KIND = "ae_monthly"

#: Count columns of the tidy table, in order.
COUNTS = [
    "att_type1", "att_type2", "att_type3",
    "att_booked_type1", "att_booked_type2", "att_booked_type3",
    "over4h_type1", "over4h_type2", "over4h_type3",
    "over4h_booked_type1", "over4h_booked_type2", "over4h_booked_type3",
    "dta_4_12h", "dta_over_12h",
    "emadm_type1", "emadm_type2", "emadm_type3", "emadm_other",
]  # fmt: skip

#: The tidy table's columns.
COLUMNS = ["period", "org_code", "org_name", "parent_org", *COUNTS, "file", "line"]

ALIASES: dict[str, list[str]] = {
    "period": ["Period", "Month"],
    "org_code": ["Org Code", "Organisation Code", "Provider Code", "Code"],
    "org_name": ["Org name", "Organisation Name", "Provider Name", "Name"],
    "parent_org": ["Parent Org", "Parent Organisation", "Region"],
    "att_type1": ["A&E attendances Type 1", "Attendances Type 1"],
    "att_type2": ["A&E attendances Type 2", "Attendances Type 2"],
    "att_type3": [
        "A&E attendances Other A&E Department", "A&E attendances Type 3",
        "A&E attendances Other A&E Departments", "Attendances Other A&E Department",
    ],
    "att_booked_type1": ["A&E attendances Booked Appointments Type 1"],
    "att_booked_type2": ["A&E attendances Booked Appointments Type 2"],
    "att_booked_type3": [
        "A&E attendances Booked Appointments Other Department",
        "A&E attendances Booked Appointments Type 3",
    ],
    "over4h_type1": ["Attendances over 4hrs Type 1", "Attendances over 4 hours Type 1"],
    "over4h_type2": ["Attendances over 4hrs Type 2", "Attendances over 4 hours Type 2"],
    "over4h_type3": [
        "Attendances over 4hrs Other Department", "Attendances over 4hrs Other A&E Department",
        "Attendances over 4hrs Type 3", "Attendances over 4 hours Other Department",
    ],
    "over4h_booked_type1": ["Attendances over 4hrs Booked Appointments Type 1"],
    "over4h_booked_type2": ["Attendances over 4hrs Booked Appointments Type 2"],
    "over4h_booked_type3": [
        "Attendances over 4hrs Booked Appointments Other Department",
        "Attendances over 4hrs Booked Appointments Type 3",
    ],
    "dta_4_12h": [
        "Patients who have waited 4-12 hs from DTA to admission",
        "Patients who have waited 4-12 hrs from DTA to admission",
        "patients spending >4 hours but <12 hours from decision to admit to admission",
        "patients spending >4 hours from decision to admit to admission",
    ],
    "dta_over_12h": [
        "Patients who have waited 12+ hrs from DTA to admission",
        "patients spending >12 hours from decision to admit to admission",
    ],
    "emadm_type1": ["Emergency admissions via A&E - Type 1", "Emergency admissions via Type 1 A&E"],
    "emadm_type2": ["Emergency admissions via A&E - Type 2", "Emergency admissions via Type 2 A&E"],
    "emadm_type3": [
        "Emergency admissions via A&E - Other A&E department",
        "Emergency admissions via Other A&E department",
        "Emergency admissions via A&E - Type 3",
    ],
    "emadm_other": ["Other emergency admissions", "Other emergency admissions (i.e not via A&E)"],
}  # fmt: skip

#: Columns every monthly file must have: without them the 4-hour measure cannot be formed.
REQUIRED = ["period", "org_code", "att_type1", "att_type2", "att_type3", "over4h_type1", "over4h_type2", "over4h_type3"]

LONG_ALIASES: dict[str, list[str]] = {
    "period": ["period", "month"],
    "org_code": ["org_code", "Org Code", "provider"],
    "type": ["type", "department type"],
    "attendances": ["attendances"],
    "breaches": ["breaches", "attendances over 4hrs"],
    "admissions": ["admissions", "emergency admissions"],
}
_LONG_TYPES = {"1": "type1", "2": "type2", "other": "type3", "3": "type3"}


def read_ae_monthly(path: str | Path, missing: MissingReport | None = None) -> pd.DataFrame:
    """Read one A&E monthly file (either layout) into the tidy table.

    Parameters
    ----------
    path : the CSV file.
    missing : collects suppressed or blank cells, which are read as missing (never zero).

    Returns
    -------
    DataFrame with :data:`COLUMNS`; ``period`` is the first day of the month. Provider rows only
    (the TOTAL row is checked, then dropped). ``df.attrs`` holds ``kind``, ``edition`` and
    ``total_checked`` (True when a TOTAL row was present and matched).

    Raises
    ------
    InputError
        Missing columns, non-numeric counts, duplicate organisations in a month, or providers
        that do not add up to the file's TOTAL row.
    """
    grid = read_grid(path)
    if _is_long(grid):
        df = _read_long(grid, missing)
        total_checked = False
    else:
        df, total_checked = _read_wide(grid, missing)
    df.attrs.update(kind=KIND, edition=edition_of(path), total_checked=total_checked)
    return df


def _is_long(grid: Grid) -> bool:
    lookup = alias_lookup(LONG_ALIASES)
    for row in grid.rows[:20]:
        found = {lookup.get(norm(c)) for c in row}
        if {"type", "attendances", "breaches"} <= found:
            return True
    return False


def _read_wide(grid: Grid, missing: MissingReport | None) -> tuple[pd.DataFrame, bool]:
    header = locate_header(grid, ALIASES, REQUIRED, kind="A&E monthly")
    df = frame_below(grid, header, key="org_code")
    path = grid.path
    if df.empty:
        raise InputError("no data rows below the header", file=path, row=header.line)
    for c in COLUMNS:
        if c not in df.columns and c not in ("file", "line"):
            df[c] = np.nan if c in COUNTS else ""
    df["org_code"] = text_column(df, "org_code").str.upper()
    is_total = df["org_code"].eq("TOTAL") | text_column(df, "period").str.upper().eq("TOTAL")
    present = [c for c in COUNTS if c in header.columns]
    numbers(df, present, path, header.labels, missing)
    for kind in ("", "booked_"):
        for t in ("type1", "type2", "type3"):
            not_above(df, f"over4h_{kind}{t}", f"att_{kind}{t}", path, header.labels)
    totals = df[is_total]
    df = df[~is_total].copy()
    if df.empty:
        raise InputError("no provider rows (only a TOTAL row)", file=path)
    df["period"] = month_column(df, "period", path, header.labels["period"])
    months = df["period"].unique()
    if len(months) > 1:
        first_other = df.index[df["period"] != df["period"].iloc[0]][0]
        raise InputError(
            "one monthly file holds several months", file=path,
            row=int(df.loc[first_other, "line"]), column=header.labels["period"],
        )
    no_duplicates(df, ["org_code"], path, header.labels["org_code"])
    checked = False
    if len(totals) == 1:
        _check_total(df, totals.iloc[0], present, path, header.labels)
        checked = True
    elif len(totals) > 1:
        raise InputError("more than one TOTAL row", file=path, row=int(totals["line"].iloc[1]))
    df["org_name"] = text_column(df, "org_name")
    df["parent_org"] = text_column(df, "parent_org")
    df["file"] = Path(path).name
    return df[COLUMNS].reset_index(drop=True), checked


def _check_total(df: pd.DataFrame, total: pd.Series, cols: list[str], path: str, labels: dict[str, str]) -> None:
    """Providers must add up to the TOTAL row: a mismatch means rows were lost or edited."""
    for c in cols:
        expected = total[c]
        if np.isnan(expected):
            continue
        got = float(np.nansum(df[c].to_numpy()))
        if abs(got - expected) > 0.5:
            raise InputError(
                f"providers add up to {got:,.0f} but the TOTAL row says {expected:,.0f}",
                file=path,
                row=int(total["line"]),
                column=labels[c],
                hint="rows may be missing or edited; use the file as published",
            )


def _read_long(grid: Grid, missing: MissingReport | None) -> pd.DataFrame:
    required = ["period", "org_code", "type", "attendances", "breaches"]
    header = locate_header(grid, LONG_ALIASES, required, kind="A&E long series")
    df = frame_below(grid, header, key="org_code")
    path = grid.path
    if df.empty:
        raise InputError("no data rows below the header", file=path, row=header.line)
    values = [c for c in ("attendances", "breaches", "admissions") if c in df.columns]
    numbers(df, values, path, header.labels, missing)
    not_above(df, "breaches", "attendances", path, header.labels)
    df["org_code"] = text_column(df, "org_code").str.upper()
    raw_type = text_column(df, "type")
    df["type"] = raw_type.str.lower().map(_LONG_TYPES)
    unknown = df["type"].isna().to_numpy()
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        raise InputError(
            f"unknown department type {raw_type.iloc[i]!r} (expected 1, 2 or other)",
            file=path, row=int(df["line"].iloc[i]), column=header.labels["type"],
        )
    df["period"] = month_column(df, "period", path, header.labels["period"])
    no_duplicates(df, ["period", "org_code", "type"], path, header.labels["type"])
    # An organisation without a row for a department type runs no such department: zero, not
    # missing. Booked appointments, decision-to-admit waits and other admissions are not in
    # this layout and stay missing.
    keys = ["period", "org_code"]
    wide = df.pivot(index=keys, columns="type", values=values)
    has_row = df.assign(_one=1.0).pivot(index=keys, columns="type", values="_one").notna()
    out = pd.DataFrame(index=wide.index)
    names = {"attendances": "att", "breaches": "over4h", "admissions": "emadm"}
    for value in values:
        for t in ("type1", "type2", "type3"):
            if t in wide[value].columns:
                out[f"{names[value]}_{t}"] = wide[value][t].where(has_row[t], 0.0)
            else:
                out[f"{names[value]}_{t}"] = 0.0
    out = out.reset_index()
    out["line"] = df.groupby(["period", "org_code"])["line"].min().to_numpy()
    for c in COLUMNS:
        if c not in out.columns:
            out[c] = np.nan if c in COUNTS else ""
    out["file"] = Path(path).name
    return out[COLUMNS].reset_index(drop=True)
