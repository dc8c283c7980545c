"""Reader for NHS England's league-table CSV (average score, likely ranges, deficit flag, rank)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.frameworks.model import Framework
from nhs_oversight.sources.common import check_duplicates, read_csv, require_columns, to_number

REQUIRED = ["Trust_code", "Average_score", "Segment", "Rank"]
_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(-?\d+(?:\.\d+)?)\s*$")

#: Published fields added by this reader (besides the framework's OF5002 / OF5000).
LIKELY_FIELDS = ("LT_average_low", "LT_average_high", "LT_rank_low", "LT_rank_high")


def looks_like_league_table(df: pd.DataFrame) -> bool:
    return {"Trust_code", "Average_score", "Segment"} <= set(df.columns)


def _ranges(values: pd.Series, path: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    lo = np.full(len(values), np.nan)
    hi = np.full(len(values), np.nan)
    for i, v in enumerate(values.astype(str)):
        t = v.strip()
        if t in ("", "-", "*"):
            continue
        m = _RANGE.match(t)
        if not m:
            raise InputError(f"{t!r} is not a range like '1.45 - 1.62'", file=path, row=i + 2, column=column)
        lo[i], hi[i] = float(m.group(1)), float(m.group(2))
    return lo, hi


def read_league_table(path: str | Path, framework: Framework) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return (orgs, published figures, flags) from one league-table CSV."""
    path = str(path)
    df = read_csv(path)
    require_columns(df, REQUIRED, path)
    codes = df["Trust_code"].str.strip()
    check_duplicates(df.assign(Trust_code=codes), ["Trust_code"], path)
    name = Path(path).name
    src = np.array([f"{name}:row {i + 2}" for i in range(len(df))], dtype=object)
    avg = to_number(df["Average_score"], path, "Average_score")
    seg = to_number(df["Segment"], path, "Segment")
    rank = to_number(df["Rank"], path, "Rank")
    ids = framework.summary_ids
    fields = [(ids.average_score, avg, np.full(len(df), np.nan)), (ids.adjusted_segment, seg, rank)]
    if "Likely_range_of_average_score" in df.columns:
        lo, hi = _ranges(df["Likely_range_of_average_score"], path, "Likely_range_of_average_score")
        fields += [("LT_average_low", lo, np.full(len(df), np.nan)), ("LT_average_high", hi, np.full(len(df), np.nan))]
    if "Likely_range_of_rank" in df.columns:
        lo, hi = _ranges(df["Likely_range_of_rank"], path, "Likely_range_of_rank")
        fields += [("LT_rank_low", lo, np.full(len(df), np.nan)), ("LT_rank_high", hi, np.full(len(df), np.nan))]
    published = pd.concat(
        [
            pd.DataFrame({"org_code": codes.to_numpy(), "field": f, "value": v, "rank": r, "source": src})[~np.isnan(v)]
            for f, v, r in fields
        ],
        ignore_index=True,
    )
    flags = pd.DataFrame({"org_code": codes.to_numpy()})
    if "Trust_in_financial_deficit" in df.columns:
        vals = df["Trust_in_financial_deficit"].str.strip().str.lower()
        bad = ~vals.isin(["yes", "no", ""])
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"{df['Trust_in_financial_deficit'].iloc[i]!r} is not Yes or No", file=path, row=i + 2, column="Trust_in_financial_deficit")
        flags["financial_flag"] = vals.map({"yes": 1.0, "no": 0.0}).astype(float).to_numpy()
        flags["financial_source"] = src
    type_ids = df["Trust_type"].str.strip().map(framework.trust_type_id) if "Trust_type" in df.columns else pd.Series([None] * len(df))
    orgs = pd.DataFrame(
        {
            "org_code": codes,
            "org_name": df["Trust_name"].str.strip() if "Trust_name" in df.columns else codes,
            "trust_type": type_ids,
            "trust_subtype": df["Trust_subtype"].str.strip() if "Trust_subtype" in df.columns else "",
            "region": df["Region"].str.strip() if "Region" in df.columns else "",
            "icb_code": "",
            "icb_name": "",
        }
    )
    return orgs, published, flags
