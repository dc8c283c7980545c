"""The briefing's language rules: words below ten, shares with their base, plurals, lists."""

from __future__ import annotations

import pytest

from nhs_oversight.brief import language as L


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "none"), (1, "one"), (6, "six"), (9, "nine"), (10, "10"), (14, "14"), (134, "134"), (2000, "2,000")],
)
def test_numbers_in_words_below_ten(n, text):
    assert L.number(n) == text


def test_counts_and_plurals():
    assert L.count(0, "trust") == "no trusts"
    assert L.count(1, "trust") == "one trust"
    assert L.count(6, "trust") == "six trusts"
    assert L.count(14, "ICB") == "14 ICBs"
    assert L.count(1, "fewer trust", "fewer trusts") == "one fewer trust"
    assert L.count(3, "fewer trust", "fewer trusts") == "three fewer trusts"


def test_of_uses_words_for_both_sides_below_ten():
    assert L.of(6, 14) == "six of 14"
    assert L.of(0, 8) == "none of eight"
    assert L.of(31, 134) == "31 of 134"


@pytest.mark.parametrize(
    ("n", "base", "text"),
    [
        (31, 134, "23% (31 of 134)"),  # 23.13...
        (1, 8, "13% (one of eight)"),  # 12.5 rounds half up
        (3, 8, "38% (three of eight)"),  # 37.5
        (0, 8, "0% (none of eight)"),
        (8, 8, "100% (eight of eight)"),
        (1, 300, "0.3% (one of 300)"),  # would print 0% for a non-zero count
        (299, 300, "99.7% (299 of 300)"),  # would print 100% for less than all
    ],
)
def test_shares_carry_their_base(n, base, text):
    assert L.share(n, base) == text


def test_a_share_needs_a_base():
    with pytest.raises(ValueError):
        L.percent(1, 0)


def test_lists_and_capitals():
    assert L.join([]) == ""
    assert L.join(["London"]) == "London"
    assert L.join(["London", "Midlands"]) == "London and Midlands"
    assert L.join(["A", "B", "C"], "or") == "A, B or C"
    assert L.capitalise("six trusts in NHS X ICB") == "Six trusts in NHS X ICB"
    assert L.score(1.6) == "1.60"
    assert L.segments_phrase([4]) == "segment 4"
    assert L.segments_phrase([4, 5]) == "segments 4 and 5"
