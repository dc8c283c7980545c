"""``assess``: score, average, segment, override and rank, in that order, with nothing hidden.

Pure: no file is read and nothing is printed. Notes for the user are returned in
``Assessment.warnings``. Work is done on numpy arrays and the result tables are built once at
the end, so a national quarter takes milliseconds.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager

import numpy as np
import pandas as pd

from nhs_oversight.engine.assessment import SUMMARY_COLUMNS, Assessment
from nhs_oversight.engine.options import AssessOptions
from nhs_oversight.engine.rounding import round_half_up
from nhs_oversight.engine.scoring import (
    RULE_FLOOR,
    RULE_MATRIX,
    RULE_PUBLISHED,
    RULE_STANDARD,
    TIE_PUBLISHED_RANK,
    TIE_SHARED,
    MetricRows,
    Scored,
    _empty_scored,
    lookup_matrix,
    score_metric,
    unround_published,
)
from nhs_oversight.engine.segments import (
    CutPoints,
    apply_override,
    implied_cutpoints,
    league_rank,
    quartile_cutpoints,
    score_rank,
    segment_of,
)
from nhs_oversight.errors import InputError
from nhs_oversight.frameworks.model import Framework, MatrixScoring, Metric, RankedScoring
from nhs_oversight.inputs import OversightInputs

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


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector: the engine makes thousands of short-lived arrays and no
    reference cycles, and collections triggered by those allocations cost a third of its time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def assess(inputs: OversightInputs, framework: Framework, options: AssessOptions | None = None) -> Assessment:
    """Run the framework's method on the inputs and keep every intermediate.

    Parameters
    ----------
    inputs : metric values, organisations and flags for one quarter.
    framework : the method version (see :func:`nhs_oversight.load_framework`).
    options : fixed cut points, recomputation of pooled metrics.

    Returns
    -------
    Assessment
    """
    with _collector_paused():
        return _assess(inputs, framework, options)


def _assess(inputs: OversightInputs, framework: Framework, options: AssessOptions | None) -> Assessment:
    """The steps of :func:`assess`."""
    options = options or AssessOptions()
    warnings: list[str] = list(inputs.notes)
    orgs = inputs.orgs.reset_index(drop=True)
    if len(orgs) == 0:
        raise InputError("the input holds no organisations")
    codes = orgs["org_code"].to_numpy(dtype=object)
    types = orgs["trust_type"].to_numpy(dtype=object)
    present_types = set(types)
    national = present_types >= {t.id for t in framework.trust_types}
    if not national:
        absent = [t.label for t in framework.trust_types if t.id not in present_types]
        missing = {t.id for t in framework.trust_types} - present_types
        seg = framework.segmentation
        needs = []
        if any(m.is_pooled and set(m.trust_types) & missing for m in framework.metrics):
            needs.append("metrics scored over every trust type")
        if seg.method == "quartiles" and seg.population == "national":
            needs.append("the segment cut points")
        why = f": {' and '.join(needs)} need the national population" if needs else ""
        warnings.append(f"the input does not hold the whole nation (no {', '.join(absent)}){why}")
    published = _PublishedIndex(inputs.published)
    metrics, metric_pos = _score_all(inputs, framework, options, codes, types, present_types, published, warnings)
    notes = [_tie_note(metrics, dict(zip(codes, types, strict=True)), inputs.values)]
    summary, domains, cutpoints = _aggregate(inputs, framework, options, orgs, metrics, metric_pos, national, published, warnings)
    return Assessment(
        framework=framework,
        options=options,
        inputs=inputs,
        metrics=metrics,
        domains=domains,
        summary=summary,
        cutpoints=cutpoints,
        national=national,
        warnings=tuple(dict.fromkeys(w for w in warnings if w)),
        notes=tuple(n for n in notes if n),
    )


class _PublishedIndex:
    """Published figures looked up by field, on demand (most fields are never needed)."""

    def __init__(self, published: pd.DataFrame) -> None:
        n = len(published)
        codes, uniques = pd.factorize(published["field"]) if n else (np.array([], dtype=int), [])
        self.field_code = {f: i for i, f in enumerate(uniques)}
        self.fields = np.asarray(codes)
        self.codes = published["org_code"].to_numpy(dtype=object) if n else np.array([], dtype=object)
        self.data = published["value"].to_numpy(dtype=float) if n else np.array([])

    def values(self, field: str, codes: np.ndarray) -> np.ndarray | None:
        if field not in self.field_code:
            return None
        m = self.fields == self.field_code[field]
        d = dict(zip(self.codes[m][::-1], self.data[m][::-1], strict=True))  # first row wins
        return np.array([d.get(c, np.nan) for c in codes], dtype=float)


# ------------------------------------------------------------------------------------------ step 1
def _score_all(inputs, framework, options, codes, types, present_types, published, warnings) -> pd.DataFrame:
    vals = inputs.values
    v_code = vals["org_code"].to_numpy(dtype=object)
    v_metric = vals["metric_id"].to_numpy(dtype=object)
    v_value = vals["value"].to_numpy(dtype=float)
    v_unit = vals["unit"].fillna("").to_numpy(dtype=object)
    v_tie = vals["tie_rank"].to_numpy(dtype=float)
    v_src = vals["source"].to_numpy(dtype=object)
    v_pos = pd.Index(codes, dtype=object).get_indexer(v_code)
    if (v_pos < 0).any():
        j = int(np.flatnonzero(v_pos < 0)[0])
        raise InputError(f"metric value for {v_code[j]}, which has no organisation row", file=str(v_src[j]))
    metric_code, metric_names = pd.factorize(v_metric)
    order = np.argsort(metric_code, kind="stable")
    bounds = np.searchsorted(metric_code[order], np.arange(len(metric_names) + 1))
    rows_of = {name: order[bounds[k] : bounds[k + 1]] for k, name in enumerate(metric_names)}
    tie_break = framework.ranking.tie_break == "published_rank"

    cols: dict[str, list[np.ndarray]] = defaultdict(list)
    band_scores: dict[str, dict[str, float]] = {}
    for metric in framework.metrics:
        if isinstance(metric.scoring, MatrixScoring) or metric.id not in rows_of:
            continue
        idx = rows_of[metric.id]
        pos = v_pos[idx]
        rows = MetricRows(org=pos, value=v_value[idx], unit=v_unit[idx], tie_rank=v_tie[idx], trust_type=types[pos])
        scored = score_metric(metric, rows, tie_break)
        source = np.full(len(idx), "input" if metric.scoring.model == "published_score" else "computed", dtype=object)
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
        value = rows.value if metric.scoring.model != "published_score" else np.full(len(idx), np.nan)
        _add(cols, metric, codes[pos], value, v_unit[idx], scored, source, v_src[idx])
        cols["_pos"].append(pos)
        band_scores[metric.id] = dict(zip(codes[pos], scored.score, strict=True))

    for metric in framework.metrics:
        spec = metric.scoring
        if not isinstance(spec, MatrixScoring):
            continue
        a, b = band_scores.get(spec.rows), band_scores.get(spec.columns)
        if not a or not b:
            continue
        both = np.array([c for c in codes if c in a and c in b], dtype=object)
        ra = np.array([a[c] for c in both], dtype=float)
        rb = np.array([b[c] for c in both], dtype=float)
        scored = _empty_scored(len(both))
        scored.score[:] = lookup_matrix(spec.matrix, ra, rb)
        scored.rule[:] = RULE_MATRIX
        n = len(both)
        _add(
            cols,
            metric,
            both,
            np.full(n, np.nan),
            np.full(n, "score", dtype=object),
            scored,
            np.full(n, "computed", dtype=object),
            np.full(n, f"derived from {spec.rows} and {spec.columns}", dtype=object),
        )
        cols["_pos"].append(pd.Index(codes, dtype=object).get_indexer(both))
    if not cols:
        raise InputError("the input holds no metric values the framework scores")
    frame = _frame({k: np.concatenate(cols[k]) for k in METRIC_COLUMNS})
    return frame, np.concatenate(cols["_pos"])


def _add(cols, metric: Metric, org_codes, value, unit, scored: Scored, source, input_row) -> None:
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

    For ranked metrics averaged at full precision, the unrounded score is recovered from the 2-dp
    published scores (see :func:`unround_published`), so averages stay exact.
    """
    has = ~np.isnan(published)
    published = published.copy()
    exact_note = ""
    spec = metric.scoring
    if isinstance(spec, RankedScoring) and metric.average_input == "full":
        low, high = spec.span
        inner = has & (scored.rule != RULE_STANDARD) & (scored.rule != RULE_FLOOR)
        inner &= (published > 1.0) if spec.standard is not None else True
        inner &= (published < 4.0) if spec.floor is not None else True
        if inner.sum() >= 2:
            better = rows.value[inner] if metric.higher_is_better else -rows.value[inner]
            found = unround_published(published[inner], better, low, high)
            if found is not None:
                exact, n = found
                published[inner] = exact
                scored.group_size[inner] = n
                scored.rank[inner] = np.rint((exact - low) * (n - 1) / (high - low)) + 1
                exact_note = f"; unrounded using the implied national group of {n}"
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


