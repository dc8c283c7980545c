"""Funnel plots for comparing organisations fairly (statistics.md section 2).

Proportions (numerator / denominator) and indirectly standardised ratios (observed / expected),
with 95 % and 99.8 % limits that are exact (interpolated binomial or Poisson quantiles,
Spiegelhalter 2005), normal approximations, or FunnelPlotR's own construction; over-dispersion
by a multiplicative factor phi or an additive random effect tau^2 (DerSimonian-Laird), estimated
from Winsorised or (SHMI-style) truncated z-scores. The result is an object, as in FunnelPlotR:
points with bands and z-scores, a limits table for drawing, outliers, phi, tau^2 and metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from nhs_oversight.errors import OptionError
from nhs_oversight.stats.funnel_dispersion import dispersion
from nhs_oversight.stats.funnel_limits import (
    LIMIT_COLUMNS,
    SCALES,
    Z95,
    Z998,
    Kind,
    Scale,
    adjusted_limits,
    limits_grid,
    unadjusted_limits,
)

Overdispersion = Literal["none", "multiplicative", "additive"]
LimitMethod = Literal["exact", "normal", "funnelplotr"]

BANDS = {
    0: "inside 95%",
    1: "between 95% and 99.8% (high)",
    -1: "between 95% and 99.8% (low)",
    2: "beyond 99.8% (high)",
    -2: "beyond 99.8% (low)",
}


# --------------------------------------------------------------------------- classification


def band_codes(
    value: np.ndarray, lcl95: np.ndarray, ucl95: np.ndarray, lcl998: np.ndarray, ucl998: np.ndarray
) -> np.ndarray:
    """0 inside 95 %, +-1 between 95 % and 99.8 %, +-2 beyond 99.8 % (strictly outside a limit)."""
    v = np.asarray(value, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.select(
            [v > ucl998, v < lcl998, v > ucl95, v < lcl95], [2, -2, 1, -1], 0
        ).astype(np.int8)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN stays NaN."""
    p = np.asarray(p, dtype=float)
    q = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    pv = p[ok]
    m = len(pv)
    if m == 0:
        return q
    order = np.argsort(pv)
    ranked = pv[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(ranked, 1.0)
    q[ok] = out
    return q


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class FunnelResult:
    """Everything a funnel plot shows, and how it was made.

    Attributes
    ----------
    points : one row per unit: ``label``, ``numerator``, ``denominator``, ``value``, ``target``,
        ``z``, ``z_adjusted``, the four limits at the unit's own denominator, ``band``,
        ``outlier_95``, ``outlier_998``, ``p_value``, ``q_value`` (Benjamini-Hochberg).
    limits : the limits over a grid of denominators (for drawing), adjusted and unadjusted.
    phi, tau2 : dispersion ratio and additive between-unit variance (on ``meta['scale']``).
    meta : kind, target, limit method, over-dispersion, scale, robust method, I, whether the
        adjustment was applied, units left out.
    """

    points: pd.DataFrame
    limits: pd.DataFrame
    phi: float
    tau2: float
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def outliers(self) -> pd.DataFrame:
        """Units outside the 95 % limits, most extreme first."""
        out = self.points[self.points["band_code"] != 0]
        return out.reindex(out["z_adjusted"].abs().sort_values(ascending=False).index)


def funnel(
    numerator: Any,
    denominator: Any = None,
    *,
    expected: Any = None,
    labels: Any = None,
    target: float | None = None,
    limits: LimitMethod = "exact",
    overdispersion: Overdispersion = "additive",
    scale: str | None = None,
    robust: str = "winsorise",
    trim: float = 0.1,
    shmi_rounding: bool = False,
    grid_points: int = 200,
) -> FunnelResult:
    """Funnel plot figures for proportions or indirectly standardised ratios.

    Parameters
    ----------
    numerator : counts (events, "yes" answers, observed deaths).
    denominator : population at risk for proportions (leave out for ratios).
    expected : expected counts for standardised ratios (O/E); give this *or* ``denominator``.
    labels : unit names (default 1..n).
    target : proportions: default the pooled ``sum(O) / sum(n)``; ratios: default 1.
    limits : unadjusted limits: ``exact`` (interpolated binomial/Poisson, default), ``normal``,
        or ``funnelplotr`` (arcsine normal for proportions, chi-square for ratios).
    overdispersion : ``none``, ``multiplicative`` (phi, raw scale) or ``additive`` (tau^2,
        default). Applied only when found (phi > 1; tau^2 > 0); ``meta["applied"]`` says.
    scale : scale for the additive model: ``arcsine`` (proportions, default), ``log``
        (ratios, SHMI, default) or ``sqrt`` (ratios, CQC style).
    robust : ``winsorise`` (default), ``truncate`` (SHMI) or ``none``.
    trim : share trimmed at each end (0.1).
    shmi_rounding : round expected counts to 2 d.p. first, as SHMI does.

    Returns
    -------
    FunnelResult

    Examples
    --------
    >>> r = funnel([12, 30, 45], [100, 250, 300], overdispersion="none")
    >>> round(r.meta["target"], 4), list(r.points["band"])
    (0.1338, ['inside 95%', 'inside 95%', 'inside 95%'])
    """
    kind, o, m, lab, excluded = _usable_units(numerator, denominator, expected, labels, shmi_rounding)
    if overdispersion not in ("none", "multiplicative", "additive"):
        raise OptionError(f"unknown over-dispersion {overdispersion!r}; choose none, multiplicative or additive")
    theta0 = _target(kind, o, m, target)
    value = o / m
    sc = _scale(kind, overdispersion, scale)
    t0 = sc.target(theta0)
    y = sc.y(value)
    s = sc.se(m, theta0, kind)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (y - t0) / s
    finite = np.isfinite(z)
    phi, tau2, used = dispersion(z[finite], s[finite], robust, trim)
    applied = _applied(overdispersion, phi, tau2)
    z_adj = _adjusted_z(z, y, t0, s, overdispersion if applied else "none", phi, tau2)

    def limits_at(precision: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        un = unadjusted_limits(kind, limits, precision, theta0)
        adj = adjusted_limits(sc, kind, overdispersion, precision, theta0, phi, tau2) if applied else un
        return un, adj

    points = _points(kind, lab, o, m, value, theta0, z, z_adj, *limits_at(m))
    grid = limits_grid(m, kind, grid_points)
    un_grid, adj_grid = limits_at(grid)
    table = pd.DataFrame({"precision": grid, **{c: adj_grid[c] for c in LIMIT_COLUMNS},
                          **{f"{c}_unadjusted": un_grid[c] for c in LIMIT_COLUMNS}})
    meta = {
        "kind": kind, "target": theta0, "limits": limits, "overdispersion": overdispersion, "applied": applied,
        "scale": sc.name, "robust": robust, "trim": trim, "units": len(o), "units_used_for_dispersion": used,
        "phi": phi, "tau2": tau2, "excluded": excluded, "z95": Z95, "z998": Z998,
        "method": _describe(kind, limits, overdispersion, applied, sc.name, robust, trim),
    }
    return FunnelResult(points=points, limits=table, phi=phi, tau2=tau2, meta=meta)


def _adjusted_z(z: np.ndarray, y: np.ndarray, t0: float, s: np.ndarray, applied: str, phi: float, tau2: float) -> np.ndarray:
    """z-scores after the over-dispersion applied: divided by sqrt(phi), or with tau^2 in the variance."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if applied == "multiplicative":
            return z / np.sqrt(phi)
        if applied == "additive":
            return (y - t0) / np.sqrt(s**2 + tau2)
        return z.copy()


def _usable_units(numerator: Any, denominator: Any, expected: Any, labels: Any, shmi_rounding: bool):
    """The kind of funnel and the units it can show (counts, denominators, labels), and the labels left out."""
    if (denominator is None) == (expected is None):
        raise OptionError("give a denominator (proportions) or expected counts (ratios), not both")
    kind: Kind = "proportion" if denominator is not None else "ratio"
    o_all = np.asarray(numerator, dtype=float)
    m_all = np.asarray(denominator if kind == "proportion" else expected, dtype=float)
    if o_all.shape != m_all.shape:
        raise OptionError("numerator and denominator must have the same length")
    lab_all = (np.arange(1, len(o_all) + 1).astype(str) if labels is None
               else np.asarray(labels, dtype=object))
    if shmi_rounding and kind == "ratio":
        m_all = np.round(m_all, 2)
    usable = ~np.isnan(o_all) & ~np.isnan(m_all) & (m_all > 0) & (o_all >= 0)
    if kind == "proportion":
        usable &= o_all <= m_all
    excluded = [str(x) for x in lab_all[~usable]]
    o, m, lab = o_all[usable], m_all[usable], lab_all[usable]
    if len(o) < 2:
        raise OptionError("a funnel plot needs at least two units with a usable numerator and denominator")
    return kind, o, m, lab, excluded


def _target(kind: Kind, o: np.ndarray, m: np.ndarray, target: float | None) -> float:
    """The target: as given, else the pooled proportion (or 1 for ratios); a proportion inside (0, 1)."""
    if target is None:
        theta0 = float(o.sum() / m.sum()) if kind == "proportion" else 1.0
    else:
        theta0 = float(target)
    if kind == "proportion" and target is None and theta0 in (0.0, 1.0):
        raise OptionError(f"every unit has {'no' if theta0 == 0 else 'only'} events: there is nothing to compare")
    if kind == "proportion" and not 0 < theta0 < 1:
        raise OptionError(f"target proportion must be between 0 and 1, not {theta0}")
    return theta0


def _scale(kind: Kind, overdispersion: str, scale: str | None) -> Scale:
    """The scale of the model: raw for phi; for tau^2 the one asked for, by default arcsine or log."""
    if overdispersion == "multiplicative":
        return Scale("raw")
    name = scale or ("arcsine" if kind == "proportion" else "log")
    if name not in SCALES or (kind == "proportion" and name in ("log", "sqrt")):
        raise OptionError(f"scale {name!r} does not suit {kind}s")
    return Scale(name)


def _applied(overdispersion: str, phi: float, tau2: float) -> bool:
    """Over-dispersion is applied only when found: phi above 1, or tau^2 above 0."""
    if overdispersion == "multiplicative":
        return bool(phi > 1)
    if overdispersion == "additive":
        return bool(tau2 > 0)
    return False


def _points(kind: Kind, lab, o, m, value, theta0, z, z_adj, un_pts, adj_pts) -> pd.DataFrame:
    """One row per unit: value, z-scores, its limits, band, outlier flags, p- and q-values."""
    from scipy.stats import norm

    bands = band_codes(value, adj_pts["lcl95"], adj_pts["ucl95"], adj_pts["lcl998"], adj_pts["ucl998"])
    p_value = 2 * norm.sf(np.abs(z_adj))
    points = pd.DataFrame({
        "label": lab,
        "numerator": o,
        "denominator": m,
        "value": value,
        "target": theta0,
        "z": z,
        "z_adjusted": z_adj,
        **{c: adj_pts[c] for c in LIMIT_COLUMNS},
        **{f"{c}_unadjusted": un_pts[c] for c in LIMIT_COLUMNS},
        "band_code": bands,
        "band": [BANDS[int(b)] for b in bands],
        "outlier_95": bands != 0,
        "outlier_998": np.abs(bands) == 2,
        "p_value": p_value,
        "q_value": benjamini_hochberg(p_value),
    })
    return points.rename(columns={"denominator": "expected"}) if kind == "ratio" else points


def _describe(kind: str, limits: str, od: str, applied: bool, scale: str, robust: str, trim: float) -> str:
    base = {
        "exact": f"exact {'binomial' if kind == 'proportion' else 'Poisson'} limits with interpolation (Spiegelhalter 2005)",
        "normal": "normal approximation limits",
        "funnelplotr": ("arcsine normal limits (FunnelPlotR)" if kind == "proportion"
                        else "chi-square limits (FunnelPlotR)"),
    }[limits]
    if od == "none":
        return base + "; no over-dispersion adjustment"
    how = "multiplicative phi" if od == "multiplicative" else f"additive random effects (tau^2, {scale} scale)"
    robust_words = {"winsorise": f"{trim:.0%} Winsorised", "truncate": f"{trim:.0%} truncated (SHMI)",
                    "none": "untrimmed"}[robust]
    if not applied:
        return f"{base}; {how} from {robust_words} z-scores found no over-dispersion, so none applied"
    return f"{how} from {robust_words} z-scores; limits at 95% and 99.8%"


# --------------------------------------------------------------------------- presentation

#: Columns of ``FunnelResult.points`` (and the limits grid) that are on the scale of the value.
VALUE_COLUMNS = ("value", "target", *LIMIT_COLUMNS, *(f"{c}_unadjusted" for c in LIMIT_COLUMNS))
BETTER = ("higher", "lower")


def default_per(kind: str) -> float:
    """Proportions as percentages (per 100), ratios as ratios (per 1)."""
    return 100.0 if kind == "proportion" else 1.0


def unit_words(kind: str, per: float) -> str:
    """How a value is read: ``%``, ``per 1,000``, ``proportion`` or ``ratio``."""
    if per == 1:
        return "proportion" if kind == "proportion" else "ratio"
    if per == 100 and kind == "proportion":
        return "%"
    return f"per {per:,g}"


def in_units(table: pd.DataFrame, per: float) -> pd.DataFrame:
    """The table with every value-scale column multiplied by ``per``: the chart's axis unit."""
    if not per > 0:
        raise OptionError(f"--per must be a positive number, not {per:g}")
    out = table.copy()
    for c in VALUE_COLUMNS:
        if c in out.columns:
            out[c] = out[c] * per
    return out


def outlier_side(band_codes: Any, better: str | None = None) -> list[str]:
    """Each unit's side of the limits: ``inside``, or for a unit outside the 95 % limits
    ``favourable`` / ``unfavourable`` when ``better`` (``higher`` or ``lower``) says which way is
    good, else plainly ``high`` / ``low``."""
    if better not in (None, *BETTER):
        raise OptionError(f"--better {better!r}: choose higher or lower")
    out = []
    for b in np.asarray(band_codes, dtype=int):
        if b == 0:
            out.append("inside")
        elif better is None:
            out.append("high" if b > 0 else "low")
        else:
            out.append("favourable" if (b > 0) == (better == "higher") else "unfavourable")
    return out
