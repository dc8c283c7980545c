"""Funnel plot limits: exact, normal or FunnelPlotR's, and over-dispersed, on a scale (statistics.md 2).

The four lines are the 99.8 % and 95 % limits either side of the target, at each denominator (or
expected count); the over-dispersed ones widen them by phi or tau^2 on the scale of the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from nhs_oversight.errors import OptionError

Z95 = 1.959964
Z998 = 3.090232
#: Two-sided tail probabilities of the four funnel lines: 99.8 % low, 95 % low, 95 % high, 99.8 % high.
TAILS = (0.001, 0.025, 0.975, 0.999)
LIMIT_COLUMNS = ("lcl998", "lcl95", "ucl95", "ucl998")

Kind = Literal["proportion", "ratio"]


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


def unadjusted_limits(kind: Kind, method: str, precision: np.ndarray, theta0: float) -> dict[str, np.ndarray]:
    """The four limits without over-dispersion, by ``method`` (exact, normal or funnelplotr)."""
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


def adjusted_limits(
    scale: Scale, kind: Kind, overdispersion: str, precision: np.ndarray, theta0: float,
    phi: float, tau2: float,
) -> dict[str, np.ndarray]:
    """The four limits widened by phi (multiplicative) or tau^2 (additive) on ``scale``."""
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


def limits_grid(precision: np.ndarray, kind: Kind, points: int = 200) -> np.ndarray:
    """Denominators to draw the limits at: a geometric grid spanning the units, plus the units' own."""
    lo = max(min(precision.min() * 0.5, precision.min() - 1), 1.0 if kind == "proportion" else 0.5)
    hi = precision.max() * 1.1
    grid = np.geomspace(lo, hi, points)
    grid = np.union1d(grid, precision)
    return np.unique(np.rint(grid)) if kind == "proportion" else grid
