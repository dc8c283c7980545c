"""``assess``: score, average, segment, override and rank, in that order, with nothing hidden.

Pure: no file is read and nothing is printed. Notes for the user are returned in
``Assessment.warnings``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nhs_oversight.engine.assessment import SUMMARY_COLUMNS, Assessment
from nhs_oversight.engine.options import AssessOptions
from nhs_oversight.engine.rounding import round_half_up
from nhs_oversight.engine.scoring import (
    RULE_MATRIX,
    RULE_PUBLISHED,
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
from nhs_oversight.frameworks.model import Framework, MatrixScoring, RankedScoring
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
    "rule",
    "rule_detail",
    "score",
    "score_2dp",
    "average_input",
    "weight",
    "in_average",
    "score_source",
    "input_row",
]


def assess(inputs: OversightInputs, framework: Framework, options: AssessOptions | None = None) -> Assessment:
    """Run the framework's method on the inputs and keep every intermediate.

    Parameters
    ----------
    inputs : metric values, organisations and flags for one quarter.
    framework : the method version (see :func:`nhs_oversight.load_framework`).
    options : fixed cut points, recomputation of pooled metrics.
    """
    options = options or AssessOptions()
    warnings: list[str] = list(inputs.notes)
    orgs = inputs.orgs.reset_index(drop=True)
    n_orgs = len(orgs)
    if n_orgs == 0:
        raise InputError("the input holds no organisations")
    org_pos = pd.Series(np.arange(n_orgs), index=orgs["org_code"].to_numpy())
    org_type = orgs["trust_type"].to_numpy(dtype=object)
    present_types = set(org_type)
    national = present_types >= {t.id for t in framework.trust_types}
    if not national:
        missing_types = [framework.trust_type_label(t.id) for t in framework.trust_types if t.id not in present_types]
        warnings.append(
            f"the input does not hold the whole nation (no {', '.join(missing_types)}): metrics scored over every "
            "trust type and the segment cut points need the national population"
        )

    metrics_out = _score_all(inputs, framework, options, org_pos, org_type, present_types, warnings)
    summary, domains, cutpoints = _aggregate(inputs, framework, options, orgs, metrics_out, national, warnings)
    return Assessment(
        framework=framework,
        options=options,
        inputs=inputs,
        metrics=metrics_out,
        domains=domains,
        summary=summary,
        cutpoints=cutpoints,
        national=national,
        warnings=tuple(dict.fromkeys(w for w in warnings if w)),
    )


# ------------------------------------------------------------------------------------------ step 1
def _score_all(inputs, framework, options, org_pos, org_type, present_types, warnings) -> pd.DataFrame:
    values = inputs.values
    unknown = ~values["org_code"].isin(org_pos.index)
    if unknown.any():
        row = values[unknown].iloc[0]
        raise InputError(f"metric value for {row['org_code']}, which has no organisation row", file=str(row["source"]))
    by_metric = {k: g for k, g in values.groupby("metric_id", sort=False)}
    published = inputs.published
    pub_by_field = {k: g for k, g in published.groupby("field", sort=False)} if len(published) else {}
    tie_break = framework.ranking.tie_break == "published_rank"

    frames: list[pd.DataFrame] = []
    band_scores: dict[str, pd.Series] = {}
    for metric in framework.metrics:
        if isinstance(metric.scoring, MatrixScoring):
            continue
        rows_df = by_metric.get(metric.id)
        if rows_df is None or rows_df.empty:
            continue
        pos = org_pos[rows_df["org_code"].to_numpy()].to_numpy()
        rows = MetricRows(
            org=pos,
            value=rows_df["value"].to_numpy(dtype=float),
            unit=rows_df["unit"].fillna("").to_numpy(dtype=object),
            tie_rank=rows_df["tie_rank"].to_numpy(dtype=float),
            trust_type=org_type[pos],
        )
        scored = score_metric(metric, rows, tie_break)
        source = np.full(len(pos), "input" if metric.scoring.model == "published_score" else "computed", dtype=object)

        partial = metric.is_pooled and not set(metric.trust_types) <= present_types
        if partial:
            absent = [framework.trust_type_label(t) for t in metric.trust_types if t not in present_types]
            pub = pub_by_field.get(metric.score_id)
            if pub is not None and not options.recompute_all:
                _stand_in(metric, rows_df, rows, scored, source, pub, warnings, absent)
            else:
                warnings.append(
                    f"{metric.id} ({metric.short_name}) is scored over every trust nationally, but the input has no "
                    f"{', '.join(absent)}: scored over the {len(pos)} trusts given, so scores may differ from NHS England's"
                )
        if isinstance(metric.scoring, RankedScoring) or metric.scoring.model != "published_score":
            pass
        bad = (scored.score < 1 - 1e-9) | (scored.score > 4 + 1e-9)
        if bad.any():
            j = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{metric.score_id} score {scored.score[j]:g} is outside 1-4", file=str(rows_df["source"].iloc[j]), column="Value"
            )
        frame = _metric_frame(metric, rows_df, scored, source)
        frames.append(frame)
        band_scores[metric.id] = pd.Series(scored.score, index=rows_df["org_code"].to_numpy())

    for metric in framework.metrics:
        if not isinstance(metric.scoring, MatrixScoring):
            continue
        spec = metric.scoring
        a, b = band_scores.get(spec.rows), band_scores.get(spec.columns)
        if a is None or b is None:
            continue
        codes = a.index.intersection(b.index)
        combined = lookup_matrix(spec.matrix, a[codes].to_numpy(), b[codes].to_numpy())
        n = len(codes)
        scored = _empty_scored(n)
        scored.score[:] = combined
        scored.rule[:] = RULE_MATRIX
        scored.rule_detail[:] = [
            f"{spec.rows} score {int(x)} and {spec.columns} score {int(y)} give {int(z)}"
            for x, y, z in zip(a[codes], b[codes], combined, strict=True)
        ]
        rows_df = pd.DataFrame({"org_code": codes, "value": np.nan, "unit": "score", "source": "derived from " + spec.rows + " and " + spec.columns})
        frames.append(_metric_frame(metric, rows_df, scored, np.full(n, "computed", dtype=object)))

    if not frames:
        raise InputError("the input holds no metric values the framework scores")
    out = pd.concat(frames, ignore_index=True)
    return out[METRIC_COLUMNS]


def _stand_in(metric, rows_df, rows, scored: Scored, source, pub, warnings, absent) -> None:
    """Use NHS England's published score where the scoring population is not in the input."""
    lookup = pub.drop_duplicates("org_code").set_index("org_code")["value"]
    codes = rows_df["org_code"].to_numpy()
    has = np.isin(codes, lookup.index)
    published = lookup.reindex(codes).to_numpy(dtype=float).copy()
    exact_note = ""
    spec = metric.scoring
    if isinstance(spec, RankedScoring) and metric.average_input == "full":
        low, high = spec.span
        inner = has & (scored.rule != "meets standard") & (scored.rule != "fails floor")
        if spec.standard is not None:
            inner &= published > 1.0
        if spec.floor is not None:
            inner &= published < 4.0
        if inner.sum() >= 2:
            better = rows.value[inner] if metric.higher_is_better else -rows.value[inner]
            found = unround_published(published[inner], better, low, high)
            if found is not None:
                exact, n = found
                published[np.flatnonzero(inner)] = exact
                scored.group_size[inner] = n
                scored.rank[inner] = np.rint((exact - low) * (n - 1) / (high - low)) + 1
                exact_note = f"; unrounded using the implied national group of {n}"
    for j in np.flatnonzero(has):
        scored.score[j] = published[j]
        scored.rule[j] = RULE_PUBLISHED
        scored.population[j] = "national"
        r = scored.rank[j]
        scored.rule_detail[j] = (
            f"NHS England's published score (scored nationally; the input has no {', '.join(absent)})"
            + (f"; rank {int(r)} of {int(scored.group_size[j])} nationally" if exact_note and not np.isnan(r) else "")
        )
        if not exact_note:
            scored.rank[j] = np.nan
            scored.group_size[j] = np.nan
        source[j] = "published"
    scored.population_size[has] = np.nan
    if (~has).any():
        warnings.append(
            f"{metric.id}: {int((~has).sum())} trust(s) have no published score and were scored over the trusts given"
        )
    warnings.append(
        f"{metric.id} ({metric.short_name}): the national scoring population is not in the input, so NHS England's "
        f"published scores stand in for {int(has.sum())} trust(s), marked 'published'{exact_note}"
    )


