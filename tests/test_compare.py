"""Method comparison: switches as framework variants, transitions, who moves and why (hand-computed)."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import nhs_oversight as no
from builders import framework, inputs
from nhs_oversight.cli import main
from nhs_oversight.compare import SWITCHES, apply_switch, compare
from nhs_oversight.engine import AssessOptions, assess
from nhs_oversight.errors import OptionError

FIXED = AssessOptions(cutpoints=(1.5, 2.5, 3.5))


@pytest.fixture(scope="module")
def q1():
    return no.synthetic_inputs("2025/26 Q1")


def _override_population():
    # published-score metrics: the value is the score, so each average is known by hand
    return inputs(
        [("T1", "acute"), ("T2", "acute"), ("T3", "acute"), ("T4", "acute")],
        {"OF0069": [1.0, 2.0, 3.0, 1.0]},
        financial=[1.0, 1.0, 1.0, 0.0],
    )


def test_no_financial_override_by_hand():
    c = compare(_override_population(), framework(), switches=["no-financial-override"], options=FIXED)
    t = c.table.set_index("org_code")
    # averages 1, 2, 3, 1 -> unadjusted 1, 2, 3, 1; A caps flagged segments 1-2 at 3
    assert t["segment_a"].tolist() == [3, 3, 3, 1]
    assert t["segment_b"].tolist() == [1, 2, 3, 1]
    assert t["change"].tolist() == [-2, -1, 0, 0]
    # A: T4 (1, 1.00) first, then segment 3 by average; B: T1 and T4 tie on (1, 1.00)
    assert t["rank_a"].tolist() == [2, 3, 4, 1]
    assert t["rank_b"].tolist() == [1, 3, 4, 1]
    assert c.who_moves["org_code"].tolist() == ["T1", "T2"]  # biggest move first
    assert "financial override no longer caps it at segment 3" in t.loc["T1", "reason"]
    assert t.loc["T3", "reason"] == "no change"
    assert "rank 1 → 1" not in t.loc["T4", "reason"]
    expected = pd.DataFrame(0, index=[1, 2, 3, 4], columns=[1, 2, 3, 4])
    expected.loc[3, 1] = expected.loc[3, 2] = expected.loc[3, 3] = expected.loc[1, 1] = 1
    assert (c.transition.to_numpy() == expected.to_numpy()).all()
    assert c.b.framework.id == "nof-2025-26+test+no-financial-override"


def test_domain_weighted_by_hand():
    # effectiveness: SHMI 1 and inpatient survey 1; safety: CQC safe 4
    data = inputs([("T1", "acute")], {"OF0046": [1.0], "OF0069": [1.0], "OF0067": [4.0]})
    c = compare(data, framework(), switches=["domain-weighted"], options=AssessOptions(cutpoints=(1.5, 2.25, 3.5)))
    row = c.table.iloc[0]
    assert row["average_a"] == 2.00  # (1 + 1 + 4) / 3
    assert row["average_b"] == 2.50  # (mean(1, 1) + 4) / 2
    assert (row["segment_a"], row["segment_b"]) == (2, 3)
    assert "average 2.00 → 2.50 crosses the 2/3 cut point (2.25)" in row["reason"]


def test_cutpoints_within_type_by_hand():
    # acute averages 1, 2, 3, 4; mental health averages 2, 3, 3, 4
    orgs = [(f"A{i}", "acute") for i in range(4)] + [(f"M{i}", "mental_health_community") for i in range(4)]
    data = inputs(orgs, {"OF0069": [1.0, 2.0, 3.0, 4.0, 2.0, 3.0, 3.0, 4.0]})
    c = compare(data, framework(), switches=["cutpoints-within-type"])
    # A: quartiles (linear) of all eight: 2.00 / 3.00 / 3.25
    assert c.a.cutpoints["overall"].values == pytest.approx((2.0, 3.0, 3.25))
    # B: acute 1.75 / 2.50 / 3.25; mental health 2.75 / 3.00 / 3.25
    by = dict(c.b.cutpoints["overall"].by_group)
    assert by["acute"] == pytest.approx((1.75, 2.5, 3.25))
    assert by["mental_health_community"] == pytest.approx((2.75, 3.0, 3.25))
    t = c.table.set_index("org_code")
    assert t.loc[["A0", "A1", "A2", "A3"], "segment_a"].tolist() == [1, 1, 2, 4]
    assert t.loc[["A0", "A1", "A2", "A3"], "segment_b"].tolist() == [1, 2, 3, 4]
    assert t.loc[["M0", "M1", "M2", "M3"], "segment_b"].tolist() == [1, 2, 2, 4]
    assert sorted(c.who_moves["org_code"]) == ["A1", "A2"]
    assert t.loc["A1", "reason"].startswith("same average 2.00; the 1/2 cut point moves 2 → 1.75")


def test_within_type_quartiles_match_numpy_on_synthetic(q1):
    data = q1
    fw = apply_switch(no.load_framework(), "cutpoints-within-type")
    a = assess(data, fw)
    s = a.summary
    for type_id, cuts in a.cutpoints["overall"].by_group:
        scores = s.loc[s["trust_type"] == type_id, "average_score"].to_numpy(float)
        assert cuts == pytest.approx(tuple(np.quantile(scores, [0.25, 0.5, 0.75])))
        seg = s.loc[s["trust_type"] == type_id, "unadjusted_segment"].to_numpy(int)
        expected = 1 + (scores[:, None] > np.array(cuts)[None, :]).sum(axis=1)
        assert (seg == expected).all()


def test_domain_weighted_average_is_mean_of_domain_scores(q1):
    a = assess(q1, apply_switch(no.load_framework(), "domain-weighted"))
    means = a.domains.groupby("org_code")["score"].mean()
    s = a.summary.set_index("org_code")
    assert np.allclose(s["average_score_unrounded"], means.reindex(s.index))


@pytest.mark.parametrize("switch", sorted(SWITCHES))
def test_transition_accounts_for_everyone(switch, q1):
    c = compare(q1, "nof-2025-26", switches=[switch])
    n, tr = len(c.table), c.transition.to_numpy()
    assert tr.sum() == n
    assert np.trace(tr) == c.counts()["same_segment"]
    assert len(c.who_moves) == n - np.trace(tr)
    assert (c.who_moves["reason"].str.len() > 0).all()
    assert (c.who_moves["change"] == c.who_moves["segment_b"] - c.who_moves["segment_a"]).all()


def test_no_override_moves_only_capped_trusts_on_synthetic(q1):
    c = compare(q1, "nof-2025-26", switches=["no-financial-override"])
    capped = c.a.summary.set_index("org_code")["financial_override"]
    moved = set(c.who_moves["org_code"])
    assert moved == set(capped[capped].index)
    assert (c.who_moves["change"] < 0).all()


def test_2025_26_and_2026_27_agree_on_the_acute_q1_file(acute_q1):
    # The 2026/27 thresholds lie inside the Q1 cut intervals NHS England's published segments imply, and
    # scoring is carried over, so no acute trust moves.
    data = no.read_inputs([acute_q1])
    c = compare(data, "nof-2025-26", "nof-2026-27")
    assert c.counts()["same_segment"] == 134 and c.who_moves.empty
    assert c.provenance()["b"]["status"] == "PROVISIONAL"
    assert c.provenance()["a"]["status"] == "published"


def test_real_file_switches(acute_q1):
    data = no.read_inputs([acute_q1])
    # the data README counts 38 acute trusts moved into segment 3 by the financial override in Q1
    c = compare(data, "nof-2025-26", switches=["no-financial-override"])
    assert len(c.who_moves) == 38 and (c.who_moves["segment_a"] == 3).all()
    # acute-q1-findings.md section 4: the acute-only quartiles (linear) are 2.0575 / 2.365 / 2.5975
    c = compare(data, "nof-2025-26", switches=["cutpoints-within-type"])
    assert dict(c.b.cutpoints["overall"].by_group)["acute"] == pytest.approx((2.0575, 2.365, 2.5975))


def test_icbs_only_under_2026_27():
    fw26 = no.load_framework("nof-2026-27")
    trusts = no.synthetic_inputs("2025/26 Q1", fw26)
    icbs = inputs([("QA1", "icb"), ("QA2", "icb"), ("QA3", "icb")], {m: [1.0, 2.0, 3.0] for m in ("OF0013", "OF0023", "OF0014", "OF0025", "OF0003")})
    both = replace(
        trusts,
        orgs=pd.concat([trusts.orgs, icbs.orgs], ignore_index=True),
        values=pd.concat([trusts.values, icbs.values], ignore_index=True),
        flags=pd.concat([trusts.flags, icbs.flags], ignore_index=True),
    )
    c = compare(both, "nof-2025-26", fw26)
    t = c.table.set_index("org_code")
    assert t.loc[["QA1", "QA2", "QA3"], "segment_a"].isna().all()
    assert t.loc[["QA1", "QA2", "QA3"], "segment_b"].notna().all()
    assert t.loc["QA1", "reason"].startswith("only assessed under B")
    assert any("not segmented by nof-2025-26" in n for n in c.notes)
    assert c.transition.to_numpy().sum() == len(trusts.orgs)


def test_bad_requests():
    data = _override_population()
    with pytest.raises(OptionError, match="unknown switch"):
        compare(data, framework(), switches=["no-such-thing"])
    with pytest.raises(OptionError, match="not both"):
        compare(data, framework(), "nof-2026-27", switches=["domain-weighted"])
    with pytest.raises(OptionError, match="no switch"):
        compare(data, framework())


def test_cli_json_says_provisional(capsys):
    code = main(["compare", "--synthetic", "--synthetic-quarter", "2025/26 Q1", "-f", "nof-2025-26", "-f", "nof-2026-27", "--format", "json"])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["meta"]["b"]["status"] == "PROVISIONAL" and payload["meta"]["provisional"] is True
    assert payload["meta"]["dataset"] == "SYNTHETIC"
    counts = np.array(payload["transition"]["counts"])
    assert counts.sum() == 205 and len(payload["who_moves"]) == 205 - np.trace(counts)


def test_cli_table_csv_and_xlsx(capsys, tmp_path):
    wide = tmp_path / "trusts.csv"  # two trusts, five scored metrics each (combined finance is the fifth)
    wide.write_text(
        "org_code,trust_type,OF1046,OF1069,OF1067,OF1035,OF0079,OF0081,financial_flag\n"
        "AAA,Acute trust,1,1,1,1,0,0,1\n"
        "BBB,Acute trust,3,3,3,3,0,0,0\n",
        encoding="utf-8",
    )
    fixed = ["--cutpoints", "1.5,2.5,3.5"]
    assert main(["compare", str(wide), "--no-financial-override", *fixed]) == 0
    out = capsys.readouterr().out
    assert "Method comparison" in out and "Who moves: Acute trust (1)" in out
    assert "AAA" in out and "financial override no longer caps it at segment 3" in out
    assert main(["compare", str(wide), "-f", "nof-2026-27", "--domain-weighted", "--format", "csv", "--all"]) == 0
    csv = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert (csv["status"] == "PROVISIONAL").all() and csv["org_code"].tolist() == ["AAA", "BBB"]
    path = tmp_path / "compare.xlsx"
    assert main(["compare", str(wide), "--cutpoints-within-type", "-o", str(path)]) == 0
    import openpyxl

    assert openpyxl.load_workbook(path).sheetnames[:3] == ["who moves", "transition", "all organisations"]


@pytest.mark.parametrize(
    "args",
    [
        ["compare", "--synthetic"],
        ["compare", "--synthetic", "-f", "nof-2025-26", "-f", "nof-2026-27", "--domain-weighted"],
        ["compare", "--synthetic", "-f", "a", "-f", "b", "-f", "c"],
        ["compare", "--synthetic", "--no-financial-override", "--format", "pdf"],
    ],
)
def test_cli_user_errors_exit_2(args, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
