"""XmR limits: mean, mean moving range with optional screening, process limits.

Follows NHSRplotthedots 0.2.x (statistics.md 1.2): arithmetic mean, *mean* moving range, one
screening pass dropping moving ranges of 3.267 x the mean moving range or more, limits at
mean +/- 2.66 x the mean moving range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nhs_oversight.stats.spc.segments import Segments, segment_mean, segment_sum

#: 3 / d2 for moving ranges of two points (d2 = 1.128).
LIMIT = 2.66
#: The "2 sigma" lines used by the 2-of-3 rule.
LIMIT_CLOSE = 2 * 2.66 / 3
#: D4 for subgroups of two: the moving-range screening threshold.
MR_SCREEN = 3.267


@dataclass(frozen=True)
class Limits:
    """Per-segment limits (one entry per segment).

    ``no_variation`` is True where every moving range of the baseline is zero: limits then
    collapse onto the mean and no rule is applied (statistics.md 1.2, edge case).
    """

    mean: np.ndarray
    amr: np.ndarray
    lpl: np.ndarray
    upl: np.ndarray
    nlpl: np.ndarray
    nupl: np.ndarray
    baseline_points: np.ndarray
    no_variation: np.ndarray


def baseline_mask(seg: Segments, fix_after: int | None) -> np.ndarray:
    """True for the points that enter the mean and moving ranges."""
    if fix_after is None:
        return np.ones(len(seg), dtype=bool)
    return seg.position < fix_after


def xmr_limits(y: np.ndarray, seg: Segments, fix_after: int | None = None, screen: bool = True) -> Limits:
    """Compute XmR limits for every segment at once.

    Parameters
    ----------
    y : ndarray of float
        Values, sorted by segment then date, without missing values.
    seg : Segments
        Segment layout of ``y``.
    fix_after : int, optional
        Use only the first ``fix_after`` points of each segment for the limits.
    screen : bool
        Screen out large moving ranges before the final mean moving range.

    Returns
    -------
    Limits
    """
    use = baseline_mask(seg, fix_after)
    mean = segment_mean(y, use, seg)

    mr = np.abs(np.diff(y, prepend=np.nan))
    mr_ok = np.r_[False, use[:-1]] & use & ~seg.is_first() & np.isfinite(mr)
    mr0 = np.where(mr_ok, mr, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        amr = segment_sum(mr0, seg) / segment_sum(mr_ok.astype(float), seg)
    no_variation = amr == 0
    if screen:
        keep = mr_ok & (mr < MR_SCREEN * amr[seg.ids])
        with np.errstate(invalid="ignore", divide="ignore"):
            screened = segment_sum(np.where(keep, mr, 0.0), seg) / segment_sum(keep.astype(float), seg)
        amr = np.where(no_variation, 0.0, screened)
    return Limits(
        mean=mean,
        amr=amr,
        lpl=mean - LIMIT * amr,
        upl=mean + LIMIT * amr,
        nlpl=mean - LIMIT_CLOSE * amr,
        nupl=mean + LIMIT_CLOSE * amr,
        baseline_points=segment_sum(use.astype(float), seg).astype(int),
        no_variation=no_variation,
    )
