"""Sampling-error draws for metrics with counts (numerator / denominator).

Where a metric's value is a percentage x/n, each draw takes the true proportion from the Jeffreys
posterior Beta(x + 0.5, n - x + 0.5) (methods/statistics.md 3.2). Scores that rank trusts against
each other change when any trust's value changes, so every draw is a full run of the engine with
the cut points frozen: slower than the bootstrap (tens of milliseconds per draw), and exact.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nhs_oversight.engine import Assessment, AssessOptions, assess
from nhs_oversight.errors import InputError, OptionError
from nhs_oversight.uncertainty.replicate import Replicates

COUNT_COLUMNS = ["org_code", "metric_id", "numerator", "denominator"]
#: Units whose value is a proportion expressed as a percentage.
PERCENT_UNITS = {"percent"}


def draw_proportions(numerator: np.ndarray, denominator: np.ndarray, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Jeffreys draws of each proportion, shape (draws, rows); works when x = 0 or x = n."""
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    return rng.beta(x + 0.5, n - x + 0.5, size=(draws, len(x)))


def check_counts(counts: pd.DataFrame, assessment: Assessment) -> pd.DataFrame:
    """Validate counts against the assessment's metrics; return them aligned to input value rows."""
    missing = [c for c in COUNT_COLUMNS if c not in counts.columns]
    if missing:
        raise InputError(f"counts need columns {', '.join(COUNT_COLUMNS)}; missing {', '.join(missing)}")
    fw = assessment.framework
    c = counts[COUNT_COLUMNS].copy()
    x, n = c["numerator"].astype(float), c["denominator"].astype(float)
    bad = ~((n > 0) & (x >= 0) & (x <= n))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{c['org_code'].iloc[i]} {c['metric_id'].iloc[i]}: numerator {x.iloc[i]:g} and denominator {n.iloc[i]:g} are not a proportion (0 <= x <= n, n > 0)")
    for mid in c["metric_id"].unique():
        try:
            metric = fw.metric(mid)
        except KeyError:
            raise InputError(f"counts given for {mid}, which {fw.id} does not score") from None
        if metric.unit not in PERCENT_UNITS:
            raise InputError(f"counts given for {mid} ({metric.short_name}), whose value is not a percentage ({metric.unit})")
    values = assessment.inputs.values.reset_index(drop=True)
    key = pd.Series(np.arange(len(values)), index=pd.MultiIndex.from_frame(values[["org_code", "metric_id"]]))
    key = key[~key.index.duplicated()]
    rows = key.reindex(pd.MultiIndex.from_frame(c[["org_code", "metric_id"]]))
    if rows.isna().any():
        i = int(np.flatnonzero(rows.isna().to_numpy())[0])
        raise InputError(f"counts given for {c['org_code'].iloc[i]} {c['metric_id'].iloc[i]}, which has no value in the inputs")
    c["row"] = rows.to_numpy(dtype=int)
    return c


def sampling_replicates(assessment: Assessment, counts: pd.DataFrame, draws: int, rng: np.random.Generator) -> Replicates:
    """Run the engine once per draw with the counted metrics redrawn and the cut points frozen."""
    cut = assessment.cutpoints["overall"]
    if cut.by_group:
        raise OptionError("sampling-error draws need one set of cut points to freeze; this framework sets them within each trust type")
    c = check_counts(counts, assessment)
    drawn = 100.0 * draw_proportions(c["numerator"].to_numpy(), c["denominator"].to_numpy(), draws, rng)
    base = assessment.inputs.values.reset_index(drop=True)
    rows = c["row"].to_numpy()
    options = AssessOptions(cutpoints=cut.values, recompute_all=assessment.options.recompute_all)
    codes = assessment.summary["org_code"].to_numpy(dtype=object)
    n = len(codes)
    out = {k: np.empty((draws, n)) for k in ("average", "average_2dp", "segment", "rank")}
    value = base["value"].to_numpy(float).copy()
    tie = base["tie_rank"].to_numpy(float).copy()
    tie[rows] = np.nan  # published ranks no longer order the redrawn values
    for b in range(draws):  # each draw re-runs the engine: rank-based scores depend on every trust
        value[rows] = drawn[b]
        data = assessment.inputs.with_values(base.assign(value=value, tie_rank=tie))
        s = assess(data, assessment.framework, options).summary.set_index("org_code").loc[codes]
        out["average"][b] = s["average_score_unrounded"].to_numpy(float)
        out["average_2dp"][b] = s["average_score"].to_numpy(float)
        out["segment"][b] = s["adjusted_segment"].to_numpy(float)
        out["rank"][b] = s["rank"].to_numpy(float)
    return Replicates(average=out["average"], average_2dp=out["average_2dp"], segment=out["segment"], rank=out["rank"].astype(int))
