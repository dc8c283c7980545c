"""Why an organisation's segment or rank differs between two methods, in plain English.

Only reads the two assessments' intermediate values (averages, cut points, override, ranks);
nothing is recomputed here.
"""

from __future__ import annotations

import numpy as np


def _between(u_from: int, u_to: int) -> range:
    """Indices of the cut points between two segments (cut k-1 separates segments k and k+1)."""
    lo, hi = sorted((u_from, u_to))
    return range(lo - 1, hi - 1)


def _cut_names(ks: range) -> str:
    names = [f"{k + 1}/{k + 2}" for k in ks]
    return ("the " + " and ".join(names) + " cut point" + ("s" if len(names) > 1 else ""))


def _cut_values(cuts: np.ndarray, ks: range) -> str:
    return " and ".join(f"{cuts[k]:.4g}" for k in ks)


def reason(row: dict, cuts_a: np.ndarray, cuts_b: np.ndarray, why_absent_a: str = "", why_absent_b: str = "") -> str:
    """One sentence for one organisation; ``row`` holds the ``*_a`` / ``*_b`` columns of the comparison."""
    if not row["in_a"]:
        return "only assessed under B" + (f" ({why_absent_a})" if why_absent_a else "")
    if not row["in_b"]:
        return "only assessed under A" + (f" ({why_absent_b})" if why_absent_b else "")
    avg_a, avg_b = row["average_a"], row["average_b"]
    ua, ub, sa, sb = (int(row[k]) for k in ("unadjusted_a", "unadjusted_b", "segment_a", "segment_b"))
    oa, ob = bool(row["override_a"]), bool(row["override_b"])
    avg_changed = abs(avg_a - avg_b) > 1e-9
    parts = []
    if ua != ub:
        ks = _between(ua, ub)
        moved_cut = bool(np.any(np.abs(cuts_a[list(ks)] - cuts_b[list(ks)]) > 1e-9))
        if avg_changed and moved_cut:
            cause = f"average {avg_a:.2f} → {avg_b:.2f} and {_cut_names(ks)} {_cut_values(cuts_a, ks)} → {_cut_values(cuts_b, ks)}"
        elif avg_changed:
            cause = f"average {avg_a:.2f} → {avg_b:.2f} crosses {_cut_names(ks)} ({_cut_values(cuts_b, ks)})"
        else:
            cause = f"same average {avg_a:.2f}; {_cut_names(ks)} moves {_cut_values(cuts_a, ks)} → {_cut_values(cuts_b, ks)}"
        parts.append(f"{cause}: segment {ua} → {ub} before the financial override")
    if oa and not ob and ub in (1, 2):
        parts.append("the financial override no longer caps it at segment 3")
    elif ob and not oa:
        parts.append(f"the financial override now caps it at segment {sb}")
    if sa == sb:
        if parts:
            parts.append(f"segment stays {sa}" + (" (financial override)" if oa and ob else ""))
        elif row["rank_a"] != row["rank_b"]:
            moved = f"average {avg_a:.2f} → {avg_b:.2f}" if avg_changed else "same average; other organisations moved"
            parts.append(f"same segment {sa}; {moved}; rank {row['rank_a']} → {row['rank_b']}")
        else:
            parts.append("no change" if not avg_changed else f"same segment and rank; average {avg_a:.2f} → {avg_b:.2f}")
    if row["final_segment_a"] == 5 and row["final_segment_b"] == 5:
        parts.append("final segment 5 (Recovery Support Programme) under both")
    return "; ".join(parts)
