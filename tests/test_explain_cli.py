"""``oversight explain``: the ODS code among the arguments, formats, output files and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nhs_oversight as no
from nhs_oversight.cli import main

# Four acute trusts, five metrics. With cut points 2.0 / 2.5 / 3.0 trust RAB (second on every metric)
# scores A&E 2.00 (rank 1 of the 3 below 78%), 12 hours / RTT / raising concerns / productivity
# 1 + 3 x 1/3 = 2.00 each: average 2.00, segment 1; it is flagged, so the override caps it at 3.
WIDE = """org_code,org_name,trust_type,OF0013,OF0014,OF0023,OF0061,OF0085,financial_flag,recovery_support
RAA,Trust A,Acute trust,80.0,2.0,70.0,7.0,5.0,0,0
RAB,Trust B,Acute trust,75.0,4.0,65.0,6.5,4.0,1,0
RAC,Trust C,Acute trust,70.0,6.0,60.0,6.0,3.0,0,0
RAD,Trust D,Acute trust,65.0,8.0,55.0,5.5,2.0,0,1
"""


@pytest.fixture
def wide(tmp_path: Path) -> Path:
    p = tmp_path / "trusts.csv"
    p.write_text(WIDE, encoding="utf-8")
    return p


def call(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_with_the_code_before_or_after_the_files(capsys, wide):
    code, out, _ = call(capsys, "explain", "RAB", str(wide), "--cutpoints", "2.0,2.5,3.0", "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert (d["org_code"], d["unadjusted_segment"], d["final_segment"], d["average_score"]) == ("RAB", 1, 3, 2.0)
    assert {"final_segment", "average_score", "metrics", "moves", "steps", "distance", "domains", "peers", "provenance"} <= set(d)
    assert d["provenance"]["source_files"] == [str(wide)]
    code2, out2, _ = call(capsys, "explain", str(wide), "rab", "--cutpoints", "2.0,2.5,3.0", "--format", "json")
    assert code2 == 0 and json.loads(out2) == d
    code3, out3, _ = call(capsys, "explain", str(wide), "--org", "RAB", "--cutpoints", "2.0,2.5,3.0", "--format", "json")
    assert code3 == 0 and json.loads(out3) == d
    api = no.explain(no.assess([wide], cutpoints=(2.0, 2.5, 3.0)), "RAB").to_dict()
    assert json.loads(json.dumps(api)) == d


def test_text_by_default_and_markdown_to_a_file(capsys, wide, tmp_path):
    code, out, _ = call(capsys, "explain", "RAD", str(wide), "--cutpoints", "2.0,2.5,3.0")
    assert code == 0 and out.startswith("RAD Trust D: segment 5")
    assert "Recovery Support Programme" in out
    target = tmp_path / "RAC.md"
    code, out, err = call(capsys, "explain", "RAC", str(wide), "--cutpoints", "2.0,2.5,3.0", "-o", str(target))
    assert code == 0 and out == "" and f"wrote {target}" in err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# RAC Trust C: segment") and "| Metric | Name |" in text


def test_synthetic_data_is_labelled(capsys):
    code, out, _ = call(capsys, "explain", "--synthetic", "Z00", "--format", "markdown", "--moves", "1")
    assert code == 0 and "[SYNTHETIC DATA]" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["RXX"], "'RXX' is not in the input (4 organisations); codes in the input include RAA, RAB, RAC, RAD"),
        ([], "no organisation: give its ODS code"),
        (["RAA", "RAB"], "give one organisation, not RAA, RAB"),
        (["RAA", "--format", "xlsx"], "--format 'xlsx': choose table, json or markdown"),
    ],
)
def test_user_errors_exit_2_with_one_line(capsys, wide, tmp_path, args, fragment):
    out_file = tmp_path / "never.json"
    code, out, err = call(capsys, "explain", str(wide), *args, "--cutpoints", "2.0,2.5,3.0", "-o", str(out_file))
    assert code == 2 and out == ""
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and fragment in lines[0], err
    assert "Traceback" not in err and not out_file.exists()


def test_near_matches_for_a_mistyped_code(capsys, wide):
    code, _, err = call(capsys, "explain", str(wide), "RAZ", "--cutpoints", "2.0,2.5,3.0")
    assert code == 2 and "did you mean RAA, RAB, RAC, RAD?" in err
