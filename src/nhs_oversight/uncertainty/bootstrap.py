"""Bootstrap of each organisation's average score over its own metric scores.

NHS England's published "likely range of average score" is reproduced by resampling a trust's n
metric scores with replacement and taking the weighted average of each resample (nof-2025-26.md
section 8). Here every organisation and every draw is done in one set of numpy operations: the
organisations are grouped by their number of scores, so each group is one rectangular array.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Upper bound on the number of resampled scores held in memory at once (about 32 MB per array).
CHUNK_ELEMENTS = 4_000_000


@dataclass(frozen=True)
class ScoreSets:
    """Each organisation's scores and weights as they enter the average, in summary order.

    ``values`` and ``weights`` are flat, grouped by organisation; organisation ``i`` owns
    ``values[start[i] : start[i] + n[i]]``.
    """

    values: np.ndarray
    weights: np.ndarray
    n: np.ndarray
    start: np.ndarray

    def point_averages(self) -> np.ndarray:
        """The weighted average of every organisation's full set of scores (no resampling)."""
        org = np.repeat(np.arange(len(self.n)), self.n)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.bincount(org, self.weights * self.values, len(self.n)) / np.bincount(org, self.weights, len(self.n))


def score_sets(metrics: pd.DataFrame, org_codes: np.ndarray) -> ScoreSets:
    """Read the scores that enter each average from an assessment's metric table (nothing is rescored)."""
    use = metrics["in_average"].to_numpy(bool) & ~np.isnan(metrics["score"].to_numpy(float))
    index = {c: i for i, c in enumerate(org_codes)}
    pos = np.fromiter((index[c] for c in metrics["org_code"].to_numpy(dtype=object)[use]), dtype=int)
    order = np.argsort(pos, kind="stable")
    n = np.bincount(pos, minlength=len(org_codes))
    start = np.concatenate([[0], np.cumsum(n)[:-1]])
    values = metrics["average_input"].to_numpy(float)[use][order]
    weights = metrics["weight"].to_numpy(float)[use][order]
    return ScoreSets(values=values, weights=weights, n=n, start=start)


def bootstrap_averages(sets: ScoreSets, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Weighted averages of ``draws`` resamples (with replacement) of each organisation's scores.

    Returns an array of shape (draws, organisations). An organisation with no scores gets NaN.
    """
    n_orgs = len(sets.n)
    out = np.full((draws, n_orgs), np.nan)
    wx = sets.weights * sets.values
    for size in np.unique(sets.n[sets.n > 0]):
        orgs = np.flatnonzero(sets.n == size)
        cells = sets.start[orgs][:, None] + np.arange(size)[None, :]
        group_wx, group_w = wx[cells].ravel(), sets.weights[cells].ravel()
        offset = (np.arange(len(orgs)) * size)[None, :, None]
        equal_weights = bool(np.all(group_w == group_w[0]))
        ones = np.ones(size)  # sums over the last axis as a matrix product: faster than .sum(axis=2)
        chunk = max(1, CHUNK_ELEMENTS // (len(orgs) * size))
        for b0 in range(0, draws, chunk):  # a handful of memory-sized blocks, not one pass per draw
            b1 = min(draws, b0 + chunk)
            picks = rng.integers(0, size, size=(b1 - b0, len(orgs), size))
            picks += offset
            total = np.take(group_wx, picks) @ ones
            weight = size * group_w[0] if equal_weights else np.take(group_w, picks) @ ones
            out[b0:b1, orgs] = total / weight
    return out
