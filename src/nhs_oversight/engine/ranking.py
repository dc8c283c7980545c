"""Competition ("1224") ranking with an optional tie-break key."""

from __future__ import annotations

import numpy as np


def competition_rank(better: np.ndarray, tie_break: np.ndarray | None = None, tie_group: np.ndarray | None = None) -> np.ndarray:
    """Rank 1 = best; equal keys share the smallest rank and the next rank is skipped.

    Parameters
    ----------
    better : values where larger is better (orient the metric first).
    tie_break : optional key where smaller is better, used only among equal ``better`` values;
        NaN tie-break values compare equal to each other.
    tie_group : optional label per value (e.g. the trust type). A tie-break key orders only
        members of the same group (a published rank is computed within trust type, so ranks of
        two types say nothing about each other); equal values in different groups stay tied.
        A member's rank is then 1 + the number of values that are better, or equal and known to
        be better through its own group's tie-break.

    Examples
    --------
    >>> competition_rank(np.array([3.0, 5.0, 5.0, 1.0])).tolist()
    [3, 1, 1, 4]
    >>> competition_rank(np.array([5.0, 5.0, 5.0]), np.array([2.0, 1.0, 1.0])).tolist()
    [3, 1, 1]
    >>> competition_rank(np.array([5.0, 5.0, 5.0]), np.array([12.0, 11.0, 18.0]), np.array(["m", "m", "a"])).tolist()
    [2, 1, 1]
    """
    n = len(better)
    if n == 0:
        return np.zeros(0, dtype=int)
    if tie_break is not None and tie_group is not None and len(set(tie_group.tolist())) > 1:
        return _rank_with_group_ties(better, tie_break, tie_group)
    tb = np.zeros(n) if tie_break is None else np.where(np.isnan(tie_break), np.inf, tie_break)
    order = np.lexsort((tb, -better))
    b_sorted, t_sorted = better[order], tb[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (b_sorted[1:] != b_sorted[:-1]) | (t_sorted[1:] != t_sorted[:-1])
    positions = np.arange(1, n + 1)
    ranks_sorted = np.maximum.accumulate(np.where(new, positions, 0))
    ranks = np.empty(n, dtype=int)
    ranks[order] = ranks_sorted
    return ranks


def _rank_with_group_ties(better: np.ndarray, tie_break: np.ndarray, tie_group: np.ndarray) -> np.ndarray:
    """Competition rank on ``better``, plus, within each (value, group), the members its tie-break puts first."""
    base = competition_rank(better)
    tb = np.where(np.isnan(tie_break), np.inf, tie_break)
    _, group = np.unique(tie_group.astype(str), return_inverse=True)
    ranks = base.copy()
    for g in np.unique(group):
        m = np.flatnonzero(group == g)
        within = competition_rank(better[m], tb[m])  # rank among this group on (value, tie-break)
        plain = competition_rank(better[m])  # rank among this group on the value alone
        ranks[m] = base[m] + (within - plain)
    return ranks


def competition_rank_rows(better: np.ndarray) -> np.ndarray:
    """:func:`competition_rank` applied to every row of a 2-D array at once (e.g. draws x trusts).

    Values must be finite; rank 1 = largest in its row.

    Examples
    --------
    >>> competition_rank_rows(np.array([[3.0, 5.0, 5.0, 1.0], [1.0, 2.0, 3.0, 3.0]])).tolist()
    [[3, 1, 1, 4], [4, 3, 1, 1]]
    """
    b = np.asarray(better, dtype=float)
    m, n = b.shape
    if n == 0 or m == 0:
        return np.zeros((m, n), dtype=int)
    key = b.max() - b  # ascending key, best first
    if key.max() < 2**15 and np.array_equal(key, np.rint(key)):
        key = key.astype(np.int16)  # small integers (league keys): numpy sorts these by radix
    order = np.argsort(key, axis=1, kind="stable")
    s = np.take_along_axis(b, order, axis=1)
    new = np.ones((m, n), dtype=bool)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    positions = np.broadcast_to(np.arange(1, n + 1), (m, n))
    ranks_sorted = np.maximum.accumulate(np.where(new, positions, 0), axis=1)
    ranks = np.empty((m, n), dtype=int)
    np.put_along_axis(ranks, order, ranks_sorted, axis=1)
    return ranks


def percentile_scores(ranks: np.ndarray, low: float, high: float) -> np.ndarray:
    """Spread ranks evenly from ``low`` (rank 1) to ``high`` (rank N): low + (high-low)(r-1)/(N-1)."""
    n = len(ranks)
    if n == 0:
        return np.zeros(0)
    if n == 1:
        return np.array([low])
    return low + (high - low) * (ranks - 1) / (n - 1)
