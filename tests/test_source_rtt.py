"""RTT reader: weekly bands, totals, shifted labels, incomplete pathways, bad layouts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nhs_oversight.errors import InputError
from nhs_oversight.sources.common import MissingReport
from nhs_oversight.sources.rtt import UNKNOWN_BAND, band_of, read_rtt


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


COARSE = "Region Code,Provider Code,Provider Name,Treatment Function Code,Treatment Function,0-18,18-52,52 plus,Total number of incomplete pathways"


def test_band_labels() -> None:
    assert band_of(">0-1") == (0, 1)
    assert band_of(">103-104") == (103, 104)
    assert band_of("104 plus") == (104, None)
    assert band_of("Gt 00 To 01 Weeks SUM 1") == (0, 1)
    assert band_of("Gt 104 Weeks SUM 1") == (104, None)
    assert band_of("104+") == (104, None)
    assert band_of("Provider Code") is None
    assert band_of("wait_0_18") is None


@pytest.fixture(scope="module")
def admitted_sep(shared_data: Path) -> pd.DataFrame:
    return read_rtt(shared_data / "rtt/rtt-completed-admitted-provider-2025-09.csv")


def test_real_completed_admitted_hand_checked(admitted_sep: pd.DataFrame) -> None:
    # Read by hand (csv module, '-' as empty) for R1H, Total function, Sep 2025: bands up to 18
    # weeks 1,638; from 52 weeks 450; all bands 3,068 = the published total column.
    df = admitted_sep
    assert df.attrs["pathway"] == "admitted" and df.attrs["warnings"] == []
    r1h = df[(df["org_code"] == "R1H") & df["is_total_function"]]
    assert r1h.loc[r1h["week_to"] <= 18, "patients"].sum() == 1638
    assert r1h.loc[r1h["week_from"] >= 52, "patients"].sum() == 450
    assert r1h.loc[r1h["week_from"].notna(), "patients"].sum() == 3068
    assert r1h.loc[r1h["band"] == UNKNOWN_BAND, "patients"].item() == 0
    assert len(df) == 3600 * 106  # 150 providers x 24 functions x (105 bands + unknown clock start)
    assert (df["period"] == pd.Timestamp("2025-09-01")).all()


def test_real_unknown_clock_start_is_total_minus_bands(admitted_sep: pd.DataFrame) -> None:
    # RAL Urology (C_101): published total 308, weekly bands add up to 307
    df = admitted_sep
    ral = df[(df["org_code"] == "RAL") & (df["treatment_function_code"] == "C_101")]
    assert ral.loc[ral["band"] == UNKNOWN_BAND, "patients"].item() == 1
    assert ral["patients"].sum() == 308


def test_real_shifted_labels_detected(shared_data: Path) -> None:
    # In the Oct 2025 edition the column labelled 'median_wait' holds the totals: R1H Total row
    # reads ..., 459, " 2,930", 14.0, 66.4, 2025-10-01 and its bands add up to 2,930.
    df = read_rtt(shared_data / "rtt/rtt-completed-admitted-provider-2025-10.csv")
    assert any("'median_wait' holds the pathway totals" in w for w in df.attrs["warnings"])
    r1h = df[(df["org_code"] == "R1H") & df["is_total_function"]]
    assert r1h["patients"].sum() == 2930


def test_real_dash_cells_reported_as_missing(shared_data: Path) -> None:
    missing = MissingReport()
    df = read_rtt(shared_data / "rtt/rtt-completed-nonadmitted-provider-2025-09.csv", missing)
    in_bands = [c for c in missing.cells if c[2].startswith(">") or c[2] == "104 plus"]
    assert len(in_bands) == int(df["patients"].isna().sum()) > 0
    assert {raw for *_, raw in missing.cells} == {"-"}  # sub-totals print '-' too


def test_incomplete_coarse_bands_and_pathway_from_total(tmp_path: Path) -> None:
    lines = [COARSE, "Y56,RXX,X TRUST,C_100,General Surgery,60,30,10,100", "Y56,RXX,X TRUST,C_999,Total,60,30,10,100"]
    df = read_rtt(write(tmp_path, "waiting-list-2025-06.csv", lines))
    assert df.attrs["pathway"] == "incomplete"
    assert df["band"].astype(str).tolist()[:4] == ["0-18", "18-52", "52 plus", UNKNOWN_BAND]
    assert df["period"].iloc[0] == pd.Timestamp("2025-06-01")  # from the file name


def test_nhs_style_headers_with_title_rows(tmp_path: Path) -> None:
    bands = [f"Gt {i:02d} To {i + 1:02d} Weeks SUM 1" for i in range(104)] + ["Gt 104 Weeks SUM 1"]
    header = "Region Code,Provider Code,Provider Name,Treatment Function Code,Treatment Function," + ",".join(bands) + ",Total"
    values = ["1"] * 105
    lines = ["Title:,Incomplete Pathways", "Period:,June 2025", "", header,
             "Y56,RXX,X TRUST,C_999,Total," + ",".join(values) + ",105"]
    df = read_rtt(write(tmp_path, "provider.csv", lines))
    assert df.attrs["pathway"] == "incomplete"
    assert df["period"].iloc[0] == pd.Timestamp("2025-06-01")
    assert df.loc[df["week_to"] <= 18, "patients"].sum() == 18


def test_explicit_pathway(tmp_path: Path) -> None:
    header = COARSE.replace("Total number of incomplete pathways", "Total")
    df = read_rtt(write(tmp_path, "x-2025-06.csv", [header, "Y56,RXX,X,C_999,Total,1,2,3,6"]), pathway="admitted")
    assert df.attrs["pathway"] == "admitted"


def test_pathway_unknown(tmp_path: Path) -> None:
    header = COARSE.replace("Total number of incomplete pathways", "Total")
    with pytest.raises(InputError, match="admitted, non-admitted or incomplete"):
        read_rtt(write(tmp_path, "x-2025-06.csv", [header, "Y56,RXX,X,C_999,Total,1,2,3,6"]))


def test_total_below_bands_is_an_error(tmp_path: Path) -> None:
    lines = [COARSE, "Y56,RXX,X TRUST,C_999,Total,60,30,10,90"]
    with pytest.raises(InputError) as e:
        read_rtt(write(tmp_path, "incomplete-2025-06.csv", lines))
    assert (e.value.row, e.value.column) == (2, "Total number of incomplete pathways")


def test_bands_not_contiguous(tmp_path: Path) -> None:
    header = COARSE.replace("18-52", "20-52")
    with pytest.raises(InputError, match="not contiguous") as e:
        read_rtt(write(tmp_path, "incomplete-2025-06.csv", [header, "Y56,RXX,X,C_999,Total,1,2,3,6"]))
    assert e.value.column == "20-52"


def test_last_band_must_be_open(tmp_path: Path) -> None:
    header = COARSE.replace("52 plus", "52-60")
    with pytest.raises(InputError, match="open-ended"):
        read_rtt(write(tmp_path, "incomplete-2025-06.csv", [header, "Y56,RXX,X,C_999,Total,1,2,3,6"]))


def test_subtotal_mismatch(tmp_path: Path) -> None:
    header = COARSE.replace(",Total number", ",wait_0_18,Total number")
    with pytest.raises(InputError, match="sub-total") as e:
        read_rtt(write(tmp_path, "incomplete-2025-06.csv", [header, "Y56,RXX,X,C_999,Total,60,30,10,61,100"]))
    assert e.value.column == "wait_0_18"


def test_total_function_must_equal_its_parts(tmp_path: Path) -> None:
    lines = [COARSE, "Y56,RXX,X,C_100,Surgery,5,0,0,5", "Y56,RXX,X,C_999,Total,6,0,0,6"]
    with pytest.raises(InputError, match="differs from the sum") as e:
        read_rtt(write(tmp_path, "incomplete-2025-06.csv", lines))
    assert e.value.row == 3


def test_duplicate_function(tmp_path: Path) -> None:
    lines = [COARSE, "Y56,RXX,X,C_100,Surgery,5,0,0,5", "Y56,RXX,X,C_100,Surgery,5,0,0,5", "Y56,RXX,X,C_999,Total,10,0,0,10"]
    with pytest.raises(InputError, match="duplicate") as e:
        read_rtt(write(tmp_path, "incomplete-2025-06.csv", lines))
    assert e.value.row == 2


def test_non_numeric_band(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'lots' is not a number") as e:
        read_rtt(write(tmp_path, "incomplete-2025-06.csv", [COARSE, "Y56,RXX,X,C_999,Total,lots,0,0,5"]))
    assert (e.value.row, e.value.column) == (2, "0-18")


def test_missing_provider_code_column(tmp_path: Path) -> None:
    header = COARSE.replace("Provider Code,", "")
    with pytest.raises(InputError, match="missing column") as e:
        read_rtt(write(tmp_path, "incomplete-2025-06.csv", [header, "Y56,X,C_999,Total,1,0,0,1"]))
    assert e.value.column == "Provider_Code"


def test_suppressed_band_is_missing(tmp_path: Path) -> None:
    missing = MissingReport()
    df = read_rtt(write(tmp_path, "incomplete-2025-06.csv", [COARSE, "Y56,RXX,X,C_999,Total,*,2,3,5"]), missing)
    assert np.isnan(df["patients"].iloc[0])
    assert len(missing) == 1
