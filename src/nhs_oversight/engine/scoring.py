"""Step 1 of the method: what every scoring rule fills in for each row of a metric.

Each rule (:mod:`nhs_oversight.engine.rules`) writes, per input row, the unrounded score and how
it was reached (the rule, the ranked group size and the rank), so the assessment can explain every
score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nhs_oversight.frameworks.model import OPERATORS

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


def empty_scored(n: int) -> Scored:
    return Scored(
        score=np.full(n, np.nan),
        rule=np.full(n, "", dtype=object),
        rank=np.full(n, np.nan),
        group_size=np.full(n, np.nan),
        population_size=np.full(n, np.nan),
        population=np.full(n, "none", dtype=object),
        tie_order=np.full(n, TIE_NONE, dtype=object),
    )


def compare(values: np.ndarray, op: str, threshold: float) -> np.ndarray:
    """Where ``values OP threshold`` holds (a standard, a floor, a band edge)."""
    return OPERATORS[op](values, threshold)
