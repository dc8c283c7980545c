"""Reader for NHS England's Cancer Waiting Times (CWT) provider extract.

The extract holds three standards, one row per month x provider x standard x route x treatment
modality x cancer type:

* ``28-day FDS`` (Faster Diagnosis Standard): routes urgent suspected cancer, breast symptomatic
  (cancer not suspected) and screening; no modality;
* ``31-day Combined``: first and subsequent treatments;
* ``62-day Combined``: urgent suspected cancer, breast symptomatic, screening and consultant
  upgrade routes.

For the 31- and 62-day standards each route appears twice, cut two ways: by cancer type (modality
``ALL MODALITIES``) and by modality (cancer type ``ALL CANCERS``). Summing both cuts would count
every patient twice; the tidy table marks the cut in ``cut`` so that definitions pick one.
Shared patients are counted as halves (0.5), as published.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.sources.common import MissingReport
from nhs_oversight.sources.editions import edition_of
from nhs_oversight.sources.layout import (
    frame_below,
    locate_header,
    month_column,
    no_duplicates,
    numbers,
    read_grid,
    text_column,
)

KIND = "cwt"

COLUMNS = [
    "period", "org_code", "standard", "route", "modality", "cancer_type", "cut",
    "total", "within_standard", "breaches", "file", "line",
]  # fmt: skip

ALIASES: dict[str, list[str]] = {
    "period": ["PERIOD", "Month", "Period start"],
    "org_code": ["ORG CODE", "Provider Code", "ODS Code", "Org_Code"],
    "standard": ["STANDARD", "Standard"],
    "route": ["STAGE/ROUTE", "Stage/Route", "Route", "Referral Route", "Stage"],
    "modality": ["TREATMENT MODALITY", "Modality"],
    "cancer_type": ["CANCER TYPE", "Cancer Type", "Suspected Cancer or Tumour Type"],
    "total": ["TOTAL TREATED", "TOTAL", "Total", "Total Told", "Total treated"],
    "within_standard": ["WITHIN STANDARD", "Within Standard", "Within 28 days", "Within 62 days", "Within 31 days"],
    "breaches": ["BREACHES", "After standard", "Breaches"],
}  # fmt: skip

REQUIRED = ["period", "org_code", "standard", "route", "cancer_type", "total", "within_standard"]

#: Canonical standard codes keyed by normalised text.
STANDARDS = {"28dayfds": "FDS28", "fds": "FDS28", "28day": "FDS28", "31daycombined": "D31", "31day": "D31",
             "62daycombined": "D62", "62day": "D62"}  # fmt: skip

#: Canonical route codes keyed by normalised text (the extract mixes cases between standards).
ROUTES = {
    "urgentsuspectedcancer": "usc",
    "breastsymptomatic": "breast_symptomatic",
    "breastsymptomaticcancernotsuspected": "breast_symptomatic",
    "screening": "screening",
    "nationalscreeningprogramme": "screening",
    "consultantupgrade": "consultant_upgrade",
    "firsttreatment": "first_treatment",
    "subsequenttreatment": "subsequent_treatment",
}

ALL_MODALITIES = "ALL MODALITIES"
ALL_CANCERS = "ALL CANCERS"


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def read_cwt(path: str | Path, missing: MissingReport | None = None) -> pd.DataFrame:
    """Read the CWT provider extract into a tidy table.

    Returns
    -------
    DataFrame with :data:`COLUMNS`. ``standard`` is ``FDS28``, ``D31`` or ``D62``; ``route`` a code
    (``usc``, ``breast_symptomatic``, ``screening``, ``consultant_upgrade``, ``first_treatment``,
    ``subsequent_treatment``); ``cut`` is ``by_cancer_type`` (modality all), ``by_modality``
    (cancer type all), ``total`` (both all, in editions that print a route total) or ``fds``
    (the 28-day standard, which has no modality).

    Raises
    ------
    InputError
        Unknown standard or route, totals that are not within + breaches, duplicate rows.
    """
    grid = read_grid(path)
    header = locate_header(grid, ALIASES, REQUIRED, kind="Cancer Waiting Times")
    p = grid.path
    df = frame_below(grid, header, key="org_code")
    if df.empty:
        raise InputError("no data rows below the header", file=p, row=header.line)
    counts = [c for c in ("total", "within_standard", "breaches") if c in df.columns]
    numbers(df, counts, p, header.labels, missing)
    if "breaches" not in df.columns:
        df["breaches"] = df["total"] - df["within_standard"]
    df["period"] = month_column(df, "period", p, header.labels["period"])
    df["org_code"] = text_column(df, "org_code").str.upper()
    df["standard"] = _coded(df, "standard", STANDARDS, p, header.labels)
    df["route"] = _coded(df, "route", ROUTES, p, header.labels)
    modality = text_column(df, "modality") if "modality" in df.columns else pd.Series("", index=df.index)
    df["modality"] = modality.where(modality != "", None)
    df["cancer_type"] = text_column(df, "cancer_type")
    all_modalities = modality.str.upper().eq(ALL_MODALITIES).to_numpy()
    all_cancers = df["cancer_type"].str.upper().eq(ALL_CANCERS).to_numpy()
    df["cut"] = np.select(
        [df["standard"].eq("FDS28").to_numpy(), all_modalities & all_cancers, all_modalities, all_cancers],
        ["fds", "total", "by_cancer_type", "by_modality"],
        default="other",
    )
    _check_arithmetic(df, p, header.labels)
    no_duplicates(
        df.assign(modality=df["modality"].fillna("")),
        ["period", "org_code", "standard", "route", "modality", "cancer_type"],
        p, header.labels["cancer_type"],
    )
    df["file"] = Path(p).name
    out = df[COLUMNS].reset_index(drop=True)
    out.attrs.update(kind=KIND, edition=edition_of(p), warnings=[])
    return out


def _coded(df: pd.DataFrame, col: str, codes: dict[str, str], path: str, labels: dict[str, str]) -> pd.Series:
    raw = text_column(df, col)
    lookup = {t: codes.get(_key(t)) for t in raw.unique()}
    mapped = raw.map(lookup)
    unknown = mapped.isna().to_numpy()
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        raise InputError(
            f"unknown {col} {raw.iloc[i]!r}", file=path, row=int(df["line"].iloc[i]), column=labels[col],
            hint="expected one of: " + ", ".join(sorted(set(codes.values()))),
        )
    return mapped


def _check_arithmetic(df: pd.DataFrame, path: str, labels: dict[str, str]) -> None:
    """Total = within standard + breaches (to the half patient), and within <= total."""
    t, w, b = (df[c].to_numpy() for c in ("total", "within_standard", "breaches"))
    known = ~(np.isnan(t) | np.isnan(w) | np.isnan(b))
    bad = known & (np.abs(t - w - b) > 1e-6)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"total {t[i]:g} is not within standard {w[i]:g} + breaches {b[i]:g}",
            file=path, row=int(df["line"].iloc[i]), column=labels.get("total", "total"),
        )
    over = ~np.isnan(t) & ~np.isnan(w) & (w > t + 1e-6)
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise InputError(
            f"within standard {w[i]:g} exceeds the total {t[i]:g}",
            file=path, row=int(df["line"].iloc[i]), column=labels["within_standard"],
        )
