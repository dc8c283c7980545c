"""Which edition of a monthly statistic wins when two files cover the same month.

NHS England republishes some months as *revised* editions (late submissions, corrections). The
files carry no edition field inside, so the edition is read from the file name and the order in
which files arrive:

1. a file whose name says ``revised`` (``...-revised.csv``, ``..._Revised_2.csv``,
   ``...-revised-100924.csv``) beats one that does not;
2. between two revised files, the larger revision stamp (the digits after ``revised``; a six- or
   eight-digit date is read as ``ddmmyy``/``ddmmyyyy``) wins;
3. otherwise the later file wins: later on the command line, or loaded later into the history.

An original edition therefore never displaces its revision, whatever the order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_REVISED = re.compile(r"revis(?:ed|ion)[\s_\-]*(\d+)?", re.I)


@dataclass(frozen=True, order=True)
class Edition:
    """An orderable edition key: (revised, stamp). ``arrival`` breaks remaining ties."""

    revised: bool
    stamp: str = ""

    def describe(self) -> str:
        if not self.revised:
            return "original"
        return f"revised {self.stamp}".strip()


def _stamp(digits: str | None) -> str:
    if not digits:
        return ""
    if len(digits) == 6:  # ddmmyy
        return f"20{digits[4:6]}{digits[2:4]}{digits[0:2]}"
    if len(digits) == 8 and not digits.startswith(("19", "20")):  # ddmmyyyy
        return f"{digits[4:8]}{digits[2:4]}{digits[0:2]}"
    return digits.zfill(8)


def edition_of(path: str | Path) -> Edition:
    """The edition a file name announces (``original`` unless it says ``revised``)."""
    m = _REVISED.search(Path(path).name)
    if not m:
        return Edition(False)
    return Edition(True, _stamp(m.group(1)))


@dataclass(frozen=True)
class Candidate:
    """One file's claim to a month: its edition and arrival order."""

    name: str
    edition: Edition
    arrival: int


def winner(candidates: Sequence[Candidate]) -> Candidate:
    """The edition that counts: highest (revised, stamp), then latest arrival."""
    return max(candidates, key=lambda c: (c.edition, c.arrival))


def replacement_note(kind: str, month: str, kept: Candidate, dropped: Candidate) -> str:
    return (
        f"{kind} {month}: {kept.name} ({kept.edition.describe()}) replaces "
        f"{dropped.name} ({dropped.edition.describe()})"
    )
