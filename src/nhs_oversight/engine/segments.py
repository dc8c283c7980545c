"""Steps 2b-4: cut points, segments, the financial override, segment 5 and league ranks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nhs_oversight.engine.ranking import competition_rank, competition_rank_rows

#: Final segments; 5 is the Recovery Support Programme. Every table of segments counts these.
SEGMENTS = (1, 2, 3, 4, 5)
#: The segments cut points assign (before the Recovery Support Programme).
QUARTILE_SEGMENTS = SEGMENTS[:4]


@dataclass(frozen=True)
class CutPoints:
    """Three cut points on an average score and where they came from.

    ``method`` is one of ``national quartiles``, ``quartiles of the input``, ``fixed``,
    ``framework thresholds``, ``implied by published segments`` or ``quartiles within trust type``.
    With ``quartiles within trust type`` each type has its own cut points (``by_group``) and
    ``values`` holds the quartiles of every organisation pooled, for reference only.
    """

    values: tuple[float, float, float]
    method: str
    population_size: int
    detail: str = ""
    by_group: tuple[tuple[str, tuple[float, float, float]], ...] = ()
    intervals: tuple[tuple[float, float], ...] = ()  # implied cut points: (below, above] each lies in

    def describe(self) -> str:
        if self.by_group:
            parts = "; ".join(f"{g} {a:.4g} / {b:.4g} / {c:.4g}" for g, (a, b, c) in self.by_group)
            return f"{parts} ({self.method})"
        a, b, c = self.values
        return f"{a:.4g} / {b:.4g} / {c:.4g} ({self.method}{', ' + self.detail if self.detail else ''})"

    def for_groups(self, groups: np.ndarray) -> np.ndarray:
        """The cut points that apply to each organisation, shape (n, 3), given its group (trust type)."""
        out = np.tile(np.asarray(self.values, dtype=float), (len(groups), 1))
        for g, cuts in self.by_group:
            out[np.asarray(groups) == g] = cuts
        return out


def quartile_cutpoints(scores: np.ndarray, method: str = "linear") -> tuple[float, float, float]:
    s = scores[~np.isnan(scores)]
    q = np.quantile(s, [0.25, 0.5, 0.75], method=method)
    return float(q[0]), float(q[1]), float(q[2])


def _interval(s: np.ndarray, g: np.ndarray, k: int) -> tuple[float, float] | None:
    """(highest score in segments <= k, lowest score in segments > k), or None if a side is empty."""
    below, above = s[g <= k], s[g > k]
    if len(below) == 0 or len(above) == 0:
        return None
    return float(below.max()), float(above.min())


def _describe_intervals(intervals) -> str:
    return " ".join(f"({lo:.2f}, {hi:.2f}]" for lo, hi in intervals)


def implied_cutpoints(
    scores: np.ndarray, segments: np.ndarray, groups: np.ndarray | None = None, labels: dict[str, str] | None = None
) -> tuple[tuple[float, float, float] | None, str, tuple[tuple[float, float], ...]]:
    """Cut points consistent with published (score, segment) pairs: midway between neighbours.

    Each cut is pinned to an interval (highest score below it, lowest score above it]. With
    ``groups`` (trust types from separate files) each group's own intervals are stated and the
    cut is taken in their intersection, which is the interval the pooled pairs give.
    Returns (cuts, detail, intervals); cuts is None (with the reason) when a boundary has no trust
    on one side or the pairs overlap.
    """
    ok = ~np.isnan(scores) & ~np.isnan(segments)
    s, g = scores[ok], segments[ok]
    cuts, intervals = [], []
    for k in (1, 2, 3):
        iv = _interval(s, g, k)
        if iv is None:
            return None, f"no published trust on one side of cut {k}/{k + 1}", ()
        lo, hi = iv
        if lo >= hi:
            return None, f"published scores overlap at cut {k}/{k + 1} ({lo:.2f} >= {hi:.2f})", ()
        cuts.append(round((lo + hi) / 2, 6))
        intervals.append((lo, hi))
    detail = "pinned to " + _describe_intervals(intervals)
    if groups is not None:
        gr = np.asarray(groups, dtype=object)[ok]
        present = [x for x in dict.fromkeys(gr.tolist())]
        if len(present) > 1:
            parts = []
            for grp in present:
                own = [_interval(s[gr == grp], g[gr == grp], k) for k in (1, 2, 3)]
                text = " ".join("(open)" if iv is None else f"({iv[0]:.2f}, {iv[1]:.2f}]" for iv in own)
                parts.append(f"{(labels or {}).get(grp, grp)} {text}")
            detail += "; the intersection of " + "; ".join(parts)
    return (cuts[0], cuts[1], cuts[2]), detail, tuple(intervals)


def segment_of(scores: np.ndarray, cuts, upper_inclusive: bool = True) -> np.ndarray:
    """Segment 1-4 from an average score (lower is better); NaN score gives NaN.

    ``cuts`` is three cut points, or one row of three per score (shape ``scores.shape + (3,)``),
    so that scores of any shape (e.g. draws x organisations) are segmented in one call.
    """
    scores = np.asarray(scores, dtype=float)
    c = np.asarray(cuts, dtype=float)
    above = np.greater if upper_inclusive else np.greater_equal
    seg = 1.0 + sum(above(scores, c[..., k]).astype(float) for k in range(3))
    return np.where(np.isnan(scores), np.nan, seg)


def apply_override(segment: np.ndarray, flag: np.ndarray, segments: tuple[int, ...], cap: int) -> tuple[np.ndarray, np.ndarray]:
    """Cap flagged organisations whose segment is in ``segments`` at ``cap``. Returns (adjusted, applied)."""
    applied = (flag == 1) & np.isin(segment, segments)
    return np.where(applied, float(cap), segment), applied


def _league_key(segment: np.ndarray, score_2dp: np.ndarray) -> np.ndarray:
    """Order of the league table: segment first, then the 2-dp average (both ascending).

    Averages lie in 1-4, so 100 x average < 1000 and the key is a small integer (sorts fast).
    """
    return np.where(np.isnan(segment), np.inf, segment * 1000 + np.rint(score_2dp * 100))


def league_rank(groups: np.ndarray, segment: np.ndarray, score_2dp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Competition rank within each group by segment then 2-dp score (both ascending). Returns (rank, group size)."""
    rank = np.full(len(segment), np.nan)
    size = np.full(len(segment), np.nan)
    key = _league_key(segment, score_2dp)
    for g in np.unique(groups):
        m = (groups == g) & np.isfinite(key)
        rank[m] = competition_rank(-key[m])
        size[m] = m.sum()
    return rank, size


def league_rank_draws(groups: np.ndarray, segment: np.ndarray, score_2dp: np.ndarray) -> np.ndarray:
    """:func:`league_rank` for many draws at once: ``segment`` and ``score_2dp`` are (draws, organisations).

    Every organisation must have a segment and a score (no NaN).
    """
    key = _league_key(segment, score_2dp)
    rank = np.zeros(key.shape, dtype=int)
    for g in np.unique(groups):
        m = groups == g
        rank[:, m] = competition_rank_rows(-key[:, m])
    return rank


def score_rank(groups: np.ndarray, score_2dp: np.ndarray) -> np.ndarray:
    """Competition rank of a 2-dp score alone within each group (published OF5002 / OF4xxx ranks)."""
    rank = np.full(len(score_2dp), np.nan)
    for g in np.unique(groups):
        m = (groups == g) & ~np.isnan(score_2dp)
        rank[m] = competition_rank(-np.rint(score_2dp[m] * 100))
    return rank
