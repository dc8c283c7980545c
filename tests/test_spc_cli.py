"""``oversight spc`` end to end: tables, summary, charts, bad input, and the real A&E file."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from itertools import pairwise

import pandas as pd
import pytest

from nhs_oversight.cli import main

MONTHS = [f"2023-{m:02d}-01" for m in range(1, 13)] + [f"2024-{m:02d}-01" for m in range(1, 7)]
FLAT = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11]


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sample(tmp_path):
    """Two trusts x 18 months; RXX ends on a point far above its limits."""
    p = tmp_path / "sample.csv"
    lines = ["org,month,value,better"]
    for i, m in enumerate(MONTHS):
        lines.append(f"RYY,{m},{[*FLAT, 10][i]},up")
        lines.append(f"RXX,{m},{[*FLAT, 30][i]},down")
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_points_csv(sample, capsys):
    code, out, err = run(["spc", sample, "--date", "month", "--value", "value", "--group", "org",
                          "--improvement-column", "better"], capsys)
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out))
    assert len(df) == 36
    assert list(df.columns[:3]) == ["org", "month", "value"]
    for col in ("mean", "lpl", "upl", "special_cause", "point_type", "variation_icon", "assurance_icon"):
        assert col in df.columns
    assert df["month"].iloc[0] == "2023-01-01"
    last = df.groupby("org").tail(1).set_index("org")
    assert last.loc["RXX", "special_cause"] == "Above UCL"
    assert last.loc["RXX", "variation_icon"] == "concern_high"
    assert last.loc["RYY", "variation_icon"] == "common_cause"


def test_summary_json_has_meta(sample, capsys):
    code, out, _ = run(["spc", sample, "--date", "month", "--value", "value", "--group", "org",
                        "--improvement", "down", "--target", "25", "--summary", "--format", "json"], capsys)
    assert code == 0
    payload = json.loads(out)
    assert payload["meta"]["source"] == str(sample)
    assert payload["meta"]["period"] == "2023-01-01 to 2024-06-01"
    assert payload["meta"]["rules"] == "ptd"
    assert payload["meta"]["method"].startswith("XmR chart, Making Data Count rules")
    assert payload["meta"]["version"].startswith("nhs-oversight ")
    rows = {r["org"]: r for r in payload["rows"]}
    # RXX by hand: mean 201/18; moving ranges sum 21 over 16 once the final jump of 19 is
    # screened out (19 >= 3.267 x 40/17), so upl = 201/18 + 2.66 x 21/16 = 14.66 < 25
    assert rows["RXX"]["upl"] == pytest.approx(201 / 18 + 2.66 * 21 / 16)
    assert rows["RXX"]["assurance"] == "consistent_pass"  # lower is better, target above upl
    assert rows["RYY"]["assurance"] == "consistent_pass"
    assert rows["RXX"]["summary"].startswith("Latest value 30 (2024-06-01): special cause variation: concerning")


def test_output_file_and_rebase_and_fix(sample, tmp_path, capsys):
    target = tmp_path / "out.csv"
    code, _, err = run(["spc", sample, "--date", "month", "--value", "value", "--group", "org",
                        "--rebase", "2023-07-01", "--fix-after", "12", "--rules", "mdc2023", "-o", target], capsys)
    assert code == 0
    assert f"wrote {target}" in err
    df = pd.read_csv(target)
    assert df.loc[df["org"] == "RYY", "rebase_group"].tolist() == [0] * 6 + [1] * 12


def test_svg_and_png_charts(sample, tmp_path, capsys):
    code, out, _ = run(["spc", sample, "--date", "month", "--value", "value", "--group", "org",
                        "--improvement", "down", "--target", "12", "--format", "svg", "--title", "Test chart"], capsys)
    assert code == 0
    assert out.startswith("<svg")
    assert "Test chart" in out and "RXX" in out and "RYY" in out
    assert 'role="img" aria-label=' in out and '<title>' in out  # text alternative
    assert "<title>Test chart</title>" in out
    assert "RXX: Latest value 30 (2024-06-01): special cause variation: concerning (higher values)" in out
    assert "#e46c0a" in out.lower() and "#a6a6a6" in out.lower()  # concern and common-cause colours
    png = tmp_path / "board.png"
    code, _, _ = run(["spc", sample, "--date", "month", "--value", "value", "--group", "org",
                      "--summary", "--format", "png", "-o", png], capsys)
    assert code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _assert_clean_failure(code, out, err, output=None):
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "Traceback" not in err
    if output is not None:
        assert not output.exists()
        assert not list(output.parent.glob(f".{output.name}*"))


@pytest.mark.parametrize(
    ("content", "extra", "needle"),
    [
        ("org,month,value\nA,2024-01-01,1\n", ["--value", "missing"], "missing column 'missing'"),
        ("org,month,value\nA,2024-01-01,1\nA,2024-02-01,lots\n", ["--value", "value"], "row 3, column 'value': 'lots' is not a number"),
        ("", ["--value", "value"], "file is empty"),
        ("org,month,value\nA,2024-01-01,1\nA,someday,2\n", ["--value", "value"], "row 3, column 'month'"),
        ("org,month,value\nA,2024-01-01,1\n", ["--value", "value", "--fix-after", "5"], "at least 12"),
        ("org,month,value\nA,2024-01-01,1\n", ["--value", "value", "--improvement", "sideways"], "sideways"),
        ("org,month,value\nA,2024-01-01,1\n", ["--value", "value", "--rebase", "whenever"], "not understood"),
        ("org,month,value\nA,2024-01-01,1\nA,2024-01-01,2\n", ["--value", "value"], "two rows for month=2024-01-01"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_output(tmp_path, capsys, content, extra, needle):
    src = tmp_path / "bad.csv"
    src.write_text(content, encoding="utf-8")
    output = tmp_path / "result.csv"
    code, out, err = run(["spc", src, "--date", "month", *extra, "-o", output], capsys)
    _assert_clean_failure(code, out, err, output)
    assert needle in err


def test_png_needs_an_output_path(sample, capsys):
    code, out, err = run(["spc", sample, "--date", "month", "--value", "value", "--group", "org", "--format", "png"], capsys)
    _assert_clean_failure(code, out, err)
    assert "needs --output" in err


# --- the real A&E file -------------------------------------------------------------------


def _national_breach_rates(path):
    """Independent of the project: sum the file with the csv module."""
    breaches, attendances = defaultdict(int), defaultdict(int)
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            breaches[row["period"]] += int(row["breaches"])
            attendances[row["period"]] += int(row["attendances"])
    months = sorted(breaches)
    return months, [100 * breaches[m] / attendances[m] for m in months], attendances


def _plain_xmr(y):
    """Mean and screened mean moving range written out longhand (statistics.md 1.2)."""
    mean = sum(y) / len(y)
    mr = [abs(b - a) for a, b in pairwise(y)]
    amr = sum(mr) / len(mr)
    kept = [m for m in mr if m < 3.267 * amr]
    amr = sum(kept) / len(kept)
    return mean, mean - 2.66 * amr, mean + 2.66 * amr


def test_real_ae_national_winters_are_special_cause(shared_data, capsys):
    path = shared_data / "ae" / "ae-attendances-2016-2019.csv"
    months, rates, attendances = _national_breach_rates(path)
    assert len(months) == 36
    code, out, err = run(["spc", path, "--date", "period", "--numerator", "breaches", "--denominator", "attendances",
                          "--per", "100", "--improvement", "down"], capsys)
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out))
    assert df["period"].tolist() == months
    assert df["attendances"].tolist() == [attendances[m] for m in months]  # known totals
    assert df["value"].tolist() == pytest.approx(rates)
    mean, lpl, upl = _plain_xmr(rates)
    assert df[["mean", "lpl", "upl"]].iloc[0].tolist() == pytest.approx([mean, lpl, upl])
    above = [m for m, r in zip(months, rates, strict=True) if r > upl]
    # the winter of 2017/18 was beyond the upper limit from December to March
    assert {"2017-12-01", "2018-01-01", "2018-02-01", "2018-03-01"} <= set(above)
    flagged = df.set_index("period").loc[above]
    assert (flagged["special_cause"] == "Above UCL").all()
    assert (flagged["point_type"] == "special_cause_concern").all()


def test_real_ae_by_trust_summary(shared_data, capsys):
    path = shared_data / "ae" / "ae-attendances-2016-2019.csv"
    code, out, err = run(["spc", path, "--date", "period", "--group", "org_code", "--numerator", "breaches",
                          "--denominator", "attendances", "--per", "100", "--improvement", "down",
                          "--target", "5", "--summary"], capsys)
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out))
    with open(path, newline="", encoding="utf-8") as f:
        orgs = {r["org_code"] for r in csv.DictReader(f) if int(r["attendances"]) > 0}
    assert set(df["org_code"]) == orgs
    assert df["org_code"].is_unique
    shown = df[df["icons"]]
    assert set(shown["variation_icon"]) <= {"common_cause", "improvement_low", "concern_high"}
    assert set(df["assurance"]) <= {"consistent_pass", "consistent_fail", "inconsistent"}
    assert df.set_index("org_code").loc["RF4", "points"] == 36  # Apr 2016 - Mar 2019, no gaps
    # icons only where the latest unbroken run of months has 13 or more points (counted here by hand)
    with open(path, newline="", encoding="utf-8") as f:
        months: dict[str, set] = {}
        for r in csv.DictReader(f):
            if int(r["attendances"]) > 0:
                y, m = int(r["period"][:4]), int(r["period"][5:7])
                months.setdefault(r["org_code"], set()).add(y * 12 + m)
    latest_run = {}
    for org, ms in months.items():
        k, last = 1, max(ms)
        while last - k in ms:
            k += 1
        latest_run[org] = k
    got = df.set_index("org_code")
    assert got["consecutive"].to_dict() == latest_run
    assert (got["icons"] == (got["consecutive"] >= 13)).all()
    assert got.loc[~got["icons"], "variation_icon"].isna().all()
    assert any(v < 13 for v in latest_run.values())  # the file has short or broken series


def test_real_ae_one_trust_attendances(shared_data, capsys):
    path = shared_data / "ae" / "ae-attendances-2016-2019.csv"
    code, out, err = run(["spc", path, "--date", "period", "--group", "org_code", "--value", "attendances",
                          "--sum", "--where", "org_code=RF4"], capsys)
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out)).set_index("period")
    assert df.loc["2017-03-01", "value"] == 21289 + 813 + 2850  # the file's first three rows
    assert len(df) == 36
