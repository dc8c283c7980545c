"""The NHS Staff Survey organisational results reader: real file facts and bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from nhs_oversight.errors import InputError
from nhs_oversight.sources.staff_survey import measure_columns, read_staff_survey


@pytest.fixture(scope="module")
def raw_rows(nss_path: Path) -> list[dict[str, str]]:
    with open(nss_path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_real_file_counts(nss_path, raw_rows):
    r = read_staff_survey(nss_path)
    assert len(r.organisations) == len(raw_rows) == 812
    assert r.years == [2021, 2022, 2023]
    trust_groups = {"Acute and Acute & Community Trusts", "Acute Specialist Trusts", "Ambulance Trusts",
                    "Community Trusts",
                    "Mental Health & Learning Disability and Mental Health, Learning Disability & Community Trusts"}
    assert int(r.organisations["is_trust"].sum()) == sum(row["Benchmarking group"] in trust_groups for row in raw_rows)
    assert not r.organisations.query("benchmarking_group in ['CCGs', 'ICBs', 'CSUs']")["is_trust"].any()
    assert len(r.missing) == 0


def test_real_file_values_match_the_cells(nss_path, raw_rows):
    r = read_staff_survey(nss_path)
    v = r.values.set_index(["org_code", "year", "measure"])
    for row in raw_rows[::97]:
        key = (row["ODS code"], int(row["Year"]), "Emotional_manager")
        assert v.loc[key, "base"] == float(row["Emotional_manager_base"])
        assert v.loc[key, "percent"] == pytest.approx(float(row["Emotional_manager_rate"]))
    # *_response_rate columns are shares, not measures; Mastery_meaning pairs with Mastery_base
    assert "Burned_out_response" not in r.measures
    m = v.loc[("R0A", 2023, "Mastery_meaning")]
    raw = next(x for x in raw_rows if x["ODS code"] == "R0A" and x["Year"] == "2023")
    assert m["base"] == float(raw["Mastery_base"])


def test_region_found_whichever_column_holds_it(nss_path):
    # The merged file has the region under "ICS/STP" in 2021 and under "Region" later.
    orgs = read_staff_survey(nss_path).organisations.set_index(["org_code", "year"])
    for year in (2021, 2022, 2023):
        assert orgs.loc[("R0A", year), "region"] == "North West"
        assert orgs.loc[("RYC", year), "region"] == "East of England"
    assert orgs.loc[("R0A", 2021), "ics"].startswith("Greater Manchester")


def test_measure_columns_pairing():
    cols = ["Mastery_base", "Mastery_meaning_rate", "Burned_out_base", "Burned_out_rate",
            "Burned_out_ever_rate", "Burned_out_response_rate", "Orphan_rate"]
    assert measure_columns(cols) == {
        "Mastery_meaning_rate": "Mastery_base",
        "Burned_out_rate": "Burned_out_base",
        "Burned_out_ever_rate": "Burned_out_base",
    }


HEADER = "ODS code,Year,Organisation name,Benchmarking group,Stress_base,Stress_rate\n"


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "nss.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_suppressed_cells_are_missing_and_reported(tmp_path):
    p = _write(tmp_path, HEADER + "RXX,2023,Trust X,Ambulance Trusts,*,-\nRYY,2023,Trust Y,Ambulance Trusts,100,20\n")
    r = read_staff_survey(p)
    assert np.isnan(r.values["base"].iloc[0]) and np.isnan(r.values["percent"].iloc[0])
    assert len(r.missing) == 2 and r.values["percent"].iloc[1] == 20


@pytest.mark.parametrize(
    ("text", "row", "column", "words"),
    [
        ("ODS code,Year,Organisation name,Stress_base,Stress_rate\nRXX,2023,X,1,2\n", 1, "Benchmarking group", "missing column"),
        ("ODS code,Year,Organisation name,Benchmarking group,Stress\nRXX,2023,X,G,2\n", 1, None, "no measure columns"),
        (HEADER + "RXX,2023,X,G,100,twenty\n", 2, "Stress_rate", "not a number"),
        (HEADER + "RXX,23/24,X,G,100,20\n", 2, "Year", "not a year"),
        (HEADER + "RXX,2023,X,G,100,120\n", 2, "Stress_rate", "between 0 and 100"),
        (HEADER + "RXX,2023,X,G,-5,20\n", 2, "Stress_base", "negative"),
        (HEADER + "RXX,2023,X,G,100,20\nRXX,2023,X,G,100,20\n", 2, "Year", "duplicate"),
        (HEADER, "any", None, "rows"),
        ("", None, None, "empty"),
    ],
)
def test_bad_input(tmp_path, text, row, column, words):
    p = _write(tmp_path, text)
    with pytest.raises(InputError) as exc:
        read_staff_survey(p)
    assert words in str(exc.value)
    if row != "any":  # a header-only file: the shared CSV helper decides which row to name
        assert exc.value.row == row
    if column:
        assert exc.value.column == column
