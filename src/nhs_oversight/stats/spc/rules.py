"""Special-cause rules, each a small vectorised helper (statistics.md 1.3).

Every helper takes flat arrays for many series laid end to end plus their :class:`Segments`, so
runs, trends and windows never cross from one series (or rebased period) to the next. Called
with ``Segments.single(n)`` they behave exactly like NHSRplotthedots' per-series helpers.
"""

from __future__ import annotations

import numpy as np

from nhs_oversight.stats.spc.segments import Segments, run_length

#: Special-cause codes, in order of precedence groups: outside limits, trend, 2 of 3, shift.
COMMON, ABOVE_UCL, BELOW_LCL, TREND_UP, TREND_DOWN, TWO3_ABOVE, TWO3_BELOW, SHIFT_ABOVE, SHIFT_BELOW = range(9)

#: +1 for codes naming higher values, -1 for lower values, 0 for common cause.
CODE_SIDE = np.array([0, 1, -1, 1, -1, 1, -1, 1, -1])


def labels(run_length: int = 7, trend_length: int = 7) -> np.ndarray:
    """Special-cause labels indexed by code, worded as NHSRplotthedots words them."""
    return np.array(
        [
            "Common Cause",
            "Above UCL",
            "Below LCL",
            f"{trend_length} Point Trend (Increasing)",
            f"{trend_length} Point Trend (Decreasing)",
            "2 in 3 Above CL",
            "2 in 3 Below CL",
            f"{run_length} Points Above CL",
            f"{run_length} Points Below CL",
        ],
        dtype=object,
    )


def reasons(run_length: int = 7, trend_length: int = 7, mdc2023: bool = False) -> np.ndarray:
    """Plain-English description of each rule, indexed by code."""
    beyond = "beyond 2 sigma" if mdc2023 else "between 2 and 3 sigma"
    return np.array(
        [
            "",
            "above the upper process limit",
            "below the lower process limit",
            f"part of a run of {trend_length} or more points each higher than the one before",
            f"part of a run of {trend_length} or more points each lower than the one before",
            f"one of 2 out of 3 points in a row {beyond}, above the mean",
            f"one of 2 out of 3 points in a row {beyond}, below the mean",
            f"part of a run of {run_length} or more points above the mean",
            f"part of a run of {run_length} or more points below the mean",
        ],
        dtype=object,
    )


def relative_to_mean(y: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """-1, 0 or +1: below, exactly on, or above the mean."""
    return np.sign(y - mean).astype(int)


def outside_limits(y: np.ndarray, lpl: np.ndarray, upl: np.ndarray) -> np.ndarray:
    """Strictly beyond a process limit (a point on a limit is inside)."""
    return (y > upl) | (y < lpl)


def beyond_two_sigma(
    y: np.ndarray, nlpl: np.ndarray, nupl: np.ndarray, outside: np.ndarray, include_outside: bool
) -> np.ndarray:
    """Points beyond the 2-sigma lines; NHSRplotthedots excludes those beyond the process limits."""
    beyond = (y < nlpl) | (y > nupl)
    return beyond if include_outside else beyond & ~outside


def trend_ends(y: np.ndarray, seg: Segments, length: int = 7) -> np.ndarray:
    """+1 / -1 at the last point of ``length`` points each strictly higher / lower than the last.

    An equal consecutive value breaks a trend; the first ``length - 1`` points of a segment are
    always 0.
    """
    d = np.sign(np.diff(y, prepend=np.nan))
    d = np.where(seg.same_as_previous(), d, 0)
    d = np.nan_to_num(d).astype(np.int8)
    moves = _runs_of_equal_nonzero(d, seg)  # consecutive moves in one direction, ending here
    return np.where(moves >= length - 1, d, 0).astype(np.int8)


def shift_ends(rtm: np.ndarray, seg: Segments, length: int = 7) -> np.ndarray:
    """1 at the last point of ``length`` points in a row on the same side of the mean.

    A point exactly on the mean breaks the run and is never part of one.
    """
    return (_runs_of_equal_nonzero(np.asarray(rtm), seg) >= length).astype(np.int8)


def _runs_of_equal_nonzero(v: np.ndarray, seg: Segments) -> np.ndarray:
    """Length of the run of equal nonzero values ending at each point (0 where v is 0)."""
    link = np.empty(len(v), dtype=bool)
    link[:1] = False
    np.equal(v[1:], v[:-1], out=link[1:])
    link &= seg.same_as_previous()
    runs = run_length(link, seg) + 1
    return np.where(v != 0, runs, 0)


def two_in_three(close: np.ndarray, rtm: np.ndarray, seg: Segments) -> np.ndarray:
    """1 for every point of a window of 3 with at least 2 ``close`` points, all on one side.

    Windows never extend past the ends of a segment. The non-close point of a window is marked
    too; :func:`part_of_two_in_three` keeps only the close ones.
    """
    n = len(close)
    out = np.zeros(n, dtype=np.int8)
    if n < 3:
        return out
    c = np.asarray(close, dtype=np.int8)
    r = np.asarray(rtm, dtype=np.int8)
    c3 = c[:-2] + c[1:-1] + c[2:]
    r3 = r[:-2] + r[1:-1] + r[2:]
    # a window starting at s qualifies if it lies inside one segment
    q = (c3 >= 2) & (np.abs(r3) == 3) & (seg.last[:-2] >= np.arange(2, n))
    out[:-2] |= q
    out[1:-1] |= q
    out[2:] |= q
    return out


def part_of_two_in_three(two3: np.ndarray, close: np.ndarray) -> np.ndarray:
    """Flag only the points of a qualifying window that are themselves beyond 2 sigma."""
    return ((np.asarray(two3) != 0) & (np.asarray(close) != 0)).astype(int)


def special_cause_codes(
    y: np.ndarray,
    rtm: np.ndarray,
    outside: np.ndarray,
    part_trend: np.ndarray,
    part_two3: np.ndarray,
    part_shift: np.ndarray,
    seg: Segments,
) -> np.ndarray:
    """Combine the rules with precedence outside limits > trend > 2 of 3 > shift.

    The direction of a trend point is the sign of (next - this) when the next point is part of
    a trend too, else the sign of (this - previous), so a shared peak takes the right-hand side.
    Codes come in (above, below) pairs, so a code is the rule's first code plus 1 for "below".
    """
    n = len(y)
    pt = np.asarray(part_trend) != 0
    outside = np.asarray(outside) != 0
    nxt_in_trend = np.zeros(n, dtype=bool)
    nxt_in_trend[:-1] = pt[1:]
    nxt_in_trend &= np.arange(n) < seg.last
    forward = np.zeros(n)
    forward[:-1] = np.diff(y)
    backward = np.diff(y, prepend=np.nan)
    trend_down = ~(np.where(nxt_in_trend, forward, backward) > 0)

    rule = np.where(np.asarray(part_shift) != 0, SHIFT_ABOVE, COMMON).astype(np.int8)
    rule[np.asarray(part_two3) != 0] = TWO3_ABOVE
    rule[pt] = TREND_UP
    rule[outside] = ABOVE_UCL
    below = np.where(rule == TREND_UP, trend_down, np.where(rule == ABOVE_UCL, rtm != 1, rtm <= 0))
    return (rule + (below & (rule != COMMON))).astype(np.int8)
