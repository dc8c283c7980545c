"""``explain``: assemble one organisation's explanation from an assessment (nothing is rescored)."""

from __future__ import annotations

import difflib
from typing import NamedTuple

import numpy as np
import pandas as pd

from nhs_oversight.engine import Assessment
from nhs_oversight.engine.rules import rule_for
from nhs_oversight.engine.whatif import Probe
from nhs_oversight.errors import OptionError
from nhs_oversight.explain.capped import capped_plan, is_capped
from nhs_oversight.explain.contributions import contributions
from nhs_oversight.explain.distance import Target, targets
from nhs_oversight.explain.explanation import Explanation
from nhs_oversight.explain.formatting import band_text, decimals_of, is_missing, value_text
from nhs_oversight.explain.model import Distance, DomainLine, MetricLine, Peer
from nhs_oversight.explain.moves import SearchLog, movable, prepare, search_prepared
from nhs_oversight.explain.peers import against_peers
from nhs_oversight.explain.plans import metric_plan
from nhs_oversight.explain.rules import rule_text
from nhs_oversight.explain.steps import headline, steps
from nhs_oversight.frameworks.model import Metric


def explain(assessment: Assessment, org_code: str, max_moves: int = 3, plans: bool = True) -> Explanation:
    """Why an organisation is in its segment, how close it is to the next, and what would move it.

    Parameters
    ----------
    assessment : the result of :func:`nhs_oversight.assess`.
    org_code : the organisation's ODS code (any case).
    max_moves : the most moves to offer towards each adjacent segment.
    plans : whether to find the least-effort plan towards each adjacent segment (and, for a trust
        the financial override caps, the two-step plan) and set each metric against its peers.

    Returns
    -------
    Explanation
        Render with ``.to_text()``, ``.to_markdown()`` or ``.to_dict()``.

    Raises
    ------
    OptionError
        When the organisation is not in the assessment (the message lists near matches).

    Examples
    --------
    >>> import nhs_oversight as no
    >>> a = no.assess(no.synthetic_inputs("2025/26 Q1"))
    >>> e = no.explain(a, "Z00")
    >>> e.final_segment == int(a.org("Z00")["final_segment"])
    True
    """
    g = _ground(assessment, org_code)
    org, code, fw, rows, probe = g.org, g.code, assessment.framework, g.rows, g.probe
    reasons = {d["metric_id"]: d["reason"] for d in g.not_offered}
    lines = _metric_lines(assessment, probe, rows, g.weight, g.contribution, g.share, reasons)

    log = SearchLog()
    distance, plan_list = _towards_targets(assessment, org, probe, rows, g.weights, g.offered, max_moves, plans, log)

    provenance = dict(assessment.provenance(), dataset=assessment.label)
    return Explanation(
        **_standing(fw, org),
        headline=headline(assessment, org),
        steps=steps(assessment, org, rows),
        metrics=lines,
        domains=_domains(assessment, code, org["trust_type"]),
        peers=_peers(assessment, code, org["trust_type"]),
        distance=tuple(distance),
        not_offered=tuple(g.not_offered),
        provenance=provenance,
        warnings=tuple(assessment.warnings),
        search={"engine_runs": log.engine_runs, "candidates_scored": log.candidates_scored, "unconfirmed": log.unconfirmed},
        plans=tuple(plan_list),
        against_peers=against_peers(assessment, probe, rows) if plans else (),
    )


def _standing(fw, org: pd.Series) -> dict:
    """Who the organisation is and where it stands, as the assessment holds it (never recomputed)."""
    return {
        "org_code": str(org["org_code"]),
        "org_name": str(org["org_name"]),
        "trust_type": str(org["trust_type"]),
        "trust_type_label": fw.trust_type_label(org["trust_type"]),
        "final_segment": _int(org["final_segment"]),
        "adjusted_segment": _int(org["adjusted_segment"]),
        "unadjusted_segment": _int(org["unadjusted_segment"]),
        "average_score": _float(org["average_score"]),
        "average_score_unrounded": _float(org["average_score_unrounded"]),
        "rank": _int(org["rank"]),
        "rank_of": _int(org["rank_of"]),
    }


def _metric_lines(assessment: Assessment, probe: Probe, rows: pd.DataFrame, weight, contribution, share, reasons: dict) -> tuple:
    """One line per metric: its score, its weight in the average, and why it is or is not offered as a move."""
    own_scores = dict(zip(rows["metric_id"], rows["score"].astype(float), strict=True))
    return tuple(
        _metric_line(assessment, probe, r, own_scores, weight[i], contribution[i], share[i], reasons)
        for i, r in enumerate(rows.to_dict("records"))
    )


def _metric_rows(assessment: Assessment, code: str) -> pd.DataFrame:
    """The organisation's metric rows in the framework's order, the order every surface lists them."""
    rows = assessment.metrics[assessment.metrics["org_code"].to_numpy(dtype=object) == code]
    order = {m.id: i for i, m in enumerate(assessment.framework.metrics)}
    return rows.assign(_o=rows["metric_id"].map(order)).sort_values("_o").drop(columns="_o").reset_index(drop=True)


