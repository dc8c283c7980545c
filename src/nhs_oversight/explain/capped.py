"""Two-step plans for a trust the financial override caps at segment 3: lift the flag, then metrics.

The flag (``OF5004``) is an input: NHS England sets it for a trust that plans a deficit or receives
deficit support. Of the 134 acute trusts in Q1 2025/26, every one not flagged plans to break even or
better (``OF0079`` at 0% or above), and 87 of the 99 flagged plan a deficit; deficit support is not
in the published file. So step 1 is the finance inputs behind the flag: planned surplus/deficit at
breakeven (which also improves its own finance score) and no deficit support, the flag then 0.
Where the metric scores alone still fall short, step 2 is the least-effort metric plan from there
(:mod:`nhs_oversight.explain.plans`). Both steps are re-run through the engine together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nhs_oversight.engine import Assessment, AssessOptions, assess
from nhs_oversight.engine.whatif import Probe, with_flags, with_values
from nhs_oversight.explain.contributions import contributions
from nhs_oversight.explain.distance import Target, targets
from nhs_oversight.explain.formatting import is_missing, value_text
from nhs_oversight.explain.model import Change, Move, Plan
from nhs_oversight.explain.moves import SearchLog, movable, prepare
from nhs_oversight.explain.plans import _plan, _step, changes_text, find, largest_text
from nhs_oversight.explain.steps import own_cutpoints

PLANNED = "OF0079"  # planned surplus/deficit: below 0% is a planned deficit


def is_capped(assessment: Assessment, org: pd.Series, target: Target) -> bool:
    """Whether the better segment is closed only by the financial override."""
    override = assessment.framework.financial_override
    flag = org["financial_flag"]
    return (
        override is not None
        and target.better
        and not target.reachable
        and target.target_segment is not None
        and target.target_segment in override.segments
        and not is_missing(flag)
        and int(flag) == 1
    )


def capped_plan(assessment: Assessment, org: pd.Series, target: Target, log: SearchLog) -> Plan:
    """Step 1 lifts the flag through its finance inputs; step 2 (if needed) the least-effort metric plan."""
    fw = assessment.framework
    code = str(org["org_code"])
    options = AssessOptions(
        cutpoints=own_cutpoints(assessment, org["trust_type"]),
        recompute_all=assessment.options.recompute_all,
        use_published_cutpoints=assessment.options.use_published_cutpoints,
    )
    rows = assessment.org_metrics(code).set_index("metric_id")
    planned = float(rows.at[PLANNED, "value"]) if PLANNED in rows.index and PLANNED in fw.metric_ids else np.nan
    changes = {(code, PLANNED): 0.0} if planned < 0 else {}
    after = assess(with_flags(with_values(assessment.inputs, changes), {code: 0}), fw, options)
    log.engine_runs += 1
    org1 = after.org(code)
    step_changes = [_finance_change(assessment, after, code, planned)] if changes else []
    if changes:
        how = f"plan to break even or better ({step_changes[0].text}) and take no deficit support"
    else:
        how = "take no deficit support (it already plans to break even or better)"
    unadjusted = int(org["unadjusted_segment"])
    first = _move(after, code, target, step_changes)
    text1 = (
        f"Lift the financial override: {how}, so that the flag (OF5004) is 0: segment {first.resulting_segment}, "
        f"average {first.resulting_average:.2f}. On its metric scores alone it is in segment {unadjusted} now."
    )
    steps = [_step("finance", text1, first, step_changes, 1.0, 0.0)]
    if first.resulting_segment <= target.target_segment:
        return _plan(target, steps, first, None, "", f"One step. {text1}", len(step_changes), None)

    probe = Probe(after, code)
    rows1 = after.org_metrics(code)
    order = {m.id: i for i, m in enumerate(fw.metrics)}
    rows1 = rows1.assign(_o=rows1["metric_id"].map(order)).sort_values("_o").drop(columns="_o").reset_index(drop=True)
    weight, _, _ = contributions(fw, rows1, float(org1["average_score_unrounded"]))
    weights = {m: float(w) for m, w in zip(rows1["metric_id"], weight, strict=True) if not np.isnan(w)}
    offered, _ = movable(after, probe, rows1)
    t1 = next((t for t in targets(after, org1) if t.better and t.target_segment == target.target_segment and t.reachable), None)
    if t1 is None:
        return _plan(target, steps, None, None, "", f"{text1} No metric change then reaches segment {target.target_segment}.", 0, None)
    ctx, candidates = prepare(after, org1, probe, rows1, weights, offered, t1, log)
    found = find(ctx, candidates)
    largest = largest_text(ctx, found.largest)
    largest = f"After step 1, {largest[:1].lower()}{largest[1:]}"
    m = found.move
    if m is None:
        text = f"{text1} Then no set of metric changes reaches segment {target.target_segment}."
        return _plan(target, steps, None, found.largest, largest, text, 0, None, found)
    text2 = f"Then improve {changes_text(m.changes)}: segment {m.resulting_segment}, average {m.resulting_average:.2f}."
    steps.append(_step("metrics", text2, m, m.changes))
    n = len(step_changes) + len(m.changes)
    text = f"Two steps. 1. {text1} 2. {text2}"
    return _plan(target, steps, m, found.largest, largest, text, n, m.effort, found)


def _finance_change(before: Assessment, after: Assessment, code: str, planned: float) -> Change:
    metric = before.framework.metric(PLANNED)
    old = before.org_metrics(code).set_index("metric_id").loc[PLANNED]
    new = after.org_metrics(code).set_index("metric_id").loc[PLANNED]
    vals = before.metrics.loc[before.metrics["metric_id"] == PLANNED, "value"].to_numpy(dtype=float)
    spread = float(np.nanmax(vals) - np.nanmin(vals)) if len(vals) else 1.0
    unit = str(old["unit"])
    frm, to = value_text(planned, unit, 2), value_text(0.0, unit, 2)
    return Change(
        metric_id=PLANNED, short_name=metric.short_name, kind="value", from_value=planned, to_value=0.0, unit=unit,
        from_text=frm, to_text=to, from_score=float(old["score"]), to_score=float(new["score"]), from_rank=None, to_rank=None,
        to_rule=str(new["rule"]), effort=round(abs(planned) / (spread or 1.0), 6),
        text=f"{metric.short_name} from {frm} to {to} (score {float(old['score']):g} → {float(new['score']):g})",
    )


def _move(after: Assessment, code: str, target: Target, changes: list[Change]) -> Move:
    row = after.org(code)
    rank = row["rank"]
    return Move(
        direction=target.direction, target_segment=target.target_segment, changes=tuple(changes),
        resulting_segment=int(row["final_segment"]), resulting_adjusted_segment=int(row["adjusted_segment"]),
        resulting_unadjusted_segment=int(row["unadjusted_segment"]), resulting_average=float(row["average_score"]),
        resulting_average_unrounded=float(row["average_score_unrounded"]),
        resulting_rank=None if is_missing(rank) or rank is pd.NA else int(rank),
        effort=round(sum(c.effort for c in changes), 6), text="financial override lifted",
    )
