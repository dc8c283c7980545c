"""Percentile-rank scoring (M25 variants A, B and C): the best of the group scores 1, the worst 4.

Variant B has a standard (meeting it scores 1.00, the rest are ranked over 2-4), variant C a floor
(failing it scores 4.00, the rest are ranked over 1-3). The group is every reporting trust
nationally or the trusts of one type, as the metric's ``population`` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from nhs_oversight.engine.ranking import competition_rank, percentile_scores
from nhs_oversight.engine.rules.base import Rule
from nhs_oversight.engine.scoring import (
    RULE_FLOOR,
    RULE_RANKED,
    RULE_STANDARD,
    TIE_NONE,
    TIE_PUBLISHED_RANK,
    TIE_SHARED,
    MetricRows,
    Scored,
    compare,
)
from nhs_oversight.frameworks.model import Framework, Metric, RankedScoring


@dataclass(frozen=True)
class Ranked(Rule):
    spec: RankedScoring
    model: ClassVar[str] = "ranked"
    ranked: ClassVar[bool] = True

    def thresholds(self) -> tuple[float, ...]:
        return tuple(t.value for t in (self.spec.standard, self.spec.floor) if t is not None)

    def score(self, metric: Metric, rows: MetricRows, where: np.ndarray, tie_break: bool, describe_ties: bool, out: Scored) -> None:
        """Rank within each scoring group: every trust nationally, or each trust type."""
        if metric.population == "national":
            groups = [("national", where)]
        else:
            groups = [(t, where[rows.trust_type[where] == t]) for t in sorted(set(rows.trust_type[where]))]
        for label, g in groups:
            tb = rows.tie_rank[g] if tie_break else None
            score_ranked(self.spec, metric, rows.value[g], tb, out, g, label, rows.trust_type[g], describe_ties)

    def describe(self, metric: Metric) -> str:
        s, unit = self.spec, metric.unit
        lo, hi = s.span
        text = f"Ranked within the {'national' if metric.population == 'national' else 'trust type'} group: the best scores {lo:g}, the worst {hi:g}"
        if s.standard is not None:
            text += f"; trusts {s.standard.describe(unit)} meet the standard and score 1"
        if s.floor is not None:
            text += f"; trusts not {s.floor.describe(unit)} fail the floor and score 4"
        return text + "."

    def explain(self, framework: Framework, metric: Metric, row: dict, words: Any, matrix_inputs=None) -> str | None:
        rule, unit, score = row["rule"], row["unit"], row["score"]
        s = self.spec
        if rule == RULE_STANDARD and s.standard:
            return f"meets the standard ({words.threshold_text(s.standard.op, s.standard.value, unit)}): scores 1.00"
        if rule == RULE_FLOOR and s.floor:
            return f"fails the floor ({words.threshold_text(s.floor.op, s.floor.value, unit)}): scores 4.00"
        if rule != RULE_RANKED:
            return None
        low, high = s.span
        n, r = row["group_size"], row["rank"]
        who = "trusts nationally" if row["population"] == "national" else words.type_plural(framework, row["population"])
        if s.standard:
            who += f" not meeting the standard ({words.threshold_text(s.standard.op, s.standard.value, unit)})"
        if s.floor:
            who += f" not failing the floor ({words.threshold_text(s.floor.op, s.floor.value, unit)})"
        if words.is_missing(n) or words.is_missing(r):
            return f"ranked among {who}: scores {score:.2f}"
        n, r = int(n), int(r)
        if n == 1:
            return f"the only one of {who} ranked, so it gets the best score of the range, {low:.2f}"
        return f"ranked {r} of {n} {who}: {low:g} + {high - low:g} × ({r} − 1)/({n} − 1) = {score:.2f}"

    def unround(self, metric: Metric, rows: MetricRows, scored: Scored, published: np.ndarray) -> str:
        """For a metric averaged at full precision, recover the unrounded published scores (in place)."""
        if metric.average_input != "full":
            return ""
        spec = self.spec
        low, high = spec.span
        has = ~np.isnan(published)
        inner = has & (scored.rule != RULE_STANDARD) & (scored.rule != RULE_FLOOR)
        inner &= (published > 1.0) if spec.standard is not None else True
        inner &= (published < 4.0) if spec.floor is not None else True
        if inner.sum() < 2:
            return ""
        better = rows.value[inner] if metric.higher_is_better else -rows.value[inner]
        found = unround_published(published[inner], better, low, high)
        if found is None:
            return ""
        exact, n = found
        published[inner] = exact
        scored.group_size[inner] = n
        scored.rank[inner] = np.rint((exact - low) * (n - 1) / (high - low)) + 1
        return f"; unrounded using the implied national group of {n}"


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
    meets = compare(value, spec.standard.op, spec.standard.value) if spec.standard else np.zeros(len(value), bool)
    fails = compare(value, spec.floor.op, spec.floor.value) if spec.floor else np.zeros(len(value), bool)
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
