"""Reader for NHS England's Referral to Treatment (RTT) provider files, weekly bands.

One reader for the three provider layouts that share the same shape (organisation x treatment
function x weekly bands): completed admitted pathways, completed non-admitted pathways and
incomplete pathways (the waiting list). The tidy result is long: one row per organisation,
treatment function and weekly band, so that any threshold (18, 52, 65, 78 weeks) is a filter.

Facts the reader relies on, each checked on every file read:

* bands are contiguous from 0 weeks to an open-ended last band (``104 plus``);
* sub-total columns, when present (``wait_0_18``, ``wait_19_52``, ``wait_52_plus``) equal the sum
  of their bands;
* the pathway total is never below the sum of the bands. It can be above it: the excess is
  patients with an unknown clock start date, kept as the band ``unknown_clock_start``;
* the ``C_999`` (Total) treatment function equals the sum of the other functions, band by band.

Some mirrored editions carry shifted labels on the columns after the bands (the column labelled
``median_wait`` holds the totals). When the labelled total fails the checks and exactly one other
summary column passes them, that column is used and a warning says so (``df.attrs['warnings']``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.sources.common import MissingReport
from nhs_oversight.sources.editions import edition_of
from nhs_oversight.sources.layout import (
    Grid,
    frame_below,
    locate_header,
    month_column,
    month_from_name,
    no_duplicates,
    numbers,
    parse_month,
    read_grid,
    text_column,
)

KIND = "rtt"
PATHWAYS = ("admitted", "non_admitted", "incomplete")
TOTAL_FUNCTION = "C_999"
UNKNOWN_BAND = "unknown_clock_start"

COLUMNS = [
    "period", "org_code", "org_name", "region_code", "treatment_function_code",
    "treatment_function_name", "is_total_function", "pathway", "band", "week_from", "week_to",
    "patients", "file", "line",
]  # fmt: skip

ALIASES: dict[str, list[str]] = {
    "region_code": ["Region_Code", "Region Code", "Provider Parent Org Code", "Parent Org Code"],
    "org_code": ["Provider_Code", "Provider Code", "Provider Org Code", "Org Code", "Organisation Code"],
    "org_name": ["Provider_Name", "Provider Name", "Provider Org Name", "Org Name"],
    "tf_code": ["Treatment_Function_Code", "Treatment Function Code", "TFC"],
    "tf_name": ["Treatment_Function_Name", "Treatment_Function", "Treatment Function Name", "Treatment Function"],
    "period": ["Time_Period", "Period", "Month"],
    "total_completed": [
        "completed_pathways", "Total number of completed pathways",
        "Total number of completed pathways (all)", "Total completed pathways",
    ],
    "total_incomplete": [
        "incomplete_pathways", "Total number of incomplete pathways",
        "Total number of incomplete pathways (all)", "Total incomplete pathways", "Total waiting list",
    ],
    "total_any": ["Total", "Total All", "Total (all)", "Total pathways"],
    "unknown_clock_start": [
        "Patients with unknown clock start date", "unknown_clock_start", "Unknown clock start",
    ],
    "wait_0_18": ["wait_0_18", "Within 18 weeks", "Total within 18 weeks"],
    "wait_18_52": ["wait_19_52", "wait_18_52"],
    "wait_52_plus": ["wait_52_plus", "Over 52 weeks", "Total 52 plus weeks", "52 plus weeks"],
    "median": ["median_wait", "Average (median) waiting time (in weeks)", "Median waiting time"],
    "percentile": [
        "percentile_95", "percentile_92", "95th percentile waiting time (in weeks)",
        "92nd percentile waiting time (in weeks)",
    ],
}  # fmt: skip

REQUIRED = ["org_code", "tf_code"]
SUMMARY = ("total_completed", "total_incomplete", "total_any", "median", "percentile")
SUBTOTALS = {"wait_0_18": (0, 18), "wait_18_52": (18, 52), "wait_52_plus": (52, None)}

_RANGE = [
    re.compile(r"^>?\s*(\d+)\s*-\s*(\d+)(?:\s*weeks?)?$", re.I),
    re.compile(r"^gt\s*(\d+)\s*to\s*(\d+)\s*weeks?\b.*$", re.I),
]
_OPEN = [
    re.compile(r"^(\d+)\s*(?:plus|\+)(?:\s*weeks?)?$", re.I),
    re.compile(r"^>\s*(\d+)(?:\s*weeks?)?$", re.I),
    re.compile(r"^gt\s*(\d+)\s*weeks?\b.*$", re.I),
]


def band_of(label: str) -> tuple[int, int | None] | None:
    """Weeks ``(from, to)`` of a band header (``>0-1``, ``Gt 00 To 01 Weeks SUM 1``, ``104 plus``)."""
    t = label.strip()
    for rx in _RANGE:
        m = rx.match(t)
        if m:
            return int(m.group(1)), int(m.group(2))
    for rx in _OPEN:
        m = rx.match(t)
        if m:
            return int(m.group(1)), None
    return None


def read_rtt(
    path: str | Path, missing: MissingReport | None = None, pathway: str | None = None
) -> pd.DataFrame:
    """Read one RTT provider file into the long tidy table.

    Parameters
    ----------
    path : the CSV file.
    missing : collects suppressed or blank cells (read as missing, never zero). RTT files print an
        empty band as ``-``; the row totals show those bands hold no patients, so sums that skip
        them are exact.
    pathway : ``admitted``, ``non_admitted`` or ``incomplete``; by default read from the total
        column's label, the title rows or the file name.

    Returns
    -------
    DataFrame with :data:`COLUMNS`. ``week_to`` is NaN for the open-ended band and both weeks are
    NaN for ``unknown_clock_start``. ``df.attrs``: ``kind``, ``edition``, ``warnings``.
    """
    grid = read_grid(path)
    header = locate_header(grid, ALIASES, REQUIRED, kind="RTT provider")
    p = grid.path
    row = grid.rows[header.index]
    bands = [(j, band_of(c), c.strip()) for j, c in enumerate(row) if band_of(c)]
    if not bands:
        raise InputError(
            "no weekly band columns (such as '>0-1' or 'Gt 00 To 01 Weeks SUM 1')",
            file=p, row=header.line, hint="is this an RTT provider file?",
        )
    _check_contiguous(bands, p, header.line)
    band_cols = [f"b{k}" for k in range(len(bands))]
    df = frame_below(grid, header, key="org_code", extra={c: b[0] for c, b in zip(band_cols, bands, strict=True)})
    if df.empty:
        raise InputError("no data rows below the header", file=p, row=header.line)
    labels = dict(header.labels) | {band_cols[k]: b[2] for k, b in enumerate(bands)}
    numbers(df, band_cols, p, labels, missing)
    df = df.copy()  # one block again after 100-odd column conversions
    band_sum = np.nansum(df[band_cols].to_numpy(), axis=1)
    warnings: list[str] = []

    _check_subtotals(df, header, bands, band_cols, band_sum, p, missing)
    unknown = _unknown_clock_start(df, header, band_sum, p, warnings, missing)

    kind_from_total = (
        "incomplete" if "total_incomplete" in header.columns
        else "completed" if "total_completed" in header.columns else None
    )
    path_kind = _pathway(pathway, kind_from_total, grid, header, p)
    period = _period(df, grid, header, p)

    _label_rows(df, period, band_cols, p, header)

    long = _to_long(df, bands, band_cols, unknown, path_kind, Path(p).name)
    long.attrs.update(kind=KIND, edition=edition_of(p), warnings=warnings, pathway=path_kind)
    return long


def _label_rows(df: pd.DataFrame, period: pd.Series, band_cols: list[str], p: str, header) -> None:
    """Name each row by provider, treatment function and month, once each, and mark the all-functions total."""
    df["org_code"] = text_column(df, "org_code").str.upper()
    df["tf_code"] = text_column(df, "tf_code").str.upper()
    for c in ("org_name", "region_code", "tf_name"):
        df[c] = text_column(df, c) if c in df.columns else ""
    df["period"] = period
    no_duplicates(df, ["period", "org_code", "tf_code"], p, header.labels["tf_code"])
    df["is_total_function"] = df["tf_code"].eq(TOTAL_FUNCTION) | df["tf_name"].str.lower().eq("total")
    _check_total_function(df, band_cols, p, header.labels["tf_code"])


def _check_contiguous(bands: list, path: str, line: int) -> None:
    expect = 0
    for j, (lo, hi), label in bands:
        if lo != expect:
            raise InputError(
                f"weekly bands are not contiguous: {label!r} starts at {lo} weeks, expected {expect}",
                file=path, row=line, column=label,
            )
        if hi is None:
            if (j, (lo, hi), label) != bands[-1]:
                raise InputError("an open-ended band must come last", file=path, row=line, column=label)
            return
        expect = hi
    raise InputError(
        "the last weekly band is not open-ended (such as '104 plus')", file=path, row=line, column=bands[-1][2]
    )


def _check_subtotals(df, header, bands, band_cols, band_sum, path, missing) -> None:
    for canon, (lo, hi) in SUBTOTALS.items():
        if canon not in header.columns:
            continue
        numbers(df, [canon], path, header.labels, missing)
        inside = [c for c, (_, (a, b), _) in zip(band_cols, bands, strict=True) if a >= lo and (hi is None or (b is not None and b <= hi))]
        expected = np.nansum(df[inside].to_numpy(), axis=1)
        got = np.nan_to_num(df[canon].to_numpy())
        bad = np.abs(got - expected) > 0.5
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"sub-total {got[i]:,.0f} differs from its weekly bands, which add up to {expected[i]:,.0f}",
                file=path, row=int(df["line"].iloc[i]), column=header.labels[canon],
            )


def _lenient(values: pd.Series) -> np.ndarray:
    t = values.astype(str).str.strip().str.replace(",", "", regex=False)
    return pd.to_numeric(t.where(~t.isin(["-", ""]), "0"), errors="coerce").to_numpy(dtype=float)


def _unknown_clock_start(df, header, band_sum, path, warnings, missing) -> np.ndarray:
    """Patients with an unknown clock start: an explicit column, else total minus the bands."""
    if "unknown_clock_start" in header.columns:
        numbers(df, ["unknown_clock_start"], path, header.labels, missing)
        return np.nan_to_num(df["unknown_clock_start"].to_numpy())
    labelled = next((c for c in ("total_completed", "total_incomplete", "total_any") if c in header.columns), None)
    if labelled is None:
        return np.zeros(len(df))

    def passes(values: np.ndarray) -> bool:
        return bool((~np.isnan(values) & (values >= band_sum - 0.5)).all())

    def fits_as_total(values: np.ndarray) -> bool:
        # another column is taken for the total only if it also equals the bands in most rows
        return passes(values) and bool((np.abs(values - band_sum) <= 0.5).mean() >= 0.5)

    values = _lenient(df[labelled])
    if not passes(values):
        others = [c for c in SUMMARY if c in header.columns and c != labelled]
        fits = [c for c in others if fits_as_total(_lenient(df[c]))]
        if len(fits) != 1:
            bad = np.isnan(values) | (values < band_sum - 0.5)
            i = int(np.flatnonzero(bad)[0]) if bad.any() else 0
            shown = df[labelled].iloc[i].strip()
            raise InputError(
                f"pathway total {shown!r} is not a number at least the sum of the weekly bands ({band_sum[i]:,.0f})",
                file=path, row=int(df["line"].iloc[i]), column=header.labels[labelled],
            )
        warnings.append(
            f"{Path(path).name}: the column labelled {header.labels[fits[0]]!r} holds the pathway "
            f"totals (the labels after the weekly bands are shifted in this edition); used it"
        )
        values = _lenient(df[fits[0]])
    return np.clip(values - band_sum, 0, None)


def _pathway(explicit, from_total, grid: Grid, header, path) -> str:
    if explicit is not None:
        if explicit not in PATHWAYS:
            raise InputError(f"unknown pathway {explicit!r}; choose one of {', '.join(PATHWAYS)}", file=path)
        return explicit
    words = " ".join([Path(path).stem.lower(), *(" ".join(r).lower() for r in grid.rows[: header.index])])
    words = words.replace("-", "").replace("_", "").replace(" ", "")
    said = (
        "incomplete" if "incomplete" in words
        else "non_admitted" if "nonadmitted" in words
        else "admitted" if "admitted" in words else None
    )
    if from_total == "incomplete" or said == "incomplete":
        if from_total == "completed":
            raise InputError(
                "the file name or title says incomplete pathways but the total column is for completed pathways",
                file=path, row=header.line, column=header.labels["total_completed"],
            )
        return "incomplete"
    if said is None:
        raise InputError(
            "cannot tell whether this RTT file holds admitted, non-admitted or incomplete pathways",
            file=path, hint="put 'admitted', 'nonadmitted' or 'incomplete' in the file name",
        )
    return said


def _period(df, grid: Grid, header, path) -> pd.Series:
    if "period" in header.columns:
        return month_column(df, "period", path, header.labels["period"])
    for r in grid.rows[: header.index]:
        cells = [c.strip() for c in r if c.strip()]
        for k, c in enumerate(cells):
            if c.lower().rstrip(":") == "period" and k + 1 < len(cells) and parse_month(cells[k + 1]):
                return pd.Series(pd.Timestamp(parse_month(cells[k + 1])), index=df.index)
    month = month_from_name(path)
    if month is None:
        raise InputError(
            "no period column, title row or month in the file name", file=path, row=header.line,
            hint="add a Period column or name the file like rtt-incomplete-provider-2025-06.csv",
        )
    return pd.Series(pd.Timestamp(month), index=df.index)


def _check_total_function(df: pd.DataFrame, band_cols: list[str], path: str, label: str) -> None:
    """The Total treatment function must equal the sum of the others, band by band."""
    totals = df[df["is_total_function"]]
    if totals.empty:
        return
    without = set(df["org_code"]) - set(totals["org_code"])
    if without:
        code = sorted(without)[0]
        line = int(df.loc[df["org_code"].eq(code), "line"].iloc[0])
        raise InputError(f"no Total ({TOTAL_FUNCTION}) row for {code}", file=path, row=line, column=label)
    parts = df[~df["is_total_function"]].groupby("org_code")[band_cols].sum(min_count=1).fillna(0)
    whole = totals.set_index("org_code")[band_cols].fillna(0)
    whole = whole[whole.index.isin(parts.index)]  # a provider given only as a Total row has no parts
    diff = (whole - parts.reindex(whole.index)).abs() > 0.5
    if diff.to_numpy().any():
        code = whole.index[diff.any(axis=1).to_numpy()][0]
        line = int(totals.loc[totals["org_code"].eq(code), "line"].iloc[0])
        raise InputError(
            f"the Total row for {code} differs from the sum of its treatment functions",
            file=path, row=line, column=label,
        )


def _to_long(df, bands, band_cols, unknown, pathway, name) -> pd.DataFrame:
    """One row per organisation x function x band; repeated text kept as categories (compact)."""
    n = len(df)
    k = len(bands) + 1

    def repeated(values) -> pd.Categorical:
        codes, uniques = pd.factorize(np.asarray(values, dtype=object))
        return pd.Categorical.from_codes(np.repeat(codes, k), categories=pd.Index(uniques, dtype=object))

    out = pd.DataFrame(
        {
            "period": np.repeat(df["period"].to_numpy(), k),
            "org_code": repeated(df["org_code"]),
            "org_name": repeated(df["org_name"]),
            "region_code": repeated(df["region_code"]),
            "treatment_function_code": repeated(df["tf_code"]),
            "treatment_function_name": repeated(df["tf_name"]),
            "is_total_function": np.repeat(df["is_total_function"].to_numpy(dtype=bool), k),
        }
    )
    labels = [b[2] for b in bands] + [UNKNOWN_BAND]
    week_from = np.array([b[1][0] for b in bands] + [np.nan], dtype=float)
    week_to = np.array([np.nan if b[1][1] is None else b[1][1] for b in bands] + [np.nan], dtype=float)
    counts = np.column_stack([df[band_cols].to_numpy(dtype=float), unknown.astype(float)])
    out["pathway"] = pd.Categorical([pathway] * (n * k), categories=list(PATHWAYS))
    out["band"] = pd.Categorical.from_codes(np.tile(np.arange(k), n), categories=pd.Index(labels, dtype=object))
    out["week_from"] = np.tile(week_from, n)
    out["week_to"] = np.tile(week_to, n)
    out["patients"] = counts.reshape(-1)
    out["file"] = pd.Categorical([name] * (n * k))
    out["line"] = np.repeat(df["line"].to_numpy(), k)
    return out[COLUMNS]