def _towards_targets(assessment, org, probe, rows, weights, offered, max_moves: int, plans: bool, log: SearchLog) -> tuple[list, list]:
    """For each adjacent segment: how far it is, the moves and the plan that would reach it."""
    distance, plan_list = [], []
    for target in targets(assessment, org):
        moves, how, plan = (), "none", None
        if target.reachable and (max_moves > 0 or plans):
            ctx, candidates = prepare(assessment, org, probe, rows, weights, offered, target, log)
            if plans:
                plan = metric_plan(ctx, candidates)
            if max_moves > 0:
                moves, how = search_prepared(ctx, candidates, max_moves)
        elif plans and is_capped(assessment, org, target):
            plan = capped_plan(assessment, org, target, log)
        if plan is not None:
            plan_list.append(plan)
        distance.append(_distance(target, moves, how, plan, searched=max_moves > 0))
    return distance, plan_list


def _find(assessment: Assessment, org_code: str) -> pd.Series:
    code = (org_code or "").strip().upper()
    codes = [str(c) for c in assessment.summary["org_code"].to_numpy(dtype=object)]
    upper = {c.upper(): c for c in codes}
    if code in upper:
        at = codes.index(upper[code])
        return assessment.summary.iloc[at]
    close = difflib.get_close_matches(code, list(upper), n=5, cutoff=0.5)
    near = [upper[c] for c in sorted(close, key=lambda c: (-difflib.SequenceMatcher(None, code, c).ratio(), c))]
    if len(code) >= 3:
        names = [str(n).upper() for n in assessment.summary["org_name"].to_numpy(dtype=object)]
        near += [c for c, n in zip(codes, names, strict=True) if code in n and c not in near][:5]
    if near:
        hint = f"; did you mean {', '.join(near)}?"
    else:
        same = [c for c in codes if c[:1].upper() == code[:1]] or list(codes)
        hint = f"; codes in the input include {', '.join(sorted(same)[:5])}"
    raise OptionError(f"organisation {org_code!r} is not in the input ({len(codes)} organisations){hint}")


def _int(x) -> int | None:
    return None if x is None or x is pd.NA or is_missing(x) else int(x)


def _float(x) -> float | None:
    return None if x is None or x is pd.NA or is_missing(x) else float(x)


def _metric_line(assessment, probe: Probe, r: dict, own_scores: dict, weight, contribution, share, reasons) -> MetricLine:
    fw = assessment.framework
    metric = fw.metric(r["metric_id"])
    domain = fw.domain(metric.domain)
    unit = str(r["unit"]) if not is_missing(r["unit"]) else ""
    matrix_inputs = None
    rule = rule_for(metric.scoring)
    if rule.inputs:
        matrix_inputs = tuple(own_scores.get(i, np.nan) for i in rule.inputs)
        shown = " × ".join(f"{x:g}" for x in matrix_inputs) + " (scores)" if not any(is_missing(x) for x in matrix_inputs) else "no value"
    elif rule.score_is_input:
        shown = band_text(metric, r["score"]) if not is_missing(r["score"]) else "no value"
    else:
        values, _ = probe.group_values(metric.id) if probe.has(metric.id) else (np.array([r["value"]]), None)
        shown = value_text(r["value"], unit, decimals_of(values, unit))
    value = _float(r["value"])
    if value is None and rule.score_is_input and probe.has(metric.id):
        value = probe.value(metric.id)  # a score-only input: the value is the band score
    return MetricLine(
        metric_id=metric.id,
        score_id=metric.score_id,
        name=metric.name,
        short_name=metric.short_name,
        domain=metric.domain,
        domain_name=domain.name,
        value=value,
        value_text=shown,
        unit=unit,
        population=str(r["population"]),
        population_size=_int(r["population_size"]),
        group_size=_int(r["group_size"]),
        rank=_int(r["rank"]),
        rule=str(r["rule"]),
        rule_text=rule_text(fw, metric, r, matrix_inputs),
        score=_float(r["score"]),
        score_2dp=_float(r["score_2dp"]),
        average_input=_float(r["average_input"]),
        weight=float(r["weight"]),
        in_average=bool(r["in_average"]),
        effective_weight=_float(weight),
        contribution=_float(contribution),
        share=_float(share),
        score_source=str(r["score_source"]),
        input_row=str(r["input_row"]),
        movable=metric.id not in reasons,
        not_movable_reason=reasons.get(metric.id),
    )


