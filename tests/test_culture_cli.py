"""``oversight culture`` and ``oversight funnel`` end to end, and their bad-input behaviour."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from nhs_oversight.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "nhs_oversight" / "data" / "examples" / "culture-departments-synthetic.csv"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for f in fragments:
        assert f in lines[0], (f, lines[0])


def test_culture_watchlist_csv_on_the_real_file(capsys, nss_path):
    code, out, _ = run(capsys, "culture", nss_path, "--format", "csv", "--measure", "Emotional_colleagues")
    assert code == 0
    w = pd.read_csv(io.StringIO(out))
    row = w.set_index("org_code").loc["RYC"]
    assert row["flags_998"] == 1
    assert "23.5% vs 18.0% expected for 2,414 respondents: above the 99.8% limit" in row["reasons"]


def test_culture_trend_json_for_one_trust(capsys, nss_path):
    code, out, err = run(capsys, "culture", nss_path, "--view", "trend", "--org", "r0a", "--measure", "Stress", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert [r["year"] for r in payload["rows"]] == [2021, 2022, 2023]
    assert "SPC needs at least 13 points" in err


def test_culture_chart_needs_one_measure_and_writes_svg(capsys, nss_path, tmp_path):
    out = tmp_path / "c.svg"
    code, _, err = run(capsys, "culture", nss_path, "--measure", "Emotional_manager", "--org", "RYC", "-o", out)
    assert code == 0, err
    svg = out.read_text()
    assert svg.startswith("<svg") and "Emotional_manager, Ambulance Trusts, 2023" in svg
    assert 'role="img" aria-label="Emotional_manager, Ambulance Trusts, 2023. Funnel plot' in svg
    assert "<desc>Emotional_manager, Ambulance Trusts, 2023. Funnel plot of 11 units" in svg
    code, _, err = run(capsys, "culture", nss_path, "-o", tmp_path / "x.svg")
    assert_one_line_error(code, err, "one --measure")
    assert not (tmp_path / "x.svg").exists()


def test_culture_departments_on_the_synthetic_example(capsys, tmp_path):
    code, out, err = run(capsys, "culture", "--departments", EXAMPLE, "--format", "csv")
    assert code == 0
    assert "SYNTHETIC" in err
    h = pd.read_csv(io.StringIO(out))
    assert h.query("unit == 'Emergency Department' and measure == 'harassment_staff'")["status"].iloc[0] == "hotspot"
    code, out, _ = run(capsys, "culture", "--departments", EXAMPLE, "--view", "gaps", "--org", "SYN01", "--format", "csv")
    g = pd.read_csv(io.StringIO(out))
    assert set(g["org_code"]) == {"SYN01"}
    assert (g.query("unit == 'Pharmacy'")["status"] == "suppressed").all()
    book = tmp_path / "culture.xlsx"
    code, _, _ = run(capsys, "culture", "--departments", EXAMPLE, "-o", book)
    assert code == 0
    assert set(pd.read_excel(book, sheet_name=None)) >= {"hotspots", "gaps", "wres"}


def test_funnel_command_table_and_chart(capsys, tmp_path):
    src = tmp_path / "units.csv"
    src.write_text("unit,deaths,cases\n" + "".join(
        f"U{i},{o},{n}\n" for i, (o, n) in enumerate(zip(
            [12, 30, 45, 8, 60, 22, 90, 15, 40, 70, 5, 33],
            [100, 250, 300, 120, 400, 150, 500, 200, 260, 410, 90, 210], strict=True))))
    code, out, _ = run(capsys, "funnel", src, "--numerator", "deaths", "--denominator", "cases", "--label", "unit", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["meta"]["phi"] == pytest.approx(2.548323, abs=5e-7)
    assert payload["meta"]["tau2"] == pytest.approx(0.001828854, abs=5e-10)
    assert len(payload["rows"]) == 12
    png = tmp_path / "f.png"
    code, _, _ = run(capsys, "funnel", src, "--numerator", "deaths", "--denominator", "cases", "--label", "unit", "-o", png)
    assert code == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_funnel_shmi_ratios(capsys, tmp_path):
    src = tmp_path / "sr.csv"
    src.write_text("trust,observed,expected\n" + "".join(
        f"T{i},{o},{e}\n" for i, (o, e) in enumerate(zip([100, 150, 180, 80, 120, 225], [108, 112, 165, 95, 100, 220], strict=True))))
    code, out, _ = run(capsys, "funnel", src, "--numerator", "observed", "--expected", "expected", "--label", "trust", "--shmi", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["meta"]["scale"] == "log" and payload["meta"]["robust"] == "truncate"
    assert payload["meta"]["tau2"] == pytest.approx(0.01947753, abs=5e-9)


@pytest.mark.parametrize(
    ("command", "text", "fragments"),
    [
        (["funnel", "--numerator", "deaths", "--denominator", "cases", "--label", "unit"],
         "unit,death,cases\nA,1,10\n", ["row 1", "column 'deaths'", "missing column"]),
        (["funnel", "--numerator", "deaths", "--denominator", "cases", "--label", "unit"],
         "unit,deaths,cases\nA,1,10\nB,two,10\n", ["row 3", "'two' is not a number"]),
        (["funnel", "--numerator", "deaths", "--denominator", "cases", "--label", "unit"],
         "", ["file is empty"]),
        (["funnel", "--numerator", "deaths", "--denominator", "cases", "--label", "unit"],
         "unit,deaths,cases\nA,11,10\nB,1,10\n", ["row 2", "larger than denominator"]),
        (["funnel", "--numerator", "deaths", "--denominator", "cases", "--label", "unit"],
         "unit,deaths,cases\nA,1,10\nA,2,10\n", ["row 2", "duplicate row for unit=A (also at row 3)"]),
        (["culture"], "ODS code,Year,Organisation name,Stress_base,Stress_rate\nR1,2023,X,1,2\n",
         ["row 1", "'Benchmarking group'"]),
        (["culture"], "ODS code,Year,Organisation name,Benchmarking group,Stress_base,Stress_rate\nR1,2023,X,G,1,abc\n",
         ["row 2", "'Stress_rate'", "not a number"]),
        (["culture"], "", ["file is empty"]),
        (["culture", "--departments"], "org_code,unit,respondents,harassment_staff_yes\nR1,A,20,3\n",
         ["row 1", "'ethnicity'"]),
        (["culture", "--departments"], "org_code,unit,ethnicity,respondents,harassment_staff_yes\nR1,A,White,20,abc\n",
         ["row 2", "not a number"]),
        (["culture", "--departments"], "", ["file is empty"]),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_output(capsys, tmp_path, command, text, fragments):
    src = tmp_path / "in.csv"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    args = [*command, src] if command[-1] == "--departments" else [command[0], src, *command[1:]]
    code, stdout, err = run(capsys, *args, "-o", out)
    assert_one_line_error(code, err, *fragments)
    assert not out.exists()
    assert stdout == ""