def _tie_note(metrics: pd.DataFrame, type_of: dict, values: pd.DataFrame) -> str:
    """Say where values equal after rounding were ordered by the published Rank, and where they stay tied."""
    tie = metrics["tie_order"]
    ordered = metrics.loc[tie == TIE_PUBLISHED_RANK, "metric_id"].value_counts()
    across = _unordered_across_types(metrics[tie == TIE_SHARED], type_of, values)
    parts = []
    if not ordered.empty:
        listed = ", ".join(f"{m} {n}" for m, n in ordered.sort_index().items())
        parts.append(
            f"tie order: published rank for {int(ordered.sum())} value(s) equal after rounding, which NHS England "
            f"ranked unrounded ({listed})"
        )
    if not across.empty:
        listed = ", ".join(f"{m} {n}" for m, n in across.sort_index().items())
        parts.append(
            f"{int(across.sum())} equal value(s) of different trust types share their best rank, since the published "
            f"ranks (within type) cannot order them ({listed})"
        )
    return "; ".join(parts)


def _unordered_across_types(shared: pd.DataFrame, type_of: dict, values: pd.DataFrame) -> pd.Series:
    """Values sharing a rank with another trust type's, where the published ranks do not show a true tie.

    Within one type, members holding one published rank are a true tie; a cluster spanning types is
    a true tie only when every type in it shows one (two or more members, one rank).
    """
    if shared.empty:
        return pd.Series(dtype=int)
    tie_rank = values.drop_duplicates(["org_code", "metric_id"]).set_index(["org_code", "metric_id"])["tie_rank"]
    d = shared.assign(
        _type=shared["org_code"].map(type_of),
        _tie=tie_rank.reindex(pd.MultiIndex.from_arrays([shared["org_code"], shared["metric_id"]])).to_numpy(),
    )
    cluster = ["metric_id", "population", "rank"]
    per_type = d.groupby([*cluster, "_type"])["_tie"].agg(["size", "nunique"])
    true_tie = ((per_type["size"] >= 2) & (per_type["nunique"] <= 1)).groupby(level=cluster).all()
    n_types = d.groupby(cluster)["_type"].nunique()
    unresolved = (n_types > 1) & ~true_tie.reindex(n_types.index, fill_value=False)
    keys = pd.MultiIndex.from_frame(d[cluster])
    return d.loc[unresolved.reindex(keys).to_numpy(), "metric_id"].value_counts()


