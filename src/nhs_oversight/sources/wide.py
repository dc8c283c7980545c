"""Reader for a trust's own metric values: one row per organisation, one column per metric.

Columns (case-insensitive; see ``docs/input-formats.md``):

* ``org_code`` (or ``Trust_code``, ``ODS code``), ``trust_type`` (the published type label),
  optional ``org_name``, ``region``, ``trust_subtype``, ``icb_code``, ``icb_name``, ``quarter``;
* one column per metric: ``OF0013`` etc. for raw values, ``OF1046`` etc. for metrics published only
  as a score; ``OF0048_unit`` / ``OF0088_unit`` say ``rate`` (default) or ``count``;
* ``financial_flag`` (1/0, Yes/No; also ``deficit`` or ``OF5004``) and ``recovery_support``
  (also ``rsp`` or ``OF5007``).

CSV (UTF-8) or the first sheet of an ``.xlsx`` workbook.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.errors import InputError
from nhs_oversight.frameworks.model import Framework
from nhs_oversight.frameworks.periods import Quarter
from nhs_oversight.sources.common import MissingReport, check_duplicates, read_csv, to_number

_ALIASES = {
    "org_code": ("org_code", "trust_code", "ods_code", "ods code", "organisation_code", "code"),
    "org_name": ("org_name", "trust_name", "name", "organisation_name"),
    "trust_type": ("trust_type", "type"),
    "trust_subtype": ("trust_subtype", "subtype"),
    "region": ("region",),
    "icb_code": ("icb_code", "icb"),
    "icb_name": ("icb_name",),
    "quarter": ("quarter", "period"),
    "financial_flag": ("financial_flag", "deficit", "in_deficit", "trust_in_financial_deficit", "of5004"),
    "recovery_support": ("recovery_support", "rsp", "of5007"),
    "dataset": ("dataset",),
}
_METRIC_COL = re.compile(r"^OF[01]\d{3}$", re.I)
_UNIT_COL = re.compile(r"^(OF0\d{3})_unit$", re.I)
_YES = {"1", "1.0", "yes", "y", "true"}
_NO = {"0", "0.0", "no", "n", "false"}


def read_table(path: str | Path) -> pd.DataFrame:
    """A CSV or the first sheet of an xlsx, as text cells."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            df = pd.read_excel(p, dtype=str, sheet_name=0, engine="openpyxl").fillna("")
        except FileNotFoundError:
            raise InputError("file not found", file=str(path)) from None
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise InputError(f"cannot be read as an Excel workbook ({exc.__class__.__name__})", file=str(path)) from None
        if df.empty:
            raise InputError("the first sheet has no rows", file=str(path))
        df.columns = [str(c).strip() for c in df.columns]
        return df
    return read_csv(p)


def looks_like_wide(df: pd.DataFrame) -> bool:
    return any(_METRIC_COL.match(c) for c in df.columns) and "Metric_ID" not in df.columns


def _canonical(df: pd.DataFrame, path: str) -> dict[str, str]:
    lower = {c.lower().strip(): c for c in df.columns}
    found = {}
    for name, aliases in _ALIASES.items():
        for a in aliases:
            if a in lower:
                found[name] = lower[a]
                break
    for req in ("org_code", "trust_type"):
        if req not in found:
            raise InputError(
                f"missing column {req!r}", file=path, row=1, column=req, hint=f"accepted names: {', '.join(_ALIASES[req])}"
            )
    return found


def _flag(values: pd.Series, path: str, column: str) -> np.ndarray:
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values.astype(str)):
        t = v.strip().lower()
        if t in _YES:
            out[i] = 1.0
        elif t in _NO:
            out[i] = 0.0
        elif t not in ("", "-", "*"):
            raise InputError(f"{v!r} is not a yes/no flag", file=path, row=i + 2, column=column)
    return out


def read_wide(path: str | Path, framework: Framework, df: pd.DataFrame | None = None) -> OversightInputs:
    """Read one wide file into engine inputs (``df``: the file already read as text cells)."""
    path = str(path)
    df = read_table(path) if df is None else df
    cols = _canonical(df, path)
    codes = df[cols["org_code"]].str.strip()
    if (codes == "").any():
        raise InputError("empty organisation code", file=path, row=int(np.flatnonzero((codes == "").to_numpy())[0]) + 2, column=cols["org_code"])
    check_duplicates(df.assign(_code=codes), ["_code"], path)
    orgs = _organisations(df, cols, codes, path, framework)
    missing = MissingReport()
    values = _metric_values(df, codes, path, framework, missing)
    labels = {v for v in _optional(df, cols, "dataset") if v}
    return OversightInputs(
        orgs=orgs,
        values=values,
        flags=_wide_flags(df, cols, codes, path),
        period=_period(df, cols, path),
        files=(path,),
        label=" + ".join(sorted(labels)) or None,
        notes=(missing.summary(),) if len(missing) else (),
    )


