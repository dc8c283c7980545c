"""The briefing's arithmetic: counting trusts by segment and group from an assessment.

Every segment, score and flag is read from the assessment's ``summary`` and ``metrics`` tables;
this module only counts them (by segment, region, ICB, trust type) and picks the largest
shares. No score, average or segment is computed here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from nhs_oversight.engine import Assessment
from nhs_oversight.engine.groupings import GROUPINGS
from nhs_oversight.engine.segments import SEGMENTS

#: Segments read as "the bottom" of the framework: segment 4 and the Recovery Support Programme.
BOTTOM = (4, 5)
TOP = (1,)
#: Groups smaller than this are left out of comparisons between groups (and the text says so).
MIN_GROUP = 3

def unsegmented(summary: pd.DataFrame) -> int:
    return int(summary["final_segment"].isna().sum())


def labelled(a: Assessment) -> pd.DataFrame:
    """The summary with group names filled in: trust-type labels, and ICB codes where a name is
    missing. Read once and passed to :func:`available` and :func:`group_table`."""
    s = a.summary.copy()
    s["trust_type_label"] = s["trust_type"].map(a.framework.trust_type_label)
    for col in ("region", "icb_name", "icb_code"):
        s[col] = s[col].fillna("").astype(str).str.strip()
    s["icb_name"] = s["icb_name"].where(s["icb_name"] != "", s["icb_code"])
    return s


def available(summary: pd.DataFrame, by: str) -> bool:
    """Whether the input names the groups of this breakdown for at least one trust."""
    return bool((summary[GROUPINGS[by].name_column] != "").any())


def group_table(summary: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per group: ``group``, ``code``, ``trusts``, ``segment_1`` ... ``segment_5``,
    ``bottom`` (in segment 4 or 5), ``top`` (in segment 1), ``small`` (fewer than
    :data:`MIN_GROUP` trusts), ordered by group name. Trusts with no group are ``not given``.

    ``summary`` is :func:`labelled` output."""
    name_col, code_col = GROUPINGS[by].name_column, GROUPINGS[by].code_column
    names = [n if n != "" else "not given" for n in summary[name_col]]
    codes = list(summary[code_col]) if code_col else [""] * len(summary)
    segments = [None if pd.isna(x) else int(x) for x in summary["final_segment"]]
    tally: dict[tuple[str, str], Counter] = {}
    for key, seg in zip(zip(names, codes, strict=True), segments, strict=True):
        tally.setdefault(key, Counter())[seg] += 1
    rows = []
    for (group, code), c in sorted(tally.items()):
        rows.append(
            {
                "group": group,
                "code": code or None,
                "trusts": sum(c.values()),
                **{f"segment_{k}": c[k] for k in SEGMENTS},
                "bottom": sum(c[k] for k in BOTTOM),
                "top": sum(c[k] for k in TOP),
                "small": sum(c.values()) < MIN_GROUP,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Largest:
    """The group(s) with the largest share of their trusts in some segments."""

    winners: pd.DataFrame  # rows of the group table, tied at the largest share
    compared: int  # groups compared (those with at least MIN_GROUP trusts)
    share: Fraction


def largest_share(table: pd.DataFrame, column: str) -> Largest:
    """Groups with the largest ``column / trusts`` among groups of :data:`MIN_GROUP` or more;
    ties (exactly equal fractions) are all returned."""
    eligible = table[~table["small"]]
    if eligible.empty:
        return Largest(eligible, 0, Fraction(0))
    shares = [Fraction(int(n), int(d)) for n, d in zip(eligible[column], eligible["trusts"], strict=True)]
    best = max(shares)
    mask = [x == best for x in shares]
    return Largest(eligible[mask].reset_index(drop=True), len(eligible), best)


@dataclass(frozen=True)
class Override:
    """What the financial override did (all read from the summary's flag and override columns)."""

    moved: int  # trusts whose segment the override changed
    moved_from: dict[int, int]  # by unadjusted segment
    moved_now_in_5: int  # of those, in the Recovery Support Programme
    flagged: int  # trusts flagged as in deficit or receiving deficit support
    flagged_unaffected: int  # flagged trusts already in segment 3 or 4 before the override
    flag_missing: int  # trusts with no flag in the input
    unadjusted: dict[int, int]  # segment counts 1-4 before the override
    adjusted: dict[int, int]  # and after


def override(a: Assessment) -> Override:
    s = a.summary
    applied = s["financial_override"].astype(bool)
    flag = s["financial_flag"]
    flagged = flag.fillna(0).astype(int) == 1
    from_counts = s.loc[applied, "unadjusted_segment"].value_counts()
    cap_from = a.framework.financial_override.segments if a.framework.financial_override else (1, 2)
    return Override(
        moved=int(applied.sum()),
        moved_from={int(k): int(from_counts.get(k, 0)) for k in cap_from},
        moved_now_in_5=int((applied & (s["final_segment"] == 5)).sum()),
        flagged=int(flagged.sum()),
        flagged_unaffected=int((flagged & ~applied).sum()),
        flag_missing=int(flag.isna().sum()),
        unadjusted={k: v for k, v in a.segment_totals("unadjusted_segment").items() if k < 5},
        adjusted={k: v for k, v in a.segment_totals("adjusted_segment").items() if k < 5},
    )


def recovery_support(a: Assessment) -> dict[int, int]:
    """Trusts in segment 5, by the segment they would otherwise have (adjusted segment)."""
    s = a.summary
    in5 = s[s["final_segment"] == 5]
    counts = in5["adjusted_segment"].value_counts()
    return {int(k): int(counts[k]) for k in sorted(counts.index)}


@dataclass(frozen=True)
class WorstMetrics:
    """For one segment: the metric(s) most often a trust's worst (or joint worst) score."""

    segment: int
    trusts: int
    metrics: tuple[tuple[str, str], ...]  # (score_id, short name), tied at the top
    times: int  # how many of the segment's trusts have it as a worst score


def worst_metrics(a: Assessment) -> list[WorstMetrics]:
    """Per final segment, the metric that is most often among a trust's highest (worst) scores
    entering its average; a trust with several metrics tied at its worst counts for each."""
    m = a.metrics[a.metrics["in_average"].astype(bool)][["org_code", "score_id", "score_2dp"]]
    worst = m.groupby("org_code")["score_2dp"].transform("max")
    at_worst = m[m["score_2dp"] == worst]
    seg = a.summary.set_index("org_code")["final_segment"]
    at_worst = at_worst.assign(segment=at_worst["org_code"].map(seg))
    names = {x.score_id: x.short_name for x in a.framework.metrics}
    order = {x.score_id: i for i, x in enumerate(a.framework.metrics)}
    out = []
    sizes = a.segment_totals()
    for k in SEGMENTS:
        if sizes[k] == 0:
            continue
        hits = at_worst[at_worst["segment"] == k].groupby("score_id")["org_code"].nunique()
        if hits.empty:
            continue
        top = int(hits.max())
        ids = sorted(hits[hits == top].index, key=lambda i: order.get(i, len(order)))
        out.append(WorstMetrics(k, sizes[k], tuple((i, names.get(i, i)) for i in ids), top))
    return out


def source_files(a: Assessment) -> list[str]:
    """File names (without folders) the assessment was read from."""
    from pathlib import Path

    return [Path(f).name for f in a.inputs.files]