# ------------------------------------------------------------------------------------- steps 2-4
def _resolve_cutpoints(name, scores_2dp, framework, options, national, published_pairs, warnings, fixed, thresholds) -> CutPoints:
    n = int((~np.isnan(scores_2dp)).sum())
    method = framework.segmentation.quantile_method
    if fixed is not None:
        return CutPoints(tuple(fixed), "fixed", n, "given by the user")
    if thresholds is not None:
        return CutPoints(tuple(thresholds), "framework thresholds", n)
    if national:
        return CutPoints(quartile_cutpoints(scores_2dp, method), "national quartiles", n)
    if options.use_published_cutpoints and published_pairs is not None:
        cuts, detail, intervals = implied_cutpoints(*published_pairs)
        if cuts is not None:
            if name == "overall":
                warnings.append(
                    "segment cut points are quartiles of the national distribution, which the input does not hold: "
                    f"using the cut points implied by the published segments, {cuts[0]:.3f} / {cuts[1]:.3f} / {cuts[2]:.3f}, "
                    f"{detail} (fix them with --cutpoints)"
                )
            return CutPoints(cuts, "implied by published segments", n, detail, intervals=intervals)
        warnings.append(f"{name}: published segments do not imply cut points ({detail})")
    if name == "overall":
        warnings.append(
            f"segment cut points are quartiles of the {n} trusts in the input, not of the national distribution "
            "(give --cutpoints to use national ones)"
        )
    return CutPoints(quartile_cutpoints(scores_2dp, method), "quartiles of the input", n)


def _within_type_cutpoints(scores, types, framework: Framework) -> CutPoints:
    """Quartiles of each trust type's own averages (a framework option; the published method pools all types)."""
    method = framework.segmentation.quantile_method
    groups = [t.id for t in framework.trust_types if (types == t.id).any()]
    by_group = tuple((g, quartile_cutpoints(scores[types == g], method)) for g in groups)
    sizes = ", ".join(f"{g} n={int((~np.isnan(scores[types == g])).sum())}" for g in groups)
    detail = f"each trust type's own quartiles ({sizes}); the values shown pool every type, for reference only"
    n = int((~np.isnan(scores)).sum())
    return CutPoints(quartile_cutpoints(scores, method), "quartiles within trust type", n, detail, by_group)


