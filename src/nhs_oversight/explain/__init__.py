"""Explain one organisation's segment: why, how close to the next, and what would move it.

>>> import nhs_oversight as no
>>> a = no.assess(no.synthetic_inputs("2025/26 Q1"))
>>> e = no.explain(a, "Z00")
>>> sorted(e.to_dict())[:4]
['adjusted_segment', 'against_peers', 'average_score', 'average_score_unrounded']

Everything is read from the :class:`~nhs_oversight.engine.Assessment`; every move offered has
been checked by re-running the engine on the changed inputs.
"""

import sys
import types

from nhs_oversight.explain.build import explain
from nhs_oversight.explain.explanation import Explanation
from nhs_oversight.explain.model import (
    Change,
    Distance,
    DomainLine,
    MetricLine,
    Move,
    Peer,
    PeerValue,
    Plan,
    PlanStep,
    Step,
)

__all__ = [
    "Change", "Distance", "DomainLine", "Explanation", "MetricLine", "Move", "Peer", "PeerValue", "Plan", "PlanStep", "Step", "explain",
]


class _CallablePackage(types.ModuleType):
    """Importing this package makes ``nhs_oversight.explain`` name the package, not the function;
    being callable keeps ``no.explain(assessment, org_code)`` working either way."""

    def __call__(self, assessment, org_code: str, max_moves: int = 3, plans: bool = True) -> Explanation:
        return explain(assessment, org_code, max_moves=max_moves, plans=plans)


sys.modules[__name__].__class__ = _CallablePackage
