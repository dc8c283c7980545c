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

Z95 = 1.959964
Z998 = 3.090232
#: Two-sided tail probabilities of the four funnel lines: 99.8 % low, 95 % low, 95 % high, 99.8 % high.
TAILS = (0.001, 0.025, 0.975, 0.999)
LIMIT_COLUMNS = ("lcl998", "lcl95", "ucl95", "ucl998")

Kind = Literal["proportion", "ratio"]
Overdispersion = Literal["none", "multiplicative", "additive"]
LimitMethod = Literal["exact", "normal", "funnelplotr"]

BANDS = {
    0: "inside 95%",
    1: "between 95% and 99.8% (high)",
    -1: "between 95% and 99.8% (low)",
    2: "beyond 99.8% (high)",
    -2: "beyond 99.8% (low)",
}


# --------------------------------------------------------------------------- limits without OD


def exact_binomial_limit(n: np.ndarray, theta0: float, p: float) -> np.ndarray:
    """Interpolated binomial quantile, as a proportion (may be negative: clamp before display).

    ``r`` is the smallest count with ``F(r) >= p``; the limit is ``(r - alpha) / n`` with
    ``alpha = (F(r) - p) / (F(r) - F(r - 1))``.
    """
    from scipy import stats

    n = np.rint(np.asarray(n, dtype=float))
    r = stats.binom.ppf(p, n, theta0)
    f_r = stats.binom.cdf(r, n, theta0)
    f_r1 = stats.binom.cdf(r - 1, n, theta0)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = (f_r - p) / (f_r - f_r1)
        return (r - alpha) / n


def exact_poisson_limit(expected: np.ndarray, theta0: float, p: float) -> np.ndarray:
    """Interpolated Poisson quantile for a standardised ratio with expected count ``E``."""
    from scipy import stats

    e = np.asarray(expected, dtype=float)
    mu = e * theta0
    r = stats.poisson.ppf(p, mu)
    f_r = stats.poisson.cdf(r, mu)
    f_r1 = stats.poisson.cdf(r - 1, mu)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = (f_r - p) / (f_r - f_r1)
        return (r - alpha) / e


def chisq_poisson_limit(expected: np.ndarray, theta0: float, p: float) -> np.ndarray:
    """FunnelPlotR's unadjusted ratio limits (Garwood chi-square interval evaluated at O = E)."""
    from scipy import stats

    e = np.asarray(expected, dtype=float)
    if p < 0.5:
        return theta0 * stats.chi2.ppf(p, 2 * e) / (2 * e)
    return theta0 * stats.chi2.ppf(p, 2 * (e + 1)) / (2 * e)


def _z_of(p: float) -> float:
    return {0.001: -Z998, 0.025: -Z95, 0.975: Z95, 0.999: Z998}[p]


# --------------------------------------------------------------------------- scales


