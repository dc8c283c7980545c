"""Against peers: each metric's value beside its scoring group's median and quartiles.

NHS England's NOF files give each metric's ``Median_value``, ``Lower_quartile`` and
``Upper_quartile`` (over the trusts of the file's type); where given they are shown as published.
Otherwise they are computed from the values in the input over the same group the metric is scored
in (trusts of the same type, or every trust for metrics scored nationally, and of the same unit),
as linear-interpolation quartiles, which reproduce the published ones on the acute Q1 file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nhs_oversight.engine import Assessment
from nhs_oversight.engine.rules import rule_for
from nhs_oversight.engine.whatif import Probe
from nhs_oversight.explain.formatting import decimals_of, is_missing, type_plural, value_text
from nhs_oversight.explain.model import PeerValue

COLUMNS = ("Lower_quartile", "Median_value", "Upper_quartile")
ORDINAL = {1: "best", 2: "second", 3: "third", 4: "worst"}


def against_peers(assessment: Assessment, probe: Probe, rows: pd.DataFrame) -> tuple[PeerValue, ...]:
    """One line per metric with a value of its own (not score-only inputs or the finance matrix)."""
    fw = assessment.framework
    pub = assessment.inputs.published
    own = pub[pub["org_code"].to_numpy(dtype=object) == probe.org]
    published = dict(zip(own["field"], own["value"].astype(float), strict=False))
    out = []
    for metric_id in rows["metric_id"]:
        metric = fw.metric(metric_id)
        rule = rule_for(metric.scoring)
        if rule.inputs or rule.score_is_input or not probe.has(metric_id):
            continue
        value = probe.value(metric_id)
        if is_missing(value):
            continue
        out.append(_line(assessment, probe, metric, value, [published.get(f"{c}:{metric_id}") for c in COLUMNS]))
    return tuple(out)


def _line(assessment: Assessment, probe: Probe, metric, value: float, given: list[float | None]) -> PeerValue:
    values, types = probe.group_values(metric.id)
    units = probe.group_units(metric.id)
    unit = probe.unit(metric.id)
    group = units == unit
    by_type = rule_for(metric.scoring).ranks_in(unit) and metric.population == "trust_type"
    if by_type:
        group &= types == probe.trust_type
    vals = values[group & ~np.isnan(values)]
    label = type_plural(assessment.framework, probe.trust_type) if by_type or assessment.inputs.trust_types == [probe.trust_type] else "trusts"
    if all(g is not None and not is_missing(g) for g in given):
        lq, med, uq = (float(g) for g in given)
        source = "published"
    else:
        lq, med, uq = (float(q) for q in np.quantile(vals, [0.25, 0.5, 0.75], method="linear"))
        source = "computed"
    decimals = decimals_of(vals, unit)
    higher = metric.higher_is_better if metric.direction in ("higher", "lower") else None
    quarter = _quarter(value, lq, med, uq, higher)
    vt = value_text(value, unit, decimals)
    qt = f"median {value_text(med, unit, decimals)}, quartiles {value_text(lq, unit, decimals)} to {value_text(uq, unit, decimals)}"
    who = "NHS England's figures for" if source == "published" else "computed over"
    text = f"{metric.short_name}: {vt} against a {qt} ({who} {len(vals)} {label})"
    if quarter is not None:
        text += f"; in the {ORDINAL[quarter]} quarter"
    return PeerValue(
        metric_id=metric.id, short_name=metric.short_name, unit=unit, value=value, value_text=vt,
        lower_quartile=lq, median=med, upper_quartile=uq, quartiles_text=qt, group=label, group_size=len(vals),
        source=source, higher_is_better=higher, quarter=quarter, text=text,
    )


def _quarter(value: float, lq: float, med: float, uq: float, higher: bool | None) -> int | None:
    """1 for the best quarter of the group, 4 for the worst (values on a quartile count as the better side)."""
    if higher is None:
        return None
    if higher:
        return 1 if value >= uq else 2 if value >= med else 3 if value >= lq else 4
    return 1 if value <= lq else 2 if value <= med else 3 if value <= uq else 4
