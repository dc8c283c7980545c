"""Variation and assurance icons for the latest point of a series, with their wording.

Icon names match the SVG files shipped in ``nhs_oversight/render/icons`` and the Making Data
Count icon set (statistics.md 1.5 and 1.6).
"""

from __future__ import annotations

import numpy as np

from nhs_oversight.stats.spc.point_type import (
    COMMON_CAUSE,
    CONCERN,
    IMPROVEMENT,
    NEUTRAL_HIGH,
    NEUTRAL_LOW,
)

VARIATION_ICONS = np.array(
    [
        "common_cause",
        "improvement_high",
        "improvement_low",
        "concern_high",
        "concern_low",
        "neutral_high",
        "neutral_low",
    ],
    dtype=object,
)

VARIATION_WORDS = {
    "common_cause": "Common cause variation: no significant change",
    "improvement_high": "Special cause variation: improving (higher values)",
    "improvement_low": "Special cause variation: improving (lower values)",
    "concern_high": "Special cause variation: concerning (higher values)",
    "concern_low": "Special cause variation: concerning (lower values)",
    "neutral_high": "Special cause variation: higher values, neither improvement nor concern",
    "neutral_low": "Special cause variation: lower values, neither improvement nor concern",
}

#: Assurance results and the icon that shows each.
ASSURANCE = np.array(
    ["no_target", "consistent_pass", "consistent_fail", "inconsistent", "not_applicable"], dtype=object
)
ASSURANCE_ICONS = np.array(["none", "pass", "fail", "inconsistent", "none"], dtype=object)
ASSURANCE_WORDS = {
    "no_target": "No target set",
    "consistent_pass": "Consistently passing the target",
    "consistent_fail": "Consistently failing the target",
    "inconsistent": "Hit and miss: the target lies within the process limits",
    "not_applicable": "No assurance for a neutral measure",
}
NO_TARGET, CONSISTENT_PASS, CONSISTENT_FAIL, INCONSISTENT, NOT_APPLICABLE = range(5)


def variation_icon_codes(point_type: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Index into :data:`VARIATION_ICONS` for the point types of latest points."""
    pt = np.asarray(point_type)
    d = np.asarray(direction)
    return np.select(
        [
            (pt == IMPROVEMENT) & (d > 0),
            (pt == IMPROVEMENT) & (d < 0),
            (pt == CONCERN) & (d < 0),
            (pt == CONCERN) & (d > 0),
            pt == NEUTRAL_HIGH,
            pt == NEUTRAL_LOW,
        ],
        [1, 2, 3, 4, 5, 6],
        default=COMMON_CAUSE,
    ).astype(np.int8)


def assurance_codes(
    target: np.ndarray, lpl: np.ndarray, upl: np.ndarray, direction: np.ndarray
) -> np.ndarray:
    """Assurance of each series from its target and the limits of its latest point.

    Strict comparisons: a target equal to a limit is "inconsistent". A missing target gives
    ``no_target`` (not "inconsistent", unlike NHSRplotthedots' per-facet targets), a neutral
    direction ``not_applicable``.
    """
    t = np.asarray(target, dtype=float)
    d = np.asarray(direction)
    fail_if_above = t > upl
    pass_if_below = t < lpl
    up = np.select([fail_if_above, pass_if_below], [CONSISTENT_FAIL, CONSISTENT_PASS], INCONSISTENT)
    down = np.select([fail_if_above, pass_if_below], [CONSISTENT_PASS, CONSISTENT_FAIL], INCONSISTENT)
    out = np.where(d > 0, up, down)
    out = np.where(d == 0, NOT_APPLICABLE, out)
    out = np.where(np.isnan(t), NO_TARGET, out)
    return out.astype(np.int8)
