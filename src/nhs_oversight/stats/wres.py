"""Workforce Race Equality Standard (WRES) comparisons (statistics.md section 4.2).

Relative likelihoods with Katz log intervals, differences of proportions with Newcombe's hybrid
score interval, Wilson intervals for single proportions, and the NHS convention of suppressing
any cell with fewer than 11 people. Numerators and denominators are always kept, never only the
ratio. Functions take scalars or numpy arrays (one element per comparison).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from nhs_oversight.stats.funnel import benjamini_hochberg
from nhs_oversight.stats.funnel_limits import Z95

#: Cells with fewer respondents than this are shown as "suppressed" (common NHS survey practice).
SUPPRESS_BELOW = 11

#: WRES indicators computed from counts: which group is the numerator of the ratio, and what it measures.
WRES_INDICATORS = {
    2: ("White", "BME", "Relative likelihood of White applicants being appointed from shortlisting vs BME applicants"),
    3: ("BME", "White", "Relative likelihood of BME staff entering the formal disciplinary process vs White staff"),
    4: ("White", "BME", "Relative likelihood of White staff accessing non-mandatory training and CPD vs BME staff"),
}


def _arr(x: object) -> np.ndarray:
    return np.asarray(x, dtype=float)


def wilson_interval(x: object, n: object, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion ``x / n``.

    Examples
    --------
    >>> lo, hi = wilson_interval(56, 70)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.6918, 0.877)
    """
    x, n = _arr(x), _arr(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


@dataclass(frozen=True)
class Comparison:
    """A comparison of group 1 with group 2 (arrays, one element per comparison)."""

    estimate: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    p_value: np.ndarray

    #: The value meaning "no difference".
    null_value: ClassVar[float] = 0.0

    @property
    def excludes_null(self) -> np.ndarray:
        """True where the interval excludes no difference (0 for differences, 1 for ratios)."""
        with np.errstate(invalid="ignore"):
            return (self.lower > self.null_value) | (self.upper < self.null_value)


@dataclass(frozen=True)
class RatioComparison(Comparison):
    """A ratio comparison: "no difference" is 1."""

    null_value: ClassVar[float] = 1.0


def newcombe_difference(x1: object, n1: object, x2: object, n2: object, z: float = Z95) -> Comparison:
    """Difference ``x1/n1 - x2/n2`` with Newcombe's hybrid score interval (method 10).

    The p-value is the pooled two-proportion z test (the usual chi-square test without
    continuity correction).

    Examples
    --------
    >>> c = newcombe_difference(56, 70, 48, 80)
    >>> [round(float(v), 4) for v in (c.estimate, c.lower, c.upper)]
    [0.2, 0.0524, 0.3339]
    """
    from scipy.stats import norm

    x1, n1, x2, n2 = _arr(x1), _arr(n1), _arr(x2), _arr(n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p1, p2 = x1 / n1, x2 / n2
        l1, u1 = wilson_interval(x1, n1, z)
        l2, u2 = wilson_interval(x2, n2, z)
        d = p1 - p2
        lower = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        upper = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
        pooled = (x1 + x2) / (n1 + n2)
        se0 = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        zstat = np.where(se0 > 0, d / se0, 0.0)
    return Comparison(estimate=d, lower=lower, upper=upper, p_value=2 * norm.sf(np.abs(zstat)))


def relative_likelihood(a: object, n1: object, b: object, n2: object, z: float = Z95) -> RatioComparison:
    """Relative likelihood ``(a/n1) / (b/n2)`` with the Katz log interval.

    ``SE(log RL) = sqrt(1/a - 1/n1 + 1/b - 1/n2)``; if any of the four cells (a, n1 - a, b,
    n2 - b) is zero, 0.5 is added to each cell first.

    Examples
    --------
    >>> c = relative_likelihood(300, 1000, 160, 800)
    >>> [round(float(v), 4) for v in (c.estimate, c.lower, c.upper)]
    [1.5, 1.2682, 1.7741]
    """
    from scipy.stats import norm

    a, n1, b, n2 = _arr(a), _arr(n1), _arr(b), _arr(n2)
    zero = (a == 0) | (n1 - a == 0) | (b == 0) | (n2 - b == 0)
    a_c = np.where(zero, a + 0.5, a)
    b_c = np.where(zero, b + 0.5, b)
    n1_c = np.where(zero, n1 + 1.0, n1)
    n2_c = np.where(zero, n2 + 1.0, n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        rl = (a_c / n1_c) / (b_c / n2_c)
        se = np.sqrt(1 / a_c - 1 / n1_c + 1 / b_c - 1 / n2_c)
        lower = rl * np.exp(-z * se)
        upper = rl * np.exp(z * se)
        p = 2 * norm.sf(np.abs(np.log(rl) / se))
    return RatioComparison(estimate=rl, lower=lower, upper=upper, p_value=p)


def katz_log_se(a: object, n1: object, b: object, n2: object) -> np.ndarray:
    """Standard error of the log relative likelihood (no continuity correction)."""
    a, n1, b, n2 = _arr(a), _arr(n1), _arr(b), _arr(n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sqrt(1 / a - 1 / n1 + 1 / b - 1 / n2)


def suppressed(n: object, threshold: int = SUPPRESS_BELOW) -> np.ndarray:
    """True where a cell has fewer than ``threshold`` respondents (or is missing)."""
    n = _arr(n)
    with np.errstate(invalid="ignore"):
        return np.isnan(n) | (n < threshold)


def fdr(p: object) -> np.ndarray:
    """Benjamini-Hochberg q-values for a set of comparisons."""
    return benjamini_hochberg(_arr(p))
