"""What the culture command shows, chosen from the signals: views, one funnel, notes on a file.

Pure: reads the results of :mod:`nhs_oversight.stats.culture` and the survey tables, never
files. A choice that cannot be made raises :class:`~nhs_oversight.errors.OptionError` naming
the option to give.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from nhs_oversight.errors import OptionError

ORG_VIEWS = ("watchlist", "outliers", "trend", "dispersion")
DEPARTMENT_VIEWS = ("hotspots", "gaps", "wres")


def filter_org(table: pd.DataFrame, org: str | None) -> pd.DataFrame:
    """Only one organisation's rows (a table without ``org_code`` is returned whole)."""
    if org is None or table.empty or "org_code" not in table.columns:
        return table
    return table[table["org_code"] == org.strip().upper()]


def comparison_within(compare: str) -> str:
    """``benchmarking_group`` or ``national``, from the words a user may give."""
    if compare == "national":
        return "national"
    if compare in ("benchmarking_group", "benchmarking-group", "group"):
        return "benchmarking_group"
    raise OptionError(f"--compare {compare!r}? choose benchmarking_group or national")


def organisation_views(signals: Any, org: str | None) -> dict[str, pd.DataFrame]:
    """Every organisation view, filtered to ``org`` when given."""
    tables = {name: filter_org(getattr(signals, name), org) for name in ORG_VIEWS}
    tables["outliers"] = tables["outliers"].drop(columns=["band_code"], errors="ignore")
    return tables


def organisation_funnel(signals: Any, organisations: pd.DataFrame, measure: list[str] | None, org: str | None,
                        compare_within: str) -> tuple[Any, str]:
    """The funnel a chart draws, and its title: one measure, in the organisation's comparison group."""
    if not measure or len(measure) != 1:
        raise OptionError("a chart shows one measure: give exactly one --measure")
    year = signals.meta["year"]
    groups = [g for (m, g) in signals.funnels if m == measure[0]]
    if org:
        code = org.strip().upper()
        mine = organisations[(organisations["org_code"] == code) & (organisations["year"] == year)]
        if mine.empty:
            raise OptionError(f"organisation {code} is not in the {year} results")
        grp = mine["benchmarking_group"].iloc[0] if compare_within == "benchmarking_group" else "All trusts"
    elif len(groups) == 1:
        grp = groups[0]
    else:
        raise OptionError("several comparison groups: add --org CODE to pick the one to draw, or --compare national")
    if (measure[0], grp) not in signals.funnels:
        raise OptionError(f"no funnel for {measure[0]} in {grp}")
    return signals.funnels[(measure[0], grp)], f"{measure[0]}, {grp}, {year}"


def department_notes(detail: Any, path: Any) -> list[str]:
    """What a user should know about a department file: invented numbers, rows left out, gaps."""
    notes = []
    if detail.synthetic:
        notes.append(f"{path} is marked SYNTHETIC: invented numbers, not real NHS data")
    if detail.excluded_rows:
        notes.append(f"{len(detail.excluded_rows)} row(s) with unknown ethnicity left out (rows {', '.join(map(str, detail.excluded_rows[:10]))})")
    if detail.missing:
        notes.append(detail.missing.summary())
    return notes


def department_survey(detail: Any, measure: list[str] | None) -> pd.DataFrame:
    """The department file's survey rows, only the measures asked for (each must be in the file)."""
    survey = detail.survey
    if measure:
        unknown = [m for m in measure if m not in detail.measures]
        if unknown:
            raise OptionError(f"measure {unknown[0]!r} is not in the file; it has {', '.join(detail.measures)}")
        survey = survey[survey["measure"].isin(measure)]
    return survey


def department_funnel(signals: Any, org: str | None, measure: list[str] | None) -> tuple[Any, str]:
    """The one funnel a department chart draws (one trust, one measure), and its title."""
    keys = [k for k in signals.funnels if (not org or k[0] == org.strip().upper()) and (not measure or k[2] in measure)]
    if len(keys) != 1:
        raise OptionError("a chart shows one trust and one measure: add --org CODE and one --measure")
    return signals.funnels[keys[0]], f"{keys[0][2]} by {keys[0][1]}, {keys[0][0]}"


def department_views(signals: Any, org: str | None) -> dict[str, pd.DataFrame]:
    """Every department view, filtered to ``org`` when given."""
    return {name: filter_org(getattr(signals, name), org) for name in DEPARTMENT_VIEWS}
