"""A score looked up from two other metrics' scores (combined finance): moved only through them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from nhs_oversight.engine.rules.base import Rule
from nhs_oversight.engine.scoring import RULE_MATRIX
from nhs_oversight.frameworks.model import Framework, MatrixScoring, Metric


@dataclass(frozen=True)
class Matrix(Rule):
    spec: MatrixScoring
    model: ClassVar[str] = "matrix"
    combined_rule: ClassVar[str] = RULE_MATRIX

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.spec.rows, self.spec.columns)

    def combine(self, *scores: np.ndarray) -> np.ndarray:
        """The cell at (row score, column score); NaN where either is missing."""
        row_score, col_score = scores
        m = np.asarray(self.spec.matrix, dtype=float)
        ok = ~np.isnan(row_score) & ~np.isnan(col_score)
        out = np.full(len(row_score), np.nan)
        out[ok] = m[row_score[ok].astype(int) - 1, col_score[ok].astype(int) - 1]
        return out

    def describe(self, metric: Metric) -> str:
        return f"Looked up from the scores of {self.spec.rows} and {self.spec.columns}."

    def explain(self, framework: Framework, metric: Metric, row: dict, words: Any, matrix_inputs=None) -> str | None:
        if row["rule"] != RULE_MATRIX:
            return None
        score = row["score"]
        a_name = framework.metric(self.spec.rows).short_name
        b_name = framework.metric(self.spec.columns).short_name
        if matrix_inputs and not any(words.is_missing(x) for x in matrix_inputs):
            a, b = matrix_inputs
            return f"combined from {a_name} score {a:g} (matrix row) and {b_name} score {b:g} (column): cell ({a:g}, {b:g}) scores {score:g}"
        return f"combined from the {a_name} and {b_name} scores by the finance matrix: scores {score:g}"
