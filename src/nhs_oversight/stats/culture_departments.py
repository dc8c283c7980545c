"""Department-level culture signals inside a trust: hotspots, BME-White gaps and WRES indicators.

Cells under the suppression threshold are shown as suppressed, never as figures; Monte Carlo
probabilities use seeded Jeffreys Beta draws with the limits held fixed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nhs_oversight.stats.culture_measures import DEPARTMENT_MEASURES, concern, measure_of
from nhs_oversight.stats.funnel import FunnelResult, benjamini_hochberg, funnel
from nhs_oversight.stats.wres import (
    WRES_INDICATORS,
    newcombe_difference,
    relative_likelihood,
    suppressed,
)


def _beta_draws(rng: np.random.Generator, x: np.ndarray, n: np.ndarray, draws: int) -> np.ndarray:
    a = np.asarray(x, dtype=float)[:, None] + 0.5
    b = np.asarray(n, dtype=float)[:, None] - np.asarray(x, dtype=float)[:, None] + 0.5
    return rng.beta(np.broadcast_to(a, (len(a), draws)), np.broadcast_to(b, (len(b), draws)))


def hotspots(
    survey: pd.DataFrame, rng: np.random.Generator, draws: int, suppress_below: int
) -> tuple[pd.DataFrame, dict[tuple[str, str, str], FunnelResult]]:
    """Each unit against its trust-wide % by a funnel across the trust's units: hotspot, watch or none."""
    results = {}
    units = survey.groupby(["org_code", "unit_type", "unit", "measure"], sort=True, dropna=False)[["yes", "base"]].sum(min_count=1).reset_index()
    out = []
    for key, part in units.groupby(["org_code", "unit_type", "measure"], sort=True):
        measure = key[2]
        m = measure_of(measure, DEPARTMENT_MEASURES)
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
            severity = concern(p["band_code"].to_numpy(), np.full(int(shown.sum()), m.higher_is_worse))
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


def gaps(
    survey: pd.DataFrame, rng: np.random.Generator, draws: int, fdr_level: float,
    suppress_below: int, keys: list[str],
) -> pd.DataFrame:
    """BME - White differences and ratios per unit, flagged under Benjamini-Hochberg control per trust and measure."""
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
    higher_worse = w["measure"].map(lambda k: measure_of(k, DEPARTMENT_MEASURES).higher_is_worse).to_numpy(dtype=bool)
    bme_worse = np.where(higher_worse, diff.estimate > 0, diff.estimate < 0)
    prob = np.full(len(w), np.nan)
    ok = ~hidden
    if ok.any():
        prob[ok] = (_beta_draws(rng, xb[ok], nb[ok], draws) > _beta_draws(rng, xw[ok], nw[ok], draws)).mean(axis=1)

    def masked(a: np.ndarray) -> np.ndarray:
        return np.where(hidden, np.nan, a)

    out = w[[*keys, "measure"]].copy()
    out["measure_label"] = out["measure"].map(lambda k: measure_of(k, DEPARTMENT_MEASURES).label)
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


def wres(survey: pd.DataFrame, workforce: pd.DataFrame | None, suppress_below: int) -> pd.DataFrame:
    """WRES indicators per trust: 5-8 from the survey, 2-4 (relative likelihoods) from workforce counts."""
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
            "description": measure_of(r["measure"], DEPARTMENT_MEASURES).label,
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
