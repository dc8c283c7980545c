"""Each metric's scoring rule in words, filled in with the engine's figures for one organisation."""

from __future__ import annotations

from nhs_oversight.explain.formatting import band_text, is_missing, type_plural, value_text
from nhs_oversight.frameworks.model import (
    BandedScoring,
    ByUnitScoring,
    Framework,
    MatrixScoring,
    Metric,
    PublishedScoring,
    RankedScoring,
)

_OP_WORDS = {"<": "below", "<=": "at or below", ">": "above", ">=": "at or above"}


def spec_for(metric: Metric, unit: str):
    """The scoring rule that applies to a row reported in ``unit``."""
    spec = metric.scoring
    if isinstance(spec, ByUnitScoring):
        return spec.units.get(unit) or next(iter(spec.units.values()))
    return spec


def _threshold(op: str, value: float, unit: str) -> str:
    return f"{_OP_WORDS[op]} {value_text(value, unit, decimals=_decimals(value))}"


def _decimals(x: float) -> int:
    return 0 if float(x).is_integer() else (1 if round(x, 1) == x else 2)


def _population(framework: Framework, population: str) -> str:
    if population == "national":
        return "trusts nationally"
    return type_plural(framework, population)


def bands_text(spec: BandedScoring, unit: str) -> str:
    parts = [f"{_threshold(b.op, b.value, unit)} scores {b.score:g}" for b in spec.bands]
    return "; ".join(parts) + f"; otherwise {spec.otherwise:g}"


def rule_text(framework: Framework, metric: Metric, row: dict, matrix_inputs: tuple[float, float] | None = None) -> str:
    """Plain English for the rule that gave this row its score.

    Parameters
    ----------
    row : one row of ``Assessment.metrics`` as a dict.
    matrix_inputs : for a matrix metric, the organisation's scores on its row and column metrics.
    """
    rule, unit, score = row["rule"], row["unit"], row["score"]
    spec = spec_for(metric, unit)
    if is_missing(score):
        return "no score"
    if rule == "meets standard" and isinstance(spec, RankedScoring) and spec.standard:
        return f"meets the standard ({_threshold(spec.standard.op, spec.standard.value, unit)}): scores 1.00"
    if rule == "fails floor" and isinstance(spec, RankedScoring) and spec.floor:
        return f"fails the floor ({_threshold(spec.floor.op, spec.floor.value, unit)}): scores 4.00"
    if rule == "ranked" and isinstance(spec, RankedScoring):
        low, high = spec.span
        n, r = row["group_size"], row["rank"]
        who = _population(framework, row["population"])
        if spec.standard:
            who += f" not meeting the standard ({_threshold(spec.standard.op, spec.standard.value, unit)})"
        if spec.floor:
            who += f" not failing the floor ({_threshold(spec.floor.op, spec.floor.value, unit)})"
        if is_missing(n) or is_missing(r):
            return f"ranked among {who}: scores {score:.2f}"
        n, r = int(n), int(r)
        if n == 1:
            return f"the only one of {who} ranked, so it gets the best score of the range, {low:.2f}"
        return f"ranked {r} of {n} {who}: {low:g} + {high - low:g} × ({r} − 1)/({n} − 1) = {score:.2f}"
    if rule == "band" and isinstance(spec, BandedScoring):
        return f"banded ({bands_text(spec, unit)}): scores {score:g}"
    if rule == "matrix" and isinstance(metric.scoring, MatrixScoring):
        m = metric.scoring
        a_name = framework.metric(m.rows).short_name
        b_name = framework.metric(m.columns).short_name
        if matrix_inputs and not any(is_missing(x) for x in matrix_inputs):
            a, b = matrix_inputs
            return f"combined from {a_name} score {a:g} (matrix row) and {b_name} score {b:g} (column): cell ({a:g}, {b:g}) scores {score:g}"
        return f"combined from the {a_name} and {b_name} scores by the finance matrix: scores {score:g}"
    if rule == "input score":
        band = band_text(metric, score) if isinstance(metric.scoring, PublishedScoring) else f"{score:g}"
        return f"score given in the input: {band}"
    if rule == "published score":
        text = "NHS England's published score, scored over every trust nationally (not all of them are in the input)"
        if not is_missing(row.get("rank")) and not is_missing(row.get("group_size")):
            text += f"; national rank {int(row['rank'])} of {int(row['group_size'])}"
        return text + f": {score:.2f}"
    return f"{rule}: scores {score:.2f}"
