"""The definition check: per trust and one line per metric; a back-cast is never called agreement."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nhs_oversight.cli import main
from nhs_oversight.derive.check import BACK_CAST, SAME, check, read_published


def derived(period: str, values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"org_code": list(values), "metric_id": "OF0013", "period": period, "value": list(values.values()),
                         "definition": "of0013_ae_4h", "basis": "footprint (mapping Jun 2025)"})


PUBLISHED = pd.DataFrame({"org_code": ["RAA", "RBB", "RCC", "RDD"], "metric_id": "OF0013", "period": "2025/26 Q1",
                          "value": [75.0, 80.0, 60.0, 70.0], "file": "nof.csv"})


def test_same_quarter_counts_exact_and_within_one_step():
    c = check(derived("2025/26 Q1", {"RAA": 75.0, "RBB": 80.1, "RCC": 60.3}), PUBLISHED, {"OF0013": 1}, {"OF0013": "percent"})
    assert c.lines() == ["OF0013 (2025/26 Q1): 2/4 within 0.1 pp, 1/4 exact; 1 not derived"]
    rows = c.rows.set_index("org_code")
    assert rows.loc["RBB", "difference"] == pytest.approx(0.1) and bool(rows.loc["RBB", "within"])
    assert not rows.loc["RCC", "within"] and pd.isna(rows.loc["RDD", "derived"])
    assert set(rows["comparison"]) == {SAME}


def test_different_quarters_are_a_back_cast_not_agreement():
    c = check(derived("2024/25 Q4", {"RAA": 75.0, "RBB": 80.0, "RCC": 60.0, "RDD": 70.0}), PUBLISHED, {"OF0013": 1}, {"OF0013": "percent"})
    (line,) = c.lines()
    assert line.startswith("OF0013: derived 2024/25 Q4 against published 2025/26 Q1: different periods (back-cast), not a definition check")
    assert "within" in line and "(2025/26 Q1):" not in line
    assert set(c.rows["comparison"]) == {BACK_CAST}


def test_published_periods_are_read_as_quarters_and_survey_years(acute_q1: Path):
    p = read_published([acute_q1])
    periods = p.groupby("metric_id")["period"].first()
    assert periods["OF0013"] == "2025/26 Q1" and periods["OF0023"] == "2025/26 Q1" and periods["OF0061"] == "2024"
    assert p[p["metric_id"] == "OF0013"]["org_code"].nunique() == 123


def test_cli_derive_check_prints_the_agreement(shared_data: Path, acute_q1: Path, capsys):
    book = shared_data / "ae" / "ae-by-provider-2025-06.xlsx"
    csvs = sorted((shared_data / "ae" / "monthly").glob("monthly-ae-2025-0[1-3].csv"))
    if not book.is_file() or len(csvs) != 3:
        pytest.skip("the A&E workbook and the Jan-Mar 2025 CSVs are needed")
    assert main(["derive", *map(str, csvs), str(book), "--metric", "OF0013", "--check", str(acute_q1)]) == 0
    out = capsys.readouterr().out
    summary = out[out.index("Definition check:"):]
    assert "OF0013: derived 2024/25 Q4 against published 2025/26 Q1: different periods (back-cast), not a definition check" in summary
    assert "OF0013 (Jun 2025, one month, against the workbook's Acute Trust Footprint Data): 123/123 within 0.1 pp, 123/123 exact" in summary
    assert main(["derive", str(book), "--metric", "OF0013", "--allow-partial", "--check", str(acute_q1), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith("org_code,metric_id,derived_period,published_period,comparison,derived,published")
    assert "check: OF0013 (Jun 2025, one month" in captured.err
    # June alone is a partial quarter: it is not set against the published Apr-Jun value
    assert "check: OF0013: not checked: only partial periods derived" in captured.err
