"""Header detection, month parsing, editions and file-kind recognition."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhs_oversight.errors import InputError
from nhs_oversight.sources.editions import Candidate, Edition, edition_of, winner
from nhs_oversight.sources.layout import Grid, locate_header, month_from_name, norm, parse_month
from nhs_oversight.sources.raw import detect_kind

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MSitAE-JUNE-2024", date(2024, 6, 1)),
        ("2025-09-01", date(2025, 9, 1)),
        ("2025-09", date(2025, 9, 1)),
        ("01/09/2025", date(2025, 9, 1)),
        ("June 2025", date(2025, 6, 1)),
        ("Jun-25", date(2025, 6, 1)),
        ("RTT-September-2025", date(2025, 9, 1)),
        ("TOTAL", None),
        ("2025-13-01", None),
    ],
)
def test_parse_month(text: str, expected: date | None) -> None:
    assert parse_month(text) == expected


@given(st.integers(2000, 2040), st.integers(1, 12), st.sampled_from(["iso", "dmy", "named", "msit", "short"]))
def test_parse_month_round_trip(year: int, month: int, style: str) -> None:
    name = MONTH_NAMES[month - 1]
    text = {
        "iso": f"{year}-{month:02d}-01",
        "dmy": f"01/{month:02d}/{year}",
        "named": f"{name} {year}",
        "msit": f"MSitAE-{name.upper()}-{year}",
        "short": f"{name[:3]}-{year % 100:02d}",
    }[style]
    assert parse_month(text) == date(year, month, 1)


def test_month_from_file_name() -> None:
    assert month_from_name("monthly-ae-2024-06.csv") == date(2024, 6, 1)
    assert month_from_name("Incomplete-Provider-Jun25.csv") is None
    assert month_from_name("RTT-September-2025-full.csv") == date(2025, 9, 1)


def test_norm_makes_spellings_equal() -> None:
    assert norm("Number of A&E attendances Type 1") == norm(" a&e ATTENDANCES type 1 ")
    assert norm("Provider_Code") == norm("Provider Code")


def test_locate_header_below_title_rows() -> None:
    grid = Grid("f.csv", [["Title"], [], ["Org Code", "Value", "Extra"], ["RXX", "1", ""]], [1, 2, 3, 4])
    h = locate_header(grid, {"org": ["Org Code"], "value": ["Value"]}, ["org", "value"], kind="test")
    assert (h.index, h.line, h.columns, h.extras) == (2, 3, {"org": 0, "value": 1}, ["Extra"])


def test_locate_header_names_missing_column() -> None:
    grid = Grid("f.csv", [["Org Code", "Name", "Other"], ["RXX", "x", "1"]], [1, 2])
    with pytest.raises(InputError) as e:
        locate_header(grid, {"org": ["Org Code"], "name": ["Name"], "value": ["Value"]}, ["org", "value"], kind="test")
    assert (e.value.row, e.value.column) == (1, "Value")


def test_edition_from_name() -> None:
    assert edition_of("Monthly-AE-June-2024.csv") == Edition(False)
    assert edition_of("Monthly-AE-June-2024-revised.csv") == Edition(True, "")
    assert edition_of("Monthly-AE-June-2024-revised-100924.csv") == Edition(True, "20240910")
    assert edition_of("x_Revised_2.csv") == Edition(True, "00000002")


def test_revised_beats_later_original() -> None:
    original = Candidate("june.csv", Edition(False), 1)
    revised = Candidate("june-revised.csv", Edition(True), 0)
    assert winner([original, revised]) is revised
    later = Candidate("june-copy.csv", Edition(False), 2)
    assert winner([original, later]) is later
    second = Candidate("june-revised-2.csv", Edition(True, "00000002"), 0)
    assert winner([revised, second, original]) is second


def test_detect_kind_of_every_shared_file(shared_data: Path) -> None:
    expected = {"ae": "ae_monthly", "rtt": "rtt", "cancer": "cwt", "beds": "beds"}
    for folder, kind in expected.items():
        for f in sorted((shared_data / folder).rglob("*.csv")):
            assert detect_kind(f) == kind, f
    assert detect_kind(shared_data / "reference/ods-etr-trusts-2025-11.csv") == "ods"
    with pytest.raises(InputError, match="published NOF file"):
        detect_kind(shared_data / "nof/nof-2025-26-q1-acute.csv")
    with pytest.raises(InputError, match="Staff Survey"):
        detect_kind(shared_data / "staff-survey/nss-organisation-results-2021-2023.csv")


def test_detect_kind_unknown(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a recognised"):
        detect_kind(p)
