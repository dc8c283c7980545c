"""The vectorised SPC pass: every series of a table in one go, no per-series Python loop."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nhs_oversight.stats.spc import rules as R
from nhs_oversight.stats.spc.icons import assurance_codes, variation_icon_codes
from nhs_oversight.stats.spc.limits import Limits, xmr_limits
from nhs_oversight.stats.spc.options import TRIAL_THRESHOLD, SpcOptions
from nhs_oversight.stats.spc.point_type import point_type_codes
from nhs_oversight.stats.spc.segments import Segments, part_of_window


@dataclass(frozen=True)
class SpcArrays:
    """Per-point results of :func:`run_spc` (flat arrays aligned with the input values).

    Per-series results (``variation_icon``, ``assurance``) are indexed by series number.
    """

    segments: Segments
    series: Segments
    limits: Limits
    mean: np.ndarray
    amr: np.ndarray
    lpl: np.ndarray
    upl: np.ndarray
    relative_to_mean: np.ndarray
    special_cause: np.ndarray
    point_type: np.ndarray
    in_baseline: np.ndarray
    trial_limits: np.ndarray
    no_variation: np.ndarray
    segment_points: np.ndarray
    series_last: np.ndarray
    variation_icon: np.ndarray
    assurance: np.ndarray


def run_spc(
    y: np.ndarray,
    new_series: np.ndarray,
    new_rebase: np.ndarray,
    direction: np.ndarray,
    target: np.ndarray,
    options: SpcOptions,
) -> SpcArrays:
    """Apply limits, rules, point types and icons to many series at once.

    Parameters
    ----------
    y : ndarray of float
        Values sorted by series then date; no missing values.
    new_series : ndarray of bool
        True on the first point of each series.
    new_rebase : ndarray of bool
        True on a point that starts a new rebased period within its series.
    direction : ndarray of int
        Improvement direction of each point's series (+1, -1 or 0).
    target : ndarray of float
        One target per series (NaN where none).
    options : SpcOptions

    Returns
    -------
    SpcArrays
    """
    y = np.asarray(y, dtype=float)
    new_series = np.asarray(new_series, dtype=bool)
    seg = Segments.from_breaks(new_series | np.asarray(new_rebase, dtype=bool))
    series = Segments.from_breaks(new_series)
    lim = xmr_limits(y, seg, options.fix_after, options.screen_outliers)
    s = seg.ids
    mean, lpl, upl = lim.mean[s], lim.lpl[s], lim.upl[s]
    rtm, codes, no_var = _special_causes(y, seg, lim, options)

    direction = np.asarray(direction, dtype=int)
    ptype = point_type_codes(codes, direction)
    last = np.r_[series.starts[1:] - 1, len(y) - 1] if len(y) else np.empty(0, dtype=int)
    sizes = seg.sizes[s]
    return SpcArrays(
        segments=seg,
        series=series,
        limits=lim,
        mean=mean,
        amr=lim.amr[s],
        lpl=lpl,
        upl=upl,
        relative_to_mean=rtm,
        special_cause=codes,
        point_type=ptype,
        in_baseline=seg.position < (options.fix_after or len(y) + 1),
        trial_limits=sizes < TRIAL_THRESHOLD,
        no_variation=no_var,
        segment_points=sizes,
        series_last=last,
        variation_icon=variation_icon_codes(ptype[last], direction[last]),
        assurance=assurance_codes(np.asarray(target, dtype=float), lpl[last], upl[last], direction[last]),
    )


def _special_causes(y: np.ndarray, seg: Segments, lim: Limits, options: SpcOptions) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each point's side of the mean, the special-cause rule that flags it (by precedence), and
    whether its period has no variation (then every point is common cause)."""
    s = seg.ids
    mean, lpl, upl = lim.mean[s], lim.lpl[s], lim.upl[s]
    rtm = R.relative_to_mean(y, mean)
    outside = R.outside_limits(y, lpl, upl)
    close = R.beyond_two_sigma(y, lim.nlpl[s], lim.nupl[s], outside, options.rules == "mdc2023")
    part_trend = part_of_window(R.trend_ends(y, seg, options.trend_length), seg, options.trend_length)
    part_two3 = R.part_of_two_in_three(R.two_in_three(close, rtm, seg), close)
    part_shift = part_of_window(R.shift_ends(rtm, seg, options.run_length), seg, options.run_length)
    codes = R.special_cause_codes(y, rtm, outside, part_trend, part_two3, part_shift, seg)
    no_var = lim.no_variation[s]
    return rtm, np.where(no_var, R.COMMON, codes).astype(np.int8), no_var
