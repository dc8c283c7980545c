"""Step 1 of the method: score each metric 1-4 (pure functions over numpy arrays).

Each scorer returns, per input row, the unrounded score and how it was reached (the rule, the
ranked group size and the rank), so the assessment can explain every score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nhs_oversight.engine.ranking import competition_rank, percentile_scores
from nhs_oversight.frameworks.model import (
    OPERATORS,
    BandedScoring,
    ByUnitScoring,
    Metric,
    PublishedScoring,
    RankedScoring,
)

RULE_STANDARD = "meets standard"
RULE_FLOOR = "fails floor"
RULE_RANKED = "ranked"
RULE_BAND = "band"
RULE_MATRIX = "matrix"
RULE_INPUT = "input score"
RULE_PUBLISHED = "published score"

#: How a ranked value's position among equal values was decided (``Scored.tie_order``).
TIE_NONE = ""
TIE_PUBLISHED_RANK = "published rank"  # equal after rounding: ordered by NHS England's published Rank
TIE_SHARED = "tied"  # equal values that nothing orders share the best position


@dataclass
class MetricRows:
    """The rows of one metric: one per reporting organisation."""

    org: np.ndarray  # organisation index
    value: np.ndarray
    unit: np.ndarray  # str
    tie_rank: np.ndarray
    trust_type: np.ndarray  # str, the organisation's type id


@dataclass
class Scored:
    """Scores for the rows of one metric, with the working kept."""

    score: np.ndarray
    rule: np.ndarray  # str
    rank: np.ndarray  # rank in the ranked group (NaN where not ranked)
    group_size: np.ndarray  # N of the ranked group
    population_size: np.ndarray  # organisations in the scoring population
    population: np.ndarray  # "national", a trust type id, or "none"
    tie_order: np.ndarray  # str: TIE_NONE, TIE_PUBLISHED_RANK or TIE_SHARED


def _empty_scored(n: int) -> Scored:
    return Scored(
        score=np.full(n, np.nan),
        rule=np.full(n, "", dtype=object),
        rank=np.full(n, np.nan),
        group_size=np.full(n, np.nan),
        population_size=np.full(n, np.nan),
        population=np.full(n, "none", dtype=object),
        tie_order=np.full(n, TIE_NONE, dtype=object),
    )


def _compare(values: np.ndarray, op: str, threshold: float) -> np.ndarray:
    return OPERATORS[op](values, threshold)


def score_ranked(
    spec: RankedScoring,
    metric: Metric,
    value: np.ndarray,
    tie_rank: np.ndarray | None,
    out: Scored,
    idx: np.ndarray,
    population: str,
    tie_group: np.ndarray | None = None,
    describe_ties: bool = True,
) -> None:
    """Variant A (no bookend), B (standard: meeting it scores 1.00) or C (floor: failing it scores 4.00).

    ``describe_ties=False`` leaves ``tie_order`` blank (what-if scoring needs only the scores)."""
    meets = _compare(value, spec.standard.op, spec.standard.value) if spec.standard else np.zeros(len(value), bool)
    fails = _compare(value, spec.floor.op, spec.floor.value) if spec.floor else np.zeros(len(value), bool)
    ranked = ~meets & ~fails
    low, high = spec.span
    better = value[ranked] if metric.higher_is_better else -value[ranked]
    tb = tie_rank[ranked] if tie_rank is not None else None
    tg = tie_group[ranked] if tie_group is not None else None
    ranks = competition_rank(better, tb, tg)
    n = int(ranked.sum())
    scores = np.empty(len(value))
    scores[meets] = 1.0
    scores[fails] = 4.0
    scores[ranked] = percentile_scores(ranks, low, high)

    rule = np.where(meets, RULE_STANDARD, np.where(fails, RULE_FLOOR, RULE_RANKED)).astype(object)
    rank_full = np.full(len(value), np.nan)
    rank_full[ranked] = ranks
    tie_full = np.full(len(value), TIE_NONE, dtype=object)
    if describe_ties:
        tie_full[ranked] = tie_orders(better, ranks)
    out.tie_order[idx] = tie_full
    out.score[idx] = scores
    out.rule[idx] = rule
    out.rank[idx] = rank_full
    out.group_size[idx] = n
    out.population_size[idx] = len(value)
    out.population[idx] = population


def score_banded(spec: BandedScoring, metric: Metric, value: np.ndarray, out: Scored, idx: np.ndarray) -> None:
    """First band whose condition holds gives the score; otherwise the fallback score."""
    scores = np.full(len(value), spec.otherwise, dtype=float)
    decided = np.zeros(len(value), bool)
    for band in spec.bands:
        hit = ~decided & _compare(value, band.op, band.value)
        scores[hit] = band.score
        decided |= hit
    out.score[idx] = scores
    out.rule[idx] = RULE_BAND
    out.population[idx] = "none"


def score_metric(metric: Metric, rows: MetricRows, tie_break: bool, describe_ties: bool = True) -> Scored:
    """Score every row of one metric over its scoring population (``describe_ties``: see :func:`score_ranked`)."""
    n = len(rows.value)
    out = _empty_scored(n)
    spec = metric.scoring
    if isinstance(spec, PublishedScoring):
        out.score[:] = rows.value
        out.rule[:] = RULE_INPUT
        return out

    if isinstance(spec, ByUnitScoring):
        units = list(spec.units)
        unit = np.array([u if u in spec.units else units[0] for u in rows.unit], dtype=object)
        parts = [(spec.units[u], np.flatnonzero(unit == u)) for u in units]
    else:
        parts = [(spec, np.arange(n))]

    for sub, where in parts:
        if len(where) == 0:
            continue
        if isinstance(sub, BandedScoring):
            score_banded(sub, metric, rows.value[where], out, where)
            continue
        assert isinstance(sub, RankedScoring)
        if metric.population == "national":
            groups = [("national", where)]
        else:
            groups = [(t, where[rows.trust_type[where] == t]) for t in sorted(set(rows.trust_type[where]))]
        for label, g in groups:
            tb = rows.tie_rank[g] if tie_break else None
            score_ranked(sub, metric, rows.value[g], tb, out, g, label, rows.trust_type[g], describe_ties)
    return out


def tie_orders(better: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """For each ranked value: not tied, tied values ordered by the published rank, or a shared rank."""
    out = np.full(len(better), TIE_NONE, dtype=object)
    if len(better) < 2:
        return out
    _, inverse, counts = np.unique(better, return_inverse=True, return_counts=True)
    equal = counts[inverse] > 1
    if not equal.any():
        return out
    key = inverse * (len(better) + 1) + ranks
    _, k_inverse, k_counts = np.unique(key, return_inverse=True, return_counts=True)
    shared = k_counts[k_inverse] > 1
    out[equal] = TIE_PUBLISHED_RANK
    out[equal & shared] = TIE_SHARED
    return out


def lookup_matrix(matrix: tuple[tuple[float, ...], ...], row_score: np.ndarray, col_score: np.ndarray) -> np.ndarray:
    """Combined score from two 1-4 scores; NaN where either is missing."""
    m = np.asarray(matrix, dtype=float)
    ok = ~np.isnan(row_score) & ~np.isnan(col_score)
    out = np.full(len(row_score), np.nan)
    out[ok] = m[row_score[ok].astype(int) - 1, col_score[ok].astype(int) - 1]
    return out


def unround_published(scores: np.ndarray, better: np.ndarray, low: float, high: float, max_n: int = 400) -> tuple[np.ndarray, int] | None:
    """Recover unrounded ranked scores from 2-dp published ones.

    A ranked score is ``low + (high-low)(r-1)/(N-1)``. Given the published 2-dp scores of part of a
    pooled population, find the smallest N for which every score maps to an integer rank that
    reproduces it, ranks worsen as values worsen, and distinct values hold distinct ranks. When the
    step (high-low)/(N-1) exceeds 0.01 this pins each rank, and so the unrounded score, uniquely.
    Returns None when no N fits.
    """
    span = high - low
    max_n = min(max_n, int(span / 0.01))  # beyond this, 2-dp rounding no longer pins a rank
    candidates = np.arange(max(len(scores), 2), max_n + 1)
    if len(candidates) == 0:
        return None
    r = np.rint((scores[None, :] - low) * (candidates[:, None] - 1) / span) + 1
    exact = low + span * (r - 1) / (candidates[:, None] - 1)
    fits = (np.abs(exact - scores[None, :]) <= 0.005 + 1e-9).all(axis=1) & (r.min(axis=1) >= 1) & (r.max(axis=1) <= candidates)
    for k in np.flatnonzero(fits):
        rk = r[k]
        order = np.lexsort((rk, -better))
        step_r, step_b = np.diff(rk[order]), np.diff(better[order])
        if np.any(step_r < 0) or np.any((step_b != 0) & (step_r == 0)):
            continue  # ranks must worsen with values, and differ where published values differ
        return exact[k], int(candidates[k])
    return None
