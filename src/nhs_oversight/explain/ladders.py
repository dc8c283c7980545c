"""Candidate values for a metric change, nearest first: the points where a score can change.

A ranked score changes only when the trust passes another trust's value, or crosses the
standard or the floor; a banded score only at a band edge; a score-only input (a CQC rating, a
SHMI band) only by whole bands. So the candidates ("rungs") are: just past each other value in
the scoring group (one step of the data's precision beyond it), each threshold and the values
one step either side of it, and the natural limits of the unit (0%, 100%). The scores at these
values come from the engine (:class:`nhs_oversight.engine.whatif.Probe`); nothing here scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nhs_oversight.engine.rules import rule_for
from nhs_oversight.engine.whatif import Probe
from nhs_oversight.explain.formatting import bounds_of, decimals_of
from nhs_oversight.frameworks.model import Metric


@dataclass(frozen=True)
class Ladder:
    """Candidate values of one metric in one direction, nearest first.

    ``kind`` is ``value`` or ``band`` (score-only inputs); ``spread`` is the range of the scoring
    group's values (or of the possible bands), the yardstick for effort.
    """

    metric_id: str
    kind: str
    current: float
    candidates: np.ndarray
    spread: float
    decimals: int

    def effort(self, k: int) -> float:
        """Size of the change to candidate ``k`` as a share of the spread of values."""
        return float(abs(self.candidates[k] - self.current) / self.spread)


def ladder(probe: Probe, metric: Metric, direction: str) -> Ladder | None:
    """Candidates for ``metric`` in ``direction`` (``better`` or ``worse``); None if there are none."""
    current = probe.value(metric.id)
    if np.isnan(current):
        return None
    rule = rule_for(metric.scoring)
    if rule.score_is_input:
        return _band_ladder(metric, rule.bands(), current, direction)
    return _value_ladder(probe, metric, current, direction)


def _band_ladder(metric: Metric, bands: tuple[float, float], current: float, direction: str) -> Ladder | None:
    lo, hi = bands
    if direction == "better":
        cands = np.arange(np.ceil(current) - 1, lo - 0.5, -1.0)
    else:
        cands = np.arange(np.floor(current) + 1, hi + 0.5, 1.0)
    if len(cands) == 0:
        return None
    return Ladder(metric.id, "band", current, cands, max(hi - lo, 1.0), 0)


def _value_ladder(probe: Probe, metric: Metric, current: float, direction: str) -> Ladder | None:
    unit = probe.unit(metric.id)
    values, types = probe.group_values(metric.id)
    units = probe.group_units(metric.id)
    rule = rule_for(metric.scoring).for_unit(unit)
    own_type = probe.trust_type
    group = units == unit
    if rule.ranked and metric.population == "trust_type":
        group &= types == own_type
    vals = values[group & ~np.isnan(values)]
    decimals = decimals_of(vals, unit)
    step = 10.0**-decimals
    lo, hi = bounds_of(vals, unit)
    o = 1.0 if metric.higher_is_better else -1.0
    better = direction == "better"

    points: list[np.ndarray] = []
    others = np.delete(values, probe.own_index(metric.id))[np.delete(group, probe.own_index(metric.id))]
    others = others[~np.isnan(others)]
    if rule.ranked:
        if better:
            points.append(others[o * others >= o * current] + o * step)
        else:
            points.append(others[o * others <= o * current] - o * step)
    for t in rule.thresholds():
        points.append(np.array([t - step, t, t + step]))
    points.append(np.array([x for x in (lo, hi) if np.isfinite(x)]))
    cands = np.round(np.concatenate(points), decimals)
    side = o * (cands - current)
    keep = (side > 1e-12) if better else (side < -1e-12)
    keep &= (cands >= lo - 1e-12) & (cands <= hi + 1e-12)
    cands = np.unique(cands[keep])
    if len(cands) == 0:
        return None
    cands = cands[np.argsort(np.abs(cands - current), kind="stable")]
    spread = float(vals.max() - vals.min()) if len(vals) else 0.0
    return Ladder(metric.id, "value", current, cands, spread if spread > 0 else 1.0, decimals)
