"""Bookkeeping for many series laid end to end in one array.

Every SPC step works on a flat array of values sorted by series then date. A *segment* is one
(series, rebase period): rules and limits never look across a segment boundary. The helpers here
turn "within the segment" questions into prefix sums and running maxima, so that thousands of
series are handled by a few numpy calls instead of a Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Segments:
    """Where each segment starts and ends, for a flat array of ``n`` points.

    Attributes
    ----------
    ids : ndarray of int
        Segment number of each point (0, 1, 2, ...; non-decreasing).
    first, last : ndarray of int
        Index of the first and last point of each point's segment.
    position : ndarray of int
        Position of each point within its segment (0-based).
    starts : ndarray of int
        Index of the first point of every segment (one entry per segment).
    """

    ids: np.ndarray
    first: np.ndarray
    last: np.ndarray
    position: np.ndarray
    starts: np.ndarray

    @classmethod
    def from_breaks(cls, new_segment: np.ndarray) -> Segments:
        """Build from a boolean array that is True on the first point of every segment.

        Parameters
        ----------
        new_segment : ndarray of bool
            True where a segment starts. The first element is treated as True.
        """
        n = len(new_segment)
        starts_mask = np.asarray(new_segment, dtype=bool).copy()
        if n:
            starts_mask[0] = True
        starts = np.flatnonzero(starts_mask)
        ids = np.cumsum(starts_mask) - 1
        ends = np.r_[starts[1:] - 1, n - 1] if n else np.empty(0, dtype=int)
        first = starts[ids] if n else np.empty(0, dtype=int)
        last = ends[ids] if n else np.empty(0, dtype=int)
        return cls(ids=ids, first=first, last=last, position=np.arange(n) - first, starts=starts)

    @classmethod
    def single(cls, n: int) -> Segments:
        """One segment covering all ``n`` points (a single series without rebasing)."""
        return cls.from_breaks(np.zeros(n, dtype=bool))

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def count(self) -> int:
        """Number of segments."""
        return len(self.starts)

    @property
    def sizes(self) -> np.ndarray:
        """Number of points in each segment."""
        return np.diff(np.r_[self.starts, len(self.ids)])

    def is_first(self) -> np.ndarray:
        """True on the first point of each segment."""
        return self.position == 0

    def same_as_previous(self) -> np.ndarray:
        """True where the previous point belongs to the same segment."""
        return self.position > 0


def run_length(cond: np.ndarray, seg: Segments) -> np.ndarray:
    """Number of consecutive True values of ``cond`` ending at each point, within its segment.

    Zero wherever ``cond`` is False. Example: ``[T, T, F, T]`` gives ``[1, 2, 0, 1]``.
    """
    n = len(cond)
    idx = np.arange(n)
    last_false = np.maximum.accumulate(np.where(cond, -1, idx)) if n else idx
    last_break = np.maximum(last_false, seg.first - 1)
    return idx - last_break


def part_of_window(ends: np.ndarray, seg: Segments, width: int) -> np.ndarray:
    """Mark every point of each qualifying window of ``width`` points.

    ``ends`` is nonzero at the last point of a window that meets a rule. A point is part of a
    qualifying window if it, or any of the next ``width - 1`` points of its segment, ends one.
    """
    n = len(ends)
    idx = np.arange(n)
    cs = np.r_[0, np.cumsum(np.asarray(ends) != 0)]
    hi = np.minimum(idx + width - 1, seg.last)
    return (cs[hi + 1] - cs[idx]) > 0


def segment_sum(values: np.ndarray, seg: Segments) -> np.ndarray:
    """Sum of ``values`` in each segment (one entry per segment; segments are contiguous)."""
    if not len(values):
        return np.zeros(0)
    return np.add.reduceat(np.asarray(values, dtype=float), seg.starts)


def segment_mean(values: np.ndarray, use: np.ndarray, seg: Segments) -> np.ndarray:
    """Mean of ``values`` where ``use`` is True, per segment (NaN if no value is used).

    A second pass adds the mean residual, as R's ``mean()`` does, so that a constant series has
    a mean exactly equal to its value (a point "on the mean" matters to the run rule).
    """
    n = segment_sum(use, seg)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = segment_sum(np.where(use, values, 0.0), seg) / n
        resid = np.where(use, values - m[seg.ids], 0.0)
        m = m + segment_sum(resid, seg) / n
    return m
