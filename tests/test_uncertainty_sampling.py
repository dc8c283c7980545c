"""Sampling-error mode (Beta draws for metrics with counts): statistics.md 3.5 vectors and a hand case."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from builders import framework, inputs
from nhs_oversight.cli import main
from nhs_oversight.engine import AssessOptions, assess
from nhs_oversight.errors import InputError
from nhs_oversight.uncertainty import simulate
from nhs_oversight.uncertainty.sampling import draw_proportions


def test_jeffreys_vector_52_of_100():
    # statistics.md 3.5: P(p > 0.5) for 52/100 under Jeffreys = 1 - BetaCDF(0.5; 52.5, 48.5) = 0.655317
    draws = 200_000
    p = draw_proportions(np.array([52.0]), np.array([100.0]), draws, np.random.default_rng(1))[:, 0]
    assert abs((p > 0.5).mean() - 0.655317) <= 3 * math.sqrt(0.655317 * 0.344683 / draws)


def test_zero_and_full_counts_are_proper():
    p = draw_proportions(np.array([0.0, 10.0]), np.array([10.0, 10.0]), 1000, np.random.default_rng(2))
    assert ((p > 0) & (p < 1)).all()
    assert p[:, 0].mean() < 0.1 < 0.9 < p[:, 1].mean()


def _ae_population():
    # T1: A&E 4-hour 78/100 (78.0%, meets the 78% standard) and a published score of 2;
    # T2: 60% (fails) and a score of 2. If T1 meets, T2 is alone in the ranked group and scores 2.00;
    # if T1 fails, T1 ranks first (2.00) and T2 last (4.00). So T1's average is 1.5 or 2.0.
    data = inputs([("T1", "acute"), ("T2", "acute")], {"OF0013": [78.0, 60.0], "OF0069": [2.0, 2.0]})
    return assess(data, framework(), AssessOptions(cutpoints=(1.9, 2.5, 3.5)))


@pytest.mark.slow
def test_sampling_mode_by_hand():
    a = _ae_population()
    counts = pd.DataFrame({"org_code": ["T1"], "metric_id": ["OF0013"], "numerator": [78], "denominator": [100]})
    draws = 400  # one engine run per draw
    u = simulate(a, draws=draws, seed=4, counts=counts)
    assert u.meta["method"] == "sampling"
    t = u.table.set_index("org_code")
    # segment 1 exactly when the drawn proportion meets the standard: P(p >= 0.78), p ~ Beta(78.5, 22.5)
    expected = stats.beta.sf(0.78, 78.5, 22.5)
    assert abs(t.loc["T1", "p_segment_1"] - expected) <= 3 * math.sqrt(expected * (1 - expected) / draws)
    assert t.loc["T1", "p_segment_1"] + t.loc["T1", "p_segment_2"] == pytest.approx(1.0)
    assert t.loc["T1", "segment"] == 1


def test_counts_are_checked():
    a = _ae_population()
    bad = [
        ({"org_code": ["T1"], "metric_id": ["OF0013"], "numerator": [120], "denominator": [100]}, "not a proportion"),
        ({"org_code": ["T1"], "metric_id": ["OF0069"], "numerator": [1], "denominator": [2]}, "not a percentage"),
        ({"org_code": ["ZZZ"], "metric_id": ["OF0013"], "numerator": [1], "denominator": [2]}, "no value"),
        ({"org_code": ["T1"], "metric_id": ["OF9999"], "numerator": [1], "denominator": [2]}, "does not score"),
    ]
    for counts, message in bad:
        with pytest.raises(InputError, match=message):
            simulate(a, draws=5, counts=pd.DataFrame(counts))


def test_cli_counts_file(tmp_path, capsys):
    wide = tmp_path / "trusts.csv"
    wide.write_text(
        "org_code,trust_type,OF0013,OF1046,OF1069,OF1067,OF1035,financial_flag\n"
        "AAA,Acute trust,78.0,2,2,2,2,0\n"
        "BBB,Acute trust,60.0,2,2,2,2,0\n",
        encoding="utf-8",
    )
    counts = tmp_path / "counts.csv"
    counts.write_text("Trust_code,metric_id,numerator,denominator\nAAA,OF0013,78,100\n", encoding="utf-8")
    assert main(["uncertainty", str(wide), "--counts", str(counts), "--cutpoints", "1.9,2.5,3.5", "--draws", "20", "--format", "json"]) == 0
    import json

    payload = json.loads(capsys.readouterr().out)
    assert payload["meta"]["uncertainty"]["method"] == "sampling"
    bad = tmp_path / "bad.csv"
    bad.write_text("org_code,metric_id,numerator,denominator\nAAA,OF0013,200,100\n", encoding="utf-8")
    assert main(["uncertainty", str(wide), "--counts", str(bad), "--draws", "5"]) == 2
    assert "bad.csv, row 2" in capsys.readouterr().err
