"""Segments, the financial override and league ranks for every draw, with the engine's own rules.

The cut points are frozen at the quarter's values (Spiegelhalter's advice, and NHS England's likely
range of rank): each draw is segmented with the same cut points, the override flag is an input that
does not vary, and organisations are re-ranked within trust type by (segment, 2-dp average).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nhs_oversight.engine import Assessment
from nhs_oversight.engine.rounding import round_half_up
from nhs_oversight.engine.segments import apply_override, league_rank_draws, segment_of


@dataclass(frozen=True)
class Replicates:
    """Per draw and organisation: the average, its 2-dp value, the adjusted segment and the league rank."""

    average: np.ndarray
    average_2dp: np.ndarray
    segment: np.ndarray
    rank: np.ndarray


def frozen_rules(assessment: Assessment) -> dict:
    """What stays fixed across draws, read from the assessment (cut points, flags, rank groups)."""
    fw = assessment.framework
    s = assessment.summary
    types = s["trust_type"].to_numpy(dtype=object)
    flag = s["financial_flag"].astype("Float64").fillna(0.0).to_numpy(float)
    return {
        "cuts": assessment.cutpoints["overall"].for_groups(types),
        "upper_inclusive": fw.segmentation.boundary == "upper_inclusive",
        "rounded": fw.segmentation.score == "rounded",
        "override": fw.financial_override,
        "flag": flag,
        "groups": types if fw.league_table.within == "trust_type" else np.zeros(len(s), dtype=object),
    }


def replicate(averages: np.ndarray, rules: dict) -> Replicates:
    """Segment, cap and rank every draw at once (``averages`` is draws x organisations)."""
    avg_2dp = round_half_up(averages, 2)
    score = avg_2dp if rules["rounded"] else averages
    segment = segment_of(score, rules["cuts"], rules["upper_inclusive"])
    override = rules["override"]
    if override is not None:
        segment, _ = apply_override(segment, rules["flag"], override.segments, override.cap)
    rank = league_rank_draws(rules["groups"], segment, avg_2dp)
    return Replicates(average=averages, average_2dp=avg_2dp, segment=segment, rank=rank)
