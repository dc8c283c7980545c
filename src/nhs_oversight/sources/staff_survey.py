"""Reader for the NHS Staff Survey organisational results file (one row per organisation-year).

The file pairs a ``<measure>_base`` column (respondents answering) with one or more
``<measure>..._rate`` columns (weighted percentage, 0-100); ``*_response_rate`` columns are
shares of all respondents (0-1) and are not measures. It covers every organisation that ran the
survey: trusts, but also CCGs, ICBs, CSUs and social enterprises; the ``Benchmarking group``
column says which. The merged file's ``Region`` / ``ICS/STP`` / ``ICS`` columns hold different
things in different years, so the reader works out which cell is the NHS England region.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.sources.common import (
    MissingReport,
    check_duplicates,
    read_csv,
    require_columns,
    to_number,
)

ID_COLUMNS = {
    "ODS code": "org_code",
    "Year": "year",
    "Organisation name": "org_name",
    "Benchmarking group": "benchmarking_group",
}
REQUIRED = tuple(ID_COLUMNS)

#: Benchmarking groups that are NHS trusts (the others are commissioners, CSUs, social enterprises).
TRUST_GROUPS = frozenset({
    "Acute and Acute & Community Trusts",
    "Acute Specialist Trusts",
    "Ambulance Trusts",
    "Community Trusts",
    "Mental Health & Learning Disability and Mental Health, Learning Disability & Community Trusts",
})

NHS_REGIONS = frozenset({
    "East of England", "London", "Midlands", "North East and Yorkshire", "North West",
    "South East", "South West",
})


@dataclass
class StaffSurveyResults:
    """The file, tidied.

    Attributes
    ----------
    organisations : one row per organisation-year: ``org_code``, ``year``, ``org_name``,
        ``benchmarking_group``, ``is_trust``, ``region``, ``ics``, ``weighting``, ``respondents``
        and ``row`` (the file line it came from).
    values : long table, one row per organisation-year-measure: ``org_code``, ``year``,
        ``measure`` (the rate column without ``_rate``), ``base`` (respondents), ``percent``
        (0-100, weighted where the file says so) and ``row``.
    missing : suppressed or blank cells read as missing.
    """

    path: str
    organisations: pd.DataFrame
    values: pd.DataFrame
    missing: MissingReport = field(default_factory=MissingReport)

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.organisations["year"].unique())

    @property
    def measures(self) -> list[str]:
        return sorted(self.values["measure"].unique())


def measure_columns(columns: list[str]) -> dict[str, str]:
    """Map each percentage column to its base column (the longest ``<stem>_base`` it extends).

    Examples
    --------
    >>> measure_columns(["Stress_base", "Stress_rate", "Religion_base", "Religion_None_rate",
    ...                  "Stress_response_rate"])
    {'Stress_rate': 'Stress_base', 'Religion_None_rate': 'Religion_base'}
    """
    stems = sorted((c[: -len("_base")] for c in columns if c.endswith("_base")), key=len, reverse=True)
    out: dict[str, str] = {}
    for c in columns:
        if not c.endswith("_rate") or c.endswith("_response_rate"):
            continue
        for stem in stems:
            if c.startswith(stem + "_"):
                out[c] = stem + "_base"
                break
    return out


def _region_and_ics(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Pick the region from whichever location column holds an NHS England region name."""
    cols = [c for c in ("Region", "ICS/STP", "ICS") if c in df.columns]
    region = np.full(len(df), "", dtype=object)
    ics = np.full(len(df), "", dtype=object)
    for c in cols:
        v = df[c].str.strip().to_numpy(dtype=object)
        is_region = np.isin(v, list(NHS_REGIONS))
        region = np.where((region == "") & is_region, v, region)
        usable = ~is_region & ~np.isin(v, ["", "-"])
        ics = np.where((ics == "") & usable, v, ics)
    return region, ics


