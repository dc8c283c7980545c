"""Per-organisation summaries of the draws: segment probabilities, stability labels, ranges.

Follows methods/statistics.md section 3.3: probabilities of each segment, p_same (the probability
of the point-estimate segment), normalised entropy, a stability label, equal-tailed 95% intervals
and the Monte Carlo error of p_same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nhs_oversight.engine.rounding import round_half_up
from nhs_oversight.engine.segments import QUARTILE_SEGMENTS
from nhs_oversight.errors import OptionError


@dataclass(frozen=True)
class Labels:
    """Stability labels on p_same: ``stable`` at or above ``stable``, ``probable`` at or above
    ``probable``, otherwise ``uncertain`` (defaults from methods/statistics.md 3.3)."""

    stable: float = 0.90
    probable: float = 0.70

    def __post_init__(self) -> None:
        if not (0.0 < self.probable < self.stable <= 1.0):
            raise OptionError(
                f"stability thresholds must satisfy 0 < probable < stable <= 1, got stable {self.stable:g}, probable {self.probable:g}"
            )

    def label(self, p_same: np.ndarray) -> np.ndarray:
        return np.where(p_same >= self.stable, "stable", np.where(p_same >= self.probable, "probable", "uncertain")).astype(object)

    def describe(self) -> str:
        return (
            f"stable if p_same >= {self.stable:.2f}; probable if {self.probable:.2f} <= p_same < {self.stable:.2f}; "
            f"uncertain if p_same < {self.probable:.2f}"
        )


def segment_probabilities(segment: np.ndarray) -> np.ndarray:
    """Share of draws in each segment 1-4, shape (organisations, 4); each row sums to 1."""
    draws, n = segment.shape
    k = np.rint(segment).astype(int) - 1
    counts = np.bincount((k + 4 * np.arange(n)[None, :]).ravel(), minlength=4 * n).reshape(n, 4)
    return counts / draws


def normalised_entropy(p: np.ndarray) -> np.ndarray:
    """-sum p log p / log K: 0 when one segment is certain, 1 when all are equally likely."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p), 0.0)
    return np.abs(-terms.sum(axis=1) / np.log(p.shape[1]))


def mc_error(p: np.ndarray, draws: int) -> np.ndarray:
    """Half-width of the 95% Monte Carlo interval of a probability estimated from ``draws`` draws."""
    return 1.96 * np.sqrt(p * (1 - p) / draws)


def summarise(point_segment: np.ndarray, averages: np.ndarray, segment: np.ndarray, rank: np.ndarray, labels: Labels) -> pd.DataFrame:
    """One row per organisation (same order as ``point_segment``)."""
    draws = segment.shape[0]
    p = segment_probabilities(segment)
    point = np.rint(point_segment).astype(int)
    p_same = p[np.arange(len(point)), point - 1]
    avg_q = np.quantile(averages, [0.025, 0.975], axis=0)
    rank_q = np.quantile(rank, [0.5, 0.025, 0.975], axis=0, method="inverted_cdf")
    out = {f"p_segment_{k}": p[:, k - 1] for k in QUARTILE_SEGMENTS}
    out.update(
        {
            "p_same": p_same,
            "modal_segment": p.argmax(axis=1) + 1,
            "entropy": normalised_entropy(p),
            "label": labels.label(p_same),
            "average_low": round_half_up(avg_q[0], 2),
            "average_high": round_half_up(avg_q[1], 2),
            "rank_median": rank_q[0].astype(int),
            "rank_low": rank_q[1].astype(int),
            "rank_high": rank_q[2].astype(int),
            "mc_error": mc_error(p_same, draws),
        }
    )
    return pd.DataFrame(out)