def _domains(assessment: Assessment, code: str, trust_type: str) -> tuple[DomainLine, ...]:
    fw = assessment.framework
    d = assessment.domains
    org_types = dict(zip(assessment.summary["org_code"].to_numpy(dtype=object), assessment.summary["trust_type"].to_numpy(dtype=object), strict=True))
    d_code = d["org_code"].to_numpy(dtype=object)
    d_domain = d["domain"].to_numpy(dtype=object)
    d_type = np.array([org_types.get(c) for c in d_code], dtype=object)
    has_score = ~np.isnan(d["score"].to_numpy(dtype=float))
    own = d[d_code == code]
    own_at = {dom: i for i, dom in enumerate(own["domain"].to_numpy(dtype=object))}
    records = own.to_dict("records")
    out = []
    for dom in fw.domains:
        if dom.id not in own_at:
            continue
        r = records[own_at[dom.id]]
        cp = assessment.cutpoints.get(dom.id)
        n = int(((d_type == trust_type) & (d_domain == dom.id) & has_score).sum())
        out.append(
            DomainLine(
                domain=dom.id,
                name=dom.name,
                n_metrics=int(r["n_metrics"]),
                score=_float(r["score"]),
                score_2dp=_float(r["score_2dp"]),
                segment=_int(r["segment"]),
                rank=_int(r["rank"]),
                rank_of=n,
                cut_points=tuple(cp.values) if cp else None,
                cut_point_method=cp.method if cp else None,
            )
        )
    return tuple(out)


def _peers(assessment: Assessment, code: str, trust_type: str, n: int = 2) -> tuple[Peer, ...]:
    """Neighbours in the league table of the trust's type (ordered by rank, then ODS code)."""
    summary = assessment.summary
    same = summary[summary["trust_type"].to_numpy(dtype=object) == trust_type]
    rank = same["rank"].to_numpy(dtype=float, na_value=np.inf)
    codes = same["org_code"].to_numpy(dtype=object)
    order = np.lexsort((codes.astype(str), rank))
    at = int(np.flatnonzero(codes[order] == code)[0])
    out = []
    for position, idx in (("above", range(max(0, at - n), at)), ("below", range(at + 1, min(len(order), at + 1 + n)))):
        for j in idx:
            r = same.iloc[int(order[j])]
            out.append(
                Peer(
                    position=position,
                    org_code=str(r["org_code"]),
                    org_name=str(r["org_name"]),
                    average_score=_float(r["average_score"]),
                    final_segment=_int(r["final_segment"]),
                    adjusted_segment=_int(r["adjusted_segment"]),
                    rank=_int(r["rank"]),
                )
            )
    return tuple(out)


def _distance(target: Target, moves, how: str, plan=None, searched: bool = True) -> Distance:
    text = target.reason
    if target.reachable:
        if moves:
            n = len(moves)
            text += f" {n} way{'s' if n > 1 else ''} found, each checked by re-running the engine."
        elif searched and plan is not None and plan.found:
            text += f" No change to one metric, or to two, reaches it; the plan below changes {plan.n_changes}."
        elif searched:
            text += " No change to one metric, or to two, reaches it: the gap is larger than any one or two metrics can close."
    return Distance(
        direction=target.direction,
        from_segment=target.from_segment,
        target_segment=target.target_segment,
        reachable=target.reachable,
        reason=target.reason,
        cut_point=target.cut_point,
        average_needed=target.average_needed,
        average_change=target.average_change,
        moves=tuple(moves),
        search=how,
        text=text,
    )


def plans_for(assessment: Assessment, org_code: str, directions: tuple[str, ...] = ("better", "worse")) -> tuple:
    """Only the plans of :func:`explain` (the same search and engine runs), for checks across many trusts.

    >>> import nhs_oversight as no
    >>> a = no.assess(no.synthetic_inputs("2025/26 Q1"))
    >>> [p.direction for p in plans_for(a, "Z00", ("better",))] in ([], ["better"])
    True
    """
    g = _ground(assessment, org_code)
    log = SearchLog()
    out = []
    for target in targets(assessment, g.org):
        if target.direction not in directions:
            continue
        if target.reachable:
            out.append(metric_plan(*prepare(assessment, g.org, g.probe, g.rows, g.weights, g.offered, target, log)))
        elif is_capped(assessment, g.org, target):
            out.append(capped_plan(assessment, g.org, target, log))
    return tuple(out)


class _Ground(NamedTuple):
    """What explanations and plans both start from: the organisation, its metric rows and weights, what can move."""

    org: pd.Series
    code: str
    rows: pd.DataFrame
    weight: np.ndarray
    contribution: np.ndarray
    share: np.ndarray
    weights: dict[str, float]
    probe: Probe
    offered: list[Metric]
    not_offered: list[dict[str, str]]


def _ground(assessment: Assessment, org_code: str) -> _Ground:
    org = _find(assessment, org_code)
    code = str(org["org_code"])
    rows = _metric_rows(assessment, code)
    weight, contribution, share = contributions(assessment.framework, rows, float(org["average_score_unrounded"]))
    weights = {m: float(w) for m, w in zip(rows["metric_id"], weight, strict=True) if not np.isnan(w)}
    probe = Probe(assessment, code)
    offered, not_offered = movable(assessment, probe, rows)
    return _Ground(org, code, rows, weight, contribution, share, weights, probe, offered, not_offered)
