"""A literal, one-series-at-a-time transcription of statistics.md section 1.

It is deliberately plain Python: it exists to check the vectorised engine independently (the
property tests compare the two) and as the per-series baseline in ``benchmarks/bench_spc.py``.
Use :func:`nhs_oversight.stats.spc.spc` for real work.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _mean(xs: Sequence[float]) -> float:
    if not xs:
        return math.nan
    m = sum(xs) / len(xs)
    return m + sum(x - m for x in xs) / len(xs)


def _part_of(ends: list[int], width: int) -> list[bool]:
    n = len(ends)
    return [any(ends[j] != 0 for j in range(i, min(i + width, n))) for i in range(n)]


def _segment(
    y: list[float], fix_after: int | None, screen: bool, mdc2023: bool, run: int, trend: int
) -> dict[str, list]:
    n = len(y)
    fy = y[:fix_after] if fix_after else list(y)
    mean = _mean(fy)
    mr = [abs(fy[i] - fy[i - 1]) for i in range(1, len(fy))]
    amr = sum(mr) / len(mr) if mr else math.nan
    no_variation = amr == 0
    if screen and mr and not no_variation:
        kept = [m for m in mr if m < 3.267 * amr]
        amr = sum(kept) / len(kept) if kept else math.nan
    lpl, upl = mean - 2.66 * amr, mean + 2.66 * amr
    nlpl, nupl = mean - 2 * 2.66 / 3 * amr, mean + 2 * 2.66 / 3 * amr

    rtm = [_sign(v - mean) for v in y]
    out = [(v > upl) or (v < lpl) for v in y]
    close = [((v < nlpl) or (v > nupl)) and (mdc2023 or not o) for v, o in zip(y, out, strict=True)]

    trend_end = [0] * n
    for i in range(trend - 1, n):
        d = [_sign(y[j] - y[j - 1]) for j in range(i - trend + 2, i + 1)]
        if all(x > 0 for x in d):
            trend_end[i] = 1
        elif all(x < 0 for x in d):
            trend_end[i] = -1
    part_trend = _part_of(trend_end, trend)

    shift_end = [0] * n
    for i in range(run - 1, n):
        window = rtm[i - run + 1 : i + 1]
        if window[0] != 0 and all(r == window[0] for r in window):
            shift_end[i] = 1
    part_shift = _part_of(shift_end, run)

    two3 = [False] * n
    for s in range(n - 2):
        if sum(close[s : s + 3]) >= 2 and abs(sum(rtm[s : s + 3])) == 3:
            for j in range(s, s + 3):
                two3[j] = True
    part_two3 = [t and c for t, c in zip(two3, close, strict=True)]

    labels = []
    for i in range(n):
        if no_variation:
            labels.append("Common Cause")
        elif out[i]:
            labels.append("Above UCL" if rtm[i] == 1 else "Below LCL")
        elif part_trend[i]:
            if i + 1 < n and part_trend[i + 1]:
                s = _sign(y[i + 1] - y[i])
            else:
                s = _sign(y[i] - y[i - 1])
            labels.append(f"{trend} Point Trend ({'Increasing' if s == 1 else 'Decreasing'})")
        elif part_two3[i]:
            labels.append("2 in 3 Above CL" if rtm[i] > 0 else "2 in 3 Below CL")
        elif part_shift[i]:
            labels.append(f"{run} Points {'Above' if rtm[i] > 0 else 'Below'} CL")
        else:
            labels.append("Common Cause")
    return {
        "mean": [mean] * n,
        "lpl": [lpl] * n,
        "upl": [upl] * n,
        "special_cause": labels,
        "relative_to_mean": rtm,
    }


def point_type(label: str, direction: int) -> str:
    """Point type from a label and a direction (+1, -1 or 0)."""
    v = 1 if ("Above" in label or "Increasing" in label) else -1 if ("Below" in label or "Decreasing" in label) else 0
    if direction == 0:
        return {1: "special_cause_neutral_high", -1: "special_cause_neutral_low"}.get(v, "common_cause")
    v *= direction
    return {1: "special_cause_improvement", -1: "special_cause_concern"}.get(v, "common_cause")


def spc_one(
    y: Sequence[float],
    direction: int = 1,
    rebase_at: Sequence[int] = (),
    fix_after: int | None = None,
    screen: bool = True,
    rules: str = "ptd",
    run_length: int = 7,
    trend_length: int = 7,
    target: float | None = None,
) -> dict[str, list]:
    """SPC of one series already sorted by date.

    ``rebase_at`` holds 0-based positions that start a new period. Returns lists per point plus
    ``variation_icon`` and ``assurance`` (strings) for the series.
    """
    y = [float(v) for v in y]
    cuts = [*sorted({0, *[p for p in rebase_at if 0 < p < len(y)]}), len(y)]
    out: dict[str, list] = {"mean": [], "lpl": [], "upl": [], "special_cause": [], "relative_to_mean": []}
    for a, b in pairwise(cuts):
        part = _segment(y[a:b], fix_after, screen, rules == "mdc2023", run_length, trend_length)
        for k in out:
            out[k].extend(part[k])
    out["point_type"] = [point_type(lab, direction) for lab in out["special_cause"]]
    last = out["point_type"][-1] if y else "common_cause"
    if last == "special_cause_improvement":
        icon = "improvement_high" if direction > 0 else "improvement_low"
    elif last == "special_cause_concern":
        icon = "concern_low" if direction > 0 else "concern_high"
    elif last == "special_cause_neutral_high":
        icon = "neutral_high"
    elif last == "special_cause_neutral_low":
        icon = "neutral_low"
    else:
        icon = "common_cause"
    if target is None or (isinstance(target, float) and math.isnan(target)):
        assurance = "no_target"
    elif direction == 0:
        assurance = "not_applicable"
    else:
        lpl, upl = out["lpl"][-1], out["upl"][-1]
        if target > upl:
            assurance = "consistent_fail" if direction > 0 else "consistent_pass"
        elif target < lpl:
            assurance = "consistent_pass" if direction > 0 else "consistent_fail"
        else:
            assurance = "inconsistent"
    out["variation_icon"] = icon
    out["assurance"] = assurance
    return out
