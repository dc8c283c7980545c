"""How far an organisation is from the adjacent segments, and whether metric changes can get it there.

The cut points stay as they are (a what-if for one trust does not move the national quartiles).
A segment is decided on the 2-dp average (the published method): with upper-inclusive cut points
a trust is in segment k or better when its 2-dp average is at or below the k-th cut point, so the
average needed is the largest 2-dp value at or below it (and, for the worse segment, the smallest
2-dp value above the cut point below it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from nhs_oversight.engine import Assessment
from nhs_oversight.explain.formatting import cut_text, is_missing
from nhs_oversight.explain.steps import own_cutpoints, upper_inclusive


@dataclass(frozen=True)
class Target:
    """An adjacent segment: the unadjusted segment the metric scores must reach, and the average needed."""

    direction: str
    from_segment: int
    target_segment: int | None
    reachable: bool
    reason: str
    cut_point: float | None = None
    average_needed: float | None = None
    average_change: float | None = None

    @property
    def better(self) -> bool:
        return self.direction == "better"


def _int(x) -> int | None:
    return None if x is None or x is pd.NA or is_missing(x) else int(x)


def needed_average(cut: float, better: bool, upper: bool, rounded: bool) -> float:
    """The 2-dp average at the edge of the target segment (the cut point itself when unrounded)."""
    if not rounded:
        return cut
    c = cut * 100
    if better:
        return (math.floor(c + 1e-7) if upper else math.ceil(c - 1e-7) - 1) / 100
    return (math.floor(c + 1e-7) + 1 if upper else math.ceil(c - 1e-7)) / 100


def targets(assessment: Assessment, org: pd.Series) -> list[Target]:
    """The better and the worse adjacent segments (only the better one for segment 5)."""
    fw = assessment.framework
    final, unadj = _int(org["final_segment"]), _int(org["unadjusted_segment"])
    if final is None or unadj is None:
        return [Target("better", 0, None, False, "The trust has no segment, so there is nothing to move.")]
    rsp = fw.recovery_support
    if rsp is not None and final == rsp.segment and _int(org["recovery_support"]) == 1:
        adjusted = _int(org["adjusted_segment"])
        return [
            Target(
                "better", final, None, False,
                f"Segment {rsp.segment} is a programme decision: the trust is in the Recovery Support Programme, and no "
                f"change in its metric scores moves it out of segment {rsp.segment}. Beneath the programme its metric "
                f"scores (after the financial override) put it in segment {adjusted}.",
            )
        ]
    cuts = own_cutpoints(assessment, org["trust_type"])
    upper = upper_inclusive(assessment)
    rounded = fw.segmentation.score == "rounded"
    avg = float(org["average_score"] if rounded else org["average_score_unrounded"])
    out = [_better(fw, org, final, cuts, upper, rounded, avg), _worse(final, cuts, upper, rounded, avg)]
    return out


def _better(fw, org, final, cuts, upper, rounded, avg) -> Target:
    if final <= 1:
        return Target("better", final, None, False, "Already in segment 1, the best segment.")
    target = final - 1
    override = fw.financial_override
    if override is not None and _int(org["financial_flag"]) == 1 and target in override.segments:
        return Target(
            "better", final, target, False,
            f"The trust reports a deficit or receives deficit support: the financial override caps it at segment "
            f"{override.cap} whatever its metric scores, so no metric change moves it to segment {target}.",
        )
    cut = cuts[target - 1]
    needed = needed_average(cut, True, upper, rounded)
    change = round(needed - avg, 6)
    word = "at or below" if upper else "below"
    return Target(
        "better", final, target, True,
        f"To reach segment {target} the average must fall to {needed:.2f} or lower ({word} the cut point "
        f"{cut_text(cut)}): {abs(change):.2f} lower than now.",
        cut, needed, change,
    )


def _worse(final, cuts, upper, rounded, avg) -> Target:
    if final >= 4:
        return Target(
            "worse", final, None, False,
            "Already in segment 4, the lowest segment that metric scores decide (segment 5 is for trusts in the "
            "Recovery Support Programme).",
        )
    target = final + 1
    cut = cuts[target - 2]
    needed = needed_average(cut, False, upper, rounded)
    change = round(needed - avg, 6)
    word = "above" if upper else "at or above"
    return Target(
        "worse", final, target, True,
        f"It would fall to segment {target} if the average rose to {needed:.2f} or higher ({word} the cut point "
        f"{cut_text(cut)}): {change:.2f} higher than now.",
        cut, needed, change,
    )
