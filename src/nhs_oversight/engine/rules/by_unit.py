"""Different rules for rows reported in different units (infection rates ranked, counts banded)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from nhs_oversight.engine.rules.banded import Banded
from nhs_oversight.engine.rules.base import Rule
from nhs_oversight.engine.rules.ranked import Ranked
from nhs_oversight.engine.scoring import MetricRows, Scored
from nhs_oversight.frameworks.model import ByUnitScoring, Framework, Metric

#: The rules a unit may use (the ``UnitScoring`` union of the framework model).
UNIT_RULES: dict[str, type[Rule]] = {r.model: r for r in (Ranked, Banded)}


@dataclass(frozen=True)
class ByUnit(Rule):
    spec: ByUnitScoring
    model: ClassVar[str] = "by_unit"

    def for_unit(self, unit: str) -> Rule:
        """The unit's rule; a unit the framework does not name takes the first one's."""
        sub = self.spec.units.get(unit) or next(iter(self.spec.units.values()))
        return UNIT_RULES[sub.model](sub)

    def score(self, metric: Metric, rows: MetricRows, where: np.ndarray, tie_break: bool, describe_ties: bool, out: Scored) -> None:
        units = list(self.spec.units)
        unit = np.array([u if u in self.spec.units else units[0] for u in rows.unit[where]], dtype=object)
        for u in units:
            part = where[np.flatnonzero(unit == u)]
            if len(part):
                self.for_unit(u).score(metric, rows, part, tie_break, describe_ties, out)

    def describe(self, metric: Metric) -> str:
        return "Scored by a rule that depends on the unit each trust reports in: " + ", ".join(self.spec.units) + "."

    def explain(self, framework: Framework, metric: Metric, row: dict, words: Any, matrix_inputs=None) -> str | None:
        return self.for_unit(row["unit"]).explain(framework, metric, row, words, matrix_inputs)
