"""How much a command says on stderr before its answer.

By default the engine's notes on the input (published scores standing in for the national
population, where the cut points came from) are folded into one summary line; ``--verbose``
prints each in full and ``--quiet`` prints none. Any other warning is printed as it is. The full
notes are always in JSON output (``meta.warnings``) and on the dashboard's method page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LEVELS = ("quiet", "normal", "verbose")
_state = {"level": "normal"}

_STAND_IN = re.compile(r"(?:^|: )(\w+) \([^)]*\): the national scoring population is not in the input")
_OWN_POPULATION = re.compile(r"(?:^|: )(\w+) \([^)]*\) is scored over every trust nationally")
_IMPLIED = re.compile(r"cut points implied by the published segments, (\d+\.\d+ / \d+\.\d+ / \d+\.\d+)")
_QUARTILES = re.compile(r"cut points are quartiles of the (\d+) trusts in the input")


def set_level(level: str) -> None:
    """Set how much is said (``quiet``, ``normal`` or ``verbose``) for this run."""
    if level not in LEVELS:
        raise ValueError(level)
    _state["level"] = level


def level() -> str:
    return _state["level"]


def summarise(messages: Iterable[str]) -> tuple[str | None, list[str]]:
    """Fold the engine's notes on stand-ins and cut points into one line; return it and the rest.

    Pure: the same messages give the same line. The line names how many metrics use published
    scores as stand-ins, how many were scored over the trusts given, and the cut points used.
    """
    stand_in: set[str] = set()
    own: set[str] = set()
    cuts: list[str] = []
    partial = False
    rest: list[str] = []
    for m in dict.fromkeys(messages):
        if (hit := _STAND_IN.search(m)) or "have no published score and were scored over the trusts given" in m:
            if hit:
                stand_in.add(hit.group(1))
        elif hit := _OWN_POPULATION.search(m):
            own.add(hit.group(1))
        elif "does not hold the whole nation" in m:
            partial = True
        elif hit := _IMPLIED.search(m):
            cuts.append(f"cut points {hit.group(1)} implied by the published segments")
        elif hit := _QUARTILES.search(m):
            cuts.append(f"cut points are quartiles of the {hit.group(1)} trusts given")
        else:
            rest.append(m)
    parts = []
    if stand_in:
        parts.append(f"NHS England's published scores stand in for {_count(len(stand_in))}")
    if own:
        parts.append(f"{_count(len(own))} scored over the trusts given only")
    parts.extend(dict.fromkeys(cuts))
    if not parts and not partial:
        return None, rest
    head = "the input is not the whole nation" if partial else "notes on the input"
    line = f"{head}: {'; '.join(parts)}" if parts else head
    return f"{line} (details with --verbose)", rest


def _count(n: int) -> str:
    return f"{n} metric" if n == 1 else f"{n} metrics"