def _pairs(published: _PublishedIndex, codes, score_field, segment_field, types=None, labels=None):
    s, g = published.values(score_field, codes), published.values(segment_field, codes)
    return None if s is None or g is None else (s, g, types, labels)


def _aggregate(inputs, framework: Framework, options, orgs, metrics: pd.DataFrame, metric_pos: np.ndarray, national, published, warnings):
    codes = orgs["org_code"].to_numpy(dtype=object)
    types = orgs["trust_type"].to_numpy(dtype=object)
    n_orgs = len(codes)
    seg_spec = framework.segmentation
    domain_ids = [d.id for d in framework.domains]

    use = metrics["in_average"].to_numpy(bool) & ~np.isnan(metrics["score"].to_numpy(float))
    pos = metric_pos[use]
    w = metrics["weight"].to_numpy(float)[use]
    x = metrics["average_input"].to_numpy(float)[use]
    domain_of = {d: i for i, d in enumerate(domain_ids)}
    dom_codes, dom_names = pd.factorize(metrics["domain"].to_numpy(dtype=object)[use])
    dom = np.array([domain_of[d] for d in dom_names], dtype=int)[dom_codes] if len(dom_codes) else np.zeros(0, dtype=int)

    # step 2: average metric score (weighted; missing metrics leave numerator and denominator)
    n_metrics = np.bincount(pos, minlength=n_orgs)
    minimum = framework.average.minimum_metrics
    if (n_metrics < minimum).any():
        j = int(np.flatnonzero(n_metrics < minimum)[0])
        rows = inputs.values.loc[inputs.values["org_code"] == codes[j], "source"].astype(str)
        first = rows.iloc[0] if len(rows) else ""
        raise InputError(
            f"organisation {codes[j]} has {n_metrics[j]} scored metric(s); {framework.id} needs at least {minimum} to segment it",
            file=first.split(":row")[0] or None,
            row=int(first.rsplit("row ", 1)[1]) if ":row" in first else None,
            column="Metric_ID",
        )
    # domain scores: the same weighted mean within each domain (context, not used for the segment)
    k = len(domain_ids)
    cell = pos * k + dom
    with np.errstate(invalid="ignore", divide="ignore"):
        d_score = (np.bincount(cell, weights=w * x, minlength=n_orgs * k) / np.bincount(cell, weights=w, minlength=n_orgs * k)).reshape(n_orgs, k)
    d_count = np.bincount(cell, minlength=n_orgs * k).reshape(n_orgs, k)

    with np.errstate(invalid="ignore", divide="ignore"):
        if framework.average.of == "domains":  # each domain the organisation has counts equally
            has = d_count > 0
            avg = np.where(has, d_score, 0.0).sum(axis=1) / has.sum(axis=1)
        else:
            avg = np.bincount(pos, weights=w * x, minlength=n_orgs) / np.bincount(pos, weights=w, minlength=n_orgs)
    avg_2dp = round_half_up(avg, 2)
    seg_scores = avg_2dp if seg_spec.score == "rounded" else avg

    ids = framework.summary_ids
    upper = seg_spec.boundary == "upper_inclusive"
    if seg_spec.method == "quartiles" and seg_spec.population == "trust_type" and options.cutpoints is None:
        overall = _within_type_cutpoints(seg_scores, types, framework)
    else:
        overall = _resolve_cutpoints(
            "overall",
            seg_scores,
            framework,
            options,
            national,
            _pairs(published, codes, ids.average_score, ids.unadjusted_segment, types, {t.id: t.label for t in framework.trust_types}),
            warnings,
            options.cutpoints,
            seg_spec.thresholds if seg_spec.method == "thresholds" else None,
        )
    cutpoints = {"overall": overall}
    unadjusted = segment_of(seg_scores, overall.for_groups(types), upper)

    dom_parts: dict[str, list[np.ndarray]] = defaultdict(list)
    ds = seg_spec.domains
    for j, d in enumerate(framework.domains):
        has = d_count[:, j] > 0
        if not has.any():
            continue
        score = d_score[has, j]
        s2 = round_half_up(score, 2)
        dcodes = codes[has]
        if ds.method == "none":
            seg = np.full(len(s2), np.nan)
        else:
            thresholds = (ds.thresholds or {}).get(d.id) if ds.method == "thresholds" else None
            cut = _resolve_cutpoints(d.id, s2, framework, options, national, _pairs(published, dcodes, d.score_id, d.segment_id, types[has], {t.id: t.label for t in framework.trust_types}), warnings, None, thresholds)
            cutpoints[d.id] = cut
            seg = segment_of(s2, cut.values, upper)
        dom_parts["org_code"].append(dcodes)
        dom_parts["domain"].append(np.full(len(s2), d.id, dtype=object))
        dom_parts["n_metrics"].append(d_count[has, j])
        dom_parts["score"].append(score)
        dom_parts["score_2dp"].append(s2)
        dom_parts["segment"].append(seg)
        dom_parts["rank"].append(score_rank(types[has], s2))
    domains = _frame({c: np.concatenate(v) for c, v in dom_parts.items()})
    if len(domains):
        domains["segment"] = _as_int(domains["segment"].to_numpy(float))
        domains["rank"] = _as_int(domains["rank"].to_numpy(float))

    # step 3: financial override (the flag is an input: deficit or deficit support)
    fin, fin_src, rsp = _flags(inputs.flags, codes)
    override = framework.financial_override
    if override is not None:
        if np.isnan(fin).any():
            warnings.append(
                f"{int(np.isnan(fin).sum())} organisation(s) have no financial override flag ({override.flag}: in deficit "
                "or receiving deficit support); the override is not applied to them"
            )
        adjusted, applied = apply_override(unadjusted, np.nan_to_num(fin, nan=0.0), override.segments, override.cap)
    else:
        adjusted, applied = unadjusted.copy(), np.zeros(n_orgs, bool)

    # step 4: segment 5 (Recovery Support Programme) and league ranks within trust type
    final = adjusted
    if framework.recovery_support is not None:
        final = np.where(np.nan_to_num(rsp, nan=0.0) == 1, float(framework.recovery_support.segment), adjusted)
    groups = types if framework.league_table.within == "trust_type" else np.zeros(n_orgs, dtype=object)
    rank, rank_of = league_rank(groups, adjusted, avg_2dp)

    summary = _frame(
        {
            "org_code": codes,
            "org_name": orgs["org_name"].to_numpy(dtype=object),
            "trust_type": types,
            "trust_subtype": orgs["trust_subtype"].to_numpy(dtype=object),
            "region": orgs["region"].to_numpy(dtype=object),
            "icb_code": orgs["icb_code"].to_numpy(dtype=object),
            "icb_name": orgs["icb_name"].to_numpy(dtype=object),
            "n_metrics": n_metrics,
            "average_score_unrounded": avg,
            "average_score": avg_2dp,
            "unadjusted_segment": _as_int(unadjusted),
            "financial_flag": _as_int(fin),
            "financial_flag_source": fin_src,
            "financial_override": applied,
            "adjusted_segment": _as_int(adjusted),
            "recovery_support": _as_int(rsp),
            "final_segment": _as_int(final),
            "rank": _as_int(rank),
            "rank_of": _as_int(rank_of),
        }
    )[SUMMARY_COLUMNS]
    return summary, domains, cutpoints