def read_staff_survey(path: str | Path) -> StaffSurveyResults:
    """Read and validate the NHS Staff Survey organisational results file.

    Parameters
    ----------
    path : CSV with ``ODS code``, ``Year``, ``Organisation name``, ``Benchmarking group`` and
        ``<measure>_base`` / ``<measure>_rate`` pairs.

    Returns
    -------
    StaffSurveyResults

    Raises
    ------
    InputError
        Missing columns, no measure pairs, a year or number that is not one, a percentage outside
        0-100, a negative base, or an organisation listed twice in a year (naming file, row and
        column).
    """
    path = str(path)
    df = read_csv(path)
    require_columns(df, REQUIRED, path)
    pairs = measure_columns(list(df.columns))
    if not pairs:
        raise InputError(
            "no measure columns found", file=path, row=1,
            hint="expected pairs such as 'Stress_base' and 'Stress_rate'",
        )
    df = _checked_keys(df, path)
    missing = MissingReport()
    values = _measure_values(df, pairs, path, missing)
    orgs = _organisations(df, path, missing)
    return StaffSurveyResults(path=path, organisations=orgs, values=values, missing=missing)


def _checked_keys(df: pd.DataFrame, path: str) -> pd.DataFrame:
    """Every row names an organisation and a year, once: a blank or repeated key would mislabel a result."""
    if df.empty:
        raise InputError("file has a header but no rows", file=path)
    for col in REQUIRED:
        blank = df[col].str.strip() == ""
        if blank.any():
            raise InputError("blank value", file=path, row=int(np.flatnonzero(blank)[0]) + 2, column=col)
    years = df["Year"].str.strip()
    bad = ~years.str.fullmatch(r"(19|20)\d\d")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{years.iloc[i]!r} is not a year", file=path, row=i + 2, column="Year")
    df["Year"] = years
    df["ODS code"] = df["ODS code"].str.strip().str.upper()
    check_duplicates(df, ["ODS code", "Year"], path)
    return df


def _measure_values(df: pd.DataFrame, pairs: dict[str, str], path: str, missing: MissingReport) -> pd.DataFrame:
    """One row per organisation, year and measure: a percentage and its base, both checked in range."""
    rows = np.arange(len(df)) + 2
    bases: dict[str, np.ndarray] = {}
    for base_col in sorted(set(pairs.values())):
        b = to_number(df[base_col], path, base_col, missing)
        neg = b < 0
        if neg.any():
            i = int(np.flatnonzero(neg)[0])
            raise InputError("a base (number of respondents) cannot be negative", file=path, row=i + 2, column=base_col)
        bases[base_col] = b
    frames = []
    for rate_col, base_col in pairs.items():
        r = to_number(df[rate_col], path, rate_col, missing)
        with np.errstate(invalid="ignore"):
            out_of_range = (r < 0) | (r > 100)
        if out_of_range.any():
            i = int(np.flatnonzero(out_of_range)[0])
            raise InputError(
                f"{r[i]} is not a percentage between 0 and 100", file=path, row=i + 2, column=rate_col
            )
        frames.append(pd.DataFrame({
            "org_code": df["ODS code"].to_numpy(),
            "year": df["Year"].astype(int).to_numpy(),
            "measure": rate_col[: -len("_rate")],
            "base": bases[base_col],
            "percent": r,
            "row": rows,
        }))
    return pd.concat(frames, ignore_index=True)


def _organisations(df: pd.DataFrame, path: str, missing: MissingReport) -> pd.DataFrame:
    """One row per organisation and year, with its group: only trusts are compared with trusts."""
    region, ics = _region_and_ics(df)
    respondents = (to_number(df["Respondents"], path, "Respondents", missing)
                   if "Respondents" in df.columns else np.full(len(df), np.nan))
    orgs = pd.DataFrame({
        "org_code": df["ODS code"].to_numpy(),
        "year": df["Year"].astype(int).to_numpy(),
        "org_name": df["Organisation name"].str.strip().to_numpy(),
        "benchmarking_group": df["Benchmarking group"].str.strip().to_numpy(),
        "region": region,
        "ics": ics,
        "weighting": df["Weighting"].str.strip().to_numpy() if "Weighting" in df.columns else "",
        "respondents": respondents,
        "row": np.arange(len(df)) + 2,
    })
    orgs["is_trust"] = orgs["benchmarking_group"].isin(TRUST_GROUPS)
    return orgs
