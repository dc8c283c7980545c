"""Steps 2-4 of ``assess``: average, segment, financial override, Recovery Support and league rank."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from nhs_oversight.engine.assessment import SUMMARY_COLUMNS
from nhs_oversight.engine.cutpoints import resolve_cutpoints, within_type_cutpoints
from nhs_oversight.engine.frames import as_int, frame
from nhs_oversight.engine.published import pairs
from nhs_oversight.engine.rounding import round_half_up
from nhs_oversight.engine.segments import apply_override, league_rank, score_rank, segment_of
from nhs_oversight.errors import InputError
from nhs_oversight.frameworks.model import Framework


def aggregate(inputs, framework: Framework, options, orgs, metrics: pd.DataFrame, metric_pos: np.ndarray, national, published, warnings):
    """Steps 2-4: the summary (one row per organisation), the domain table and the cut points used."""
    codes = orgs["org_code"].to_numpy(dtype=object)
    types = orgs["trust_type"].to_numpy(dtype=object)
    n_metrics, d_score, d_count, avg, avg_2dp = _averages(inputs, framework, metrics, metric_pos, codes)
    seg_scores = avg_2dp if framework.segmentation.score == "rounded" else avg
    overall = _overall_cutpoints(framework, options, seg_scores, codes, types, national, published, warnings)
    cutpoints = {"overall": overall}
    unadjusted = segment_of(seg_scores, overall.for_groups(types), framework.segmentation.boundary == "upper_inclusive")
    domains = _domain_table(framework, options, codes, types, d_score, d_count, national, published, warnings, cutpoints)
    fin, fin_src, rsp = _flags(inputs.flags, codes)
    adjusted, applied = _financial_override(framework, unadjusted, fin, warnings)
    final, rank, rank_of = _recovery_and_rank(framework, types, adjusted, avg_2dp, rsp)
    summary = frame(
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
            "unadjusted_segment": as_int(unadjusted),
            "financial_flag": as_int(fin),
            "financial_flag_source": fin_src,
            "financial_override": applied,
            "adjusted_segment": as_int(adjusted),
            "recovery_support": as_int(rsp),
            "final_segment": as_int(final),
            "rank": as_int(rank),
            "rank_of": as_int(rank_of),
        }
    )[SUMMARY_COLUMNS]
    return summary, domains, cutpoints


def _averages(inputs, framework: Framework, metrics: pd.DataFrame, metric_pos: np.ndarray, codes: np.ndarray):
    """Step 2: each organisation's metric count, domain scores and counts, and average score (full and 2 dp).

    Weighted means; a missing metric leaves both numerator and denominator. Too few metrics is an error.
    """
    n_orgs = len(codes)
    domain_ids = [d.id for d in framework.domains]
    use = metrics["in_average"].to_numpy(bool) & ~np.isnan(metrics["score"].to_numpy(float))
    pos = metric_pos[use]
    w = metrics["weight"].to_numpy(float)[use]
    x = metrics["average_input"].to_numpy(float)[use]
    domain_of = {d: i for i, d in enumerate(domain_ids)}
    dom_codes, dom_names = pd.factorize(metrics["domain"].to_numpy(dtype=object)[use])
    dom = np.array([domain_of[d] for d in dom_names], dtype=int)[dom_codes] if len(dom_codes) else np.zeros(0, dtype=int)

    n_metrics = np.bincount(pos, minlength=n_orgs)
    _check_minimum(inputs, framework, codes, n_metrics)
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
    return n_metrics, d_score, d_count, avg, round_half_up(avg, 2)


def _check_minimum(inputs, framework: Framework, codes: np.ndarray, n_metrics: np.ndarray) -> None:
    """An organisation with fewer scored metrics than the framework needs is an input error, naming its row."""
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


def _type_labels(framework: Framework) -> dict[str, str]:
    return {t.id: t.label for t in framework.trust_types}


def _overall_cutpoints(framework: Framework, options, seg_scores, codes, types, national, published, warnings):
    """The cut points of the overall segment: within each trust type, or one set (see :func:`resolve_cutpoints`)."""
    seg_spec = framework.segmentation
    if seg_spec.method == "quartiles" and seg_spec.population == "trust_type" and options.cutpoints is None:
        return within_type_cutpoints(seg_scores, types, framework)
    ids = framework.summary_ids
    return resolve_cutpoints(
        "overall",
        seg_scores,
        framework,
        options,
        national,
        pairs(published, codes, ids.average_score, ids.unadjusted_segment, types, _type_labels(framework)),
        warnings,
        options.cutpoints,
        seg_spec.thresholds if seg_spec.method == "thresholds" else None,
    )


def _domain_table(framework: Framework, options, codes, types, d_score, d_count, national, published, warnings, cutpoints) -> pd.DataFrame:
    """One row per organisation and domain it has: score, segment and rank; adds each domain's cut points."""
    dom_parts: dict[str, list[np.ndarray]] = defaultdict(list)
    ds = framework.segmentation.domains
    upper = framework.segmentation.boundary == "upper_inclusive"
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
            cut = resolve_cutpoints(d.id, s2, framework, options, national, pairs(published, dcodes, d.score_id, d.segment_id, types[has], _type_labels(framework)), warnings, None, thresholds)
            cutpoints[d.id] = cut
            seg = segment_of(s2, cut.values, upper)
        dom_parts["org_code"].append(dcodes)
        dom_parts["domain"].append(np.full(len(s2), d.id, dtype=object))
        dom_parts["n_metrics"].append(d_count[has, j])
        dom_parts["score"].append(score)
        dom_parts["score_2dp"].append(s2)
        dom_parts["segment"].append(seg)
        dom_parts["rank"].append(score_rank(types[has], s2))
    domains = frame({c: np.concatenate(v) for c, v in dom_parts.items()})
    if len(domains):
        domains["segment"] = as_int(domains["segment"].to_numpy(float))
        domains["rank"] = as_int(domains["rank"].to_numpy(float))
    return domains


def _financial_override(framework: Framework, unadjusted: np.ndarray, fin: np.ndarray, warnings) -> tuple[np.ndarray, np.ndarray]:
    """Step 3: the financial override (the flag is an input: deficit or deficit support)."""
    override = framework.financial_override
    if override is None:
        return unadjusted.copy(), np.zeros(len(unadjusted), bool)
    if np.isnan(fin).any():
        warnings.append(
            f"{int(np.isnan(fin).sum())} organisation(s) have no financial override flag ({override.flag}: in deficit "
            "or receiving deficit support); the override is not applied to them"
        )
    return apply_override(unadjusted, np.nan_to_num(fin, nan=0.0), override.segments, override.cap)


def _recovery_and_rank(framework: Framework, types, adjusted, avg_2dp, rsp):
    """Step 4: segment 5 (Recovery Support Programme) and league ranks within trust type."""
    final = adjusted
    if framework.recovery_support is not None:
        final = np.where(np.nan_to_num(rsp, nan=0.0) == 1, float(framework.recovery_support.segment), adjusted)
    groups = types if framework.league_table.within == "trust_type" else np.zeros(len(types), dtype=object)
    rank, rank_of = league_rank(groups, adjusted, avg_2dp)
    return final, rank, rank_of


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
