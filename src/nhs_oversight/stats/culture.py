"""Culture and safety signals from the NHS Staff Survey (statistics.md sections 2 and 4).

Organisation level: for each survey year and measure, a funnel plot of trusts within their
benchmarking group (proportions on the arcsine scale, additive over-dispersion from Winsorised
z-scores), a ranked watch list in plain English, and each trust's annual values with 95 %
intervals (three or so annual points are too few for SPC, which needs at least 13).

Department level (a trust's own breakdown by department or staff group and ethnicity):
hotspots by a funnel across the trust's departments, BME-White gaps with Newcombe and Katz
intervals and Benjamini-Hochberg control of the false discovery rate, Monte Carlo stability
(seeded), suppression of cells under 11 respondents, and WRES relative likelihoods when
workforce counts are supplied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from nhs_oversight.errors import OptionError
from nhs_oversight.stats.culture_departments import gaps, hotspots, wres
from nhs_oversight.stats.culture_measures import (
    COMPARE_WITHIN,
    SURVEY_MEASURES,
    TREND_NOTE,
    band_words,
    concern,
    measure_of,
)
from nhs_oversight.stats.funnel import FunnelResult, funnel
from nhs_oversight.stats.wres import SUPPRESS_BELOW, newcombe_difference, wilson_interval

# --------------------------------------------------------------------------- organisation level


@dataclass(frozen=True)
class CultureSignals:
    """Organisation-level results.

    Attributes
    ----------
    outliers : one row per trust x measure (of the chosen year): value, comparator, limits,
        band, z-scores, ``concern`` (0, 1 = beyond 95 %, 2 = beyond 99.8 %) and ``reason``.
    watchlist : one row per trust with at least one concerning flag, ranked (most 99.8 % flags
        first, then most 95 % flags, then the largest adjusted z), with all reasons.
    trend : every trust x measure x year: percent with a 95 % Wilson interval, change from the
        previous year with a Newcombe interval, and a note on why SPC is not used.
    dispersion : phi and tau^2 of each funnel (measure x comparison group).
    funnels : the funnel results themselves, keyed by (measure, comparison group), for charts.
    meta : method and choices.
    """

    outliers: pd.DataFrame
    watchlist: pd.DataFrame
    trend: pd.DataFrame
    dispersion: pd.DataFrame
    funnels: dict[tuple[str, str], FunnelResult] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


def culture_signals(
    organisations: pd.DataFrame,
    values: pd.DataFrame,
    *,
    year: int | None = None,
    measures: list[str] | None = None,
    compare_within: str = "benchmarking_group",
    trusts_only: bool = True,
    overdispersion: str = "additive",
    min_units: int = 5,
) -> CultureSignals:
    """Funnel-plot outliers, a watch list and annual trends for staff-survey measures.

    Parameters
    ----------
    organisations, values : from :func:`nhs_oversight.sources.staff_survey.read_staff_survey`.
    year : survey year for outliers and the watch list (default: the latest).
    measures : measure keys (default: those of
        :data:`~nhs_oversight.stats.culture_measures.SURVEY_MEASURES` present in the data).
    compare_within : ``benchmarking_group`` (default: trusts are compared with trusts of their
        own kind, as the survey's benchmark reports do) or ``national`` (all trusts together).
    trusts_only : leave out CCGs, ICBs, CSUs and social enterprises.
    overdispersion : passed to :func:`~nhs_oversight.stats.funnel.funnel`.
    min_units : comparison groups with fewer organisations are not plotted.

    Returns
    -------
    CultureSignals
    """
    if compare_within not in COMPARE_WITHIN:
        raise OptionError(f"compare within {compare_within!r}? choose benchmarking_group or national")
    orgs = organisations.copy()
    if trusts_only:
        orgs = orgs[orgs["is_trust"]]
    measures = _chosen_measures(values, measures)
    years, year = _chosen_year(orgs, year)

    data = values[values["measure"].isin(measures)].merge(
        orgs[["org_code", "year", "org_name", "benchmarking_group", "region"]], on=["org_code", "year"]
    )
    data["comparison_group"] = data["benchmarking_group"] if compare_within == "benchmarking_group" else "All trusts"
    outliers, dispersion, funnels = _year_funnels(data[data["year"] == year], overdispersion, min_units)
    return CultureSignals(
        outliers=outliers,
        watchlist=_watchlist(outliers),
        trend=_trend(data),
        dispersion=dispersion,
        funnels=funnels,
        meta={
            "year": year,
            "years_available": years,
            "compare_within": compare_within,
            "trusts_only": trusts_only,
            "overdispersion": overdispersion,
            "method": (
                "funnel plot per measure and comparison group: weighted % on the arcsine scale with"
                " the survey base as n, target = the group's base-weighted %, additive random effects"
                " from 10% Winsorised z-scores (tau^2, DerSimonian-Laird); flags beyond 95% and 99.8%"
            ),
            "caveat": (
                "weighted percentages are treated as if from simple random samples of the base;"
                " the over-dispersion term absorbs part of the design effect"
            ),
            "trend_note": TREND_NOTE.format(n=len(years)),
        },
    )


def _chosen_measures(values: pd.DataFrame, measures: list[str] | None) -> list[str]:
    """The measures asked for (default: the known ones in the file); one not in the file is an error."""
    available = set(values["measure"].unique())
    if measures is None:
        measures = [k for k in SURVEY_MEASURES if k in available]
    unknown = [m for m in measures if m not in available]
    if unknown:
        raise OptionError(f"measure {unknown[0]!r} is not in the file; it has: {', '.join(sorted(available))}")
    return measures


def _chosen_year(orgs: pd.DataFrame, year: int | None) -> tuple[list[int], int]:
    """The survey years in the file and the one asked for (default: the latest)."""
    years = sorted(int(y) for y in orgs["year"].unique())
    if not years:
        raise OptionError("no organisations to compare (is the file empty of trusts?)")
    if year is None:
        year = years[-1]
    elif year not in years:
        raise OptionError(f"year {year} is not in the file; it has {', '.join(map(str, years))}")
    return years, year


def _year_funnels(
    data: pd.DataFrame, overdispersion: str, min_units: int
) -> tuple[pd.DataFrame, pd.DataFrame, dict[tuple[str, str], FunnelResult]]:
    rows, disp, results = [], [], {}
    usable = data[(data["base"] > 0) & data["percent"].notna()]
    for (measure, grp), part in usable.groupby(["measure", "comparison_group"], sort=True):
        if len(part) < min_units:
            continue
        n = part["base"].to_numpy(dtype=float)
        x = part["percent"].to_numpy(dtype=float) / 100 * n
        if x.sum() <= 0 or x.sum() >= n.sum():
            continue
        res = funnel(x, n, labels=part["org_code"].to_numpy(), overdispersion=overdispersion)
        results[(measure, grp)] = res
        pts = res.points
        m = measure_of(measure, SURVEY_MEASURES)
        frame = pd.DataFrame({
            "org_code": part["org_code"].to_numpy(),
            "org_name": part["org_name"].to_numpy(),
            "year": part["year"].to_numpy(),
            "measure": measure,
            "measure_label": m.label,
            "family": m.family,
            "higher_is_worse": m.higher_is_worse,
            "comparison_group": grp,
            "base": n,
            "percent": part["percent"].to_numpy(),
            "expected_percent": res.meta["target"] * 100,
            "lcl95": pts["lcl95"].to_numpy() * 100,
            "ucl95": pts["ucl95"].to_numpy() * 100,
            "lcl998": pts["lcl998"].to_numpy() * 100,
            "ucl998": pts["ucl998"].to_numpy() * 100,
            "z": pts["z"].to_numpy(),
            "z_adjusted": pts["z_adjusted"].to_numpy(),
            "band": pts["band"].to_numpy(),
            "band_code": pts["band_code"].to_numpy(),
        })
        frame["concern"] = concern(frame["band_code"].to_numpy(), np.full(len(frame), m.higher_is_worse))
        frame["reason"] = [
            f"{m.label} {p:.1f}% vs {e:.1f}% expected for {round(b):,} respondents: {band_words(c)}"
            for p, e, b, c in zip(frame["percent"], frame["expected_percent"], frame["base"],
                                  frame["band_code"], strict=True)
        ]
        rows.append(frame)
        disp.append({"measure": measure, "comparison_group": grp, "organisations": len(part),
                     "target_percent": res.meta["target"] * 100, "phi": res.phi, "tau2": res.tau2,
                     "adjusted": res.meta["applied"]})
    outliers = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return outliers, pd.DataFrame(disp), results


def _watchlist(outliers: pd.DataFrame) -> pd.DataFrame:
    cols = ["rank", "org_code", "org_name", "comparison_group", "flags_998", "flags_95", "max_abs_z", "reasons"]
    if outliers.empty:
        return pd.DataFrame(columns=cols)
    flagged = outliers[outliers["concern"] > 0].copy()
    if flagged.empty:
        return pd.DataFrame(columns=cols)
    flagged["abs_z"] = flagged["z_adjusted"].abs()
    flagged = flagged.sort_values(["concern", "abs_z"], ascending=[False, False])
    grouped = flagged.groupby(["org_code", "org_name", "comparison_group"], sort=False)
    out = grouped.agg(
        flags_998=("concern", lambda c: int((c == 2).sum())),
        flags_95=("concern", lambda c: int((c == 1).sum())),
        max_abs_z=("abs_z", "max"),
        reasons=("reason", "; ".join),
    ).reset_index()
    out = out.sort_values(["flags_998", "flags_95", "max_abs_z"], ascending=False).reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out[cols]


def _trend(data: pd.DataFrame) -> pd.DataFrame:
    d = data.sort_values(["org_code", "measure", "year"]).reset_index(drop=True)
    n = d["base"].to_numpy(dtype=float)
    x = d["percent"].to_numpy(dtype=float) / 100 * n
    lo, hi = wilson_interval(x, n)
    same = np.r_[False, (d["org_code"].to_numpy()[1:] == d["org_code"].to_numpy()[:-1])
                 & (d["measure"].to_numpy()[1:] == d["measure"].to_numpy()[:-1])]
    prev_x = np.r_[np.nan, x[:-1]]
    prev_n = np.r_[np.nan, n[:-1]]
    change = newcombe_difference(x, n, prev_x, prev_n)
    higher_worse = d["measure"].map(lambda k: measure_of(k, SURVEY_MEASURES).higher_is_worse).to_numpy(dtype=bool)
    sig = same & change.excludes_null
    direction = np.where(change.estimate > 0, 1, -1) * np.where(higher_worse, 1, -1)
    years_per_org = d.groupby(["org_code", "measure"])["year"].transform("count").to_numpy()
    return pd.DataFrame({
        "org_code": d["org_code"],
        "org_name": d["org_name"],
        "measure": d["measure"],
        "year": d["year"],
        "base": n,
        "percent": d["percent"],
        "lower95": lo * 100,
        "upper95": hi * 100,
        "change_points": np.where(same, change.estimate * 100, np.nan),
        "change_lower95": np.where(same, change.lower * 100, np.nan),
        "change_upper95": np.where(same, change.upper * 100, np.nan),
        "change": np.where(~same, "", np.where(~sig, "no significant change",
                                               np.where(direction > 0, "significantly worse", "significantly better"))),
        "note": [TREND_NOTE.format(n=int(k)) for k in years_per_org],
    })


# --------------------------------------------------------------------------- department level


@dataclass(frozen=True)
class DepartmentSignals:
    """Department-level results for one or more trusts.

    Attributes
    ----------
    hotspots : one row per trust x unit x measure: respondents, percent, the trust-wide %,
        adjusted funnel limits, ``status`` (hotspot / watch / none / suppressed) and
        ``p_hotspot`` (Monte Carlo probability of lying above the 99.8 % limit).
    gaps : one row per trust x unit x measure: White and BME percentages, the difference
        (BME - White) with a Newcombe interval, the ratio with a Katz interval, p and
        Benjamini-Hochberg q values, ``p_gap_positive`` = P(BME % > White %), and ``status``.
    wres : relative likelihoods (indicators 2-4, from workforce counts) and survey indicators
        (5-8), per trust, with intervals.
    funnels : the hotspot funnel results keyed by (org_code, unit_type, measure), for charts.
    meta : method, seed, draws, suppression threshold.
    """

    hotspots: pd.DataFrame
    gaps: pd.DataFrame
    wres: pd.DataFrame
    funnels: dict[tuple[str, str, str], FunnelResult] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


def department_signals(
    survey: pd.DataFrame,
    workforce: pd.DataFrame | None = None,
    *,
    seed: int = 20240401,
    draws: int = 2000,
    fdr_level: float = 0.05,
    suppress_below: int = SUPPRESS_BELOW,
) -> DepartmentSignals:
    """Hotspots, ethnic gaps and WRES relative likelihoods inside trusts.

    Parameters
    ----------
    survey : long table from :func:`nhs_oversight.sources.culture_detail.read_culture_detail`:
        ``org_code``, ``unit``, ``unit_type``, ``ethnicity`` (White / BME), ``measure``,
        ``yes``, ``base``.
    workforce : optional ``org_code``, ``unit``, ``ethnicity`` and counts ``headcount``,
        ``disciplinary``, ``cpd``, ``shortlisted``, ``appointed`` (any present).
    seed, draws : Monte Carlo settings (Jeffreys Beta draws); the seed is reported.
    fdr_level : Benjamini-Hochberg level for the gap flags.
    suppress_below : cells with fewer respondents are "suppressed" (default 11).

    Returns
    -------
    DepartmentSignals
    """
    rng = np.random.default_rng(seed)
    spots, funnels = hotspots(survey, rng, draws, suppress_below)
    return DepartmentSignals(
        hotspots=spots,
        gaps=gaps(survey, rng, draws, fdr_level, suppress_below, ["org_code", "unit_type", "unit"]),
        wres=wres(survey, workforce, suppress_below),
        funnels=funnels,
        meta={
            "seed": seed,
            "draws": draws,
            "fdr_level": fdr_level,
            "suppress_below": suppress_below,
            "method": (
                "hotspots: funnel across the trust's units on the arcsine scale, target = trust-wide %,"
                " additive random effects from 10% Winsorised z (hotspot above the 99.8% limit, watch"
                " above 95%); gaps: BME - White with Newcombe hybrid score and Katz ratio intervals,"
                " flagged when the interval excludes no difference and the Benjamini-Hochberg q value"
                f" is below {fdr_level}; P(hotspot) and P(gap > 0) from {draws} Jeffreys Beta draws"
                f" (seed {seed}) with the limits held fixed"
            ),
        },
    )


