"""Numbers in words people read: values with their units, cut points, scores, trust types."""

from __future__ import annotations

import math

import numpy as np

from nhs_oversight.engine.rules import rule_for
from nhs_oversight.frameworks.model import Framework, Metric

_SUFFIX = {
    "percent": "%",
    "percentage points": " pp",
    "days": " days",
    "mins": " min",
    "out of 10": " out of 10",
}
#: Units whose values cannot be negative, and the ones that also have a ceiling.
_FLOOR_ZERO = {"percent", "count", "rate", "days", "mins", "out of 10", "index"}
_CEILING = {"percent": 100.0, "out of 10": 10.0}


def is_missing(x: object) -> bool:
    return x is None or (isinstance(x, float | np.floating) and math.isnan(x))


def decimals_of(values: np.ndarray, unit: str) -> int:
    """Decimal places the population's values are given to (at least 1, except for counts)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    floor = 0 if unit == "count" else 1
    for d in range(0, 4):
        if np.all(np.abs(v * 10**d - np.rint(v * 10**d)) < 1e-6):
            return max(d, floor)
    return 3


def bounds_of(values: np.ndarray, unit: str) -> tuple[float, float]:
    """The natural limits of a unit, where the population's values respect them."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    lo = 0.0 if unit in _FLOOR_ZERO and (len(v) == 0 or v.min() >= 0) else -math.inf
    hi = _CEILING.get(unit, math.inf)
    if len(v) and v.max() > hi:
        hi = math.inf
    return lo, hi


def value_text(value: float | None, unit: str, decimals: int = 2) -> str:
    """``71.1%``, ``1.51 pp``, ``17`` (counts), ``0.8 days``."""
    if is_missing(value):
        return "no value"
    d = 0 if unit == "count" else decimals
    text = f"{value:,.{d}f}" if abs(value) >= 10000 else f"{value:.{d}f}"
    if unit == "rate":
        return f"{text} × threshold"
    return text + _SUFFIX.get(unit, "")


def band_text(metric: Metric, score: float) -> str:
    """A score-only input's band in words: ``Good (2)``, ``As expected (2)`` or ``band 2``."""
    return rule_for(metric.scoring).band_text(score)


_OP_WORDS = {"<": "below", "<=": "at or below", ">": "above", ">=": "at or above"}


def threshold_text(op: str, value: float, unit: str) -> str:
    """``at or above 78%``: a standard, floor or band edge with the decimals it needs."""
    decimals = 0 if float(value).is_integer() else (1 if round(value, 1) == value else 2)
    return f"{_OP_WORDS[op]} {value_text(value, unit, decimals=decimals)}"


def score_text(score: float | None) -> str:
    return "no score" if is_missing(score) else f"{score:.2f}"


def cut_text(cut: float) -> str:
    """A cut point with the decimals it needs (2.33, 2.325, 2.0575)."""
    for d in (2, 3, 4):
        if abs(round(cut, d) - cut) < 1e-9:
            return f"{cut:.{d}f}"
    return f"{cut:.4f}"


def signed(x: float, decimals: int = 2) -> str:
    return f"{x:+.{decimals}f}".replace("+0.00", "0.00").replace("-0.00", "0.00")


def type_plural(framework: Framework, type_id: str) -> str:
    """``acute trusts``, ``mental health and community trusts``."""
    label = framework.trust_type_label(type_id)
    label = label[0].lower() + label[1:] if label else type_id
    return label if label.endswith("s") else label + "s"


def ordinal_segment(segment: int | None) -> str:
    return "no segment" if segment is None else f"segment {segment}"
