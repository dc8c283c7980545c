"""Only a score is published (CQC ratings, SHMI band, survey bands): the input is the score itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from nhs_oversight.engine.rules.base import Rule
from nhs_oversight.engine.scoring import RULE_INPUT, MetricRows, Scored
from nhs_oversight.frameworks.model import Framework, Metric, PublishedScoring


@dataclass(frozen=True)
class Published(Rule):
    spec: PublishedScoring
    model: ClassVar[str] = "published_score"

    def score(self, metric: Metric, rows: MetricRows, where: np.ndarray, tie_break: bool, describe_ties: bool, out: Scored) -> None:
        out.score[where] = rows.value[where]
        out.rule[where] = RULE_INPUT

    def bands(self) -> tuple[float, float]:
        """The best and worst band a score may take."""
        top = max(self.spec.categories.values()) if self.spec.categories else 4.0
        return 1.0, float(top)

    def describe(self, metric: Metric) -> str:
        return "The published score is used as it is (only a score or rating is published)."

    def explain(self, framework: Framework, metric: Metric, row: dict, words: Any, matrix_inputs=None) -> str | None:
        if row["rule"] != RULE_INPUT:
            return None
        return f"score given in the input: {self.band_text(row['score'])}"

    def band_text(self, score: float) -> str:
        """``Good (2)``, ``As expected (2)`` or ``band 2``."""
        for name, s in (self.spec.categories or {}).items():
            if s == score:
                return f"{name} ({score:g})"
        return f"band {score:g}"
