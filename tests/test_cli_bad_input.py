"""Bad input: a clear one-line error naming file, row and column, exit code 2, no partial output."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HEADER = "Region,Trust_type,Trust_subtype,Trust_code,Trust_name,Domain,Sub-domain,Metric_ID,Metric_description,Reporting_date,Units,Value,Median_value,Lower_quartile,Upper_quartile,Rank\n"


def row(code: str, metric: str, value: str, quarter_date: str = "Q1 2025/26", trust_type: str = "Acute trust") -> str:
    return f"London,{trust_type},Acute - Large,{code},Trust {code},D,S,{metric},desc,{quarter_date},percent,{value},,,,1\n"


def good_rows(code: str = "RAA") -> str:
    metrics = {"OF0003": "2.0", "OF0013": "75.0", "OF0014": "5.0", "OF0023": "60.0", "OF0061": "6.5", "OF0084": "6.9"}
    return "".join(row(code, m, v) for m, v in metrics.items())


def oversight(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("oversight")
    cmd = [str(exe), *args] if exe.exists() else [sys.executable, "-m", "nhs_oversight.cli", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=60)


def check_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    err = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(err) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for f in fragments:
        assert f in err[0], (f, err[0])


def write(tmp: Path, name: str, text: str | bytes) -> Path:
    p = tmp / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("name", "content", "fragments"),
    [
        ("missing_column.csv", HEADER.replace("Metric_ID,", "Metric,") + good_rows(), ["missing_column.csv", "row 1", "'Metric_ID'"]),
        ("unknown_metric.csv", HEADER + good_rows() + row("RAA", "OF0999", "1.0"), ["unknown_metric.csv", "row 8", "'Metric_ID'", "OF0999"]),
        ("bad_metric_id.csv", HEADER + good_rows() + row("RAA", "X13", "1.0"), ["row 8", "'Metric_ID'"]),
        ("non_numeric.csv", HEADER + good_rows().replace("75.0", "seventy"), ["non_numeric.csv", "row 3", "'Value'", "seventy"]),
        ("duplicate.csv", HEADER + good_rows() + row("RAA", "OF0013", "76.0"), ["duplicate.csv", "row 3", "RAA OF0013", "row 8"]),
        ("mixed_quarters.csv", HEADER + good_rows() + row("RAB", "OF5002", "2.0", "Q2 2025/26") + row("RAB", "OF5003", "2", "Q1 2025/26"), ["several quarters"]),
        ("empty.csv", "", ["empty.csv", "empty"]),
        ("header_only.csv", HEADER, ["header_only.csv"]),
        ("too_few.csv", HEADER + good_rows() + row("RBB", "OF0013", "75.0"), ["RBB", "1 scored metric", "at least 5"]),
        ("bad_type.csv", HEADER + good_rows().replace("Acute trust", "Hospice"), ["row 2", "'Trust_type'", "Hospice"]),
    ],
)
def test_bad_nof_files(tmp_path, name, content, fragments):
    path = write(tmp_path, name, content)
    out = tmp_path / "out.csv"
    result = oversight("segment", str(path), "--cutpoints", "2.0,2.3,2.6", "--output", str(out), cwd=tmp_path)
    check_error(result, *fragments)
    assert not out.exists()
    assert not list(tmp_path.glob(".out.csv.*"))


def test_latin1_file_is_read_and_said_so(tmp_path):
    """A Windows-1252 file is read (the same figures as UTF-8) with one note naming the file."""
    text = (HEADER + good_rows()).replace("Trust RAA", "Trust RAA é")
    latin = write(tmp_path, "latin1.csv", text.encode("latin-1"))
    utf8 = write(tmp_path, "utf8.csv", text)
    a = oversight("segment", str(latin), "--cutpoints", "2.0,2.3,2.6", "--format", "csv", cwd=tmp_path)
    b = oversight("segment", str(utf8), "--cutpoints", "2.0,2.3,2.6", "--format", "csv", cwd=tmp_path)
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    notes = [line for line in a.stderr.splitlines() if "Windows-1252" in line]
    assert len(notes) == 1 and "latin1.csv" in notes[0] and "row 2" in notes[0]


def test_utf16_file(tmp_path):
    utf16 = write(tmp_path, "utf16.csv", (HEADER + good_rows()).encode("utf-16"))
    utf8 = write(tmp_path, "utf8.csv", HEADER + good_rows())
    a = oversight("segment", str(utf16), "--cutpoints", "2.0,2.3,2.6", "--format", "csv", cwd=tmp_path)
    b = oversight("segment", str(utf8), "--cutpoints", "2.0,2.3,2.6", "--format", "csv", cwd=tmp_path)
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout


def test_two_quarters_in_two_files(tmp_path):
    a = write(tmp_path, "q1.csv", HEADER + good_rows("RAA") + row("RAA", "OF5003", "2", "Q1 2025/26"))
    b = write(tmp_path, "q2.csv", HEADER + good_rows("RAB") + row("RAB", "OF5003", "2", "Q2 2025/26"))
    check_error(oversight("segment", str(a), str(b), cwd=tmp_path), "different quarters", "2025/26 Q1", "2025/26 Q2")


def test_suppressed_values_are_missing_not_zero(tmp_path):
    # A suppressed 4-hour value ('*') is left out: the trust has 5 metrics, and a warning names it.
    rows = good_rows().replace("75.0", "*") + good_rows("RAB")
    path = write(tmp_path, "suppressed.csv", HEADER + rows)
    out = tmp_path / "out.json"
    result = oversight("segment", str(path), "--cutpoints", "2.0,2.3,2.6", "--format", "json", "--output", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "suppressed or blank value(s) read as missing" in result.stderr
    import json

    rows_out = {r["org_code"]: r for r in json.loads(out.read_text())["rows"]}
    assert rows_out["RAA"]["n_metrics"] == 5 and rows_out["RAB"]["n_metrics"] == 6
    assert rows_out["RAA"]["value_OF0013"] is None


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["segment", "--cutpoints", "2.5,2.3,2.6", "--synthetic"], "increasing"),
        (["segment", "--cutpoints", "a,b", "--synthetic"], "three numbers"),
        (["segment", "--synthetic", "--format", "pdf"], "choose one of"),
        (["segment", "--synthetic", "--framework", "nof-1999"], "unknown framework"),
        (["segment"], "no input files"),
        (["segment", "nowhere.csv"], "file not found"),
        (["segment", "--synthetic", "--format", "xlsx"], "needs --output"),
    ],
)
def test_bad_options(tmp_path, args, fragment):
    check_error(oversight(*args, cwd=tmp_path), fragment)


def test_wide_file_errors(tmp_path):
    path = write(tmp_path, "wide.csv", "org_code,trust_type,OF0013,OF0999\nRAA,Acute trust,75,1\n")
    check_error(oversight("segment", str(path), cwd=tmp_path), "wide.csv", "row 1", "'OF0999'", "unknown metric column")
    path = write(tmp_path, "wide2.csv", "org_code,trust_type,OF0013\nRAA,Acute trust,abc\n")
    check_error(oversight("segment", str(path), cwd=tmp_path), "wide2.csv", "row 2", "'OF0013'")
    path = write(tmp_path, "wide3.csv", "org_code,trust_type,OF0013\nRAA,Acute trust,75\nRAA,Acute trust,76\n")
    check_error(oversight("segment", str(path), cwd=tmp_path), "duplicate", "row 2", "row 3")


def test_not_a_known_layout(tmp_path):
    path = write(tmp_path, "other.csv", "a,b\n1,2\n")
    check_error(oversight("segment", str(path), cwd=tmp_path), "other.csv", "not a NOF data CSV")


def test_directory_instead_of_file(tmp_path):
    d = tmp_path / "folder.csv"
    d.mkdir()
    check_error(oversight("segment", str(d), cwd=tmp_path), "directory")
    shutil.rmtree(d)
