"""What-if primitives: change an input value, and score one metric at many candidate values.

Searching for the change that would move a trust to another segment asks one question many times:
"what score would this organisation get on this metric at value v, everyone else unchanged?".
Re-running :func:`nhs_oversight.engine.assess` answers it in tens of milliseconds;
:func:`metric_scores_at` answers it with the engine's own scorer for that one metric, a hundred
times faster. Whatever is shown to users should still be confirmed by a full ``assess`` run on
:func:`with_values`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from nhs_oversight.engine.assessment import Assessment
from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.engine.rounding import round_half_up
from nhs_oversight.engine.rules import rule_for, score_metric
from nhs_oversight.engine.scoring import MetricRows
from nhs_oversight.errors import OptionError
from nhs_oversight.frameworks.model import Framework, Metric


def with_values(inputs: OversightInputs, changes: Mapping[tuple[str, str], float]) -> OversightInputs:
    """A copy of the inputs with some organisations' metric values changed.

    Parameters
    ----------
    inputs : the original inputs.
    changes : ``{(org_code, metric_id): new value}``; each pair must already have a value row.

    Returns
    -------
    OversightInputs
        The changed value row keeps its ``source`` and its published tie-break rank, exactly as
        when the ``Value`` cell of the file is edited and the ``Rank`` cell left alone: so a
        changed value run through :func:`~nhs_oversight.engine.assess` scores as the same change
        made to the file and read by ``oversight segment``. Among other organisations reporting
        exactly the new value, the engine then orders it by that rank (for a better value, usually
        after them). :meth:`Probe.scores_at` with ``safe`` says what is certain whatever the order.

    Examples
    --------
    >>> import nhs_oversight as no
    >>> data = no.synthetic_inputs("2025/26 Q1")
    >>> changed = with_values(data, {("Z00", "OF0013"): 80.0})
    >>> float(changed.values.query("org_code == 'Z00' and metric_id == 'OF0013'")["value"].iloc[0])
    80.0
    """
    values = inputs.values.copy()
    codes = values["org_code"].to_numpy(dtype=object)
    metrics = values["metric_id"].to_numpy(dtype=object)
    value = values["value"].to_numpy(dtype=float).copy()
    for (org, metric_id), new in changes.items():
        at = np.flatnonzero((metrics == metric_id) & (codes == org))
        if len(at) == 0:
            raise OptionError(f"{org} has no value for {metric_id} to change")
        value[int(at[0])] = float(new)
    values["value"] = value
    return inputs.with_values(values)


def with_flags(inputs: OversightInputs, flags: Mapping[str, float]) -> OversightInputs:
    """A copy of the inputs with some organisations' financial override flag set (``{org_code: 0 or 1}``).

    The flag is an input (NHS England's ``OF5004``), as editing that row of the file would change it.
    """
    f = inputs.flags.copy()
    codes = f["org_code"].to_numpy(dtype=object)
    flag = f["financial_flag"].to_numpy(dtype=float).copy()
    for org, new in flags.items():
        at = np.flatnonzero(codes == org)
        if len(at) == 0:
            raise OptionError(f"{org} has no financial override flag to change")
        flag[at] = float(new)
    f["financial_flag"] = flag
    return replace(inputs, flags=f)


@dataclass(frozen=True)
class ScoresAt:
    """One organisation's scores at candidate values of one metric, everyone else held fixed.

    Attributes
    ----------
    values : the candidate values.
    score : the metric's own (unrounded) score at each value.
    average_inputs : for the metric (when it enters the average) and every matrix metric built
        on it, what would enter the average at each value (2 dp for metrics averaged rounded).
    """

    values: np.ndarray
    score: np.ndarray
    average_inputs: dict[str, np.ndarray]


def metric_scores_at(assessment: Assessment, org_code: str, metric_id: str, values: Sequence[float] | np.ndarray) -> ScoresAt:
    """Score one organisation on one metric at each candidate value, with the engine's own scorer.

    Parameters
    ----------
    assessment : the assessment whose inputs are varied.
    org_code : the organisation whose value changes.
    metric_id : the metric (``OF0xxx``); it must be scored from values (not a matrix metric) and
        the organisation must have a value row for it.
    values : candidate values.

    Returns
    -------
    ScoresAt

    Notes
    -----
    A score that stands in for a national population the input does not hold (NHS England's
    published score) does not depend on the value: the published score is returned unchanged.
    For many calls on one organisation, build a :class:`Probe` once.
    """
    return Probe(assessment, org_code).scores_at(metric_id, values)


class Probe:
    """One organisation's what-if scorer, prepared once so that each call costs only the scoring.

    Parameters
    ----------
    assessment : the assessment whose inputs are varied.
    org_code : the organisation whose values change.
    """

    def __init__(self, assessment: Assessment, org_code: str) -> None:
        self.assessment = assessment
        self.framework: Framework = assessment.framework
        summary_row = assessment.org(org_code)
        self.org = str(summary_row["org_code"])
        self.trust_type = summary_row["trust_type"]
        own = assessment.metrics[assessment.metrics["org_code"].to_numpy(dtype=object) == self.org]
        self._own_score = dict(zip(own["metric_id"], own["score"].astype(float), strict=True))
        self._own_source = dict(zip(own["metric_id"], own["score_source"], strict=True))
        vals = assessment.inputs.values
        orgs = assessment.inputs.orgs
        types_of = dict(zip(orgs["org_code"].to_numpy(dtype=object), orgs["trust_type"].to_numpy(dtype=object), strict=False))
        codes = vals["org_code"].to_numpy(dtype=object)
        row_type = np.array([types_of.get(c) for c in codes], dtype=object)
        value = vals["value"].to_numpy(dtype=float)
        tie = vals["tie_rank"].to_numpy(dtype=float)
        unit = pd.Series(vals["unit"]).fillna("").to_numpy(dtype=object)
        metric_code, metric_names = pd.factorize(vals["metric_id"].to_numpy(dtype=object))
        order = np.argsort(metric_code, kind="stable")
        bounds = np.searchsorted(metric_code[order], np.arange(len(metric_names) + 1))
        own_metrics = set(metric_code[codes == self.org])
        self._rows: dict[str, tuple[MetricRows, int]] = {}
        for k in own_metrics:
            m = order[bounds[k] : bounds[k + 1]]
            c = codes[m]
            rows = MetricRows(org=np.arange(len(m)), value=value[m], unit=unit[m], tie_rank=tie[m], trust_type=row_type[m])
            self._rows[str(metric_names[k])] = (rows, int(np.flatnonzero(c == self.org)[0]))
        self._tie_break = self.framework.ranking.tie_break == "published_rank"

    def value(self, metric_id: str) -> float:
        """The organisation's current value of the metric (the score, for score-only metrics)."""
        rows, j = self._rows[metric_id]
        return float(rows.value[j])

    def group_values(self, metric_id: str) -> tuple[np.ndarray, np.ndarray]:
        """Values of every organisation reporting the metric, and their trust types."""
        rows, _ = self._rows[metric_id]
        return rows.value, rows.trust_type

    def group_units(self, metric_id: str) -> np.ndarray:
        """Units of every organisation's row of the metric (``rate`` or ``count`` for infections)."""
        rows, _ = self._rows[metric_id]
        return rows.unit

    def own_index(self, metric_id: str) -> int:
        """Position of the organisation's own row in :meth:`group_values`."""
        return self._rows[metric_id][1]

    def unit(self, metric_id: str) -> str:
        rows, j = self._rows[metric_id]
        return str(rows.unit[j])

    def has(self, metric_id: str) -> bool:
        return metric_id in self._rows

    def scores_at(self, metric_id: str, values: Sequence[float] | np.ndarray, safe: str | None = None) -> ScoresAt:
        """See :func:`metric_scores_at`.

        ``safe`` (``better`` or ``worse``): where a candidate equals another organisation's value,
        its place among the equal values depends on a tie order a real new value would not carry,
        so the score is the one certain for a claim in that direction: for ``better``, the worse of
        the engine's score (own published rank kept) and the score ranked after every equal value;
        for ``worse``, the better of the engine's and the score ranked before them.
        """
        metric = self.framework.metric(metric_id)
        inputs = rule_for(metric.scoring).inputs
        if inputs:
            raise OptionError(f"{metric.id} is looked up from other metrics' scores; change {' or '.join(inputs)}")
        if metric.id not in self._rows or metric.id not in self._own_score:
            raise OptionError(f"{self.org} has no value for {metric.id}")
        candidates = np.atleast_1d(np.asarray(values, dtype=float))
        if self._own_source[metric.id] == "published":
            score = np.full(len(candidates), self._own_score[metric.id])
        else:
            score = self._score(metric, candidates, safe)
        average_inputs: dict[str, np.ndarray] = {}
        if metric.in_average:
            average_inputs[metric.id] = _average_input(metric, score)
        for dependent in self.framework.metrics:
            rule = rule_for(dependent.scoring)
            if metric.id not in rule.inputs or dependent.id not in self._own_score:
                continue
            combined = rule.combine(*(score if i == metric.id else np.full(len(candidates), self._own_score.get(i, np.nan)) for i in rule.inputs))
            if dependent.in_average:
                average_inputs[dependent.id] = _average_input(dependent, combined)
        return ScoresAt(values=candidates, score=score, average_inputs=average_inputs)

    def ties_at(self, metric_id: str, value: float) -> int:
        """How many other organisations ranked with this one (same unit; same type where the metric is
        ranked within type) report exactly ``value``."""
        rows, j = self._rows[metric_id]
        equal = (np.abs(rows.value - value) <= 1e-9) & (rows.unit == rows.unit[j])
        if self.framework.metric(metric_id).population == "trust_type":
            equal &= rows.trust_type == rows.trust_type[j]
        equal[j] = False
        return int(equal.sum())

    def _score(self, metric: Metric, candidates: np.ndarray, safe: str | None = None) -> np.ndarray:
        rows, j = self._rows[metric.id]
        original, tie_original = rows.value, rows.tie_rank
        others = np.ones(len(original), dtype=bool)
        others[j] = False
        value, tie = original.copy(), tie_original.copy()
        work = MetricRows(org=rows.org, value=value, unit=rows.unit, tie_rank=tie, trust_type=rows.trust_type)
        out = np.empty(len(candidates))
        for k, v in enumerate(candidates):
            value[j] = v
            tie[j] = tie_original[j]  # as an edited file: the Rank cell stays
            out[k] = score_metric(metric, work, self._tie_break, describe_ties=False).score[j]
            if safe and v != original[j] and (others & (np.abs(original - v) <= 1e-9)).any():
                tie[j] = np.inf if safe == "better" else -np.inf
                edge = score_metric(metric, work, self._tie_break, describe_ties=False).score[j]
                out[k] = max(out[k], edge) if safe == "better" else min(out[k], edge)
        return out


def _average_input(metric: Metric, score: np.ndarray) -> np.ndarray:
    return round_half_up(score, 2) if metric.average_input == "rounded" else score
