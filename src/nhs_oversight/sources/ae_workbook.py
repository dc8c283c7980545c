"""Reader for NHS England's monthly A&E workbook by provider (``...AE-by-provider....xlsx``).

The workbook holds one month. Sheets read:

* **Non-Booked Data** and **Booked Appointments Data**: attendances and >4 hour waits by
  department type, which become the same tidy rows as the monthly CSV (``att_type1`` ... are
  non-booked, ``att_booked_type1`` ... booked), so a workbook and a CSV of one month are two
  editions of the same figures;
* **Provider Level Data**: booked + non-booked, emergency admissions and decision-to-admit
  waits; the reader checks that it equals Non-Booked + Booked for every organisation;
* **Acute Trust Mapping**: each organisation (including independent-sector UTCs and walk-in
  centres) mapped to one or more acute trusts with the proportion of its attendances: the
  *type 3 mapping* that NHS England's acute-trust 4-hour figure (OF0013) uses;
* **Acute Trust Footprint Data**: NHS England's own footprint figures per acute trust, used to
  check that the mapping is applied as NHS England applies it;
* **System Level Data** and **System Mapping**: the same counts by ICB, and organisation to ICB.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.sources.ae_monthly import COLUMNS, COUNTS
from nhs_oversight.sources.common import MissingReport
from nhs_oversight.sources.layout import parse_month
from nhs_oversight.sources.workbook import (
    Sheet,
    column_of,
    numeric,
    open_workbook,
    sheet_names,
    texts,
)

PROVIDER, NON_BOOKED, BOOKED = "Provider Level Data", "Non-Booked Data", "Booked Appointments Data"
FOOTPRINT, MAPPING = "Acute Trust Footprint Data", "Acute Trust Mapping"
SYSTEM, SYSTEM_MAPPING = "System Level Data", "System Mapping"
#: Sheets that mark the workbook (recognised by its sheets, not by its name).
SIGNATURE = (PROVIDER, MAPPING)

ATTENDANCES = "A&E attendances"
OVER_4H = "A&E attendances greater than 4 hours"
BOOKED_ATT = "A&E Booked Appointment attendances"
BOOKED_OVER = "A&E Booked Appointments attendances greater than 4 hours"
TYPES = {"type1": "Type 1", "type2": "Type 2", "type3": "Type 3"}
#: Columns of the mapping table (the ``ae_type3_mapping`` reference of the SQL).
MAPPING_COLUMNS = ["period", "org_code", "org_name", "acute_code", "acute_name", "proportion", "file", "line"]
#: Proportions of one organisation must add up to 1 within this.
PROPORTION_TOLERANCE = 0.005


@dataclass
class AEWorkbook:
    """One month of the workbook, tidied.

    Attributes
    ----------
    month : first day of the month (the title block's ``Period:``).
    monthly : tidy rows with the columns of :data:`nhs_oversight.sources.ae_monthly.COLUMNS`.
    mapping : :data:`MAPPING_COLUMNS`, one row per organisation x acute trust.
    footprint : per acute trust, NHS England's footprint ``attendances`` and ``over4h`` (all
        types, booked and non-booked), ``mapped_attendances`` / ``mapped_over4h`` (the type 3
        activity added by the mapping) and ``percent`` (within 4 hours, 0-100, unrounded).
    system : per ICB, attendances and >4 hour waits by type and in total.
    system_mapping : organisation -> ICB name.
    """

    path: str
    month: pd.Timestamp
    monthly: pd.DataFrame
    mapping: pd.DataFrame
    footprint: pd.DataFrame
    system: pd.DataFrame
    system_mapping: pd.DataFrame


def looks_like_ae_workbook(path: str | Path) -> bool:
    names = set(sheet_names(path))
    return all(s in names for s in SIGNATURE)


def read_ae_workbook(path: str | Path, missing: MissingReport | None = None) -> AEWorkbook:
    """Read and check the workbook.

    Raises
    ------
    InputError
        A sheet missing or not in the published layout, a non-numeric count, Provider Level
        Data that is not Non-Booked + Booked, proportions outside (0, 1] or not adding up to 1,
        an organisation mapped twice to one trust (naming file, sheet, Excel row and column).
    """
    path = str(path)
    wb = open_workbook(path)
    try:
        sheets = {n: Sheet.read(wb, path, n) for n in (PROVIDER, NON_BOOKED, BOOKED, FOOTPRINT, MAPPING, SYSTEM)}
        sheets[SYSTEM_MAPPING] = Sheet.read(wb, path, SYSTEM_MAPPING) if SYSTEM_MAPPING in wb.sheetnames else None
    finally:
        wb.close()
    month = _month(sheets[PROVIDER])
    monthly = _monthly(sheets, month, missing)
    return AEWorkbook(
        path=path, month=month, monthly=monthly,
        mapping=_mapping(sheets[MAPPING], month),
        footprint=_footprint(sheets[FOOTPRINT], missing),
        system=_system(sheets[SYSTEM], missing),
        system_mapping=_system_mapping(sheets[SYSTEM_MAPPING]),
    )


def _month(sheet: Sheet) -> pd.Timestamp:
    text = sheet.meta("Period:")
    m = parse_month(text)
    if m is None:
        raise InputError(f"cannot read the month from Period: {text!r}", file=sheet.where)
    return pd.Timestamp(m)


def _counts(sheet: Sheet, att_group: str, over_group: str, missing: MissingReport | None) -> pd.DataFrame:
    """Code, name and attendances / >4h by type from a provider-style sheet."""
    h = sheet.header(("Code", "Name"))
    labels = sheet.labels(h)
    code = column_of(labels, sheet.where, "", "Code")
    rows = sheet.body(h, code, skip=("-",))
    out = pd.DataFrame({"org_code": texts(rows, code).str.upper().to_numpy(),
                        "org_name": texts(rows, column_of(labels, sheet.where, "", "Name")).to_numpy(),
                        "line": [line for line, _ in rows]})
    for key, label in TYPES.items():
        for prefix, group in (("att", att_group), ("over4h", over_group)):
            j = column_of(labels, sheet.where, group, label)
            out[f"{prefix}_{key}"] = numeric(rows, j, sheet.where, labels[j], missing)
    dup = out["org_code"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(f"organisation {out['org_code'].iloc[i]} appears twice", file=sheet.where, row=int(out["line"].iloc[i]), column="Code")
    return out


def _monthly(sheets: dict[str, Sheet], month: pd.Timestamp, missing: MissingReport | None) -> pd.DataFrame:
    nb = _counts(sheets[NON_BOOKED], ATTENDANCES, OVER_4H, missing)
    bk = _counts(sheets[BOOKED], BOOKED_ATT, BOOKED_OVER, missing)
    total = _counts(sheets[PROVIDER], ATTENDANCES, OVER_4H, missing)
    df = nb.merge(bk.drop(columns=["org_name", "line"]).add_prefix("b_").rename(columns={"b_org_code": "org_code"}),
                  on="org_code", how="outer", indicator=True)
    lone = df[df["_merge"] != "both"]
    if len(lone):
        side = NON_BOOKED if lone["_merge"].iloc[0] == "left_only" else BOOKED
        raise InputError(f"organisation {lone['org_code'].iloc[0]} is in {side} only", file=sheets[PROVIDER].where,
                         hint="Non-Booked Data and Booked Appointments Data must list the same organisations")
    out = pd.DataFrame({"period": month, "org_code": df["org_code"], "org_name": df["org_name"], "parent_org": ""})
    for key in TYPES:
        out[f"att_{key}"] = df[f"att_{key}"]
        out[f"att_booked_{key}"] = df[f"b_att_{key}"]
        out[f"over4h_{key}"] = df[f"over4h_{key}"]
        out[f"over4h_booked_{key}"] = df[f"b_over4h_{key}"]
    _check_provider_total(out, total, sheets[PROVIDER])
    extra = _admissions(sheets[PROVIDER], missing)
    out = out.merge(extra, on="org_code", how="left")
    out["file"] = Path(sheets[PROVIDER].path).name
    out = out.merge(total[["org_code", "line"]], on="org_code", how="left")
    for c in COUNTS:
        if c not in out.columns:
            out[c] = np.nan
    return out[COLUMNS].sort_values("org_code").reset_index(drop=True)


def _check_provider_total(parts: pd.DataFrame, total: pd.DataFrame, sheet: Sheet) -> None:
    """Provider Level Data = Non-Booked + Booked: otherwise the sheets are not one edition."""
    both = total.merge(parts, on="org_code", how="left", suffixes=("", "_parts"))
    for key, label in TYPES.items():
        for prefix in ("att", "over4h"):
            got = both[f"{prefix}_{key}_parts"].fillna(0) + both[f"{prefix}_booked_{key}"].fillna(0)
            bad = np.abs(got.to_numpy() - both[f"{prefix}_{key}"].to_numpy()) > 0.5
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise InputError(
                    f"{both['org_code'].iloc[i]}: {label} is {both[f'{prefix}_{key}'].iloc[i]:,.0f} but Non-Booked + Booked is {got.iloc[i]:,.0f}",
                    file=sheet.where, row=int(both["line"].iloc[i]), column=f"{'Attendances' if prefix == 'att' else '> 4 hours'} {label}",
                    hint="use the workbook as published",
                )


def _admissions(sheet: Sheet, missing: MissingReport | None) -> pd.DataFrame:
    h = sheet.header(("Code", "Name"))
    labels = sheet.labels(h)
    code = column_of(labels, sheet.where, "", "Code")
    rows = sheet.body(h, code, skip=("-",))
    out = pd.DataFrame({"org_code": texts(rows, code).str.upper().to_numpy()})
    wanted = {"emadm_type1": "Emergency Admissions via Type 1", "emadm_type2": "Emergency Admissions via Type 2",
              "emadm_type3": "Emergency Admissions via Type 3", "emadm_other": "Other Emergency admissions"}
    for name, label in wanted.items():
        j = column_of(labels, sheet.where, "Emergency Admissions", label)
        out[name] = numeric(rows, j, sheet.where, labels[j], missing)
    over4 = column_of(labels, sheet.where, "", "Number of patients spending >4 hours from decision")
    over12 = column_of(labels, sheet.where, "", "Number of patients spending >12 hours from decision")
    # the workbook counts all waits over 4 hours; the CSV splits them into 4-12 and 12+
    out["dta_over_12h"] = numeric(rows, over12, sheet.where, labels[over12], missing)
    out["dta_4_12h"] = numeric(rows, over4, sheet.where, labels[over4], missing) - out["dta_over_12h"]
    return out


def _mapping(sheet: Sheet, month: pd.Timestamp) -> pd.DataFrame:
    h = sheet.header(("Code", "Acute Code"))
    labels = sheet.labels(h, grouped=False)
    code = labels.index("Code")
    acute = labels.index("Acute Code")
    share = next((j for j, lab in enumerate(labels) if lab.lower().startswith("proportion")), None)
    if share is None:
        raise InputError("no 'Proportion of Attends' column", file=sheet.where, row=h + 1)
    rows = [(line, r) for line, r in sheet.body(h, code) if acute < len(r) and r[acute] not in (None, "")]
    if not rows:
        raise InputError("no mapping rows below the header", file=sheet.where, row=h + 1)
    names = [lab.lower() for lab in labels]
    df = pd.DataFrame({
        "period": month,
        "org_code": texts(rows, code).str.upper().to_numpy(),
        "org_name": texts(rows, names.index("name")).to_numpy() if "name" in names else "",
        "acute_code": texts(rows, acute).str.upper().to_numpy(),
        "acute_name": texts(rows, acute + 1).to_numpy(),
        "proportion": numeric(rows, share, sheet.where, labels[share]),
        "file": Path(sheet.path).name,
        "line": [line for line, _ in rows],
    })
    bad = ~((df["proportion"] > 0) & (df["proportion"] <= 1)).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"proportion {df['proportion'].iloc[i]!r} is not in (0, 1]", file=sheet.where,
                         row=int(df["line"].iloc[i]), column=labels[share])
    dup = df.duplicated(["org_code", "acute_code"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(f"{df['org_code'].iloc[i]} is mapped twice to {df['acute_code'].iloc[i]}", file=sheet.where,
                         row=int(df["line"].iloc[i]), column="Acute Code")
    sums = df.groupby("org_code", sort=False)["proportion"].sum()
    off = sums[(sums - 1).abs() > PROPORTION_TOLERANCE]
    if len(off):
        org = off.index[0]
        raise InputError(f"the proportions of {org} add up to {off.iloc[0]:g}, not 1", file=sheet.where,
                         row=int(df.loc[df["org_code"] == org, "line"].iloc[0]), column=labels[share])
    return df[MAPPING_COLUMNS]


def _footprint(sheet: Sheet, missing: MissingReport | None) -> pd.DataFrame:
    h = sheet.header(("Code", "Name"))
    labels = sheet.labels(h)
    code = column_of(labels, sheet.where, "", "Code")
    rows = sheet.body(h, code, skip=("-",))
    col = {
        "attendances": column_of(labels, sheet.where, ATTENDANCES, "Total attendances"),
        "over4h": column_of(labels, sheet.where, OVER_4H, "Total Attendances > 4 hours"),
        "mapped_attendances": column_of(labels, sheet.where, "Of which", "A&E attendances"),
        "mapped_over4h": column_of(labels, sheet.where, "Of which", "A&E attendances > 4 hours"),
        "percent": column_of(labels, sheet.where, "A&E Performance", "Percentage in 4 hours or less (all) with"),
    }
    out = pd.DataFrame({"org_code": texts(rows, code).str.upper().to_numpy(),
                        "org_name": texts(rows, column_of(labels, sheet.where, "", "Name")).to_numpy()})
    for name, j in col.items():
        out[name] = numeric(rows, j, sheet.where, labels[j], missing)
    out["percent"] = 100 * out["percent"]
    out["line"] = [line for line, _ in rows]
    return out


def _system(sheet: Sheet, missing: MissingReport | None) -> pd.DataFrame:
    h = sheet.header(("Code", "System"))
    labels = sheet.labels(h)
    code = column_of(labels, sheet.where, "", "Code")
    rows = sheet.body(h, code, skip=("-",))
    out = pd.DataFrame({"icb_code": texts(rows, code).str.upper().to_numpy(),
                        "icb_name": texts(rows, column_of(labels, sheet.where, "", "System")).to_numpy()})
    for key, label in TYPES.items():
        out[f"att_{key}"] = numeric(rows, column_of(labels, sheet.where, "A&E attendances", label), sheet.where, label, missing)
        j = column_of(labels, sheet.where, "A&E attendances > 4 hours", label)
        out[f"over4h_{key}"] = numeric(rows, j, sheet.where, labels[j], missing)
    out["line"] = [line for line, _ in rows]
    return out


def _system_mapping(sheet: Sheet | None) -> pd.DataFrame:
    empty = pd.DataFrame({"org_code": pd.Series(dtype=object), "org_name": pd.Series(dtype=object), "icb_name": pd.Series(dtype=object)})
    if sheet is None:
        return empty
    h = sheet.header(("Org code", "Name"))
    labels = [lab.lower() for lab in sheet.labels(h, grouped=False)]
    code = labels.index("org code")
    rows = sheet.body(h, code)
    icb = labels.index("stp") if "stp" in labels else None
    return pd.DataFrame({
        "org_code": texts(rows, code).str.upper().to_numpy(),
        "org_name": texts(rows, labels.index("name")).to_numpy(),
        "icb_name": texts(rows, icb).to_numpy() if icb is not None else "",
    })
