"""From rule labels to Making Data Count point types, given the improvement direction."""

from __future__ import annotations

import numpy as np

from nhs_oversight.stats.spc.rules import CODE_SIDE

COMMON_CAUSE, IMPROVEMENT, CONCERN, NEUTRAL_HIGH, NEUTRAL_LOW = range(5)

POINT_TYPES = np.array(
    [
        "common_cause",
        "special_cause_improvement",
        "special_cause_concern",
        "special_cause_neutral_high",
        "special_cause_neutral_low",
    ],
    dtype=object,
)


def point_type_codes(special_codes: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Point type code for each point.

    Parameters
    ----------
    special_codes : ndarray of int
        Codes from :func:`~nhs_oversight.stats.spc.rules.special_cause_codes`.
    direction : ndarray of int
        +1 where higher is better, -1 where lower is better, 0 for neutral (per point).
    """
    side = CODE_SIDE[np.asarray(special_codes, dtype=int)]
    oriented = side * direction
    return np.select(
        [
            (direction == 0) & (side > 0),
            (direction == 0) & (side < 0),
            oriented > 0,
            oriented < 0,
        ],
        [NEUTRAL_HIGH, NEUTRAL_LOW, IMPROVEMENT, CONCERN],
        default=COMMON_CAUSE,
    ).astype(np.int8)
