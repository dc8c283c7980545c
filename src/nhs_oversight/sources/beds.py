"""Reader for NHS England's bed availability and occupancy situation report (monthly averages).

Long layout (``Period, Level, Region, ICB, Org Code, Org Name, Metric, Type, Value``): national,
region, ICB and provider rows. Wide layouts (one column per measure) are melted into the same
shape. Rates published in the file (occupancy) are kept, but definitions recompute them from the
bed counts so that aggregation over months and organisations stays exact.
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
    norm,
    numbers,
    read_grid,
    text_column,
)

KIND = "beds"

COLUMNS = ["period", "level", "org_code", "org_name", "region", "icb", "measure", "metric", "type", "value", "file", "line"]

LONG_ALIASES: dict[str, list[str]] = {
    "period": ["Period", "Month", "Date"],
    "level": ["Level", "Geography level"],
    "region": ["Region", "Region Name"],
    "icb": ["ICB", "ICB Name"],
    "org_code": ["Org Code", "Organisation Code", "Provider Code", "Code"],
    "org_name": ["Org Name", "Organisation Name", "Name"],
    "metric": ["Metric", "Measure"],
    "type": ["Type"],
    "value": ["Value"],
}

#: Known measures: canonical id -> the published metric name.
MEASURES = {
    "ga_beds_available": "G&A beds available",
    "ga_core_beds_available": "G&A core beds available",
    "ga_escalation_beds_available": "G&A escalation beds available",
    "ga_covid_void_beds": "G&A covid void beds",
    "ga_beds_occupied": "G&A beds occupied",
    "ga_occupancy_rate": "G&A occupancy rate",
    "adult_ga_beds_available": "Adult G&A beds available",
    "adult_ga_beds_occupied": "Adult G&A beds occupied",
    "paediatric_ga_beds_available": "Paediatric G&A beds available",
    "paediatric_ga_beds_occupied": "Paediatric G&A beds occupied",
    "adult_critical_care_beds_available": "Adult critical care beds available",
    "adult_critical_care_beds_occupied": "Adult critical care beds occupied",
    "ga_beds_occupied_los_7plus": "Number of G&A beds occupied by patients with a length of stay of - 7 or more days",
    "ga_beds_occupied_los_14plus": "Number of G&A beds occupied by patients with a length of stay of - 14 or more days",
    "ga_beds_occupied_los_21plus": "Number of G&A beds occupied by patients with a length of stay of - 21 or more days",
}
_BY_NORM = {norm(v): k for k, v in MEASURES.items()}
_NOT_APPLICABLE = "[z]"


def measure_id(metric_name: str) -> str:
    """A short id for a published metric name (known names get a fixed id; others a slug)."""
    known = _BY_NORM.get(norm(metric_name))
    if known:
        return known
    return re.sub(r"[^a-z0-9]+", "_", metric_name.lower()).strip("_")


def read_beds(path: str | Path, missing: MissingReport | None = None) -> pd.DataFrame:
    """Read a beds sitrep file into a long tidy table (one row per organisation x measure).

    Returns
    -------
    DataFrame with :data:`COLUMNS`. ``level`` is ``National``, ``Region``, ``ICB`` or ``Provider``;
    ``measure`` is a short id (see :data:`MEASURES`); ``value`` NaN where the cell was suppressed.
    """
    grid = read_grid(path)
    if _is_wide(grid):
        df, labels = _melt_wide(grid)
    else:
        header = locate_header(grid, LONG_ALIASES, ["org_code", "metric", "value"], kind="beds sitrep")
        df = frame_below(grid, header, key="org_code")
        labels = header.labels
    p = grid.path
    if df.empty:
        raise InputError("no data rows", file=p)
    numbers(df, ["value"], p, labels, missing)
    if "period" in df.columns:
        df["period"] = month_column(df, "period", p, labels["period"])
    else:
        month = month_from_name(p)
        if month is None:
            raise InputError("no period column and no month in the file name", file=p)
        df["period"] = pd.Timestamp(month)
    for c in ("level", "region", "icb", "org_name", "type"):
        df[c] = text_column(df, c).replace(_NOT_APPLICABLE, "") if c in df.columns else ""
    df["level"] = df["level"].replace("", "Provider")
    df["org_code"] = text_column(df, "org_code").str.upper()
    df["metric"] = text_column(df, "metric")
    df["measure"] = df["metric"].map(measure_id)
    no_duplicates(df, ["period", "level", "org_code", "measure", "type"], p, labels.get("metric", "metric"))
    df["file"] = Path(p).name
    out = df[COLUMNS].reset_index(drop=True)
    out.attrs.update(kind=KIND, edition=edition_of(p), warnings=[])
    return out


def _is_wide(grid: Grid) -> bool:
    codes = {norm(a) for a in LONG_ALIASES["org_code"]}
    for row in grid.rows[:20]:
        keys = {norm(c) for c in row}
        if norm(MEASURES["ga_beds_available"]) in keys and keys & codes:
            return True
    return False


def _melt_wide(grid: Grid) -> tuple[pd.DataFrame, dict[str, str]]:
    """One column per measure (older editions) -> the long layout."""
    aliases = {k: v for k, v in LONG_ALIASES.items() if k not in ("metric", "value")}
    aliases |= {f"m:{k}": [v] for k, v in MEASURES.items()}
    header = locate_header(grid, aliases, ["org_code", "m:ga_beds_available"], kind="beds sitrep (wide)")
    df = frame_below(grid, header, key="org_code")
    measures = [c for c in df.columns if c.startswith("m:")]
    keep = [c for c in df.columns if c not in measures]
    long = df.melt(id_vars=keep, value_vars=measures, var_name="metric", value_name="value")
    long["metric"] = long["metric"].map(lambda m: MEASURES[m[2:]])
    long = long.sort_values(["line", "metric"], kind="stable").reset_index(drop=True)
    labels = dict(header.labels) | {"value": "measure columns", "metric": "measure columns"}
    long["line"] = long["line"].astype(np.int64)
    return long, labels
