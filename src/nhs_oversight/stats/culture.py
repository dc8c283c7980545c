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
from nhs_oversight.stats.funnel import FunnelResult, funnel
from nhs_oversight.stats.wres import (
    SUPPRESS_BELOW,
    WRES_INDICATORS,
    newcombe_difference,
    relative_likelihood,
    suppressed,
    wilson_interval,
)


@dataclass(frozen=True)
class Measure:
    """A staff-survey measure: what it is called, which way is worse, and its family."""

    key: str
    label: str
    higher_is_worse: bool
    family: str


#: Organisation-level measures of the NHS Staff Survey file, by the file's column stem.
#: Question numbers follow the 2021-2023 questionnaires as far as known (not verified against
#: each year's published question list).
SURVEY_MEASURES: dict[str, Measure] = {m.key: m for m in (
    Measure("Emotional_public", "Harassment, bullying or abuse from patients/public", True, "harassment"),
    Measure("Emotional_manager", "Harassment, bullying or abuse from managers", True, "harassment"),
    Measure("Emotional_colleagues", "Harassment, bullying or abuse from other colleagues", True, "harassment"),
    Measure("Physical_public", "Physical violence from patients/public", True, "violence"),
    Measure("Physical_manager", "Physical violence from managers", True, "violence"),
    Measure("Physical_colleagues", "Physical violence from other colleagues", True, "violence"),
    Measure("Discrimination_public", "Discrimination from patients/public", True, "discrimination"),
    Measure("Discrimination_internal", "Discrimination from a manager or colleagues", True, "discrimination"),
    Measure("Burned_out", "Often or always burnt out because of work", True, "wellbeing"),
    Measure("Stress", "Unwell from work-related stress", True, "wellbeing"),
    Measure("Enough_staff", "Enough staff to do my job properly", False, "staffing"),
    Measure("Time_demands_meet", "Able to meet conflicting demands on my time", False, "staffing"),
    Measure("Autonomy", "Autonomy and control (engagement-like)", False, "engagement"),
    Measure("Membership", "Feel a valued member of the team (engagement-like)", False, "engagement"),
    Measure("Mastery_meaning", "Meaningful work / mastery (engagement-like)", False, "engagement"),
)}

#: Department-file measures (columns ``<key>_yes``), with the WRES indicator they correspond to.
DEPARTMENT_MEASURES: dict[str, Measure] = {m.key: m for m in (
    Measure("harassment_public", "Harassment, bullying or abuse from patients/public (WRES 5)", True, "harassment"),
    Measure("harassment_staff", "Harassment, bullying or abuse from staff (WRES 6)", True, "harassment"),
    Measure("career_progression", "Believe the organisation gives equal opportunities for career progression (WRES 7)", False, "equality"),
    Measure("discrimination_staff", "Discrimination from a manager or colleagues (WRES 8)", True, "discrimination"),
)}

COMPARE_WITHIN = ("benchmarking_group", "national")
TREND_NOTE = (
    "{n} annual point(s): SPC needs at least 13 points, so annual values are shown with 95%"
    " intervals and the latest change is tested instead"
)


def _measure(key: str, catalogue: dict[str, Measure]) -> Measure:
    if key in catalogue:
        return catalogue[key]
    return Measure(key, key.replace("_", " "), True, "other")


def _band_words(code: int) -> str:
    return {2: "above the 99.8% limit", 1: "above the 95% limit", -1: "below the 95% limit",
            -2: "below the 99.8% limit", 0: "inside the 95% limits"}[int(code)]