def _metric_frame(metric, rows_df, scored: Scored, source) -> pd.DataFrame:
    n = len(rows_df)
    score_2dp = round_half_up(scored.score, 2)
    avg_in = score_2dp if metric.average_input == "rounded" else scored.score
    return pd.DataFrame(
        {
            "org_code": rows_df["org_code"].to_numpy(),
            "metric_id": metric.id,
            "score_id": metric.score_id,
            "domain": metric.domain,
            "value": rows_df["value"].to_numpy(dtype=float) if metric.scoring.model not in ("published_score", "matrix") else np.full(n, np.nan),
            "unit": rows_df["unit"].to_numpy(dtype=object),
            "population": scored.population,
            "population_size": scored.population_size,
            "group_size": scored.group_size,
            "rank": scored.rank,
            "rule": scored.rule,
            "rule_detail": scored.rule_detail,
            "score": scored.score,
            "score_2dp": score_2dp,
            "average_input": avg_in,
            "weight": metric.weight,
            "in_average": metric.in_average,
            "score_source": source,
            "input_row": rows_df["source"].to_numpy(dtype=object),
        }
    )


# ------------------------------------------------------------------------------------- steps 2-4
def _weighted_means(codes: np.ndarray, keys: np.ndarray, values: np.ndarray, weights: np.ndarray) -> pd.DataFrame:
    df = pd.DataFrame({"org_code": codes, "key": keys, "wv": values * weights, "w": weights, "n": 1})
    g = df.groupby(["org_code", "key"], sort=False)[["wv", "w", "n"]].sum()
    g["score"] = g["wv"] / g["w"]
    return g.reset_index()


