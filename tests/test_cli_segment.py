"""`oversight segment` and `oversight demo` end to end, in every output format."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from nhs_oversight.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_segment_table_on_synthetic_names_the_dataset():
    r = invoke("segment", "--synthetic")
    assert r.exit_code == 0
    assert "[SYNTHETIC DATA]" in r.stdout
    assert "national quartiles" in r.stdout
    for label in ("Acute trust league table (134)", "Mental health and community trust league table (61)", "Ambulance trust league table (10)"):
        assert label in r.stdout


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "xlsx"])
def test_segment_formats(tmp_path, fmt):
    out = tmp_path / f"league.{fmt}"
    r = invoke("segment", "--synthetic", "--output", str(out))
    assert r.exit_code == 0, r.stdout
    if fmt == "csv":
        df = pd.read_csv(out)
    elif fmt == "json":
        payload = json.loads(out.read_text())
        assert payload["meta"]["dataset"] == "SYNTHETIC" and payload["meta"]["framework"] == "nof-2025-26"
        df = pd.DataFrame(payload["rows"])
    elif fmt == "parquet":
        df = pd.read_parquet(out)
    else:
        import openpyxl

        wb = openpyxl.load_workbook(out)
        assert {"League table", "Metric scores", "Domains", "Cut points", "About"} <= set(wb.sheetnames)
        assert wb["League table"].freeze_panes == "A2"
        return
    assert len(df) == 205
    required = {"org_code", "org_name", "trust_type", "region", "average_score", "unadjusted_segment", "financial_override", "adjusted_segment", "final_segment", "rank"}
    assert required <= set(df.columns)
    assert {"score_OF1013", "value_OF0013", "source_OF1013", "domain_access"} <= set(df.columns)
    assert set(df["dataset"]) == {"SYNTHETIC"}


def test_segment_on_the_acute_file_marks_published_stand_ins(acute_q1, tmp_path):
    out = tmp_path / "acute.csv"
    r = runner.invoke(app, ["segment", str(acute_q1), "--output", str(out)])
    assert r.exit_code == 0
    df = pd.read_csv(out)
    assert set(df["source_OF1082"]) == {"published"}
    assert set(df["source_OF1013"].dropna()) == {"computed"}
    assert set(df["source_OF1046"].dropna()) == {"input"}
    assert "the input is not the whole nation" in r.stderr and "--verbose" in r.stderr


def test_fixed_cutpoints_change_segments(acute_q1, tmp_path):
    out = tmp_path / "fixed.csv"
    r = runner.invoke(app, ["segment", str(acute_q1), "--cutpoints", "1.5,2.0,2.5", "--output", str(out)])
    assert r.exit_code == 0
    df = pd.read_csv(out)
    expected = 1 + (df["average_score"] > 1.5).astype(int) + (df["average_score"] > 2.0).astype(int) + (df["average_score"] > 2.5).astype(int)
    assert (df["unadjusted_segment"] == expected).all()


def test_demo_writes_files(tmp_path):
    r = invoke("demo", "-o", str(tmp_path / "demo"))
    assert r.exit_code == 0
    assert "[SYNTHETIC DATA]" in r.stdout
    for name in ("league-table.csv", "board-pack.xlsx", "report.html"):
        assert (tmp_path / "demo" / name).exists()
        assert f"wrote {tmp_path / 'demo' / name}" in r.stderr


def test_verify_passes_on_the_acute_file(acute_q1):
    r = runner.invoke(app, ["verify", str(acute_q1)])
    assert r.exit_code == 0, r.stdout
    assert "Result: PASS" in r.stdout
    assert "134/134" in r.stdout


def test_verify_json_and_failure_exit(acute_q1, tmp_path):
    out = tmp_path / "v.json"
    r = runner.invoke(app, ["verify", str(acute_q1), "--format", "json", "--output", str(out)])
    assert r.exit_code == 0
    payload = json.loads(out.read_text())
    fields = {f["field"]: f for f in payload["fields"]}
    assert fields["OF5000"]["matched"] == 134 and payload["passed"] is True
    assert fields["rank"]["matched"] == 134
    assert "without_published_metric_scores" in payload
    # with cut points far from the published ones, segments stop matching and verify exits 3
    r = runner.invoke(app, ["verify", str(acute_q1), "--cutpoints", "1.5,2.0,2.5"])
    assert r.exit_code == 3
    assert "Result: FAIL" in r.stdout


def test_help_lists_commands():
    r = invoke("--help")
    for command in ("segment", "verify", "demo", "fetch"):
        assert command in r.stdout
