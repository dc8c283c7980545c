"""Readers: the NOF CSV, a trust's own wide file (CSV and xlsx), and the league-table CSV."""

from __future__ import annotations

import pandas as pd
import pytest

import nhs_oversight as no
from nhs_oversight.errors import InputError


def test_nof_reader_splits_inputs_from_published(acute_q1):
    data = no.read_inputs(acute_q1)
    assert data.period == "2025/26 Q1"
    assert len(data.orgs) == 134
    assert set(data.values["metric_id"]).isdisjoint({"OF5000", "OF5002", "OF1013"})
    assert {"OF1013", "OF5000", "OF4000"} <= set(data.published["field"])
    raw = pd.read_csv(acute_q1, encoding="utf-8-sig")
    assert data.flags["financial_flag"].sum() == raw.loc[raw["Metric_ID"] == "OF5004", "Value"].sum()
    # every input value keeps the row it came from
    first = data.values.iloc[0]
    line = int(first["source"].rsplit("row ", 1)[1])
    assert raw.iloc[line - 2]["Trust_code"] == first["org_code"]


WIDE = """org_code,org_name,trust_type,region,OF0013,OF0014,OF0023,OF0003,OF0061,OF1046,OF0048,OF0048_unit,financial_flag,recovery_support,quarter
RAA,Alpha,Acute trust,London,80.1,5.0,60,0.5,6.5,2,0.9,rate,No,0,2025/26 Q3
RAB,Beta,Acute trust,London,70.0,*,70,2.0,6.9,1,2,count,Yes,0,2025/26 Q3
RAC,Gamma,Acute trust,East,75.0,9.0,50,3.0,6.1,3,1.2,rate,no,1,2025/26 Q3
"""


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_wide_file(tmp_path, suffix):
    path = tmp_path / f"own{suffix}"
    if suffix == ".csv":
        path.write_text(WIDE)
    else:
        import io

        pd.read_csv(io.StringIO(WIDE), dtype=str).to_excel(path, index=False)
    data = no.read_inputs(path)
    assert data.period == "2025/26 Q3"
    assert data.flags.set_index("org_code")["financial_flag"].to_dict() == {"RAA": 0.0, "RAB": 1.0, "RAC": 0.0}
    v = data.values.set_index(["org_code", "metric_id"])
    assert ("RAB", "OF0014") not in v.index  # suppressed '*' is missing, not zero
    assert v.loc[("RAB", "OF0048"), "unit"] == "count"
    assert v.loc[("RAA", "OF0046"), "value"] == 2  # score-only input under its metric id
    a = no.assess(data, cutpoints=(2.0, 2.5, 3.0))
    s = a.summary.set_index("org_code")
    assert s.loc["RAC", "final_segment"] == 5
    assert s.loc["RAB", "adjusted_segment"] >= 3


def test_league_table_adds_published_ranges_and_deficit_flag(tmp_path):
    nof = tmp_path / "nof.csv"
    nof.write_text(
        "Trust_code,Trust_name,Trust_type,Metric_ID,Value,Rank\n"
        + "".join(f"RAA,Alpha,Acute trust,{m},{v},1\n" for m, v in [("OF0013", 80), ("OF0014", 5), ("OF0023", 60), ("OF0061", 6.5), ("OF0084", 7)])
    )
    lt = tmp_path / "league.csv"
    lt.write_text(
        "Quarter,Region,Trust_type,Trust_subtype,Trust_code,Trust_name,Average_score,Likely_range_of_average_score,Segment,Trust_in_financial_deficit,Rank,Likely_range_of_rank\n"
        "Q1 2025/26,London,Acute trust,Acute - Large,RAA,Alpha,1.53,1.45 - 1.62,1,Yes,1,1 - 3\n"
        "Q1 2025/26,London,Acute trust,Acute - Large,RZZ,Other,2.53,2.45 - 2.62,3,No,2,1 - 3\n"
    )
    data = no.read_inputs([nof, lt])
    assert data.flags.set_index("org_code").loc["RAA", "financial_flag"] == 1.0
    pub = data.published.set_index(["org_code", "field"])["value"]
    assert pub[("RAA", "LT_average_low")] == 1.45 and pub[("RAA", "LT_rank_high")] == 3
    assert ("RZZ", "OF5002") not in pub.index
    assert any("RZZ" in n for n in data.notes)


def test_league_table_alone_is_not_enough(tmp_path):
    lt = tmp_path / "league.csv"
    lt.write_text("Trust_code,Average_score,Segment,Rank\nRAA,1.5,1,1\n")
    with pytest.raises(InputError, match="league-table CSVs hold no metric values"):
        no.read_inputs(lt)


def test_bad_range_in_league_table(tmp_path):
    nof = tmp_path / "nof.csv"
    nof.write_text("Trust_code,Trust_name,Trust_type,Metric_ID,Value\nRAA,Alpha,Acute trust,OF0013,80\n")
    lt = tmp_path / "league.csv"
    lt.write_text("Trust_code,Average_score,Segment,Rank,Likely_range_of_rank\nRAA,1.5,1,1,one to three\n")
    with pytest.raises(InputError, match="row 2") as e:
        no.read_inputs([nof, lt])
    assert e.value.column == "Likely_range_of_rank"
