"""Step 1 of ``assess``: every metric's score for every organisation, with how it was reached.

Ranked and banded metrics are scored from their values; matrix metrics from two scores already
made; where the scoring population is not in the input, NHS England's published scores stand in.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from nhs_oversight.engine.frames import frame
from nhs_oversight.engine.rounding import round_half_up
from nhs_oversight.engine.rules import rule_for, score_metric
from nhs_oversight.engine.scoring import RULE_PUBLISHED, MetricRows, Scored, empty_scored
from nhs_oversight.errors import InputError
from nhs_oversight.frameworks.model import Metric

METRIC_COLUMNS = [
    "org_code",
    "metric_id",
    "score_id",
    "domain",
    "value",
    "unit",
    "population",
    "population_size",
    "group_size",
    "rank",
    "tie_order",
    "rule",
    "score",
    "score_2dp",
    "average_input",
    "weight",
    "in_average",
    "score_source",
    "input_row",
]



def score_all(inputs, framework, options, codes, types, present_types, published, warnings) -> pd.DataFrame:
    """Step 1: the metric table (:data:`METRIC_COLUMNS`) and each row's organisation position."""
    cols: dict[str, list[np.ndarray]] = defaultdict(list)
    band_scores = _score_values(cols, inputs, framework, options, codes, types, present_types, published, warnings)
    _score_matrices(cols, framework, codes, band_scores)
    if not cols:
        raise InputError("the input holds no metric values the framework scores")
    table = frame({k: np.concatenate(cols[k]) for k in METRIC_COLUMNS})
    return table, np.concatenate(cols["_pos"])


def _rows_by_metric(inputs, codes):
    """The input values as arrays, each row's organisation position, and the rows of each metric."""
    vals = inputs.values
    v = {
        "code": vals["org_code"].to_numpy(dtype=object),
        "value": vals["value"].to_numpy(dtype=float),
        "unit": vals["unit"].fillna("").to_numpy(dtype=object),
        "tie": vals["tie_rank"].to_numpy(dtype=float),
        "src": vals["source"].to_numpy(dtype=object),
    }
    v_metric = vals["metric_id"].to_numpy(dtype=object)
    v["pos"] = pd.Index(codes, dtype=object).get_indexer(v["code"])
    if (v["pos"] < 0).any():
        j = int(np.flatnonzero(v["pos"] < 0)[0])
        raise InputError(f"metric value for {v['code'][j]}, which has no organisation row", file=str(v["src"][j]))
    metric_code, metric_names = pd.factorize(v_metric)
    order = np.argsort(metric_code, kind="stable")
    bounds = np.searchsorted(metric_code[order], np.arange(len(metric_names) + 1))
    rows_of = {name: order[bounds[k] : bounds[k + 1]] for k, name in enumerate(metric_names)}
    return v, rows_of


def _score_values(cols, inputs, framework, options, codes, types, present_types, published, warnings) -> dict[str, dict[str, float]]:
    """Score every metric scored from its values; return each metric's scores by organisation (for matrices)."""
    v, rows_of = _rows_by_metric(inputs, codes)
    v_pos, v_src, v_unit = v["pos"], v["src"], v["unit"]
    tie_break = framework.ranking.tie_break == "published_rank"
    band_scores: dict[str, dict[str, float]] = {}
    for metric in framework.metrics:
        rule = rule_for(metric.scoring)
        if rule.inputs or metric.id not in rows_of:
            continue
        idx = rows_of[metric.id]
        pos = v_pos[idx]
        rows = MetricRows(org=pos, value=v["value"][idx], unit=v_unit[idx], tie_rank=v["tie"][idx], trust_type=types[pos])
        scored = score_metric(metric, rows, tie_break)
        source = np.full(len(idx), "input" if rule.score_is_input else "computed", dtype=object)
        if metric.is_pooled and not set(metric.trust_types) <= present_types:
            absent = [framework.trust_type_label(t) for t in metric.trust_types if t not in present_types]
            pub = published.values(metric.score_id, codes[pos])
            if pub is not None and not options.recompute_all and (~np.isnan(pub)).any():
                _stand_in(metric, rows, scored, source, pub, warnings, absent)
            else:
                warnings.append(
                    f"{metric.id} ({metric.short_name}) is scored over every trust nationally, but the input has no "
                    f"{', '.join(absent)}: scored over the {len(idx)} trusts given, so scores may differ from NHS England's"
                )
        bad = (scored.score < 1 - 1e-9) | (scored.score > 4 + 1e-9)
        if bad.any():
            j = int(np.flatnonzero(bad)[0])
            raise InputError(f"{metric.score_id} score {scored.score[j]:g} is outside 1-4", file=str(v_src[idx][j]), column="Value")
        value = rows.value if not rule.score_is_input else np.full(len(idx), np.nan)
        _add(cols, metric, codes[pos], value, v_unit[idx], scored, source, v_src[idx])
        cols["_pos"].append(pos)
        band_scores[metric.id] = dict(zip(codes[pos], scored.score, strict=True))
    return band_scores