def _resolve_cutpoints(
    name: str,
    scores_2dp: np.ndarray,
    framework: Framework,
    options: AssessOptions,
    national: bool,
    published_pairs: tuple[np.ndarray, np.ndarray] | None,
    warnings: list[str],
    fixed: tuple[float, float, float] | None,
    thresholds: tuple[float, float, float] | None,
) -> CutPoints:
    n = int((~np.isnan(scores_2dp)).sum())
    if fixed is not None:
        return CutPoints(tuple(fixed), "fixed", n, "given by the user")
    if thresholds is not None:
        return CutPoints(tuple(thresholds), "framework thresholds", n)
    if national:
        return CutPoints(quartile_cutpoints(scores_2dp, framework.segmentation.quantile_method), "national quartiles", n)
    if options.use_published_cutpoints and published_pairs is not None:
        cuts, detail = implied_cutpoints(*published_pairs)
        if cuts is not None:
            if name == "overall":
                warnings.append(
                    "segment cut points are quartiles of the national distribution, which the input does not hold: "
                    f"using the cut points implied by the published segments, {cuts[0]:.3f} / {cuts[1]:.3f} / {cuts[2]:.3f} "
                    "(fix them with --cutpoints)"
                )
            return CutPoints(cuts, "implied by published segments", n, detail)
        warnings.append(f"{name}: published segments do not imply cut points ({detail})")
    if name == "overall":
        warnings.append(
            f"segment cut points are quartiles of the {n} trusts in the input, not of the national distribution "
            "(give --cutpoints to use national ones)"
        )
    return CutPoints(quartile_cutpoints(scores_2dp, framework.segmentation.quantile_method), "quartiles of the input", n)


def _published_pairs(inputs: OversightInputs, codes: np.ndarray, score_field: str, segment_field: str):
    pub = inputs.published
    if pub.empty:
        return None
    s = pub[pub["field"] == score_field].drop_duplicates("org_code").set_index("org_code")["value"]
    g = pub[pub["field"] == segment_field].drop_duplicates("org_code").set_index("org_code")["value"]
    if s.empty or g.empty:
        return None
    return s.reindex(codes).to_numpy(dtype=float), g.reindex(codes).to_numpy(dtype=float)


