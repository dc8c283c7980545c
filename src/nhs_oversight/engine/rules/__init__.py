"""The scoring rules, one module each, found by the ``model`` named in the framework.

A new rule is a module here defining a :class:`~nhs_oversight.engine.rules.base.Rule`, its
specification in :mod:`nhs_oversight.frameworks.model` and one line in :data:`RULES`; callers
ask ``rule_for(metric.scoring)`` and never test the specification's class.
"""

from __future__ import annotations

import numpy as np

from nhs_oversight.engine.rules.banded import Banded
from nhs_oversight.engine.rules.base import Rule
from nhs_oversight.engine.rules.by_unit import ByUnit
from nhs_oversight.engine.rules.matrix import Matrix
from nhs_oversight.engine.rules.published import Published
from nhs_oversight.engine.rules.ranked import Ranked
from nhs_oversight.engine.scoring import MetricRows, Scored, empty_scored

#: ``model`` of a scoring specification -> its rule.
RULES: dict[str, type[Rule]] = {r.model: r for r in (Ranked, Banded, Matrix, Published, ByUnit)}

__all__ = ["RULES", "Rule", "rule_for", "score_metric"]


def rule_for(scoring) -> Rule:
    """The rule of a metric's scoring specification (``metric.scoring``)."""
    return RULES[scoring.model](scoring)


def score_metric(metric, rows: MetricRows, tie_break: bool, describe_ties: bool = True) -> Scored:
    """Score every row of one metric over its scoring population.

    ``describe_ties=False`` leaves ``tie_order`` blank (what-if scoring needs only the scores).
    """
    out = empty_scored(len(rows.value))
    rule_for(metric.scoring).score(metric, rows, np.arange(len(rows.value)), tie_break, describe_ties, out)
    return out
