"""Segment and rank uncertainty: analytic vectors (statistics.md 3.5), hand-made cases, properties, real data."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nhs_oversight as no
from builders import framework, inputs
from nhs_oversight.cli import main
from nhs_oversight.engine import AssessOptions, assess
from nhs_oversight.errors import OptionError
from nhs_oversight.uncertainty import Labels, simulate
from nhs_oversight.uncertainty.bootstrap import ScoreSets, bootstrap_averages
from nhs_oversight.uncertainty.summary import segment_probabilities
from reference_uncertainty import simulate_loop

P_COLS = [f"p_segment_{k}" for k in (1, 2, 3, 4)]
FIXED = AssessOptions(cutpoints=(1.5, 2.5, 3.5))


def _tol(p: float, draws: int) -> float:
    """Three Monte Carlo standard errors (statistics.md 3.5)."""
    return 3 * math.sqrt(p * (1 - p) / draws) + 1e-12


@pytest.fixture(scope="module")
def synthetic():
    return no.assess(no.synthetic_inputs("2025/26 Q1"))


def _two_trusts():
    # published-score metrics (the value is the score): A scores {1, 3}, B scores {2, 2}
    data = inputs([("A", "acute"), ("B", "acute")], {"OF0069": [1.0, 2.0], "OF0046": [3.0, 2.0]})
    return assess(data, framework(), FIXED)


def test_two_trusts_by_hand():
    draws = 4000
    u = simulate(_two_trusts(), draws=draws, seed=3, keep_draws=True)
    t = u.table.set_index("org_code")
    # A's resampled average is 1, 2 or 3 with probability 1/4, 1/2, 1/4; cut points 1.5 / 2.5 / 3.5
    for k, p in zip((1, 2, 3, 4), (0.25, 0.5, 0.25, 0.0), strict=True):
        assert abs(t.loc["A", f"p_segment_{k}"] - p) <= _tol(p, draws)
    assert t.loc["A", "segment"] == 2 and t.loc["A", "p_same"] == t.loc["A", "p_segment_2"]
    assert t.loc["A", "label"] == "uncertain"
    # entropy of (1/4, 1/2, 1/4, 0) over 4 segments: (0.5 ln 4 + 0.5 ln 2) / ln 4 = 0.75
    assert abs(t.loc["A", "entropy"] - 0.75) < 0.02
    assert (t.loc["A", "average_low"], t.loc["A", "average_high"]) == (1.0, 3.0)
    # B never moves; ranks: A first when its average is 1 or 2 (tie), second when it is 3
    assert t.loc["B", "p_same"] == 1.0 and t.loc["B", "label"] == "stable" and t.loc["B", "mc_error"] == 0
    ranks = u.replicates.rank
    assert abs((ranks[:, 0] == 1).mean() - 0.75) <= _tol(0.75, draws)
    assert abs((ranks[:, 1] == 2).mean() - 0.25) <= _tol(0.25, draws)
    assert (t.loc["A", "rank_low"], t.loc["A", "rank_high"]) == (1, 2)
    assert (t.loc["B", "rank_low"], t.loc["B", "rank_median"], t.loc["B", "rank_high"]) == (1, 1, 2)


def test_degenerate_trusts_are_certain():
    # statistics.md 3.5: identical inputs in every replicate -> p_same = 1 and a zero-width rank interval
    data = inputs([("A", "acute"), ("B", "acute"), ("C", "acute")], {"OF0069": [1.0, 2.0, 3.0], "OF0046": [1.0, 2.0, 3.0]})
    u = simulate(assess(data, framework(), FIXED), draws=500)
    t = u.table
    assert (t["p_same"] == 1).all() and (t["entropy"] == 0).all() and (t["mc_error"] == 0).all()
    assert (t["rank_low"] == t["rank_high"]).all() and t["rank_median"].tolist() == [1, 2, 3]
    assert (t["average_low"] == t["average_score"]).all() and (t["average_high"] == t["average_score"]).all()
    assert (t["label"] == "stable").all()


def test_bootstrap_mean_and_variance_match_theory():
    # one trust, scores 1, 2, 3, 4: the resampled mean has mean 2.5 and variance sigma^2 / n = 1.25 / 4
    sets = ScoreSets(values=np.array([1.0, 2.0, 3.0, 4.0]), weights=np.ones(4), n=np.array([4]), start=np.array([0]))
    draws = 40000
    x = bootstrap_averages(sets, draws, np.random.default_rng(7))[:, 0]
    assert abs(x.mean() - 2.5) < 3 * math.sqrt(0.3125 / draws)
    assert abs(x.var() - 0.3125) < 0.01


def test_weighted_bootstrap_by_hand():
    # scores 1 (weight 1) and 4 (weight 1/3): resamples {1,1} -> 1, {4,4} -> 4, mixed -> (1 + 4/3) / (4/3) = 1.75
    sets = ScoreSets(values=np.array([1.0, 4.0]), weights=np.array([1.0, 1 / 3]), n=np.array([2]), start=np.array([0]))
    draws = 20000
    x = bootstrap_averages(sets, draws, np.random.default_rng(11))[:, 0]
    assert set(np.round(x, 9)) == {1.0, 1.75, 4.0}
    for value, p in ((1.0, 0.25), (1.75, 0.5), (4.0, 0.25)):
        assert abs(np.isclose(x, value).mean() - p) <= _tol(p, draws)


def test_probabilities_sum_to_one_and_ranges_are_ordered(synthetic):
    t = simulate(synthetic, draws=1000).table
    assert np.allclose(t[P_COLS].sum(axis=1), 1.0)
    assert ((t["p_same"] >= 0) & (t["p_same"] <= 1)).all()
    assert ((t["entropy"] >= 0) & (t["entropy"] <= 1 + 1e-12)).all()
    assert (t["average_low"] <= t["average_high"]).all()
    assert ((t["rank_low"] <= t["rank_median"]) & (t["rank_median"] <= t["rank_high"])).all()
    assert (t["rank_high"] <= t["rank_of"]).all() and (t["rank_low"] >= 1).all()
    assert (t["modal_segment"] == t[P_COLS].to_numpy().argmax(axis=1) + 1).all()
    # segment 5 is a programme decision: carried through unchanged
    assert (t["final_segment"] == synthetic.summary["final_segment"]).all()


def test_same_seed_same_result_and_different_seed_differs(synthetic):
    a = simulate(synthetic, draws=300, seed=5).table
    b = simulate(synthetic, draws=300, seed=5).table
    c = simulate(synthetic, draws=300, seed=6).table
    pd.testing.assert_frame_equal(a, b)
    assert not a[P_COLS].equals(c[P_COLS])


def test_more_draws_smaller_monte_carlo_error(synthetic):
    few = simulate(synthetic, draws=250, seed=2).table
    many = simulate(synthetic, draws=4000, seed=2).table
    mixed = (few["p_same"] < 1) & (many["p_same"] < 1)
    assert mixed.sum() > 20
    assert many.loc[mixed, "mc_error"].mean() < few.loc[mixed, "mc_error"].mean() / 3
    assert (many["mc_error"] <= 1.96 * math.sqrt(0.25 / 4000) + 1e-12).all()


def test_vectorised_agrees_with_the_plain_loop(synthetic):
    # a small part of the national set keeps the loop quick; different random streams, same distribution
    keep = synthetic.summary["trust_type"].isin(["ambulance"]) | synthetic.summary["org_code"].isin(synthetic.summary["org_code"].iloc[::8])
    codes = set(synthetic.summary.loc[keep, "org_code"])
    d = synthetic.inputs
    small = assess(
        d.__class__(
            orgs=d.orgs[d.orgs["org_code"].isin(codes)].reset_index(drop=True),
            values=d.values[d.values["org_code"].isin(codes)].reset_index(drop=True),
            flags=d.flags[d.flags["org_code"].isin(codes)].reset_index(drop=True),
        ),
        synthetic.framework,
        AssessOptions(cutpoints=synthetic.cutpoints["overall"].values),
    )
    loop = simulate_loop(small, draws=300, seed=1)
    fast = simulate(small, draws=3000, seed=9, keep_draws=True).replicates
    p_loop, p_fast = segment_probabilities(loop.segment), segment_probabilities(fast.segment)
    se = np.sqrt(np.maximum(p_loop * (1 - p_loop), p_fast * (1 - p_fast)) * (1 / 300 + 1 / 3000))
    assert (np.abs(p_loop - p_fast) <= 4 * se + 1e-9).all()
    assert abs(loop.average.mean() - fast.average.mean()) < 0.01


SCORE_ONLY = ["OF0069", "OF0046", "OF0067", "OF0035"]  # published-score metrics: the value is the score


@settings(max_examples=12, deadline=None)
@given(st.lists(st.lists(st.integers(1, 4), min_size=1, max_size=4), min_size=1, max_size=5), st.integers(0, 2**16))
def test_properties_on_random_populations(score_lists, seed):
    kept = range(len(score_lists))
    metric_ids = SCORE_ONLY[: max(len(s) for s in score_lists)]
    values = {m: [float(s[j]) if j < len(s) else None for s in score_lists] for j, m in enumerate(metric_ids)}
    data = inputs([(f"T{i}", "acute") for i in kept], values)
    u = simulate(assess(data, framework(), FIXED), draws=200, seed=seed)
    t = u.table
    assert np.allclose(t[P_COLS].sum(axis=1), 1.0)
    scores = {f"T{i}": [values[m][i] for m in metric_ids if values[m][i] is not None] for i in kept}
    lo = t["org_code"].map(lambda c: min(scores[c]))
    hi = t["org_code"].map(lambda c: max(scores[c]))
    assert ((t["average_low"] >= lo - 1e-9) & (t["average_high"] <= hi + 1e-9)).all()
    single = t["org_code"].map(lambda c: len(set(scores[c])) == 1)
    assert (t.loc[single, "average_low"] == t.loc[single, "average_high"]).all()
    assert ((t["rank_low"] >= 1) & (t["rank_high"] <= len(kept))).all()


def test_labels_thresholds_are_configurable_and_shown(synthetic):
    u = simulate(synthetic, draws=300, labels=Labels(stable=0.99, probable=0.5))
    t = u.table
    assert (t.loc[t["p_same"] >= 0.99, "label"] == "stable").all()
    assert (t.loc[(t["p_same"] >= 0.5) & (t["p_same"] < 0.99), "label"] == "probable").all()
    assert (t.loc[t["p_same"] < 0.5, "label"] == "uncertain").all()
    assert "0.99" in u.meta["labels"]["rule"] and "0.50" in u.meta["labels"]["rule"]
    with pytest.raises(OptionError):
        Labels(stable=0.6, probable=0.8)


def test_meta_says_method_and_caveats(synthetic):
    u = simulate(synthetic, draws=100, seed=4)
    m = u.meta
    assert (m["method"], m["draws"], m["seed"]) == ("bootstrap", 100, 4)
    assert any("Segment 5" in c and "unchanged" in c for c in m["caveats"])
    assert any("frozen" in c for c in m["caveats"])
    assert u.provenance()["dataset"] == "SYNTHETIC"


def test_provisional_framework_is_flagged():
    a = no.assess(no.synthetic_inputs("2025/26 Q1", "nof-2026-27"), "nof-2026-27")
    u = simulate(a, draws=100)
    assert u.is_provisional and u.meta["provisional"] is True
    assert u.meta["caveats"][0].startswith("PROVISIONAL")


def test_bad_options(synthetic):
    with pytest.raises(OptionError, match="draws"):
        simulate(synthetic, draws=0)
    with pytest.raises(OptionError, match="unknown method"):
        simulate(synthetic, method="magic")
    with pytest.raises(OptionError, match="needs counts"):
        simulate(synthetic, method="sampling")
    from nhs_oversight.compare import apply_switch

    dw = assess(synthetic.inputs, apply_switch(synthetic.framework, "domain-weighted"))
    with pytest.raises(OptionError, match="domain"):
        simulate(dw, draws=10)


def test_real_acute_q1_ranges_match_the_normal_approximation(acute_q1):
    a = no.assess(no.read_inputs([acute_q1]))
    u = simulate(a, draws=2000)
    t = u.table.set_index("org_code")
    assert len(t) == 134 and np.allclose(t[P_COLS].sum(axis=1), 1.0)
    assert (t["segment"] == a.summary.set_index("org_code")["adjusted_segment"]).all()
    # Independent expectation: resampling n (weight, score) pairs gives the weighted mean a standard error of
    # sqrt(sum w^2 (x - mean)^2) / sum w, so the 95% range is about 2 x 1.96 of it wide.
    m = a.metrics[a.metrics["in_average"] & a.metrics["score"].notna()]

    def se(g):
        w, x = g["weight"].to_numpy(), g["average_input"].to_numpy()
        mu = (w * x).sum() / w.sum()
        return math.sqrt(((w * (x - mu)) ** 2).sum()) / w.sum()

    ratio = (t["average_high"] - t["average_low"]) / (2 * 1.96 * m.groupby("org_code").apply(se).reindex(t.index))
    assert abs(ratio.median() - 1) < 0.03
    assert ratio.between(0.85, 1.15).all()
    # segment 5 (Recovery Support Programme) stays as published
    assert (t["final_segment"] == 5).sum() == 14


def _ranges_population(published):
    data = inputs([("A", "acute"), ("B", "acute")], {"OF0069": [1.0, 2.0], "OF0046": [3.0, 2.0]}, published=published)
    return assess(data, framework(), FIXED)


def test_compare_published_by_hand():
    # ours (see test_two_trusts_by_hand): A 1.00-3.00, ranks 1-2; B 2.00-2.00, ranks 1-2
    pub = [
        ("A", "LT_average_low", 1.5), ("A", "LT_average_high", 2.5), ("A", "LT_rank_low", 1), ("A", "LT_rank_high", 2),
        ("B", "LT_average_low", 1.99), ("B", "LT_average_high", 2.01), ("B", "LT_rank_low", 1), ("B", "LT_rank_high", 3),
    ]
    u = simulate(_ranges_population(pub), draws=2000, seed=3)
    agree = u.compare_published()
    t = agree.table.set_index("org_code")
    assert t.loc["A", "average_within"] == False and t.loc["B", "average_within"] == True  # noqa: E712
    assert t.loc["A", "rank_within"] == True and t.loc["B", "rank_within"] == True  # noqa: E712
    assert agree.summary["average"]["share_within"] == 0.5 and agree.summary["rank"]["share_within"] == 1.0
    assert agree.summary["average"]["max_abs_difference"] == pytest.approx(0.5)
    assert "published_agreement" in u.to_dict()


def test_compare_published_needs_league_table(synthetic):
    with pytest.raises(OptionError, match="league-table"):
        simulate(synthetic, draws=50).compare_published()


def test_cli_with_a_league_table_csv(tmp_path, capsys):
    # two trusts from a wide file; scores A {1, 1, 3, 3, 1}, B {2, 2, 2, 2, 2} (combined finance is the fifth)
    wide = tmp_path / "trusts.csv"
    wide.write_text(
        "org_code,trust_type,OF1046,OF1069,OF1067,OF1035,OF0079,OF0081,financial_flag\n"
        "AAA,Acute trust,1,1,3,3,0,0,0\n"
        "BBB,Acute trust,2,2,2,2,-0.5,0,0\n",
        encoding="utf-8",
    )
    # A resamples to 1.0 with probability 0.6^5 and to 2.6 or more with probability 0.087, so its 95% range is
    # 1.00 - 2.60; with cut points 1.5 / 2.5 / 3.5 A ranks 2nd whenever its average exceeds 2.0 (p = 0.317)
    lt = tmp_path / "league.csv"
    lt.write_text(
        "Trust_code,Trust_name,Trust_type,Average_score,Segment,Rank,Likely_range_of_average_score,Likely_range_of_rank\n"
        "AAA,A,Acute trust,1.80,2,1,1.00 - 2.60,1 - 2\n"
        "BBB,B,Acute trust,2.00,2,2,2.00 - 2.00,1 - 2\n",
        encoding="utf-8",
    )
    assert main(["uncertainty", str(wide), str(lt), "--cutpoints", "1.5,2.5,3.5", "--draws", "4000"]) == 0
    out = capsys.readouterr().out
    assert "Agreement with NHS England's published likely ranges" in out
    assert "within ±0.02 for 2 of 2 (100.0%)" in out and "within ±1 for 2 of 2 (100.0%)" in out


def test_cli_formats_and_provisional(capsys, tmp_path):
    wide = tmp_path / "trusts.csv"
    wide.write_text(
        "org_code,trust_type,OF1046,OF1069,OF1067,OF1035,OF0079,OF0081\nAAA,Acute trust,1,1,3,3,0,0\nBBB,Acute trust,2,2,2,2,-0.5,0\n",
        encoding="utf-8",
    )
    assert main(["uncertainty", str(wide), "-f", "nof-2026-27", "--draws", "200", "--format", "csv"]) == 0
    csv = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert (csv["status"] == "PROVISIONAL").all() and csv["org_code"].tolist() == ["AAA", "BBB"]
    assert main(["uncertainty", str(wide), "-f", "nof-2026-27", "--draws", "200"]) == 0
    assert "PROVISIONAL" in capsys.readouterr().out
    assert main(["uncertainty", "--synthetic", "--draws", "200", "--seed", "9", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["meta"]["uncertainty"]["seed"] == 9 and len(payload["rows"]) == 205
    assert payload["meta"]["dataset"] == "SYNTHETIC"
    path = tmp_path / "u.xlsx"
    assert main(["uncertainty", str(wide), "--draws", "100", "-o", str(path)]) == 0
    assert path.stat().st_size > 0


@pytest.mark.parametrize(
    "args",
    [
        ["uncertainty", "--synthetic", "--draws", "0"],
        ["uncertainty", "--synthetic", "--method", "sampling"],
        ["uncertainty", "--synthetic", "--stable", "0.5"],
        ["uncertainty", "--synthetic", "--format", "xlsx"],
    ],
)
def test_cli_user_errors_exit_2(args, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
