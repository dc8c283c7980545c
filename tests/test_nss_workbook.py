"""The NHS Staff Survey 2024 detailed spreadsheets: every sheet read; OF0061 and OF0084 derived from
them match the published Q1 2025/26 values; `oversight culture` uses the 2024 results."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nhs_oversight.cli import main
from nhs_oversight.derive import derive_files
from nhs_oversight.derive.check import check_against
from nhs_oversight.errors import InputError
from nhs_oversight.sources.nss_workbook import read_nss_scores, read_nss_workbook
from nhs_oversight.sources.staff_survey import read_staff_survey
from nhs_oversight.sources.survey_files import read_survey_files


@pytest.fixture(scope="module")
def nss24(shared_data: Path) -> Path:
    path = shared_data / "staff-survey" / "nss24-detailed-organisational-results.xlsx"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="module")
def book(nss24: Path):
    return read_nss_workbook(nss24)


@pytest.fixture(scope="module")
def nof_files(shared_data: Path) -> list[Path]:
    files = sorted((shared_data / "nof").glob("nof-2025-26-q1-*.csv"))
    if len(files) != 2:
        pytest.skip("the acute and mental health and community Q1 files are needed")
    return files


def test_every_sheet_is_read(book):
    assert book.year == 2024 and len(book.organisations) == 263
    assert len(book.questions) == 124 and set(book.questions["sheet"].str.split().str[0]) >= {"YOUR", "HEALTH", "BACKGROUND"}
    # Q14a for RWE, read in the sheet by hand: base 12,635; the five options add up to 100%
    q = book.responses[(book.responses["org_code"] == "RWE") & (book.responses["question"] == "Q14a")]
    assert list(q["option"]) == ["Never", "1 to 2", "3 to 5", "6 to 10", "More than 10"]
    assert q["percent"].sum() == pytest.approx(100) and set(q["base"]) == {q["base"].iloc[0]}
    s = book.scores.set_index(["org_code", "measure"])
    assert s.loc[("RWE", "PP3_2"), "measure_name"] == "Raising concerns"
    assert set(book.scores["measure"]) >= {"PP1", "PP3", "PP3_1", "PP3_2", "PP7_2", "Staff Engagement", "E_1", "M_3"}


def test_of0061_and_of0084_match_both_published_q1_files(nss24, nof_files):
    r = derive_files([nss24])
    assert set(r.values["period"]) == {"2024"} and set(r.values["metric_id"]) == {"OF0061", "OF0084"}
    c = check_against(r.values, nof_files)
    assert c.lines() == ["OF0061 (2024): 193/195 within 0.01, 193/195 exact; 2 not derived",
                         "OF0084 (2024): 193/195 within 0.01, 193/195 exact; 2 not derived"]
    lacking = c.rows[~np.isfinite(c.rows["derived"].to_numpy(float))]
    assert set(lacking["org_code"]) == {"R1F", "G6V2S"}  # Isle of Wight is not in the workbook; North London is new
    # a hand check: Manchester (R0A), published 6.48 in the acute file
    row = c.rows[(c.rows["org_code"] == "R0A") & (c.rows["metric_id"] == "OF0061")].iloc[0]
    assert (row["derived"], row["published"]) == (6.48, 6.48)


def test_a_quarter_takes_the_survey_the_nof_uses(nss24):
    q = derive_files([nss24], "2025/26 Q2").values
    assert set(q["period"]) == {"2024"}
    from nhs_oversight.errors import OptionError

    with pytest.raises(OptionError, match="no data for 2025/26 Q4"):
        derive_files([nss24], "2025/26 Q4")  # the 2025 survey serves Q4


def test_the_2024_culture_measures_continue_the_2021_2023_series(book, nss_path):
    """The same questions as the multi-year file: medians within a point, high correlation."""
    from nhs_oversight.sources.nss_workbook import culture_results

    old = read_staff_survey(nss_path).values
    old = old[old["year"] == 2023].set_index(["org_code", "measure"])["percent"]
    new = culture_results(book).values.set_index(["org_code", "measure"])["percent"]
    both = old.to_frame("y23").join(new.to_frame("y24"), how="inner").dropna()
    for measure, g in both.groupby(level=1):
        assert len(g) > 250, measure
        assert abs(g["y23"].median() - g["y24"].median()) < 2, measure
        assert np.corrcoef(g["y23"], g["y24"])[0, 1] > 0.7, measure


def test_culture_reads_the_csv_and_the_2024_workbook_together(nss_path, nss24, capsys):
    assert main(["culture", str(nss_path), str(nss24), "--view", "trend", "--org", "RWE", "--measure", "Physical_public", "--format", "csv"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 5 and out[-1].split(",")[3] == "2024"
    with pytest.raises(InputError, match="survey year 2021 is in two files"):
        read_survey_files([nss_path, nss_path])


def small_workbook(path: Path, score: float) -> Path:
    """The two score sheets in the published shape, one organisation."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    ids = ["ODS code", "Organisation name", "Benchmarking group", "Region", "ICS", "Weighting"]
    for name, measure in (("PEOPLE PROMISE ELEMENTS", "PP3_2 - Raising concerns"), ("THEMES", "Staff Engagement - Staff engagement")):
        ws = wb.create_sheet(name)
        ws.append(["NHS Staff Survey 2024 - WEIGHTED Results", None, None, None, None, None, measure])
        ws.append([name])
        ws.append(["Note"])
        ws.append([])
        ws.append([*ids, measure.split(" - ")[0] + " - score", "Base (number of responses)"])
        ws.append(["RXX", "A trust", "Acute and Acute & Community Trusts", "London", "-", "Occupation Group", score, 812])
    wb.save(path)
    return path


def test_a_small_workbook_gives_its_scores(tmp_path):
    r = derive_files([small_workbook(tmp_path / "nss.xlsx", 6.125)])
    v = r.values.set_index("metric_id")
    assert v.loc["OF0061", "value"] == 6.13 and v.loc["OF0084", "period"] == "2024"  # half up: 6.125 -> 6.13


def test_a_score_outside_0_to_10_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"nss.xlsx \[PEOPLE PROMISE ELEMENTS\], row 6.*not between 0 and 10"):
        read_nss_scores(small_workbook(tmp_path / "nss.xlsx", 11))