def _frame(columns: dict[str, object]) -> pd.DataFrame:
    """Build a table without pandas re-inferring text columns (keeps object dtype, and speed)."""
    return pd.DataFrame(
        {k: pd.Series(v, dtype=object) if isinstance(v, np.ndarray) and v.dtype == object else v for k, v in columns.items()},
        copy=False,
    )


def _flags(flags: pd.DataFrame, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(codes)
    if flags is None or len(flags) == 0:
        return np.full(n, np.nan), np.full(n, None, dtype=object), np.full(n, np.nan)
    f = flags.drop_duplicates("org_code")
    index = {c: i for i, c in enumerate(f["org_code"].to_numpy(dtype=object))}
    at = np.array([index.get(c, -1) for c in codes])
    ok = at >= 0

    def pick(col: str, dtype, fill):
        out = np.full(n, fill, dtype=dtype)
        if col in f.columns:
            src = f[col].to_numpy(dtype=dtype)
            out[ok] = src[at[ok]]
        return out

    return pick("financial_flag", float, np.nan), pick("financial_source", object, None), pick("rsp_flag", float, np.nan)


def _as_int(x: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers with missing values kept missing (nullable Int64)."""
    x = np.asarray(x, dtype=float)
    missing = np.isnan(x)
    return pd.arrays.IntegerArray(np.where(missing, 0, np.rint(x)).astype(np.int64), missing)