@dataclass(frozen=True)
class Scale:
    """A scale on which units are approximately normal with a known null standard error."""

    name: str

    def y(self, value: np.ndarray) -> np.ndarray:
        v = np.asarray(value, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.name == "arcsine":
                return np.arcsin(np.sqrt(np.clip(v, 0, 1)))
            if self.name == "log":
                return np.log(v)
            if self.name == "sqrt":
                return np.sqrt(v)
        return v

    def target(self, theta0: float) -> float:
        return float(self.y(np.array([theta0]))[0])

    def se(self, precision: np.ndarray, theta0: float, kind: Kind) -> np.ndarray:
        """Null standard error at the target for denominator (or expected count) ``precision``."""
        m = np.asarray(precision, dtype=float)
        with np.errstate(divide="ignore"):
            if self.name == "arcsine":
                return 1 / (2 * np.sqrt(m))
            if self.name == "log":
                return 1 / np.sqrt(m)
            if self.name == "sqrt":
                return 1 / (2 * np.sqrt(m))
            if kind == "proportion":
                return np.sqrt(theta0 * (1 - theta0) / m)
            return np.sqrt(theta0 / m)

    def back(self, t0: float, half_width: np.ndarray, sign: int, kind: Kind) -> np.ndarray:
        """Back-transform ``t0 + sign * half_width`` to the value scale, with sensible clamps."""
        lim = t0 + sign * np.asarray(half_width, dtype=float)
        if self.name == "arcsine":
            out = np.sin(np.clip(lim, 0, np.pi / 2)) ** 2
            return out
        if self.name == "log":
            return np.exp(lim)
        if self.name == "sqrt":
            return np.clip(lim, 0, None) ** 2
        out = np.clip(lim, 0, None)
        return np.clip(out, 0, 1) if kind == "proportion" else out


SCALES = ("arcsine", "log", "sqrt", "raw")


# --------------------------------------------------------------------------- over-dispersion


def winsorise(z: np.ndarray, trim: float = 0.1) -> np.ndarray:
    """Replace z-scores below the ``trim`` quantile (and above ``1 - trim``) by those quantiles."""
    z = np.asarray(z, dtype=float)
    lo, hi = np.quantile(z, [trim, 1 - trim])
    return np.clip(z, lo, hi)


def truncation_mask(z: np.ndarray, trim: float = 0.1) -> np.ndarray:
    """Units kept by NHS Digital's SHMI truncation (drop the bottom and top ``trim`` of z)."""
    from scipy.stats import rankdata

    z = np.asarray(z, dtype=float)
    k = round(1 / trim)
    sp = np.floor(rankdata(z) * k / (len(z) + 1))
    return (sp > 0) & (sp < k - 1)


def dispersion(
    z: np.ndarray, se: np.ndarray, robust: str = "winsorise", trim: float = 0.1
) -> tuple[float, float, int]:
    """Dispersion ratio phi and between-unit variance tau^2 (DerSimonian-Laird).

    Returns
    -------
    (phi, tau2, I) where I is the number of units used.
    """
    z = np.asarray(z, dtype=float)
    se = np.asarray(se, dtype=float)
    if robust == "winsorise":
        zw, s = winsorise(z, trim), se
    elif robust == "truncate":
        keep = truncation_mask(z, trim)
        zw, s = z[keep], se[keep]
    elif robust == "none":
        zw, s = z, se
    else:
        raise OptionError(f"unknown robust method {robust!r}; choose winsorise, truncate or none")
    i = len(zw)
    if i < 2:
        return float("nan"), 0.0, i
    phi = float(np.mean(zw**2))
    w = 1 / s**2
    if i * phi < i - 1:
        tau2 = 0.0
    else:
        tau2 = max(0.0, (i * phi - (i - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return phi, float(tau2), i


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


def _unadjusted(kind: Kind, method: str, precision: np.ndarray, theta0: float) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for col, p in zip(LIMIT_COLUMNS, TAILS, strict=True):
        if method == "exact":
            lim = (exact_binomial_limit(precision, theta0, p) if kind == "proportion"
                   else exact_poisson_limit(precision, theta0, p))
        elif method == "normal":
            s = Scale("raw").se(precision, theta0, kind)
            lim = theta0 + _z_of(p) * s
        elif method == "funnelplotr":
            if kind == "proportion":
                sc = Scale("arcsine")
                lim = sc.back(sc.target(theta0), abs(_z_of(p)) * sc.se(precision, theta0, kind),
                              1 if p > 0.5 else -1, kind)
            else:
                lim = chisq_poisson_limit(precision, theta0, p)
        else:
            raise OptionError(f"unknown limit method {method!r}; choose exact, normal or funnelplotr")
        lim = np.clip(lim, 0, None)
        out[col] = np.clip(lim, 0, 1) if kind == "proportion" else lim
    return out


def _adjusted(
    scale: Scale, kind: Kind, overdispersion: str, precision: np.ndarray, theta0: float,
    phi: float, tau2: float,
) -> dict[str, np.ndarray]:
    t0 = scale.target(theta0)
    s = scale.se(precision, theta0, kind)
    out = {}
    for col, p in zip(LIMIT_COLUMNS, TAILS, strict=True):
        z = _z_of(p)
        if overdispersion == "multiplicative":
            half = abs(z) * np.sqrt(phi) * s
        else:
            half = abs(z) * np.sqrt(s**2 + tau2)
        out[col] = scale.back(t0, half, 1 if z > 0 else -1, kind)
    return out


def _grid(precision: np.ndarray, kind: Kind, points: int = 200) -> np.ndarray:
    lo = max(min(precision.min() * 0.5, precision.min() - 1), 1.0 if kind == "proportion" else 0.5)
    hi = precision.max() * 1.1
    grid = np.geomspace(lo, hi, points)
    grid = np.union1d(grid, precision)
    return np.unique(np.rint(grid)) if kind == "proportion" else grid


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
    (0.1345, ['inside 95%', 'inside 95%', 'inside 95%'])
    """
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
    if overdispersion not in ("none", "multiplicative", "additive"):
        raise OptionError(f"unknown over-dispersion {overdispersion!r}; choose none, multiplicative or additive")

    if target is None:
        theta0 = float(o.sum() / m.sum()) if kind == "proportion" else 1.0
    else:
        theta0 = float(target)
    if kind == "proportion" and target is None and theta0 in (0.0, 1.0):
        raise OptionError(f"every unit has {'no' if theta0 == 0 else 'only'} events: there is nothing to compare")
    if kind == "proportion" and not 0 < theta0 < 1:
        raise OptionError(f"target proportion must be between 0 and 1, not {theta0}")
    value = o / m

    if overdispersion == "multiplicative":
        sc = Scale("raw")
    else:
        name = scale or ("arcsine" if kind == "proportion" else "log")
        if name not in SCALES or (kind == "proportion" and name in ("log", "sqrt")):
            raise OptionError(f"scale {name!r} does not suit {kind}s")
        sc = Scale(name)
    t0 = sc.target(theta0)
    y = sc.y(value)
    s = sc.se(m, theta0, kind)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (y - t0) / s
    finite = np.isfinite(z)
    phi, tau2, used = dispersion(z[finite], s[finite], robust, trim)
    if overdispersion == "multiplicative":
        applied = bool(phi > 1)
    elif overdispersion == "additive":
        applied = bool(tau2 > 0)
    else:
        applied = False

    with np.errstate(invalid="ignore", divide="ignore"):
        if applied and overdispersion == "multiplicative":
            z_adj = z / np.sqrt(phi)
        elif applied:
            z_adj = (y - t0) / np.sqrt(s**2 + tau2)
        else:
            z_adj = z.copy()

    def limits_at(precision: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        un = _unadjusted(kind, limits, precision, theta0)
        adj = _adjusted(sc, kind, overdispersion, precision, theta0, phi, tau2) if applied else un
        return un, adj

    un_pts, adj_pts = limits_at(m)
    bands = band_codes(value, adj_pts["lcl95"], adj_pts["ucl95"], adj_pts["lcl998"], adj_pts["ucl998"])
    from scipy.stats import norm

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
    if kind == "ratio":
        points = points.rename(columns={"denominator": "expected"})

    grid = _grid(m, kind, grid_points)
    un_grid, adj_grid = limits_at(grid)
    table = pd.DataFrame({"precision": grid, **{c: adj_grid[c] for c in LIMIT_COLUMNS},
                          **{f"{c}_unadjusted": un_grid[c] for c in LIMIT_COLUMNS}})
    meta = {
        "kind": kind,
        "target": theta0,
        "limits": limits,
        "overdispersion": overdispersion,
        "applied": applied,
        "scale": sc.name,
        "robust": robust,
        "trim": trim,
        "units": len(o),
        "units_used_for_dispersion": used,
        "phi": phi,
        "tau2": tau2,
        "excluded": excluded,
        "z95": Z95,
        "z998": Z998,
        "method": _describe(kind, limits, overdispersion, applied, sc.name, robust, trim),
    }
    return FunnelResult(points=points, limits=table, phi=phi, tau2=tau2, meta=meta)


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
