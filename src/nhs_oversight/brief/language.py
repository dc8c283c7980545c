"""Careful plain English for figures: words below ten, shares with their base, plurals, lists.

These are the house conventions of the briefing, kept in one place so that every sentence
follows them: "six of 14", "23% (31 of 134)", "A, B and C".
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

#: Irregular plurals used in the briefing; anything else takes an "s".
_PLURALS = {"trust": "trusts", "ICB": "ICBs", "region": "regions", "metric": "metrics"}


def number(n: int) -> str:
    """A count as people write it: ``none``, words from one to nine, digits from 10."""
    n = int(n)
    if n == 0:
        return "none"
    if 1 <= n <= 9:
        return WORDS[n]
    return f"{n:,}"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """The noun alone, singular or plural for ``n``."""
    if int(n) == 1:
        return singular
    return plural_form or _PLURALS.get(singular, singular + "s")


def count(n: int, singular: str, plural_form: str | None = None) -> str:
    """``six trusts``, ``one trust``, ``no trusts``, ``14 trusts``."""
    n = int(n)
    noun = plural(n, singular, plural_form)
    return f"no {noun}" if n == 0 else f"{number(n)} {noun}"


def of(n: int, base: int) -> str:
    """``six of 14``; ``none of 14``."""
    return f"{number(n)} of {number(base)}"


def percent(n: int, base: int) -> float | int:
    """The share shown to readers: a whole percentage, or one decimal where rounding would
    print 0% for a non-zero count or 100% for less than all."""
    if base <= 0:
        raise ValueError("a share needs a positive base")
    exact = Decimal(int(n)) * 100 / Decimal(int(base))
    whole = int(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if (whole == 0 and n > 0) or (whole == 100 and n < base):
        return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return whole


def share(n: int, base: int) -> str:
    """``23% (31 of 134)``: a percentage always with its base."""
    return f"{percent(n, base)}% ({of(n, base)})"


def join(items: Sequence[str], conjunction: str = "and") -> str:
    """``A``, ``A and B``, ``A, B and C`` (no serial comma)."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def capitalise(text: str) -> str:
    """Upper-case the first letter only (names and codes later in the text stay as they are)."""
    return text[:1].upper() + text[1:] if text else text


def score(x: float) -> str:
    """A score or average to two decimal places, as published."""
    return f"{float(x):.2f}"


def segments_phrase(segments: Sequence[int]) -> str:
    """``segment 4``, ``segments 4 and 5``."""
    segs = [str(int(s)) for s in segments]
    return f"segment {segs[0]}" if len(segs) == 1 else f"segments {join(segs)}"
