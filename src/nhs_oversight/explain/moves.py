"""The smallest metric changes that would move a trust to an adjacent segment, each checked by the engine.

Search, everyone else and the cut points held fixed:

1. For each metric the trust can change (see :func:`movable`), the candidate values nearest first
   (:mod:`nhs_oversight.explain.ladders`), scored by the engine's own scorer
   (:class:`~nhs_oversight.engine.whatif.Probe`). A trust's average moves by the effective
   weight times the change in what enters it (the same arithmetic as the contributions), so the
   smallest sufficient candidate is found by bisection (a better value never scores worse).
2. Single-metric moves are ordered by effort (the change as a share of the spread of the scoring
   group's values; moves of score-only inputs, by band, come after value moves) and checked, in
   that order, by re-running :func:`nhs_oversight.engine.assess` on the changed inputs, until
   ``max_moves`` are confirmed. Only confirmed moves are returned, with that run's segment,
   average and rank.
3. Only if no single metric can do it, pairs of metrics are searched the same way (the least
   total effort for each pair) and confirmed by the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from nhs_oversight.engine import Assessment, AssessOptions, assess
from nhs_oversight.engine.rounding import round_half_up
from nhs_oversight.engine.rules import rule_for
from nhs_oversight.engine.segments import segment_of
from nhs_oversight.engine.whatif import Probe, with_values
from nhs_oversight.explain.distance import Target
from nhs_oversight.explain.formatting import band_text, is_missing, value_text
from nhs_oversight.explain.ladders import Ladder, ladder
from nhs_oversight.explain.model import Change, Move
from nhs_oversight.explain.steps import own_cutpoints, upper_inclusive
from nhs_oversight.frameworks.model import Metric


def movable(assessment: Assessment, probe: Probe, rows: pd.DataFrame) -> tuple[list[Metric], list[dict[str, str]]]:
    """Metrics whose value the search may change, and the others with the reason they are not offered."""
    fw = assessment.framework
    feeds: dict[str, list[str]] = {}
    for m in fw.metrics:
        for dep in rule_for(m.scoring).inputs:
            feeds.setdefault(dep, []).append(m.id)
    present = set(rows["metric_id"])
    offered, not_offered = [], []
    for r in rows.itertuples():
        metric = fw.metric(r.metric_id)
        reason = None
        inputs = rule_for(metric.scoring).inputs
        if inputs:
            reason = f"looked up from the {' and '.join(inputs)} scores; moved through them"
        elif r.score_source == "published":
            reason = (
                "NHS England's published score over every trust nationally stands in (the national population is not "
                "in the input), so it cannot be recomputed for a changed value"
            )
        elif not probe.has(r.metric_id) or is_missing(probe.value(r.metric_id)):
            reason = "no value in the input"
        elif not metric.in_average and not any(d in present for d in feeds.get(metric.id, [])):
            reason = "not part of the average"
        if reason:
            not_offered.append({"metric_id": metric.id, "short_name": metric.short_name, "reason": reason})
        else:
            offered.append(metric)
    return offered, not_offered


@dataclass
class SearchLog:
    """Counts for the record: how much work the search did."""

    engine_runs: int = 0
    candidates_scored: int = 0
    unconfirmed: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class _Context:
    assessment: Assessment
    org: pd.Series
    probe: Probe
    rows: pd.DataFrame  # the organisation's metric rows, indexed by metric_id
    weights: dict[str, float]  # effective weight of each metric in the average
    target: Target
    options: AssessOptions
    log: SearchLog

    @property
    def code(self) -> str:
        return str(self.org["org_code"])


class _Candidate:
    """A metric's ladder with the average change at each scored rung (scored lazily)."""

    def __init__(self, ctx: _Context, metric: Metric, lad: Ladder) -> None:
        self.ctx, self.metric, self.ladder = ctx, metric, lad
        self.delta: dict[int, float] = {}
        self.affects: frozenset[str] = frozenset()

    def deltas(self, ks: list[int]) -> np.ndarray:
        todo = [k for k in ks if k not in self.delta]
        if todo:
            at = self.ctx.probe.scores_at(self.metric.id, self.ladder.candidates[todo], safe=self.ctx.target.direction)
            self.ctx.log.candidates_scored += len(todo)
            self.affects = frozenset(at.average_inputs)
            change = np.zeros(len(todo))
            for mid, new in at.average_inputs.items():
                old = float(self.ctx.rows.at[mid, "average_input"]) if mid in self.ctx.rows.index else np.nan
                w = self.ctx.weights.get(mid, 0.0)
                if w and not np.isnan(old):
                    change += w * (np.nan_to_num(new, nan=old) - old)
            for k, d in zip(todo, change, strict=True):
                self.delta[k] = float(d)
        return np.array([self.delta[k] for k in ks])

    def top(self) -> float:
        """The average change at the farthest candidate (the most this metric can do)."""
        return float(self.deltas([len(self.ladder.candidates) - 1])[0])

    def smallest(self) -> int | None:
        """Index of the nearest rung that reaches the target on its own (bisection), or None."""
        n = len(self.ladder.candidates)
        if not _reaches(self.ctx, np.array([self.top()]))[0]:
            return None
        lo, hi = -1, n - 1  # rung lo does not reach (-1: no change), rung hi does
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if _reaches(self.ctx, self.deltas([mid]))[0]:
                hi = mid
            else:
                lo = mid
        return hi

    def pareto(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rungs where the average changes further than at any nearer rung: (index, delta, effort)."""
        ks = list(range(len(self.ladder.candidates)))
        d = self.deltas(ks)
        sign = -1.0 if self.ctx.target.better else 1.0
        gain = sign * d
        best = np.maximum.accumulate(np.concatenate([[0.0], gain]))[:-1]
        keep = gain > best + 1e-12
        idx = np.flatnonzero(keep)
        return idx, d[idx], np.array([self.ladder.effort(k) for k in idx])


def _reaches(ctx: _Context, delta: np.ndarray) -> np.ndarray:
    """Whether the average after each change puts the trust's metric scores in the target segment."""
    fw = ctx.assessment.framework
    avg = float(ctx.org["average_score_unrounded"]) + np.asarray(delta, dtype=float)
    score = round_half_up(avg, 2) if fw.segmentation.score == "rounded" else avg
    seg = segment_of(score, own_cutpoints(ctx.assessment, ctx.org["trust_type"]), upper_inclusive(ctx.assessment))
    t = ctx.target.target_segment
    return seg <= t if ctx.target.better else seg >= t


def search(
    assessment: Assessment,
    org: pd.Series,
    probe: Probe,
    rows: pd.DataFrame,
    weights: dict[str, float],
    offered: list[Metric],
    target: Target,
    max_moves: int,
    log: SearchLog,
) -> tuple[tuple[Move, ...], str]:
    """Confirmed moves to ``target`` (at most ``max_moves``) and which search found them."""
    if not target.reachable or max_moves <= 0:
        return (), "none"
    ctx, candidates = prepare(assessment, org, probe, rows, weights, offered, target, log)
    return search_prepared(ctx, candidates, max_moves)


def prepare(assessment, org, probe, rows, weights, offered, target, log) -> tuple[_Context, list[_Candidate]]:
    """The search context and each offered metric's ladder towards ``target`` (scored lazily, once)."""
    options = AssessOptions(
        cutpoints=own_cutpoints(assessment, org["trust_type"]),
        recompute_all=assessment.options.recompute_all,
        use_published_cutpoints=assessment.options.use_published_cutpoints,
    )
    ctx = _Context(assessment, org, probe, rows.set_index("metric_id"), weights, target, options, log)
    candidates = []
    for metric in offered:
        lad = ladder(probe, metric, target.direction)
        if lad is not None:
            candidates.append(_Candidate(ctx, metric, lad))
    return ctx, candidates


def search_prepared(ctx: _Context, candidates: list[_Candidate], max_moves: int) -> tuple[tuple[Move, ...], str]:
    """:func:`search` on a prepared context."""
    assessment = ctx.assessment
    order = {m.id: i for i, m in enumerate(assessment.framework.metrics)}

    singles = []
    for c in candidates:
        k = c.smallest()
        if k is not None:
            singles.append(((c.ladder.kind != "value", c.ladder.effort(k), order[c.metric.id]), [(c, k)]))
    moves = _confirm(ctx, sorted(singles, key=lambda s: s[0]), max_moves)
    if moves:
        return moves, "single metrics"

    feasible = [
        (a, b)
        for a, b in combinations(candidates, 2)
        if not (a.affects & b.affects)  # both feed one score (the finance matrix): not additive
        and _reaches(ctx, np.array([a.top() + b.top()]))[0]
    ]
    fronts = {}
    pairs = []
    for a, b in feasible:
        for c in (a, b):
            if id(c) not in fronts:
                fronts[id(c)] = c.pareto()
        best = _best_pair(ctx, fronts[id(a)], fronts[id(b)])
        if best is not None:
            effort, ka, kb = best
            kind = (a.ladder.kind != "value") + (b.ladder.kind != "value")
            pairs.append(((kind, effort, order[a.metric.id], order[b.metric.id]), [(a, ka), (b, kb)]))
    moves = _confirm(ctx, sorted(pairs, key=lambda s: s[0]), max_moves)
    return moves, "pairs of metrics" if moves else "none"


def _best_pair(ctx: _Context, fa, fb) -> tuple[float, int, int] | None:
    ia, da, ea = fa
    ib, db, eb = fb
    if len(ia) == 0 or len(ib) == 0:
        return None
    reach = _reaches(ctx, (da[:, None] + db[None, :]).ravel()).reshape(len(ia), len(ib))
    if not reach.any():
        return None
    effort = np.where(reach, ea[:, None] + eb[None, :], np.inf)
    a, b = np.unravel_index(int(np.argmin(effort)), effort.shape)
    return float(effort[a, b]), int(ia[a]), int(ib[b])


def _confirm(ctx: _Context, ranked: list, max_moves: int) -> tuple[Move, ...]:
    out = []
    for _, parts in ranked:
        if len(out) >= max_moves:
            break
        move = _run(ctx, parts)
        if move is None:
            ctx.log.unconfirmed += 1
            continue
        out.append(move)
    return tuple(out)


def _run(ctx: _Context, parts: list[tuple[_Candidate, int]], require: bool = True) -> Move | None:
    """Re-run the engine with the changes; the move only if the trust reaches the target segment
    (with ``require=False``, whatever segment it gives)."""
    a = ctx.assessment
    changes = {(ctx.code, c.metric.id): float(c.ladder.candidates[k]) for c, k in parts}
    after = assess(with_values(a.inputs, changes), a.framework, ctx.options)
    ctx.log.engine_runs += 1
    summary = after.summary
    row = summary[summary["org_code"].to_numpy(dtype=object) == ctx.code].iloc[0]
    final = int(row["final_segment"])
    t = ctx.target.target_segment
    if require and ((final > t) if ctx.target.better else (final < t)):
        return None
    new_rows = after.metrics[after.metrics["org_code"].to_numpy(dtype=object) == ctx.code].set_index("metric_id")
    made = tuple(_change(ctx, c, k, new_rows) for c, k in parts)
    avg2 = float(row["average_score"])
    text = " and ".join(m.text for m in made) + f": segment {final}, average {avg2:.2f}"
    return Move(
        direction=ctx.target.direction,
        target_segment=t,
        changes=made,
        resulting_segment=final,
        resulting_adjusted_segment=int(row["adjusted_segment"]),
        resulting_unadjusted_segment=int(row["unadjusted_segment"]),
        resulting_average=avg2,
        resulting_average_unrounded=float(row["average_score_unrounded"]),
        resulting_rank=None if is_missing(row["rank"]) or row["rank"] is pd.NA else int(row["rank"]),
        effort=round(sum(c.effort for c in made), 6),
        text=text,
    )


def _opt_int(x) -> int | None:
    return None if x is None or x is pd.NA or is_missing(x) else int(x)


def _change(ctx: _Context, c: _Candidate, k: int, new_rows: pd.DataFrame) -> Change:
    metric, lad = c.metric, c.ladder
    old = ctx.rows.loc[metric.id]
    new = new_rows.loc[metric.id]
    frm, to = float(lad.current), float(lad.candidates[k])
    if rule_for(metric.scoring).score_is_input:
        from_text, to_text = band_text(metric, frm), band_text(metric, to)
    else:
        unit = str(old["unit"])
        from_text, to_text = value_text(frm, unit, lad.decimals), value_text(to, unit, lad.decimals)
    fs, ts = _float(old["score"]), _float(new["score"])
    fr, tr = _opt_int(old["rank"]), _opt_int(new["rank"])
    text = f"{metric.short_name} from {from_text} to {to_text}"
    detail = []
    if new["rule"] == "meets standard" and old["rule"] != "meets standard":
        detail.append("meeting the standard")
    elif old["rule"] == "meets standard" and new["rule"] != "meets standard":
        detail.append("no longer meeting the standard")
    elif new["rule"] == "fails floor" and old["rule"] != "fails floor":
        detail.append("failing the floor")
    elif fr is not None and tr is not None and fr != tr and new["rule"] == "ranked":
        n = _opt_int(new["group_size"])
        detail.append(f"rank {fr} → {tr}" + (f" of {n}" if n else ""))
    if fs is not None and ts is not None:
        detail.append(f"score {fs:.2f} → {ts:.2f}")
    tie = tie_note(ctx.probe, metric.id, to, to_text, ctx.target.better) if new["rule"] == "ranked" else ""
    if tie:
        detail.append(tie)
    for mid in sorted(c.affects - {metric.id}):
        if mid in ctx.rows.index and mid in new_rows.index:
            dep = ctx.assessment.framework.metric(mid)
            detail.append(f"{dep.short_name} {_float(ctx.rows.at[mid, 'score']):g} → {_float(new_rows.at[mid, 'score']):g}")
    if detail:
        text += f" ({'; '.join(detail)})"
    return Change(
        metric_id=metric.id,
        short_name=metric.short_name,
        kind=lad.kind,
        from_value=frm,
        to_value=to,
        unit=str(old["unit"]) if lad.kind == "value" else "band",
        from_text=from_text,
        to_text=to_text,
        from_score=fs,
        to_score=ts,
        from_rank=fr,
        to_rank=tr,
        to_rule=str(new["rule"]),
        effort=round(lad.effort(k), 6),
        text=text,
    )


def tie_note(probe: Probe, metric_id: str, value: float, shown: str, better: bool) -> str:
    """Say when a new value draws level with other trusts, and which way the tie was counted."""
    n = probe.ties_at(metric_id, value)
    if n == 0:
        return ""
    side = "after" if better else "before"
    who = "trust" if n == 1 else "trusts"
    return f"level with {n} {who} at {shown}: counted {side} them, the safe side of the published tie order"


def _float(x) -> float | None:
    return None if x is None or x is pd.NA or is_missing(x) else float(x)
