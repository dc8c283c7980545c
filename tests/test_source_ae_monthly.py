"""A&E monthly reader: real files (totals checked by hand with awk), layouts and bad files."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nhs_oversight.errors import InputError
from nhs_oversight.sources.ae_monthly import COLUMNS, read_ae_monthly
from nhs_oversight.sources.common import MissingReport

HEADER = (
    "Period,Org Code,Parent Org,Org name,A&E attendances Type 1,A&E attendances Type 2,"
    "A&E attendances Other A&E Department,A&E attendances Booked Appointments Type 1,"
    "A&E attendances Booked Appointments Type 2,A&E attendances Booked Appointments Other Department,"
    "Attendances over 4hrs Type 1,Attendances over 4hrs Type 2,Attendances over 4hrs Other Department,"
    "Attendances over 4hrs Booked Appointments Type 1,Attendances over 4hrs Booked Appointments Type 2,"
    "Attendances over 4hrs Booked Appointments Other Department,"
    "Patients who have waited 4-12 hs from DTA to admission,Patients who have waited 12+ hrs from DTA to admission,"
    "Emergency admissions via A&E - Type 1,Emergency admissions via A&E - Type 2,"
    "Emergency admissions via A&E - Other A&E department,Other emergency admissions"
)


def row(org: str, *values: int, period: str = "MSitAE-APRIL-2025") -> str:
    vals = list(values) + [0] * (18 - len(values))
    return f"{period},{org},NHS ENGLAND LONDON,TRUST {org}," + ",".join(map(str, vals))


def write(tmp_path: Path, lines: list[str], name: str = "ae.csv", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding=encoding)
    return p


# -- real files ---------------------------------------------------------------------------------


def test_real_monthly_file_hand_checked(shared_data: Path) -> None:
    # awk -F, '$2=="RWY"' monthly-ae-2025-03.csv: attendances 16307 (all types), over 4 hours 2976
    df = read_ae_monthly(shared_data / "ae/monthly/monthly-ae-2025-03.csv")
    assert list(df.columns) == COLUMNS
    assert len(df) == 198  # 199 data lines, less the TOTAL row
    assert "TOTAL" not in set(df["org_code"])
    assert df.attrs["total_checked"] is True
    rwy = df[df["org_code"] == "RWY"].iloc[0]
    att = rwy[["att_type1", "att_type2", "att_type3", "att_booked_type1", "att_booked_type2", "att_booked_type3"]].sum()
    over = rwy[[c for c in COLUMNS if c.startswith("over4h_")]].sum()
    assert (att, over) == (16307, 2976)
    assert rwy["period"] == pd.Timestamp("2025-03-01")
    assert rwy["org_name"] == "CALDERDALE AND HUDDERSFIELD NHS FOUNDATION TRUST"
    # the TOTAL row of the same file, read by hand: type 1 attendances 1,418,235
    assert df["att_type1"].sum() == 1418235


@pytest.mark.parametrize("month", ["2024-07", "2024-09"])
def test_real_editions_with_other_total_spelling_and_extra_columns(shared_data: Path, month: str) -> None:
    # 2024-07 spells the total row "Total"; 2024-09 has six unnamed extra columns and "Total "
    df = read_ae_monthly(shared_data / f"ae/monthly/monthly-ae-{month}.csv")
    assert df.attrs["total_checked"] is True
    assert not df["org_code"].str.upper().eq("TOTAL").any()


def test_real_long_series_layout(shared_data: Path) -> None:
    # first data line of the file: 2017-03-01,RF4,1,21289,2879,5060 (then types 2 and other)
    df = read_ae_monthly(shared_data / "ae/ae-attendances-2016-2019.csv")
    rf4 = df[(df["org_code"] == "RF4") & (df["period"] == pd.Timestamp("2017-03-01"))].iloc[0]
    assert (rf4["att_type1"], rf4["att_type2"], rf4["att_type3"]) == (21289, 813, 2850)
    assert (rf4["over4h_type1"], rf4["over4h_type2"], rf4["over4h_type3"]) == (2879, 22, 6)
    assert rf4["emadm_type1"] == 5060
    assert math.isnan(rf4["att_booked_type1"])  # not reported separately in this layout
    assert df["period"].min() == pd.Timestamp("2016-04-01")


# -- layouts ------------------------------------------------------------------------------------


def test_title_rows_above_header_and_footnotes_below(tmp_path: Path) -> None:
    lines = ["A&E Attendances and Emergency Admissions", "Title: April 2025", "", HEADER,
             row("RXX", 100, 0, 50, 0, 0, 0, 20, 0, 5), "", "Source: NHS England"]
    df = read_ae_monthly(write(tmp_path, lines))
    assert df["org_code"].tolist() == ["RXX"]
    assert df["line"].tolist() == [5]


def test_older_header_spellings(tmp_path: Path) -> None:
    header = HEADER.replace("A&E attendances", "Number of A&E attendances").replace(
        "Attendances over 4hrs", "Number of attendances over 4hrs")
    df = read_ae_monthly(write(tmp_path, [header, row("RXX", 7, 1, 2)]))
    assert df.loc[0, ["att_type1", "att_type2", "att_type3"]].tolist() == [7, 1, 2]


def test_unknown_extra_columns_are_tolerated(tmp_path: Path) -> None:
    df = read_ae_monthly(write(tmp_path, [HEADER + ",Notes", row("RXX", 7) + ",revised"]))
    assert df.loc[0, "att_type1"] == 7


def test_booked_columns_absent_are_missing_not_zero(tmp_path: Path) -> None:
    cols = HEADER.split(",")
    keep = [i for i, c in enumerate(cols) if "Booked" not in c]
    header = ",".join(cols[i] for i in keep)
    body = row("RXX", 100, 0, 50, 0, 0, 0, 20).split(",")
    df = read_ae_monthly(write(tmp_path, [header, ",".join(body[i] for i in keep)]))
    assert np.isnan(df.loc[0, "att_booked_type1"])
    assert df.loc[0, "att_type3"] == 50


def test_suppressed_cells_are_missing_and_reported(tmp_path: Path) -> None:
    line = row("RXX", 100, 0, 50).split(",")
    line[5] = "*"  # type 2 attendances suppressed
    missing = MissingReport()
    df = read_ae_monthly(write(tmp_path, [HEADER, ",".join(line)]), missing)
    assert np.isnan(df.loc[0, "att_type2"])
    assert missing.cells == [(str(tmp_path / "ae.csv"), 2, "A&E attendances Type 2", "*")]


def test_total_row_is_a_check(tmp_path: Path) -> None:
    lines = [HEADER, row("RXX", 100, 0, 50), row("RYY", 10), "TOTAL,TOTAL,TOTAL,TOTAL," + ",".join(["110", "0", "50"] + ["0"] * 15)]
    assert read_ae_monthly(write(tmp_path, lines)).attrs["total_checked"] is True
    lines[-1] = "TOTAL,TOTAL,TOTAL,TOTAL," + ",".join(["111", "0", "50"] + ["0"] * 15)
    with pytest.raises(InputError) as e:
        read_ae_monthly(write(tmp_path, lines))
    assert e.value.row == 4 and e.value.column == "A&E attendances Type 1"
    assert "110" in str(e.value) and "111" in str(e.value)


# -- bad files ----------------------------------------------------------------------------------


def test_missing_column(tmp_path: Path) -> None:
    header = HEADER.replace("Attendances over 4hrs Type 1,", "")
    body = row("RXX", 1).split(",")
    del body[10]
    with pytest.raises(InputError) as e:
        read_ae_monthly(write(tmp_path, [header, ",".join(body)]))
    assert e.value.column == "Attendances over 4hrs Type 1" and e.value.row == 1


def test_non_numeric_cell(tmp_path: Path) -> None:
    body = row("RXX", 1).split(",")
    body[6] = "twelve"
    with pytest.raises(InputError) as e:
        read_ae_monthly(write(tmp_path, [HEADER, row("RAA", 1), ",".join(body)]))
    assert (e.value.row, e.value.column) == (3, "A&E attendances Other A&E Department")
    assert "'twelve' is not a number" in str(e.value)


def test_negative_count(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="negative"):
        read_ae_monthly(write(tmp_path, [HEADER, row("RXX", -4)]))


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        read_ae_monthly(write(tmp_path, [""]))


def test_header_only(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no data rows"):
        read_ae_monthly(write(tmp_path, [HEADER]))


def test_utf16_reads_as_utf8(tmp_path: Path) -> None:
    """Excel's "Unicode text" export (UTF-16 with a BOM) gives the same frame as UTF-8."""
    text = "\n".join([HEADER, row("RXX", 1)]) + "\n"
    (tmp_path / "16").mkdir()
    p16, p8 = tmp_path / "16" / "ae.csv", tmp_path / "ae.csv"
    p16.write_bytes(text.encode("utf-16"))
    p8.write_bytes(text.encode("utf-8"))
    pd.testing.assert_frame_equal(read_ae_monthly(p16), read_ae_monthly(p8))