def _score_matrices(cols, framework, codes, band_scores: dict[str, dict[str, float]]) -> None:
    """Score every metric combined from other metrics' scores (the finance matrix), for organisations that have them all."""
    for metric in framework.metrics:
        rule = rule_for(metric.scoring)
        if not rule.inputs:
            continue
        given = [band_scores.get(i) for i in rule.inputs]
        if not all(given):
            continue
        both = np.array([c for c in codes if all(c in g for g in given)], dtype=object)
        scored = empty_scored(len(both))
        scored.score[:] = rule.combine(*(np.array([g[c] for c in both], dtype=float) for g in given))
        scored.rule[:] = rule.combined_rule
        n = len(both)
        _add(
            cols,
            metric,
            both,
            np.full(n, np.nan),
            np.full(n, "score", dtype=object),
            scored,
            np.full(n, "computed", dtype=object),
            np.full(n, f"derived from {' and '.join(rule.inputs)}", dtype=object),
        )
        cols["_pos"].append(pd.Index(codes, dtype=object).get_indexer(both))


def _add(cols, metric: Metric, org_codes, value, unit, scored: Scored, source, input_row) -> None:
    """Append one metric's rows to the metric table's columns."""
    n = len(org_codes)
    score_2dp = round_half_up(scored.score, 2)
    cols["org_code"].append(np.asarray(org_codes, dtype=object))
    cols["metric_id"].append(np.full(n, metric.id, dtype=object))
    cols["score_id"].append(np.full(n, metric.score_id, dtype=object))
    cols["domain"].append(np.full(n, metric.domain, dtype=object))
    cols["value"].append(np.asarray(value, dtype=float))
    cols["unit"].append(np.asarray(unit, dtype=object))
    cols["population"].append(scored.population)
    cols["population_size"].append(scored.population_size)
    cols["group_size"].append(scored.group_size)
    cols["rank"].append(scored.rank)
    cols["tie_order"].append(scored.tie_order)
    cols["rule"].append(scored.rule)
    cols["score"].append(scored.score)
    cols["score_2dp"].append(score_2dp)
    cols["average_input"].append(score_2dp if metric.average_input == "rounded" else scored.score)
    cols["weight"].append(np.full(n, metric.weight))
    cols["in_average"].append(np.full(n, metric.in_average))
    cols["score_source"].append(source)
    cols["input_row"].append(np.asarray(input_row, dtype=object))


def _stand_in(metric: Metric, rows: MetricRows, scored: Scored, source, published: np.ndarray, warnings, absent) -> None:
    """Use NHS England's published score where the scoring population is not in the input.

    Where the rule allows (ranked metrics averaged at full precision), the unrounded score is
    recovered from the 2-dp published scores (the rule's ``unround``), so averages stay exact.
    """
    has = ~np.isnan(published)
    published = published.copy()
    exact_note = rule_for(metric.scoring).unround(metric, rows, scored, published)
    for j in np.flatnonzero(has):
        r = scored.rank[j]
        scored.score[j] = published[j]
        scored.rule[j] = RULE_PUBLISHED
        scored.population[j] = "national"
        scored.tie_order[j] = ""
        if not exact_note or np.isnan(r):
            scored.rank[j] = np.nan
            scored.group_size[j] = np.nan
        source[j] = "published"
    scored.population_size[has] = np.nan
    if (~has).any():
        warnings.append(f"{metric.id}: {int((~has).sum())} trust(s) have no published score and were scored over the trusts given")
    warnings.append(
        f"{metric.id} ({metric.short_name}): the national scoring population is not in the input, so NHS England's "
        f"published scores stand in for {int(has.sum())} trust(s), marked 'published'{exact_note}"
    )
