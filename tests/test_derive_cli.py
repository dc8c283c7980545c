"""``oversight derive`` end to end: formats, options and one-line errors without partial output."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from nhs_oversight.cli import main

AE_HEADER = (
    "Period,Org Code,Parent Org,Org name,A&E attendances Type 1,A&E attendances Type 2,"
    "A&E attendances Other A&E Department,Attendances over 4hrs Type 1,Attendances over 4hrs Type 2,"
    "Attendances over 4hrs Other Department"
)


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    out = []
    for month, name in (("2025-04", "APRIL"), ("2025-05", "MAY"), ("2025-06", "JUNE")):
        p = tmp_path / f"ae-{month}.csv"
        p.write_text(
            f"{AE_HEADER}\nMSitAE-{name}-2025,RAL,L,ROYAL FREE,100,0,20,10,0,2\n"
            f"MSitAE-{name}-2025,RAP,L,NORTH MID,50,0,0,25,0,0\nMSitAE-{name}-2025,RYY,L,Y,40,0,0,*,0,0\n",
            encoding="utf-8",
        )
        out.append(p)
    return out


def run(argv: list, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_csv_output_columns_and_values(files, capsys) -> None:
    code, out, err = run(["derive", *files, "--quarter", "2025/26 Q1", "--format", "csv"], capsys)
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "org_code,metric_id,period,value,numerator,denominator,months,definition,basis"
    # RAL with RAP merged in: 3 x (170 attended, 37 over) -> 399 / 510 = 78.24% -> 78.2
    assert lines[1] == "RAL,OF0013,2025/26 Q1,78.2,399.0,510.0,3,of0013_ae_4h,trust-only (no type 3 mapping)"
    # RYY's breaches are suppressed: value missing, reported on stderr
    assert lines[2] == "RYY,OF0013,2025/26 Q1,,,120.0,3,of0013_ae_4h,trust-only (no type 3 mapping)"
    assert "3 suppressed or blank value(s) read as missing" in err


def test_as_reported_keeps_predecessors(files, capsys) -> None:
    code, out, _ = run(["derive", *files, "--as-reported", "--format", "csv"], capsys)
    assert code == 0
    assert "RAL,OF0013,2025/26 Q1,90.0,324.0,360.0" in out and "RAP,OF0013,2025/26 Q1,50.0" in out


def test_successors_file(files, tmp_path: Path, capsys) -> None:
    succ = tmp_path / "mergers.csv"
    succ.write_text("predecessor,successor\nRYY,RAL\n", encoding="utf-8")
    code, out, _ = run(["derive", *files, "--successors", succ, "--format", "csv"], capsys)
    assert code == 0 and "RAP," in out and "RYY," not in out


def test_json_carries_inputs_and_notes(files, capsys) -> None:
    code, out, _ = run(["derive", *files, "--format", "json"], capsys)
    payload = json.loads(out)
    assert code == 0 and set(payload) == {"meta", "rows"}
    assert [f["file"] for f in payload["meta"]["inputs"]] == [p.name for p in files]
    assert payload["meta"]["coverage"]["of0013_ae_4h"] == ["2025-04", "2025-05", "2025-06"]
    assert payload["rows"][0]["period"] == "2025/26 Q1"


def test_parquet_and_xlsx_outputs(files, tmp_path: Path, capsys) -> None:
    out = tmp_path / "derived.parquet"
    assert run(["derive", *files, "--output", out], capsys)[0] == 0
    assert pd.read_parquet(out)["org_code"].tolist() == ["RAL", "RYY"]
    code, _, err = run(["derive", *files, "--format", "xlsx"], capsys)
    assert code == 2 and "needs --output" in err


def test_list_definitions(capsys) -> None:
    code, out, _ = run(["derive", "--list", "--format", "csv"], capsys)
    assert code == 0
    table = pd.read_csv(pd.io.common.StringIO(out))
    assert {"OF0013", "OF0010", "OF0011", "OF0003", "OF0023"} <= set(table["metric_id"])
    assert set(table["status"]) == {"nof", "variant", "local"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--quarter", "Q5 2025"], "is not of the form"),
        (["--metric", "OF9999"], "unknown metric 'OF9999'"),
        (["--metric", "OF0011"], "OF0011 needs Cancer Waiting Times"),
        (["--quarter", "2023/24 Q1"], "no data for 2023/24 Q1"),
        (["--trusts-only"], "needs the ODS etr trust list"),
        (["--db", "x.duckdb"], "not both"),
        (["--as-reported", "--successors", "s.csv"], "not both"),
    ],
)
def test_option_errors(files, capsys, extra: list[str], message: str) -> None:
    code, out, err = run(["derive", *files, *extra], capsys)
    assert code == 2 and message in err and out == ""
    assert len(err.strip().splitlines()) <= 2 and "Traceback" not in err


def test_no_inputs(capsys) -> None:
    code, _, err = run(["derive"], capsys)
    assert code == 2 and "no input files" in err


def test_bad_file_writes_nothing(files, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(AE_HEADER + "\nMSitAE-JULY-2025,RAL,L,R,1,0,0,lots,0,0\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _, err = run(["derive", *files, bad, "--output", out], capsys)
    assert code == 2
    assert err.strip() == f"error: {bad}, row 2, column 'Attendances over 4hrs Type 1': 'lots' is not a number"
    assert not out.exists() and list(tmp_path.glob(".out.csv*")) == []


def test_trusts_only_with_ods_list(files, tmp_path: Path, capsys) -> None:
    etr = tmp_path / "etr.csv"
    etr.write_text('"RAL","ROYAL FREE","Y56","QMJ","","","","","","NW3","19910401","","","","","","","","","","","1","","H","","",""\n', encoding="utf-8")
    code, out, _ = run(["derive", *files, etr, "--trusts-only", "--format", "csv"], capsys)
    assert code == 0 and out.strip().splitlines()[1:] == ["RAL,OF0013,2025/26 Q1,78.2,399.0,510.0,3,of0013_ae_4h,trust-only (no type 3 mapping)"]