def test_windows_1252_names_are_read(tmp_path: Path) -> None:
    line = row("RXX", 1).replace("TRUST RXX", "ST JOHN\u2019S TRUST")
    df = read_ae_monthly(write(tmp_path, [HEADER, line], encoding="cp1252"))
    assert df.loc[0, "org_name"] == "ST JOHN\u2019S TRUST"


def test_excel_workbook_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "ae.csv"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(InputError, match="Excel workbook"):
        read_ae_monthly(p)


def test_duplicate_organisation(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        read_ae_monthly(write(tmp_path, [HEADER, row("RXX", 1), row("RYY", 2), row("RXX", 3)]))
    assert e.value.row == 2 and "also at row 4" in str(e.value)


def test_several_months_in_one_monthly_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="several months") as e:
        read_ae_monthly(write(tmp_path, [HEADER, row("RXX", 1), row("RYY", 1, period="MSitAE-MAY-2025")]))
    assert e.value.row == 3


def test_bad_period(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a month") as e:
        read_ae_monthly(write(tmp_path, [HEADER, row("RXX", 1, period="sometime")]))
    assert e.value.column == "Period"


def test_blank_code_between_rows(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty cell") as e:
        read_ae_monthly(write(tmp_path, [HEADER, row("RXX", 1), row("", 1), row("RYY", 1)]))
    assert e.value.row == 3


def test_not_an_ae_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no A&E monthly header"):
        read_ae_monthly(write(tmp_path, ["a,b,c", "1,2,3"]))