def _optional(df: pd.DataFrame, cols: dict[str, str], key: str) -> pd.Series:
    """An optional column's stripped cells, or blanks when the file has no such column."""
    return df[cols[key]].str.strip() if key in cols else pd.Series([""] * len(df))


def _organisations(df: pd.DataFrame, cols: dict[str, str], codes: pd.Series, path: str, framework: Framework) -> pd.DataFrame:
    """One row per trust, with a known type: segmentation is done within a trust type."""
    types = df[cols["trust_type"]].str.strip()
    type_ids = types.map(framework.trust_type_id)
    if type_ids.isna().any():
        i = int(np.flatnonzero(type_ids.isna().to_numpy())[0])
        raise InputError(
            f"unknown trust type {types.iloc[i]!r}", file=path, row=i + 2, column=cols["trust_type"],
            hint="expected one of " + ", ".join(t.label for t in framework.trust_types),
        )
    names = _optional(df, cols, "org_name")
    return pd.DataFrame(
        {
            "org_code": codes,
            "org_name": names.where(names != "", codes),
            "trust_type": type_ids,
            "trust_subtype": _optional(df, cols, "trust_subtype"),
            "region": _optional(df, cols, "region"),
            "icb_code": _optional(df, cols, "icb_code"),
            "icb_name": _optional(df, cols, "icb_name"),
        }
    )


def _metric_values(df: pd.DataFrame, codes: pd.Series, path: str, framework: Framework, missing: MissingReport) -> pd.DataFrame:
    """The long table of values from the metric columns; an unknown metric column is an error, not ignored."""
    name = Path(path).name
    score_only = {m.score_id: m.id for m in framework.metrics if m.scoring.score_is_input}
    raw_ids = set(framework.metric_ids)
    units = {m.group(1).upper(): c for c in df.columns if (m := _UNIT_COL.match(c))}
    parts = []
    for c in df.columns:
        if not _METRIC_COL.match(c):
            continue
        mid = c.upper()
        if mid not in raw_ids and mid not in score_only:
            raise InputError(
                f"unknown metric column {c!r}", file=path, row=1, column=c,
                hint=f"{framework.id} scores raw values {', '.join(sorted(raw_ids)[:4])}... and score-only {', '.join(sorted(score_only))}",
            )
        values = to_number(df[c], path, c, missing)
        unit = df[units[mid]].str.strip().str.lower().to_numpy() if mid in units else np.full(len(df), "", dtype=object)
        ok = ~np.isnan(values)
        parts.append(
            pd.DataFrame(
                {
                    "org_code": codes[ok].to_numpy(),
                    "metric_id": score_only.get(mid, mid),
                    "value": values[ok],
                    "unit": unit[ok],
                    "tie_rank": np.nan,
                    "source": [f"{name}:row {i + 2}" for i in np.flatnonzero(ok)],
                }
            )
        )
    if not parts:
        raise InputError("no metric columns (OF0013, OF0003, ...)", file=path, row=1)
    return pd.concat(parts, ignore_index=True)


def _wide_flags(df: pd.DataFrame, cols: dict[str, str], codes: pd.Series, path: str) -> pd.DataFrame:
    """The financial and recovery-support flags, blank when the file has no such column."""
    name = Path(path).name
    flags = pd.DataFrame({"org_code": codes})
    for key, col in (("financial_flag", "financial"), ("recovery_support", "rsp")):
        if key in cols:
            flags[f"{col}_flag"] = _flag(df[cols[key]], path, cols[key])
            flags[f"{col}_source"] = [f"{name}:row {i + 2}" for i in range(len(df))]
        else:
            flags[f"{col}_flag"] = np.nan
            flags[f"{col}_source"] = None
    return flags


def _period(df: pd.DataFrame, cols: dict[str, str], path: str) -> str | None:
    """The file's one quarter, if it names one: several quarters in one wide file is an error."""
    if "quarter" not in cols:
        return None
    quarters = {q for q in _optional(df, cols, "quarter") if q}
    if len(quarters) > 1:
        raise InputError(f"several quarters in one file: {', '.join(sorted(quarters))}", file=path, column=cols["quarter"])
    return str(Quarter.parse(quarters.pop())) if quarters else None
