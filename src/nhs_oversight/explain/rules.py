"""Each metric's scoring rule in words, filled in with the engine's figures for one organisation.

The words for each rule live with the rule (:mod:`nhs_oversight.engine.rules`); here are only the
cases every rule shares: no score, and NHS England's published score standing in.
"""

from __future__ import annotations

from nhs_oversight.engine.rules import rule_for
from nhs_oversight.explain import formatting
from nhs_oversight.explain.formatting import is_missing
from nhs_oversight.frameworks.model import Framework, Metric


def rule_text(framework: Framework, metric: Metric, row: dict, matrix_inputs: tuple[float, float] | None = None) -> str:
    """Plain English for the rule that gave this row its score.

    Parameters
    ----------
    row : one row of ``Assessment.metrics`` as a dict.
    matrix_inputs : for a matrix metric, the organisation's scores on its row and column metrics.
    """
    rule, score = row["rule"], row["score"]
    if is_missing(score):
        return "no score"
    text = rule_for(metric.scoring).explain(framework, metric, row, formatting, matrix_inputs)
    if text is not None:
        return text
    if rule == "input score":
        return f"score given in the input: {score:g}"
    if rule == "published score":
        text = "NHS England's published score, scored over every trust nationally (not all of them are in the input)"
        if not is_missing(row.get("rank")) and not is_missing(row.get("group_size")):
            text += f"; national rank {int(row['rank'])} of {int(row['group_size'])}"
        return text + f": {score:.2f}"
    return f"{rule}: scores {score:.2f}"