def _aggregate(inputs, framework: Framework, options, orgs, metrics: pd.DataFrame, national, warnings):
    codes = orgs["org_code"].to_numpy(dtype=object)
    types = orgs["trust_type"].to_numpy(dtype=object)
    seg_spec = framework.segmentation
    used = metrics[metrics["in_average"] & metrics["score"].notna()]

    # step 2: average metric score
    overall = _weighted_means(
        used["org_code"].to_numpy(), np.zeros(len(used)), used["average_input"].to_numpy(float), used["weight"].to_numpy(float)
    ).set_index("org_code")
    n_metrics = overall["n"].reindex(codes).fillna(0).astype(int).to_numpy()
    minimum = framework.average.minimum_metrics
    too_few = n_metrics < minimum
    if too_few.any():
        j = int(np.flatnonzero(too_few)[0])
        src = inputs.values.loc[inputs.values["org_code"] == codes[j], "source"]
        raise InputError(
            f"organisation {codes[j]} has {n_metrics[j]} scored metric(s); {framework.id} needs at least {minimum} to segment it",
            file=str(src.iloc[0]).split(":row")[0] if len(src) else None,
            row=int(str(src.iloc[0]).rsplit("row ", 1)[1]) if len(src) else None,
            column="Metric_ID",
        )
    avg = overall["score"].reindex(codes).to_numpy(dtype=float)
    avg_2dp = round_half_up(avg, 2)
    seg_scores = avg_2dp if seg_spec.score == "rounded" else avg

    # step 2 (context): domain scores
    dom = _weighted_means(
        used["org_code"].to_numpy(), used["domain"].to_numpy(), used["average_input"].to_numpy(float), used["weight"].to_numpy(float)
    )
    dom = dom.rename(columns={"key": "domain", "n": "n_metrics"})
    dom["score_2dp"] = round_half_up(dom["score"].to_numpy(float), 2)

    # step 2b: cut points and unadjusted segments
    ids = framework.summary_ids
    cutpoints: dict[str, CutPoints] = {}
    cutpoints["overall"] = _resolve_cutpoints(
        "overall",
        seg_scores,
        framework,
        options,
        national,
        _published_pairs(inputs, codes, ids.average_score, ids.unadjusted_segment),
        warnings,
        options.cutpoints,
        seg_spec.thresholds if seg_spec.method == "thresholds" else None,
    )
    upper = seg_spec.boundary == "upper_inclusive"
    unadjusted = segment_of(seg_scores, cutpoints["overall"].values, upper)

    dom_frames = []
    for d in framework.domains:
        part = dom[dom["domain"] == d.id].copy()
        if part.empty:
            continue
        ds = seg_spec.domains
        dcodes = part["org_code"].to_numpy(dtype=object)
        thresholds = (ds.thresholds or {}).get(d.id) if ds.method == "thresholds" else None
        if ds.method == "none":
            part["segment"] = np.nan
        else:
            cut = _resolve_cutpoints(
                d.id,
                part["score_2dp"].to_numpy(float),
                framework,
                options,
                national,
                _published_pairs(inputs, dcodes, d.score_id, d.segment_id),
                warnings,
                None,
                thresholds,
            )
            cutpoints[d.id] = cut
            part["segment"] = segment_of(part["score_2dp"].to_numpy(float), cut.values, upper)
        part["rank"] = score_rank(pd.Series(dcodes).map(dict(zip(codes, types, strict=True))).to_numpy(dtype=object), part["score_2dp"].to_numpy(float))
        dom_frames.append(part)
    domains = pd.concat(dom_frames, ignore_index=True) if dom_frames else pd.DataFrame(
        columns=["org_code", "domain", "score", "score_2dp", "segment", "rank", "n_metrics"]
    )
    domains = domains[["org_code", "domain", "n_metrics", "score", "score_2dp", "segment", "rank"]]

    # step 3: financial override
    flags = inputs.flags.drop_duplicates("org_code").set_index("org_code") if len(inputs.flags) else pd.DataFrame(index=pd.Index([], name="org_code"))
    fin = flags["financial_flag"].reindex(codes).to_numpy(dtype=float) if "financial_flag" in flags else np.full(len(codes), np.nan)
    fin_src = flags["financial_source"].reindex(codes).to_numpy(dtype=object) if "financial_source" in flags else np.full(len(codes), None, dtype=object)
    rsp = flags["rsp_flag"].reindex(codes).to_numpy(dtype=float) if "rsp_flag" in flags else np.full(len(codes), np.nan)
    override = framework.financial_override
    if override is not None:
        if np.isnan(fin).any():
            k = int(np.isnan(fin).sum())
            warnings.append(
                f"{k} organisation(s) have no financial override flag ({override.flag}: in deficit or receiving deficit "
                "support); the override is not applied to them"
            )
        adjusted, applied = apply_override(unadjusted, np.nan_to_num(fin, nan=0.0), override.segments, override.cap)
    else:
        adjusted, applied = unadjusted.copy(), np.zeros(len(codes), bool)

    # step 4: segment 5 and league ranks
    final = adjusted.copy()
    if framework.recovery_support is not None:
        final = np.where(np.nan_to_num(rsp, nan=0.0) == 1, float(framework.recovery_support.segment), adjusted)
    groups = types if framework.league_table.within == "trust_type" else np.zeros(len(codes), dtype=object)
    rank, rank_of = league_rank(groups, adjusted, avg_2dp)

    summary = pd.DataFrame(
        {
            "org_code": codes,
            "org_name": orgs["org_name"].to_numpy(),
            "trust_type": types,
            "trust_subtype": orgs["trust_subtype"].to_numpy(),
            "region": orgs["region"].to_numpy(),
            "icb_code": orgs["icb_code"].to_numpy(),
            "icb_name": orgs["icb_name"].to_numpy(),
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


def _as_int(x: np.ndarray) -> pd.Series:
    return pd.Series(x).round().astype("Int64")
