"""Reader for a trust's own staff-survey breakdown by department or staff group and ethnicity.

Layout (one row per organisation x unit x ethnicity group; documented with the example file in
``nhs_oversight/data/examples/README.md``):

``org_code``, ``unit``, ``unit_type`` (optional: department / staff group), ``ethnicity``
(White / BME; unknown or not stated rows are left out, as WRES does), ``respondents``, one
``<measure>_yes`` column per measure (people answering yes / at least once) with an optional
``<measure>_base`` when fewer people answered that question, and optional workforce counts
``headcount``, ``disciplinary``, ``cpd``, ``shortlisted``, ``appointed`` for WRES indicators 2-4.
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

REQUIRED = ("org_code", "unit", "ethnicity", "respondents")
WORKFORCE_COLUMNS = ("headcount", "disciplinary", "cpd", "shortlisted", "appointed")
#: (numerator, denominator) pairs among the workforce counts.
WORKFORCE_PAIRS = (("disciplinary", "headcount"), ("cpd", "headcount"), ("appointed", "shortlisted"))

_WHITE = {"white", "white british", "all white"}
_BME = {"bme", "bame", "black and minority ethnic", "black and minority ethnic (bme)", "ethnic minority",
        "minority ethnic", "global majority", "non-white"}
_UNKNOWN = {"unknown", "not stated", "not known", "prefer not to say", "missing", ""}


@dataclass
class CultureDetail:
    """The file, tidied.

    Attributes
    ----------
    survey : long table ``org_code``, ``unit_type``, ``unit``, ``ethnicity``, ``respondents``,
        ``measure``, ``yes``, ``base``, ``row``.
    workforce : ``org_code``, ``unit_type``, ``unit``, ``ethnicity`` and the workforce counts
        present, or None when the file has none.
    excluded_rows : file rows left out because ethnicity was unknown or not stated.
    synthetic : True when a ``source`` column says the data are SYNTHETIC.
    """

    path: str
    survey: pd.DataFrame
    workforce: pd.DataFrame | None
    missing: MissingReport = field(default_factory=MissingReport)
    excluded_rows: list[int] = field(default_factory=list)
    synthetic: bool = False

    @property
    def measures(self) -> list[str]:
        return sorted(self.survey["measure"].unique())


def _ethnicity(values: pd.Series, path: str) -> tuple[np.ndarray, np.ndarray]:
    low = values.str.strip().str.lower()
    out = np.where(low.isin(_WHITE), "White", np.where(low.isin(_BME), "BME", ""))
    unknown = low.isin(_UNKNOWN).to_numpy()
    bad = (out == "") & ~unknown
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"ethnicity {values.iloc[i]!r} is not White or BME", file=path, row=i + 2, column="ethnicity",
            hint="use White or BME; rows marked Unknown or Not stated are left out",
        )
    return out, unknown


def _counts(df: pd.DataFrame, col: str, path: str, missing: MissingReport) -> np.ndarray:
    x = to_number(df[col], path, col, missing)
    with np.errstate(invalid="ignore"):
        bad = (x < 0) | (np.abs(x - np.round(x)) > 1e-9)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{df[col].iloc[i]!r} is not a count (a whole number of people, 0 or more)",
                         file=path, row=i + 2, column=col)
    return x


def _not_above(part: np.ndarray, whole: np.ndarray, path: str, part_col: str, whole_col: str) -> None:
    with np.errstate(invalid="ignore"):
        bad = part > whole
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{part_col} ({part[i]:g}) is more than {whole_col} ({whole[i]:g})",
                         file=path, row=i + 2, column=part_col)


def read_culture_detail(path: str | Path) -> CultureDetail:
    """Read and validate a department- or staff-group-level staff-survey file.

    Raises
    ------
    InputError
        Missing columns, no ``*_yes`` measure, ethnicity other than White/BME/unknown, counts
        that are negative, fractional or larger than their base, or a repeated
        org_code/unit_type/unit/ethnicity (naming file, row and column).
    """
    path = str(path)
    df = read_csv(path)
    require_columns(df, REQUIRED, path)
    measures = [c[: -len("_yes")] for c in df.columns if c.endswith("_yes")]
    if not measures:
        raise InputError("no measure columns found", file=path, row=1,
                         hint="add one '<measure>_yes' column per question, e.g. harassment_staff_yes")
    if df.empty:
        raise InputError("file has a header but no rows", file=path)
    if "unit_type" not in df.columns:
        df["unit_type"] = "department"
    for col in ("org_code", "unit", "unit_type"):
        df[col] = df[col].str.strip()
        blank = df[col] == ""
        if blank.any():
            raise InputError("blank value", file=path, row=int(np.flatnonzero(blank)[0]) + 2, column=col)
    df["org_code"] = df["org_code"].str.upper()
    ethnicity, unknown = _ethnicity(df["ethnicity"], path)
    df["ethnicity"] = ethnicity
    excluded = [int(i) + 2 for i in np.flatnonzero(unknown)]
    missing = MissingReport()
    respondents = _counts(df, "respondents", path, missing)
    keep = ~unknown
    check_duplicates(df[keep], ["org_code", "unit_type", "unit", "ethnicity"], path)
    survey = _survey(df, measures, respondents, keep, path, missing)
    workforce = _workforce(df, keep, path, missing)
    synthetic = "source" in df.columns and df["source"].str.upper().str.contains("SYNTHETIC").any()
    return CultureDetail(path=path, survey=survey, workforce=workforce, missing=missing,
                         excluded_rows=excluded, synthetic=bool(synthetic))


def _survey(df: pd.DataFrame, measures: list[str], respondents: np.ndarray, keep: np.ndarray, path: str, missing: MissingReport) -> pd.DataFrame:
    """One row per unit, ethnicity and measure: yes answers out of a base, never more than the base."""
    kept = df[keep].reset_index(drop=True)
    rows = np.flatnonzero(keep) + 2
    frames = []
    for m in measures:
        yes = _counts(df, f"{m}_yes", path, missing)
        base = _counts(df, f"{m}_base", path, missing) if f"{m}_base" in df.columns else respondents
        _not_above(yes, base, path, f"{m}_yes", f"{m}_base" if f"{m}_base" in df.columns else "respondents")
        if f"{m}_base" in df.columns:
            _not_above(base, respondents, path, f"{m}_base", "respondents")
        frames.append(pd.DataFrame({
            "org_code": kept["org_code"], "unit_type": kept["unit_type"], "unit": kept["unit"],
            "ethnicity": kept["ethnicity"], "respondents": respondents[keep],
            "measure": m, "yes": yes[keep], "base": base[keep], "row": rows,
        }))
    return pd.concat(frames, ignore_index=True)


def _workforce(df: pd.DataFrame, keep: np.ndarray, path: str, missing: MissingReport) -> pd.DataFrame | None:
    """The workforce counts per unit, when the file has them; a part never exceeds its whole."""
    present = [c for c in WORKFORCE_COLUMNS if c in df.columns]
    if not present:
        return None
    counts = {c: _counts(df, c, path, missing) for c in present}
    for num, den in WORKFORCE_PAIRS:
        if num in counts and den in counts:
            _not_above(counts[num], counts[den], path, num, den)
    workforce = df[keep].reset_index(drop=True)[["org_code", "unit_type", "unit", "ethnicity"]].copy()
    for c in present:
        workforce[c] = counts[c][keep]
    return workforce
