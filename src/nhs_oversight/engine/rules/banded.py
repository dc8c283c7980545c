"""Fixed bands, first match wins (finance plan ``>= 0 -> 1``): the score steps only at a band edge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from nhs_oversight.engine.rules.base import Rule
from nhs_oversight.engine.scoring import RULE_BAND, MetricRows, Scored, compare
from nhs_oversight.frameworks.model import BandedScoring, Framework, Metric


@dataclass(frozen=True)
class Banded(Rule):
    spec: BandedScoring
    model: ClassVar[str] = "banded"

    def thresholds(self) -> tuple[float, ...]:
        return tuple(b.value for b in self.spec.bands)

    def score(self, metric: Metric, rows: MetricRows, where: np.ndarray, tie_break: bool, describe_ties: bool, out: Scored) -> None:
        """First band whose condition holds gives the score; otherwise the fallback score."""
        value = rows.value[where]
        scores = np.full(len(value), self.spec.otherwise, dtype=float)
        decided = np.zeros(len(value), bool)
        for band in self.spec.bands:
            hit = ~decided & compare(value, band.op, band.value)
            scores[hit] = band.score
            decided |= hit
        out.score[where] = scores
        out.rule[where] = RULE_BAND
        out.population[where] = "none"

    def describe(self, metric: Metric) -> str:
        bands = "; ".join(f"{b.op} {b.value:g} scores {b.score:g}" for b in self.spec.bands)
        return f"Fixed bands (first match): {bands}; otherwise {self.spec.otherwise:g}."

    def explain(self, framework: Framework, metric: Metric, row: dict, words: Any, matrix_inputs=None) -> str | None:
        if row["rule"] != RULE_BAND:
            return None
        unit = row["unit"]
        parts = [f"{words.threshold_text(b.op, b.value, unit)} scores {b.score:g}" for b in self.spec.bands]
        return f"banded ({'; '.join(parts)}; otherwise {self.spec.otherwise:g}): scores {row['score']:g}"
