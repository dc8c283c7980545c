"""Special-cause rule helpers: statistics.md 1.9 (a), copied from NHSRplotthedots' unit tests."""

from __future__ import annotations

import numpy as np
import pytest

from nhs_oversight.stats.spc import rules as R
from nhs_oversight.stats.spc.segments import Segments, part_of_window, run_length


def single(n: int) -> Segments:
    return Segments.single(n)


@pytest.mark.parametrize(
    ("rtm", "expected"),
    [
        ([1] * 6, [0] * 6),
        ([1] * 6 + [-1], [0] * 7),
        ([1] * 8 + [-1], [0, 0, 0, 0, 0, 0, 1, 1, 0]),
        ([-1] * 8 + [1], [0, 0, 0, 0, 0, 0, 1, 1, 0]),
    ],
)
def test_seven_point_one_side_mean(rtm, expected):
    rtm = np.array(rtm)
    assert R.shift_ends(rtm, single(len(rtm)), 7).tolist() == expected


@pytest.mark.parametrize(
    ("ends", "expected"),
    [
        ([0] * 6 + [1, 0], [1] * 7 + [0]),
        ([0] * 7 + [1, 0], [0] + [1] * 7 + [0]),
        ([0] * 6 + [-1, 0], [1] * 7 + [0]),
    ],
)
def test_part_of_seven_trend(ends, expected):
    ends = np.array(ends)
    assert part_of_window(ends, single(len(ends)), 7).astype(int).tolist() == expected


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        (list(range(1, 7)), [0] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),  # a tie breaks the trend
        (list(range(1, 8)), [0] * 6 + [1]),
        ([2, 1, 2, 3, 4, 5, 6, 7, 3], [0] * 7 + [1, 0]),
        (list(range(7, 0, -1)), [0] * 6 + [-1]),
        ([2, 7, 6, 5, 4, 3, 2, 1, 3], [0] * 7 + [-1, 0]),
    ],
)
def test_seven_point_trend(y, expected):
    y = np.array(y, dtype=float)
    assert R.trend_ends(y, single(len(y)), 7).tolist() == expected


@pytest.mark.parametrize(
    ("close", "rtm", "expected"),
    [
        ([1, 0, 1], [1, 1, 1], [1, 1, 1]),
        ([0, 1, 1], [1, 1, 1], [1, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 1]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 1, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 1, 1, 1, 1, 0, 0]),
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
        ([1, 0, 1], [-1, 1, 1], [0, 0, 0]),
        ([1, 0, 1], [1, 1, -1], [0, 0, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
    ],
)
def test_two_in_three(close, rtm, expected):
    close, rtm = np.array(close), np.array(rtm)
    assert R.two_in_three(close, rtm, single(len(close))).tolist() == expected


@pytest.mark.parametrize(
    ("close", "expected"),
    [
        ([1, 0, 0, 1], [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [0, 0, 0, 1, 1]),
        ([0, 0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0]),
    ],
)
def test_part_of_two_in_three(close, expected):
    close = np.array(close)
    rtm = np.ones(len(close), dtype=int)
    two3 = R.two_in_three(close, rtm, single(len(close)))
    assert R.part_of_two_in_three(two3, close).tolist() == expected


def test_precedence_and_labels_with_mocked_helpers():
    y = np.arange(1, 9, dtype=float)
    rtm = np.array([1, 1, 1, 1, -1, -1, -1, -1])
    outside = np.array([0, 0, 0, 0, 0, 1, -1, 0])
    part_trend = np.array([1, -1, 0, 0, 0, 0, 0, 0])
    part_shift = np.array([0, 0, 1, -1, 0, 0, 0, 0])
    part_two3 = np.array([0, 0, 0, 0, 1, 0, 0, 0])
    codes = R.special_cause_codes(y, rtm, outside, part_trend, part_two3, part_shift, single(8))
    assert R.labels()[codes].tolist() == [
        "7 Point Trend (Increasing)",
        "7 Point Trend (Increasing)",
        "7 Points Above CL",
        "7 Points Above CL",
        "2 in 3 Below CL",
        "Below LCL",
        "Below LCL",
        "Common Cause",
    ]


def test_shared_peak_takes_the_right_hand_side():
    # up 7 points to a peak then down 7 points: the peak belongs to the falling trend
    y = np.array([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1], dtype=float)
    seg = single(len(y))
    part = part_of_window(R.trend_ends(y, seg), seg, 7)
    zeros = np.zeros(len(y), dtype=int)
    codes = R.special_cause_codes(y, np.sign(y - 4).astype(int), zeros, part, zeros, zeros, seg)
    labels = R.labels()[codes]
    assert labels[5] == "7 Point Trend (Increasing)"
    assert labels[6] == "7 Point Trend (Decreasing)"
    assert labels[12] == "7 Point Trend (Decreasing)"


def test_run_length_counts_within_segments():
    cond = np.array([True, True, False, True, True, True])
    seg = Segments.from_breaks(np.array([True, False, False, False, True, False]))
    assert run_length(cond, seg).tolist() == [1, 2, 0, 1, 1, 2]


def test_rules_never_cross_series_boundaries():
    # 4 rising points then 4 more rising points in the next series: no 7-point trend
    y = np.arange(1, 9, dtype=float)
    seg = Segments.from_breaks(np.array([True, False, False, False, True, False, False, False]))
    assert not R.trend_ends(y, seg).any()
    assert not R.shift_ends(np.ones(8, dtype=int), seg).any()
    close = np.array([0, 0, 0, 1, 1, 0, 0, 0])
    assert not R.two_in_three(close, np.ones(8, dtype=int), seg).any()


def test_point_on_the_mean_breaks_a_run():
    rtm = np.array([1, 1, 1, 0, 1, 1, 1, 1])
    assert not R.shift_ends(rtm, single(8)).any()
    assert R.shift_ends(np.array([1] * 7), single(7)).tolist() == [0] * 6 + [1]


def test_configurable_lengths():
    rtm = np.array([1] * 6 + [-1])
    assert R.shift_ends(rtm, single(7), 6).tolist() == [0, 0, 0, 0, 0, 1, 0]
    y = np.arange(6, dtype=float)
    assert R.trend_ends(y, single(6), 6).tolist() == [0] * 5 + [1]
    assert R.labels(6, 5)[R.SHIFT_ABOVE] == "6 Points Above CL"
    assert R.labels(6, 5)[R.TREND_DOWN] == "5 Point Trend (Decreasing)"
