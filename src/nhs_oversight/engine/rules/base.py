"""What every scoring rule answers: its score, its words, and what would move a trust's score.

A rule is bound to its specification (the frozen pydantic model read from the framework YAML);
callers ask :func:`nhs_oversight.engine.rules.rule_for` for it and never test the model's class,
so a new rule is one new module here and one line in the registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from nhs_oversight.engine.scoring import MetricRows, Scored
from nhs_oversight.frameworks.model import Framework, Metric


@dataclass(frozen=True)
class Rule:
    """Defaults for a rule that scores a value by itself; each rule module overrides what differs."""

    spec: Any
    #: The ``model`` literal of the specification, the registry key.
    model: ClassVar[str] = ""
    #: The score depends on other organisations' values (a rank), so passing one of them can move it.
    ranked: ClassVar[bool] = False
    #: The ``rule`` recorded for a score combined from :attr:`inputs`.
    combined_rule: ClassVar[str] = ""

    @property
    def score_is_input(self) -> bool:
        """The input value is itself the score (a published band): it moves a whole band at a time."""
        return self.spec.score_is_input

    @property
    def inputs(self) -> tuple[str, ...]:
        """Metrics whose scores this rule combines; empty when it scores the metric's own value."""
        return ()

    def for_unit(self, unit: str) -> Rule:
        """The rule that applies to a row reported in ``unit`` (itself, unless it differs by unit)."""
        return self

    def ranks_in(self, unit: str) -> bool:
        """Whether a row reported in ``unit`` is ranked among others."""
        return self.for_unit(unit).ranked

    def thresholds(self) -> tuple[float, ...]:
        """Values at which the score steps, whatever the other organisations report."""
        return ()

    def score(self, metric: Metric, rows: MetricRows, where: np.ndarray, tie_break: bool, describe_ties: bool, out: Scored) -> None:
        """Score ``rows`` at positions ``where`` into ``out`` (vectorised over the rows)."""
        raise NotImplementedError(f"the {self.model} rule does not score a value")

    def combine(self, *scores: np.ndarray) -> np.ndarray:
        """The score from the scores of :attr:`inputs`, in that order (NaN where one is missing)."""
        raise NotImplementedError(f"the {self.model} rule does not combine scores")

    def describe(self, metric: Metric) -> str:
        """The rule in words, for the metric's definition page."""
        raise NotImplementedError

    def explain(self, framework: Framework, metric: Metric, row: dict, words: Any, matrix_inputs: tuple[float, ...] | None = None) -> str | None:
        """Plain English for how this rule gave ``row`` (one row of ``Assessment.metrics``) its score.

        ``words`` formats numbers (``value_text``, ``type_plural``); None when the row's ``rule`` is
        not one this rule gives, so the caller says it generically.
        """
        return None

    def bands(self) -> tuple[float, float]:
        """The best and worst band a score given as an input may take."""
        return 1.0, 4.0

    def band_text(self, score: float) -> str:
        """A score given as an input, in words."""
        return f"band {score:g}"

    def unround(self, metric: Metric, rows: MetricRows, scored: Scored, published: np.ndarray) -> str:
        """Recover unrounded scores from 2-dp published ones where the rule allows; say how, or ``""``."""
        return ""
