"""The scoring rules as modules: the registry covers every specification, and each rule's score,
words and steps match hand-worked cases (the M25 variants, a first-match band, the finance matrix)."""

from __future__ import annotations

from typing import get_args

import numpy as np
import pytest

from nhs_oversight.engine.rules import RULES, rule_for, score_metric
from nhs_oversight.engine.scoring import MetricRows
from nhs_oversight.explain import formatting
from nhs_oversight.frameworks.model import Metric, Scoring

MATRIX = [[1, 1, 2, 3], [1, 2, 3, 3], [2, 3, 3, 4], [3, 3, 4, 4]]


def metric(scoring: dict, unit: str = "percent", direction: str = "higher", population: str = "trust_type") -> Metric:
    return Metric.model_validate({
        "id": "OF0999", "score_id": "OF1999", "name": "Test metric", "short_name": "Test", "domain": "d",
        "sub_domain": "s", "unit": unit, "direction": direction, "trust_types": ["acute"], "population": population,
        "scoring": scoring,
    })


def rows(values, units=None, types=None) -> MetricRows:
    n = len(values)
    return MetricRows(org=np.arange(n), value=np.asarray(values, dtype=float),
                      unit=np.asarray(units or ["percent"] * n, dtype=object), tie_rank=np.arange(1.0, n + 1),
                      trust_type=np.asarray(types or ["acute"] * n, dtype=object))


def test_every_scoring_specification_has_its_rule_under_its_model_name() -> None:
    classes = get_args(get_args(Scoring)[0])
    models = {get_args(c.model_fields["model"].annotation)[0] for c in classes}
    assert models == set(RULES)
    assert all(RULES[m].model == m for m in models)


def test_ranked_variant_b_meets_the_standard_then_ranks_the_rest_over_2_to_4() -> None:
    m = metric({"model": "ranked", "standard": {"op": ">=", "value": 78}})
    out = score_metric(m, rows([80, 70, 60, 75, 78]), tie_break=True)
    # 80 and 78 meet the standard (1.00); 75, 70, 60 rank 1-3 of 3: 2 + 2(r-1)/2
    assert out.score.tolist() == [1.0, 3.0, 4.0, 2.0, 1.0]
    assert out.rule.tolist() == ["meets standard", "ranked", "ranked", "ranked", "meets standard"]
    assert rule_for(m.scoring).thresholds() == (78.0,) and rule_for(m.scoring).ranked


def test_ranked_within_type_ranks_each_type_apart() -> None:
    m = metric({"model": "ranked"}, direction="lower")
    out = score_metric(m, rows([5, 1, 3, 9], types=["acute", "acute", "mh", "mh"]), tie_break=True)
    assert out.score.tolist() == [4.0, 1.0, 1.0, 4.0]
    assert out.population.tolist() == ["acute", "acute", "mh", "mh"]


def test_banded_first_match_wins_else_the_fallback() -> None:
    spec = {"model": "banded", "bands": [{"op": ">=", "value": 0, "score": 1}, {"op": ">=", "value": -1, "score": 3}], "otherwise": 4}
    m = metric(spec, unit="percent")
    out = score_metric(m, rows([0.5, 0.0, -0.5, -2.0]), tie_break=True)
    assert out.score.tolist() == [1.0, 1.0, 3.0, 4.0]
    rule = rule_for(m.scoring)
    assert rule.thresholds() == (0.0, -1.0) and not rule.ranked
    assert rule.describe(m) == "Fixed bands (first match): >= 0 scores 1; >= -1 scores 3; otherwise 4."
    row = {"rule": "band", "unit": "percent", "score": 3.0}
    assert rule.explain(None, m, row, formatting) == "banded (at or above 0% scores 1; at or above -1% scores 3; otherwise 4): scores 3"


def test_matrix_looks_up_the_cell_and_is_moved_through_its_inputs() -> None:
    m = metric({"model": "matrix", "rows": "OF0001", "columns": "OF0002", "matrix": MATRIX})
    rule = rule_for(m.scoring)
    assert rule.inputs == ("OF0001", "OF0002")
    got = rule.combine(np.array([1.0, 3.0, 4.0, np.nan]), np.array([4.0, 2.0, 1.0, 1.0]))
    assert got[:3].tolist() == [3.0, 3.0, 3.0] and np.isnan(got[3])  # row 1 col 4; row 3 col 2; row 4 col 1
    assert rule.combined_rule == "matrix"
    with pytest.raises(NotImplementedError):
        score_metric(m, rows([1.0]), tie_break=True)


def test_a_published_score_is_the_input_and_moves_by_whole_bands() -> None:
    m = metric({"model": "published_score", "categories": {"Outstanding": 1, "Good": 2, "Requires improvement": 3, "Inadequate": 4}})
    rule = rule_for(m.scoring)
    out = score_metric(m, rows([2.0, 4.0]), tie_break=True)
    assert out.score.tolist() == [2.0, 4.0] and set(out.rule) == {"input score"}
    assert rule.score_is_input and m.scoring.score_is_input
    assert rule.band_text(2.0) == "Good (2)" and rule.band_text(2.5) == "band 2.5"
    assert rule.bands() == (1.0, 4.0)
    assert rule_for(metric({"model": "published_score"}).scoring).band_text(3.0) == "band 3"


def test_by_unit_scores_each_unit_by_its_own_rule() -> None:
    spec = {"model": "by_unit", "units": {
        "rate": {"model": "ranked"},
        "count": {"model": "banded", "bands": [{"op": "<=", "value": 0, "score": 1}], "otherwise": 4}}}
    m = metric(spec, unit="rate", direction="lower", population="national")
    out = score_metric(m, rows([0.5, 2.0, 0.0, 3.0, 1.0], units=["rate", "count", "count", "rate", "other"]), tie_break=True)
    # rates (and the unknown unit, which takes the first rule) rank 0.5, 1.0, 3.0 nationally: 1, 2.5, 4
    assert out.score.tolist() == [1.0, 4.0, 1.0, 4.0, 2.5]
    rule = rule_for(m.scoring)
    assert rule.ranks_in("rate") and not rule.ranks_in("count") and rule.ranks_in("other")
    assert rule.for_unit("count").thresholds() == (0.0,)
    assert rule.describe(m) == "Scored by a rule that depends on the unit each trust reports in: rate, count."
