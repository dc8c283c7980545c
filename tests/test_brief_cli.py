"""`oversight brief` and `oversight movement` end to end: formats, output files, user errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from nhs_oversight.cli import app, main

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
Q1, Q2 = str(GOLDEN / "brief-small-q1.csv"), str(GOLDEN / "brief-small-q2.csv")
#: The cut points the hand-made quarters were designed with (see test_brief_golden.py).
CUTS = ("--cutpoints", "2,2.3,3", "--previous-cutpoints", "2,2.5,3")


def invoke(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_brief_markdown_of_the_acute_file(acute_q1):
    r = invoke("brief", str(acute_q1), "--no-uncertainty")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("# NHS Oversight Framework 2025/26: segmentation briefing, 2025/26 Q1\n")
    assert "12% (16 of 134) are in segment 1" in r.stdout
    assert "nof-2025-26-q1-acute.csv" in r.stdout


def test_brief_with_previous_quarter_in_every_format(tmp_path):
    for suffix, check in (
        ("md", lambda t: "## Movers since 2025/26 Q1" in t),
        ("html", lambda t: t.startswith("<!doctype html>") and "SYNTHETIC DATA" in t),
        ("json", lambda t: json.loads(t)["segment_counts"] == {"1": 1, "2": 0, "3": 6, "4": 0, "5": 1}),
    ):
        out = tmp_path / f"brief.{suffix}"
        r = invoke("brief", Q2, "--previous", Q1, *CUTS, "--no-uncertainty", "--output", str(out))
        assert r.exit_code == 0, r.output
        assert r.stdout == "" and check(out.read_text(encoding="utf-8")), suffix


def test_brief_by_one_breakdown():
    r = invoke("brief", Q2, "--by", "region", "--format", "json", "--no-uncertainty")
    assert r.exit_code == 0
    assert list(json.loads(r.stdout)["breakdowns"]) == ["region"]


def test_brief_on_the_synthetic_set_compares_with_the_quarter_before():
    r = invoke("brief", "--synthetic", "--format", "json", "--by", "trust_type", "--no-uncertainty")
    assert r.exit_code == 0
    payload = json.loads(r.stdout)
    assert payload["dataset"] == "SYNTHETIC" and payload["previous_period"] == "2025/26 Q1"
    assert sum(payload["segment_counts"].values()) == 205


def test_movement_csv_and_json(tmp_path):
    out = tmp_path / "moves.csv"
    r = invoke("movement", Q2, "--previous", Q1, *CUTS, "--output", str(out))
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out)
    assert set(df["dataset"]) == {"SYNTHETIC"} and len(df) == 7
    assert dict(zip(df["org_code"], df["direction"], strict=True))["GGG"] == "down"
    r = invoke("movement", Q2, "-p", Q1, *CUTS, "--format", "json")
    assert json.loads(r.stdout)["counts"] == {"up": 2, "down": 3, "same": 2}


def test_movement_table_on_the_synthetic_set():
    r = invoke("movement", "--synthetic")
    assert r.exit_code == 0
    assert r.stdout.startswith("[SYNTHETIC DATA] Segment movement, 2025/26 Q1 to 2025/26 Q2: 205 trusts in both quarters")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["movement", Q2], "no previous quarter: give its files with --previous"),
        (["movement", Q1, "--previous", Q2], "later than the current ones"),
        (["brief", Q2, "--previous", Q2], "both sets of files are for 2025/26 Q2"),
        (["brief", Q2, "--by", "postcode"], "unknown breakdown 'postcode'"),
        (["brief", Q2, "--format", "pdf"], "unknown format 'pdf'"),
        (["brief", "--synthetic", Q2], "give input files or --synthetic, not both"),
        (["brief", "--synthetic", "--synthetic-quarter", "2025/26 Q3"], "the synthetic dataset has 2025/26 Q1 and 2025/26 Q2"),
        (["brief"], "no input files"),
    ],
)
def test_user_errors_exit_2_with_one_line_and_no_output(tmp_path, capsys, args, message):
    out = tmp_path / ("out.csv" if args[0] == "movement" else "out.md")
    code = main([*args, "--output", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err[-1].startswith("error: ") and message in err[-1]
    assert not any(line.startswith("Traceback") for line in err)
    assert list(tmp_path.iterdir()) == []
