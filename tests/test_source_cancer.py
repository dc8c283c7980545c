"""Cancer Waiting Times reader: real extract (checked by hand), routes, cuts, bad rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nhs_oversight.errors import InputError
from nhs_oversight.sources.cancer import COLUMNS, read_cwt

HEADER = "PERIOD,YEAR,MONTH,STANDARD,ORG CODE,STAGE/ROUTE,TREATMENT MODALITY,CANCER TYPE,TOTAL TREATED,WITHIN STANDARD,BREACHES"


def write(tmp_path: Path, lines: list[str]) -> Path:
    p = tmp_path / "cwt.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_real_extract_hand_checked(shared_data: Path) -> None:
    # Summed by hand with the csv module over Apr-Jun 2023 for RWY: FDS within 3,859 of 5,319;
    # 62-day (ALL MODALITIES rows) 326.5 of 371.5, the same through the ALL CANCERS rows.
    df = read_cwt(shared_data / "cancer/cwt-provider-2023-04-to-2023-09.csv")
    assert list(df.columns) == COLUMNS
    assert len(df) == 51509
    q1 = df[(df["org_code"] == "RWY") & (df["period"] < pd.Timestamp("2023-07-01"))]
    fds = q1[q1["standard"] == "FDS28"]
    assert (fds["within_standard"].sum(), fds["total"].sum()) == (3859, 5319)
    d62 = q1[q1["standard"] == "D62"]
    for cut in ("by_cancer_type", "by_modality"):
        part = d62[d62["cut"] == cut]
        assert (part["within_standard"].sum(), part["total"].sum()) == (326.5, 371.5)
    assert set(df["route"]) == {"usc", "breast_symptomatic", "screening", "consultant_upgrade", "first_treatment", "subsequent_treatment"}
    assert set(df.loc[df["standard"] == "FDS28", "cut"]) == {"fds"}


def test_route_spellings_are_one_code(tmp_path: Path) -> None:
    lines = [HEADER,
             "2023-04-01,2023/24,APR,62-day Combined,RXX,Urgent Suspected Cancer,ALL MODALITIES,Lung,2,1,1",
             "2023-04-01,2023/24,APR,28-day FDS,RXX,URGENT SUSPECTED CANCER,,Suspected lung cancer,4,3,1",
             '2023-04-01,2023/24,APR,28-day FDS,RXX,"BREAST SYMPTOMATIC, CANCER NOT SUSPECTED",,Breast,1,1,0']
    df = read_cwt(write(tmp_path, lines))
    assert df["route"].tolist() == ["usc", "usc", "breast_symptomatic"]
    assert df["modality"].isna().tolist() == [False, True, True]


def test_route_total_rows_are_their_own_cut(tmp_path: Path) -> None:
    lines = [HEADER,
             "2023-04-01,2023/24,APR,62-day Combined,RXX,Screening,ALL MODALITIES,Lung,2,1,1",
             "2023-04-01,2023/24,APR,62-day Combined,RXX,Screening,Surgery,ALL CANCERS,2,1,1",
             "2023-04-01,2023/24,APR,62-day Combined,RXX,Screening,ALL MODALITIES,ALL CANCERS,2,1,1"]
    assert read_cwt(write(tmp_path, lines))["cut"].tolist() == ["by_cancer_type", "by_modality", "total"]


def test_total_must_be_within_plus_breaches(tmp_path: Path) -> None:
    lines = [HEADER, "2023-04-01,2023/24,APR,28-day FDS,RXX,URGENT SUSPECTED CANCER,,Lung,5,3,1"]
    with pytest.raises(InputError, match="not within standard") as e:
        read_cwt(write(tmp_path, lines))
    assert (e.value.row, e.value.column) == (2, "TOTAL TREATED")


def test_unknown_standard(tmp_path: Path) -> None:
    lines = [HEADER, "2023-04-01,2023/24,APR,2-week wait,RXX,URGENT SUSPECTED CANCER,,Lung,5,4,1"]
    with pytest.raises(InputError, match="unknown standard '2-week wait'") as e:
        read_cwt(write(tmp_path, lines))
    assert e.value.column == "STANDARD"


def test_duplicate_rows(tmp_path: Path) -> None:
    line = "2023-04-01,2023/24,APR,28-day FDS,RXX,URGENT SUSPECTED CANCER,,Lung,5,4,1"
    with pytest.raises(InputError, match="duplicate") as e:
        read_cwt(write(tmp_path, [HEADER, line, line]))
    assert e.value.row == 2 and "also at row 3" in str(e.value)


def test_missing_within_column(tmp_path: Path) -> None:
    header = HEADER.replace("WITHIN STANDARD,", "")
    with pytest.raises(InputError, match="missing column") as e:
        read_cwt(write(tmp_path, [header, "2023-04-01,2023/24,APR,28-day FDS,RXX,USC,,Lung,5,1"]))
    assert e.value.column == "WITHIN STANDARD"


def test_suppressed_counts_are_missing(tmp_path: Path) -> None:
    lines = [HEADER, "2023-04-01,2023/24,APR,28-day FDS,RXX,URGENT SUSPECTED CANCER,,Lung,*,*,*"]
    df = read_cwt(write(tmp_path, lines))
    assert df[["total", "within_standard", "breaches"]].isna().all(axis=None)