def _concern(code: np.ndarray, higher_is_worse: np.ndarray) -> np.ndarray:
    """Severity of a concerning result: 2 beyond 99.8 %, 1 beyond 95 %, 0 otherwise."""
    oriented = np.where(higher_is_worse, code, -code)
    return np.clip(oriented, 0, 2)


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
    measures : measure keys (default: those of :data:`SURVEY_MEASURES` present in the data).
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
    available = set(values["measure"].unique())
    if measures is None:
        measures = [k for k in SURVEY_MEASURES if k in available]
    unknown = [m for m in measures if m not in available]
    if unknown:
        raise OptionError(f"measure {unknown[0]!r} is not in the file; it has: {', '.join(sorted(available))}")
    years = sorted(int(y) for y in orgs["year"].unique())
    if not years:
        raise OptionError("no organisations to compare (is the file empty of trusts?)")
    if year is None:
        year = years[-1]
    elif year not in years:
        raise OptionError(f"year {year} is not in the file; it has {', '.join(map(str, years))}")

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
        m = _measure(measure, SURVEY_MEASURES)
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
        frame["concern"] = _concern(frame["band_code"].to_numpy(), np.full(len(frame), m.higher_is_worse))
        frame["reason"] = [
            f"{m.label} {p:.1f}% vs {e:.1f}% expected for {round(b):,} respondents: {_band_words(c)}"
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
    higher_worse = d["measure"].map(lambda k: _measure(k, SURVEY_MEASURES).higher_is_worse).to_numpy(dtype=bool)
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
    hotspots, funnels = _hotspots(survey, rng, draws, suppress_below)
    gaps = _gaps(survey, rng, draws, fdr_level, suppress_below, ["org_code", "unit_type", "unit"])
    wres = _wres(survey, workforce, suppress_below)
    return DepartmentSignals(
        hotspots=hotspots,
        gaps=gaps,
        wres=wres,
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


def _beta_draws(rng: np.random.Generator, x: np.ndarray, n: np.ndarray, draws: int) -> np.ndarray:
    a = np.asarray(x, dtype=float)[:, None] + 0.5
    b = np.asarray(n, dtype=float)[:, None] - np.asarray(x, dtype=float)[:, None] + 0.5
    return rng.beta(np.broadcast_to(a, (len(a), draws)), np.broadcast_to(b, (len(b), draws)))


def _hotspots(
    survey: pd.DataFrame, rng: np.random.Generator, draws: int, suppress_below: int
) -> tuple[pd.DataFrame, dict[tuple[str, str, str], FunnelResult]]:
    results = {}
    units = survey.groupby(["org_code", "unit_type", "unit", "measure"], sort=True, dropna=False)[["yes", "base"]].sum(min_count=1).reset_index()
    out = []
    for key, part in units.groupby(["org_code", "unit_type", "measure"], sort=True):
        measure = key[2]
        m = _measure(measure, DEPARTMENT_MEASURES)
        part = part.reset_index(drop=True)
        n = part["base"].to_numpy(dtype=float)
        x = part["yes"].to_numpy(dtype=float)
        hidden = suppressed(n, suppress_below)
        frame = part[["org_code", "unit_type", "unit", "measure"]].copy()
        frame["measure_label"] = m.label
        frame["respondents"] = n
        with np.errstate(invalid="ignore", divide="ignore"):
            frame["percent"] = np.where(hidden, np.nan, x / n * 100)
        trust_pct = np.nansum(x) / np.nansum(n) * 100 if np.nansum(n) > 0 else np.nan
        frame["trust_percent"] = trust_pct
        for col in ("lcl95", "ucl95", "lcl998", "ucl998", "z_adjusted", "p_hotspot"):
            frame[col] = np.nan
        frame["band"] = np.where(hidden, "suppressed", "")
        frame["status"] = np.where(hidden, "suppressed", "too few units")
        shown = ~hidden
        if shown.sum() >= 3 and 0 < np.nansum(x[shown]) < np.nansum(n[shown]):
            res = funnel(x[shown], n[shown], labels=part["unit"].to_numpy()[shown],
                         target=trust_pct / 100, overdispersion="additive")
            results[key] = res
            p = res.points
            for col in ("lcl95", "ucl95", "lcl998", "ucl998"):
                frame.loc[shown, col] = p[col].to_numpy() * 100
            frame.loc[shown, "z_adjusted"] = p["z_adjusted"].to_numpy()
            frame.loc[shown, "band"] = p["band"].to_numpy()
            severity = _concern(p["band_code"].to_numpy(), np.full(int(shown.sum()), m.higher_is_worse))
            frame.loc[shown, "status"] = np.select([severity == 2, severity == 1], ["hotspot", "watch"], "none")
            sims = _beta_draws(rng, x[shown], n[shown], draws)
            if m.higher_is_worse:
                frame.loc[shown, "p_hotspot"] = (sims > p["ucl998"].to_numpy()[:, None]).mean(axis=1)
            else:
                frame.loc[shown, "p_hotspot"] = (sims < p["lcl998"].to_numpy()[:, None]).mean(axis=1)
        out.append(frame)
    return (pd.concat(out, ignore_index=True) if out else pd.DataFrame()), results


def _pivot_ethnicity(survey: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    summed = survey.groupby([*keys, "measure", "ethnicity"], sort=True, dropna=False)[["yes", "base"]].sum(min_count=1)
    wide = summed.unstack("ethnicity")
    wide.columns = [f"{a}_{b}" for a, b in wide.columns]
    for col in ("yes_White", "base_White", "yes_BME", "base_BME"):
        if col not in wide.columns:
            wide[col] = np.nan
    return wide.reset_index()


def _gaps(
    survey: pd.DataFrame, rng: np.random.Generator, draws: int, fdr_level: float,
    suppress_below: int, keys: list[str],
) -> pd.DataFrame:
    from nhs_oversight.stats.funnel import benjamini_hochberg

    w = _pivot_ethnicity(survey, keys)
    xw, nw = w["yes_White"].to_numpy(dtype=float), w["base_White"].to_numpy(dtype=float)
    xb, nb = w["yes_BME"].to_numpy(dtype=float), w["base_BME"].to_numpy(dtype=float)
    hidden = suppressed(nw, suppress_below) | suppressed(nb, suppress_below)
    diff = newcombe_difference(xb, nb, xw, nw)
    ratio = relative_likelihood(xb, nb, xw, nw)
    p = np.where(hidden, np.nan, diff.p_value)
    q = np.full(len(w), np.nan)
    family = w.groupby([k for k in keys if k != "unit"] + ["measure"], sort=False).ngroup().to_numpy()
    for f in np.unique(family):  # FDR across the units of a trust, separately for each measure
        sel = family == f
        q[sel] = benjamini_hochberg(p[sel])
    flagged = ~hidden & diff.excludes_null & (q < fdr_level)
    higher_worse = w["measure"].map(lambda k: _measure(k, DEPARTMENT_MEASURES).higher_is_worse).to_numpy(dtype=bool)
    bme_worse = np.where(higher_worse, diff.estimate > 0, diff.estimate < 0)
    prob = np.full(len(w), np.nan)
    ok = ~hidden
    if ok.any():
        prob[ok] = (_beta_draws(rng, xb[ok], nb[ok], draws) > _beta_draws(rng, xw[ok], nw[ok], draws)).mean(axis=1)

    def masked(a: np.ndarray) -> np.ndarray:
        return np.where(hidden, np.nan, a)

    out = w[[*keys, "measure"]].copy()
    out["measure_label"] = out["measure"].map(lambda k: _measure(k, DEPARTMENT_MEASURES).label)
    out["respondents_white"] = nw
    out["respondents_bme"] = nb
    with np.errstate(invalid="ignore", divide="ignore"):
        out["percent_white"] = masked(xw / nw * 100)
        out["percent_bme"] = masked(xb / nb * 100)
    out["difference_points"] = masked(diff.estimate * 100)
    out["difference_lower95"] = masked(diff.lower * 100)
    out["difference_upper95"] = masked(diff.upper * 100)
    out["ratio"] = masked(ratio.estimate)
    out["ratio_lower95"] = masked(ratio.lower)
    out["ratio_upper95"] = masked(ratio.upper)
    out["p_value"] = p
    out["q_value"] = q
    out["p_gap_positive"] = prob
    out["status"] = np.select(
        [hidden, flagged & bme_worse, flagged & ~bme_worse],
        ["suppressed", "gap: BME staff worse off", "gap: White staff worse off"],
        "no clear gap",
    )
    return out


def _wres(survey: pd.DataFrame, workforce: pd.DataFrame | None, suppress_below: int) -> pd.DataFrame:
    rows = []
    survey_codes = {"harassment_public": 5, "harassment_staff": 6, "career_progression": 7, "discrimination_staff": 8}
    trust = _pivot_ethnicity(survey, ["org_code"])
    for _, r in trust.iterrows():
        ind = survey_codes.get(r["measure"])
        if ind is None:
            continue
        hidden = bool(suppressed(r["base_White"], suppress_below) or suppressed(r["base_BME"], suppress_below))
        d = newcombe_difference(r["yes_BME"], r["base_BME"], r["yes_White"], r["base_White"])
        rows.append({
            "org_code": r["org_code"], "indicator": ind,
            "description": _measure(r["measure"], DEPARTMENT_MEASURES).label,
            "white_numerator": r["yes_White"], "white_denominator": r["base_White"],
            "bme_numerator": r["yes_BME"], "bme_denominator": r["base_BME"],
            "statistic": "BME % - White % (points)",
            "estimate": np.nan if hidden else float(d.estimate) * 100,
            "lower95": np.nan if hidden else float(d.lower) * 100,
            "upper95": np.nan if hidden else float(d.upper) * 100,
            "status": "suppressed" if hidden else ("significant" if bool(d.excludes_null) else "not significant"),
        })
    if workforce is not None and not workforce.empty:
        counts = workforce.groupby(["org_code", "ethnicity"], sort=True).sum(numeric_only=True, min_count=1)
        for org in counts.index.get_level_values(0).unique():
            c = counts.loc[org]
            if not {"White", "BME"} <= set(c.index):
                continue
            specs = {2: ("appointed", "shortlisted"), 3: ("disciplinary", "headcount"), 4: ("cpd", "headcount")}
            for ind, (num, den) in specs.items():
                if num not in c.columns or den not in c.columns:
                    continue
                first, second, text = WRES_INDICATORS[ind]
                a, n1 = c.at[first, num], c.at[first, den]
                b, n2 = c.at[second, num], c.at[second, den]
                if any(pd.isna(v) for v in (a, n1, b, n2)):
                    continue
                hidden = bool(suppressed(n1, suppress_below) or suppressed(n2, suppress_below))
                rl = relative_likelihood(a, n1, b, n2)
                white = (a, n1) if first == "White" else (b, n2)
                bme = (b, n2) if first == "White" else (a, n1)
                rows.append({
                    "org_code": org, "indicator": ind, "description": text,
                    "white_numerator": white[0], "white_denominator": white[1],
                    "bme_numerator": bme[0], "bme_denominator": bme[1],
                    "statistic": f"relative likelihood ({first} / {second})",
                    "estimate": np.nan if hidden else float(rl.estimate),
                    "lower95": np.nan if hidden else float(rl.lower),
                    "upper95": np.nan if hidden else float(rl.upper),
                    "status": "suppressed" if hidden else (
                        "significant" if bool(rl.excludes_null) else "not significant"),
                })
    out = pd.DataFrame(rows)
    return out.sort_values(["org_code", "indicator"]).reset_index(drop=True) if not out.empty else out
