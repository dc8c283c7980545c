"""How the segment was reached, step by step: the headline sentence and the numbers behind it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from nhs_oversight.engine import Assessment
from nhs_oversight.explain.formatting import cut_text, is_missing, type_plural
from nhs_oversight.explain.model import Step


def own_cutpoints(assessment: Assessment, trust_type: str) -> tuple[float, float, float]:
    """The overall cut points that apply to this trust type."""
    cp = assessment.cutpoints["overall"]
    for group, cuts in getattr(cp, "by_group", ()) or ():
        if group == trust_type:
            return tuple(float(c) for c in cuts)  # type: ignore[return-value]
    return tuple(float(c) for c in cp.values)  # type: ignore[return-value]


def upper_inclusive(assessment: Assessment) -> bool:
    return assessment.framework.segmentation.boundary == "upper_inclusive"


def _int(x: Any) -> int | None:
    return None if x is None or x is pd.NA or is_missing(x) else int(x)


def position_phrase(average: float, segment: int | None, cuts: tuple[float, float, float], upper: bool) -> str:
    """Where the average lies against the cut points, e.g. ``average 2.25, at or below the cut point 2.325``."""
    at_or_below = "at or below" if upper else "below"
    above = "above" if upper else "at or above"
    if segment is None:
        return f"average {average:.2f}"
    if segment >= 4:
        return f"average {average:.2f}, {above} the cut point {cut_text(cuts[2])}"
    return f"average {average:.2f}, {at_or_below} the cut point {cut_text(cuts[segment - 1])}"


def headline(assessment: Assessment, org: pd.Series) -> str:
    """The plain-English answer first: the segment and the reason for it."""
    fw = assessment.framework
    final, unadj = _int(org["final_segment"]), _int(org["unadjusted_segment"])
    avg = float(org["average_score"])
    cuts = own_cutpoints(assessment, org["trust_type"])
    phrase = position_phrase(avg, unadj, cuts, upper_inclusive(assessment))
    override = fw.financial_override
    cap = override.cap if override else 3
    flagged = _int(org["financial_flag"]) == 1
    applied = bool(org["financial_override"])
    if final is None:
        return f"No segment: the trust has no average score ({int(org['n_metrics'])} metrics scored)."
    if fw.recovery_support is not None and final == fw.recovery_support.segment and _int(org["recovery_support"]) == 1:
        text = (
            f"Segment {final}. The trust is in the Recovery Support Programme, which places it in segment {final} "
            f"whatever its metric scores. On its metric scores alone it would be in segment {unadj} ({phrase})"
        )
        text += f", and the financial override would then cap it at segment {cap}." if applied else "."
    elif applied:
        text = (
            f"Segment {final}. On its metric scores alone the trust would be in segment {unadj} ({phrase}), but it "
            f"reports a deficit or receives deficit support, which caps it at segment {cap}."
        )
    else:
        text = f"Segment {final}. Its metric scores place it in segment {final} ({phrase})."
        if flagged and override is not None:
            segs = " and ".join(str(s) for s in override.segments)
            text += f" It reports a deficit or receives deficit support, but the financial override only affects segments {segs}."
    rank, rank_of = _int(org["rank"]), _int(org["rank_of"])
    if rank is not None:
        text += f" It ranks {rank} of {rank_of} {type_plural(fw, org['trust_type'])} in the league table."
    return text


def steps(assessment: Assessment, org: pd.Series, rows: pd.DataFrame) -> tuple[Step, ...]:
    """Average, cut points, segment on scores, financial override, Recovery Support Programme, rank."""
    upper = upper_inclusive(assessment)
    cuts = own_cutpoints(assessment, org["trust_type"])
    avg = float(org["average_score"])
    unadj, adjusted, final = _int(org["unadjusted_segment"]), _int(org["adjusted_segment"]), _int(org["final_segment"])
    return (
        _average_step(assessment, org, rows),
        _cut_points_step(assessment, org, cuts, upper),
        Step(
            "unadjusted_segment",
            f"On its metric scores alone: segment {unadj} ({position_phrase(avg, unadj, cuts, upper)}).",
            {"segment": unadj, "average_score": avg, "cut_points": list(cuts)},
        ),
        _override_step(assessment, org, unadj, adjusted),
        _rsp_step(assessment, org, adjusted, final),
        _rank_step(assessment, org, final),
    )


def _average_step(assessment: Assessment, org: pd.Series, rows: pd.DataFrame) -> Step:
    """How the average was made: which scores count, their weights, and the rounding."""
    fw = assessment.framework
    avg, avg_u = float(org["average_score"]), float(org["average_score_unrounded"])
    used = rows[rows["in_average"].astype(bool) & rows["score"].notna()]
    n_rounded = int(sum(fw.metric(m).average_input == "rounded" for m in used["metric_id"]))
    of_domains = getattr(fw.average, "of", "metrics") == "domains"
    how = (
        "the mean of its domain scores, each domain counting equally"
        if of_domains
        else f"the weighted mean of its {len(used)} metric scores that count towards it (total weight {used['weight'].sum():.2f})"
    )
    return Step(
        "average",
        f"Average metric score {avg:.2f} ({avg_u:.6f} unrounded): {how}, {n_rounded} of them entering at 2 dp; "
        f"rounded half up to 2 dp.",
        {"average_score": avg, "average_score_unrounded": avg_u, "n_metrics": len(used),
         "total_weight": float(used["weight"].sum()), "metrics_averaged_rounded": n_rounded},
    )


def _cut_points_step(assessment: Assessment, org: pd.Series, cuts, upper: bool) -> Step:
    """The cut points the trust was segmented by, how they were set, and which side a tie falls."""
    fw = assessment.framework
    cp = assessment.cutpoints["overall"]
    on_cut = "a trust exactly on a cut point is in the better segment" if upper else "a trust exactly on a cut point is in the worse segment"
    basis = "2-dp average" if fw.segmentation.score == "rounded" else "unrounded average"
    if getattr(cp, "by_group", ()):
        of_type = assessment.summary["trust_type"].to_numpy(dtype=object) == org["trust_type"]
        n_type = int((of_type & ~np.isnan(assessment.summary["average_score"].to_numpy(dtype=float))).sum())
        how_cut = f"{cp.method}: the quartiles of the {n_type} {type_plural(fw, org['trust_type'])}' averages"
    else:
        detail = f" ({cp.detail})" if cp.detail else ""
        how_cut = f"{cp.method} of {cp.population_size} organisations{detail}"
    return Step(
        "cut_points",
        f"Cut points {' / '.join(cut_text(c) for c in cuts)} on the {basis}: {how_cut}; {on_cut}.",
        {"values": list(cuts), "method": cp.method, "detail": cp.detail, "population_size": cp.population_size,
         "boundary": fw.segmentation.boundary, "compared": basis},
    )


def _rank_step(assessment: Assessment, org: pd.Series, final: int | None) -> Step:
    """The league table rank, with the trusts that share it, since ties are common at 2 dp."""
    fw = assessment.framework
    rank, rank_of = _int(org["rank"]), _int(org["rank_of"])
    summary = assessment.summary
    same_rank = (summary["trust_type"].to_numpy(dtype=object) == org["trust_type"]) & (
        summary["rank"].to_numpy(dtype=float, na_value=np.nan) == (np.nan if rank is None else rank)
    )
    shared = [c for c in summary["org_code"].to_numpy(dtype=object)[same_rank] if c != org["org_code"]]
    tie = f"; it shares the rank with {', '.join(shared)}" if shared else ""
    rsp_note = " Trusts in segment 5 are ranked within their segment before the programme." if final == 5 else ""
    return Step(
        "league_rank",
        f"League table rank {rank} of {rank_of} {type_plural(fw, org['trust_type'])}: ordered by segment after the "
        f"financial override, then by 2-dp average score{tie}.{rsp_note}",
        {"rank": rank, "rank_of": rank_of, "within": fw.league_table.within, "shares_rank_with": shared},
    )


def _override_step(assessment: Assessment, org: pd.Series, unadj: int | None, adjusted: int | None) -> Step:
    override = assessment.framework.financial_override
    flag = _int(org["financial_flag"])
    source = org.get("financial_flag_source")
    source = None if is_missing(source) else str(source)
    applied = bool(org["financial_override"])
    figures = {"flag": flag, "flag_id": override.flag if override else None, "input_row": source, "applied": applied,
               "segment_before": unadj, "segment_after": adjusted}
    if override is None:
        return Step("financial_override", "The framework has no financial override.", figures)
    where = f" ({override.flag}, {source})" if source else f" ({override.flag})"
    segs = " and ".join(str(s) for s in override.segments)
    if flag is None:
        text = f"No financial override flag in the input{where}: the override is not applied."
    elif flag == 0:
        text = f"Financial override flag 0{where}: not in deficit and not receiving deficit support, so not applied."
    elif applied:
        text = (f"Financial override flag 1{where}: in deficit or receiving deficit support, so segment {unadj} is capped "
                f"at segment {override.cap}.")
    else:
        text = (f"Financial override flag 1{where}: in deficit or receiving deficit support, but the override only applies "
                f"to segments {segs}; segment {unadj} is unchanged.")
    return Step("financial_override", text, figures)


def _rsp_step(assessment: Assessment, org: pd.Series, adjusted: int | None, final: int | None) -> Step:
    rsp = assessment.framework.recovery_support
    flag = _int(org["recovery_support"])
    source = _rsp_source(assessment, org["org_code"])
    figures = {"flag": flag, "flag_id": rsp.flag if rsp else None, "input_row": source, "segment_before": adjusted,
               "final_segment": final}
    if rsp is None:
        return Step("recovery_support", f"The framework has no Recovery Support Programme segment. Final segment {final}.", figures)
    where = f" ({rsp.flag}, {source})" if source else f" ({rsp.flag})"
    if flag == 1:
        text = f"In the Recovery Support Programme{where}: final segment {rsp.segment}, whatever the metric scores."
    elif flag is None:
        text = f"No Recovery Support Programme flag in the input{where}: final segment {final}."
    else:
        text = f"Not in the Recovery Support Programme{where}: final segment {final}."
    return Step("recovery_support", text, figures)


def _rsp_source(assessment: Assessment, code: str) -> str | None:
    flags = assessment.inputs.flags
    if flags is None or len(flags) == 0 or "rsp_source" not in flags.columns:
        return None
    rows = flags[flags["org_code"].to_numpy(dtype=object) == code]
    if rows.empty or is_missing(rows["rsp_source"].iloc[0]):
        return None
    return str(rows["rsp_source"].iloc[0])
