"""A plan for every trust: the least-effort set of metric improvements, of any size, that reaches an
adjacent segment, found exactly and then confirmed by the engine.

Everyone else and the cut points are held fixed, so the trust's average is its own weighted mean:
moving metric i to rung k of its ladder changes the average by d_ik (the effective weight times the
change in what enters the average, scored by the engine's own scorer on the safe side of any tie),
and changes to different metrics add up. The two finance inputs meet in one matrix score, so they
are one choice (every pair of their rungs). Choosing at most one rung per choice so that the average
reaches the target at the least total effort (each change as a share of its scoring group's spread,
summed) is a multiple-choice knapsack, solved by dynamic programming over the gain so far, in steps
of 0.00001 of the average, across every metric's whole ladder. Each option's gain is rounded down to
a step, so a plan found is sure to reach; a second pass with gains rounded up gives a lower bound on
the effort of any plan, and when the two agree (as for almost every plan on the acute Q1 file) the
plan is proved the least effort (``Plan.proved``; otherwise ``Plan.effort_bound`` says how close).
Only rungs that move the average further than every nearer rung can be part of a least-effort
plan, so the others are left out first. (``scipy.optimize.milp`` solves the same 0-1 programme but
took up to two seconds to prove a plan on the real file; the search here takes milliseconds.)

Every plan is then re-run through :func:`nhs_oversight.engine.assess` with the cut points fixed;
its figures are that run's. Were a plan not confirmed, the search would ask for a step more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nhs_oversight.engine.rounding import round_half_up
from nhs_oversight.engine.rules import rule_for
from nhs_oversight.explain.model import Move, Plan, PlanStep
from nhs_oversight.explain.moves import _Candidate, _Context, _reaches, _run

NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
TRIES = 6  # plans the engine may reject before the search gives up (none has been, on the real files)
#: gains are counted in steps of this much of the average (rounded down, so every plan is sure to
#: reach; rounded up in a second pass, whose effort bounds every plan's from below)
GAIN_STEP = 1e-5
TIE_BREAK = 1e-6  # cost per metric: among plans of equal effort, fewer metrics


@dataclass
class Option:
    """One choice for one metric (or the finance pair): the rungs taken, the average change, the effort."""

    parts: list[tuple[_Candidate, int]]
    delta: float
    effort: float


@dataclass
class Found:
    """The result of the plan search towards one target."""

    move: Move | None  # the confirmed least-effort plan, or None
    largest: Move | None  # the single metric that closes most of the gap, re-run through the engine
    best_gain: float  # the most every metric together could move the average
    tries: int
    optimal: bool = False  # proved the least effort (else ``bound`` is the proven lower bound)
    bound: float | None = None


def count_words(n: int) -> str:
    return NUMBERS[n] if n < len(NUMBERS) else str(n)


def choices(ctx: _Context, candidates: list[_Candidate]) -> list[list[Option]]:
    """Per independent choice, its options on the effort-gain frontier (nearest first)."""
    fw = ctx.assessment.framework
    by_id = {c.metric.id: c for c in candidates}
    coupled: set[str] = set()
    out = []
    for m in fw.metrics:
        inputs = rule_for(m.scoring).inputs
        if len(inputs) == 2 and all(i in by_id for i in inputs) and m.id in ctx.rows.index:
            out.append(_joint(ctx, m, *(by_id[i] for i in inputs)))
            coupled |= set(inputs)
    for c in candidates:
        if c.metric.id in coupled:
            continue
        idx, d, e = c.pareto()
        out.append([Option([(c, int(k))], float(dk), float(ek)) for k, dk, ek in zip(idx, d, e, strict=True)])
    return [o for o in out if o]


def _gain(ctx: _Context, delta: float) -> float:
    return -delta if ctx.target.better else delta


def _joint(ctx: _Context, matrix_metric, a: _Candidate, b: _Candidate) -> list[Option]:
    """Every pair of rungs of the two inputs of a matrix score (combined finance), on the frontier."""
    rule = rule_for(matrix_metric.scoring)
    probe, rows = ctx.probe, ctx.rows
    d = ctx.target.direction
    sa = np.concatenate([[float(rows.at[a.metric.id, "score"])], probe.scores_at(a.metric.id, a.ladder.candidates, safe=d).score])
    sb = np.concatenate([[float(rows.at[b.metric.id, "score"])], probe.scores_at(b.metric.id, b.ladder.candidates, safe=d).score])
    ctx.log.candidates_scored += len(sa) + len(sb) - 2
    ia, ib = np.meshgrid(np.arange(len(sa)), np.arange(len(sb)), indexing="ij")
    ia, ib = ia.ravel(), ib.ravel()
    combined = rule.combine(sa[ia], sb[ib])  # a and b are the rule's inputs, in order
    if matrix_metric.average_input == "rounded":
        combined = round_half_up(combined, 2)
    delta = ctx.weights.get(matrix_metric.id, 0.0) * (combined - float(rows.at[matrix_metric.id, "average_input"]))
    for c, s, i in ((a, sa, ia), (b, sb, ib)):  # an input that also enters the average itself
        if c.metric.in_average and c.metric.id in ctx.weights:
            own = round_half_up(s[i], 2) if c.metric.average_input == "rounded" else s[i]
            delta = delta + ctx.weights[c.metric.id] * (own - float(rows.at[c.metric.id, "average_input"]))
    effort = np.array([(a.ladder.effort(i - 1) if i else 0.0) + (b.ladder.effort(j - 1) if j else 0.0) for i, j in zip(ia, ib, strict=True)])
    opts = []
    for i, j, dl, ef in zip(ia, ib, delta, effort, strict=True):
        if i == 0 and j == 0:
            continue
        parts = ([(a, int(i) - 1)] if i else []) + ([(b, int(j) - 1)] if j else [])
        opts.append(Option(parts, float(dl), float(ef)))
    return frontier(ctx, opts)


def frontier(ctx: _Context, opts: list[Option]) -> list[Option]:
    """Options that move the average further than every option of less or equal effort."""
    opts = sorted(opts, key=lambda o: (o.effort, -_gain(ctx, o.delta)))
    out, best = [], 0.0
    for o in opts:
        g = _gain(ctx, o.delta)
        if g > best + 1e-12:
            out.append(o)
            best = g
    return out


def needed_gain(ctx: _Context) -> float:
    """How far the unrounded average must move (in the target's direction) for the segment to change."""
    t = ctx.target
    avg = float(ctx.org["average_score_unrounded"])
    rounded = ctx.assessment.framework.segmentation.score == "rounded"
    if t.better:
        edge = t.average_needed + 0.005 - 1e-7 if rounded else t.average_needed
        return avg - edge
    edge = t.average_needed - 0.005 + 1e-7 if rounded else t.average_needed + 1e-9
    return edge - avg


def solve(ctx: _Context, groups: list[list[Option]], need: float, step: float = GAIN_STEP, up: bool = False):
    """The least-effort options (at most one per group) whose gains add up to ``need``; None if none do.

    Dynamic programming over the gain so far, counted in ``step``s: each option's gain rounded down
    (so a plan found is sure to reach ``need``) or, with ``up``, rounded up (so its effort is a lower
    bound for every plan). Returns (options, effort).
    """
    q_need = max(1, int(np.ceil(need / step - 1e-9)))
    best = np.full(q_need + 1, np.inf)
    best[0] = 0.0
    history = []
    for opts in groups:
        new, pick = best.copy(), np.full(q_need + 1, -1)
        for k, o in enumerate(opts):
            g = _gain(ctx, o.delta) / step
            q = int(np.ceil(g - 1e-9)) if up else int(np.floor(g + 1e-9))
            if q <= 0:
                continue
            cost = best + o.effort + TIE_BREAK
            if q < q_need:
                better = cost[: q_need - q] < new[q:q_need]
                new[q:q_need][better] = cost[: q_need - q][better]
                pick[q:q_need][better] = k
            tail = cost[max(q_need - q, 0):]
            j = int(np.argmin(tail))
            if tail[j] < new[q_need]:
                new[q_need], pick[q_need] = tail[j], k
        history.append((best, pick))
        best = new
    if not np.isfinite(best[q_need]):
        return None
    chosen, t = [], q_need
    for (before, pick), opts in zip(reversed(history), reversed(groups), strict=True):
        k = int(pick[t])
        if k < 0:
            continue
        o = opts[k]
        g = _gain(ctx, o.delta) / step
        q = int(np.ceil(g - 1e-9)) if up else int(np.floor(g + 1e-9))
        if t < q_need:
            t -= q
        else:
            lo = max(q_need - q, 0)
            t = lo + int(np.argmin(before[lo:] + o.effort + TIE_BREAK))
        chosen.append(o)
    return chosen[::-1], float(best[q_need])


def _enough(ctx: _Context, opts: list[Option], need: float) -> list[Option]:
    for i, o in enumerate(opts):
        if _gain(ctx, o.delta) >= need:
            return opts[: i + 1]
    return opts


def find(ctx: _Context, candidates: list[_Candidate]) -> Found:
    """The least-effort plan towards ``ctx.target``, confirmed by the engine, and the largest single change."""
    groups = choices(ctx, candidates)
    best_gain = sum(max((_gain(ctx, o.delta) for o in opts), default=0.0) for opts in groups)
    largest = _largest(ctx, candidates)
    need = needed_gain(ctx)
    move, tries = None, 0
    while move is None and tries < TRIES and best_gain >= need:
        solved = solve(ctx, groups, need)
        if solved is None:
            break
        picked, cost = solved
        tries += 1
        parts = [p for o in picked for p in o.parts]
        if not _reaches(ctx, np.array([sum(o.delta for o in picked)]))[0]:
            need += GAIN_STEP  # floating edge of the 2-dp rounding: ask for a step more
            continue
        move = _run(ctx, sorted(parts, key=lambda p: _order(ctx, p[0])))
        if move is None:
            ctx.log.unconfirmed += 1
            need += GAIN_STEP
    optimal, bound = False, None
    if move is not None:
        low = solve(ctx, groups, need, up=True)
        bound = max(0.0, low[1] - TIE_BREAK * len(low[0])) if low else None
        optimal = low is not None and low[1] >= cost - 1e-9
    return Found(move, largest, best_gain, tries, optimal, bound)


def _order(ctx: _Context, c: _Candidate) -> int:
    return [m.id for m in ctx.assessment.framework.metrics].index(c.metric.id)


def _largest(ctx: _Context, candidates: list[_Candidate]) -> Move | None:
    """The one metric change that moves the average furthest towards the target, re-run through the engine."""
    best, best_gain = None, 1e-12
    for c in candidates:
        idx, d, _ = c.pareto()
        if len(idx) == 0:
            continue
        g = _gain(ctx, float(d[-1]))
        if g > best_gain:
            best, best_gain = (c, int(idx[-1])), g
    return _run(ctx, [best], require=False) if best else None


# ------------------------------------------------------------------------------------ the records
def _step(name: str, text: str, move: Move, changes, flag_from=None, flag_to=None) -> PlanStep:
    return PlanStep(
        name=name, text=text, changes=tuple(changes), flag_from=flag_from, flag_to=flag_to,
        resulting_segment=move.resulting_segment, resulting_unadjusted_segment=move.resulting_unadjusted_segment,
        resulting_average=move.resulting_average,
    )


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def changes_text(changes) -> str:
    """``four metrics: A&E 4-hour from 69.0% to 78.0% (...); ...`` (lower case: callers lead in)."""
    n = len(changes)
    return f"{count_words(n)} metric{'s' if n != 1 else ''}: " + "; ".join(c.text for c in changes)


def largest_text(ctx: _Context, largest: Move | None) -> str:
    """The single metric that closes most of the gap, and how much of it, from the engine's re-run."""
    if largest is None:
        return "No single metric the trust can change moves its average that way."
    t = ctx.target
    c = largest.changes[0]
    before = float(ctx.org["average_score_unrounded"])
    gap = abs(before - t.average_needed)
    moved = (before - largest.resulting_average_unrounded) if t.better else (largest.resulting_average_unrounded - before)
    if (largest.resulting_segment <= t.target_segment) if t.better else (largest.resulting_segment >= t.target_segment):
        return f"The single metric that closes most of the gap: {c.text}, which reaches segment {largest.resulting_segment} on its own (average {largest.resulting_average:.2f})."
    share = max(0.0, min(1.0, moved / gap)) if gap > 0 else 1.0
    return (
        f"The single metric that closes most of the gap: {c.text}, average {float(ctx.org['average_score']):.2f} → "
        f"{largest.resulting_average:.2f} ({moved:.2f} of the {gap:.2f} needed, {share:.0%}; segment {largest.resulting_segment})."
    )


def _plan(target, steps, move: Move | None, largest: Move | None, largest_txt: str, text: str, n: int, effort, found: Found | None = None) -> Plan:
    return Plan(
        direction=target.direction, from_segment=target.from_segment, target_segment=target.target_segment,
        found=move is not None, text=text, steps=tuple(steps), n_changes=n, effort=effort,
        resulting_segment=move.resulting_segment if move else None,
        resulting_adjusted_segment=move.resulting_adjusted_segment if move else None,
        resulting_unadjusted_segment=move.resulting_unadjusted_segment if move else None,
        resulting_average=move.resulting_average if move else None,
        resulting_average_unrounded=move.resulting_average_unrounded if move else None,
        resulting_rank=move.resulting_rank if move else None,
        largest_single=largest, largest_single_text=largest_txt, verified=move is not None,
        proved=found.optimal if found is not None and move is not None else True,
        effort_bound=None if found is None or found.bound is None or move is None else round(found.bound, 6),
    )


def metric_plan(ctx: _Context, candidates: list[_Candidate]) -> Plan:
    """The least-effort plan of metric changes towards ``ctx.target``."""
    found = find(ctx, candidates)
    t = ctx.target
    largest = largest_text(ctx, found.largest)
    m = found.move
    if m is None:
        need = needed_gain(ctx)
        text = (
            f"No set of changes to the metrics it can change reaches segment {t.target_segment}: all of them at their "
            f"best {'' if t.better else 'for this '}would move the average {found.best_gain:.2f}, against {need:.2f} needed."
        )
        return _plan(t, (), None, found.largest, largest, text, 0, None, found)
    text = f"{_upper_first(changes_text(m.changes))}: segment {m.resulting_segment}, average {m.resulting_average:.2f}."
    if not found.optimal and found.bound is not None:
        text += f" (The least effort possible is at least {found.bound:.3f}; this plan's is {m.effort:.3f}.)"
    step = _step("metrics", text, m, m.changes)
    return _plan(t, (step,), m, found.largest, largest, text, len(m.changes), m.effort, found)
