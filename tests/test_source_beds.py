"""Beds sitrep reader: the real long file (checked by hand), wide layouts, bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nhs_oversight.errors import InputError
from nhs_oversight.sources.beds import read_beds
from nhs_oversight.sources.common import MissingReport


def test_real_file_hand_checked(shared_data: Path) -> None:
    # grep ',RWY,' beds-sitrep-2025-09.csv: G&A beds available 730, occupied 700
    missing = MissingReport()
    df = read_beds(shared_data / "beds/beds-sitrep-2025-09.csv", missing)
    rwy = df[(df["org_code"] == "RWY")].set_index("measure")["value"]
    assert (rwy["ga_beds_available"], rwy["ga_beds_occupied"]) == (730, 700)
    assert set(df["level"]) == {"National", "Region", "ICB", "Provider"}
    assert len(missing) == 9  # nine provider cells published as '-'
    assert int(df["value"].isna().sum()) == 9
    assert df.loc[df["level"] == "National", "icb"].eq("").all()  # '[z]' is not applicable


def test_wide_layout_is_melted(tmp_path: Path) -> None:
    p = tmp_path / "beds-2025-08.csv"
    p.write_text("Org Code,Org Name,G&A beds available,G&A beds occupied\nRXX,X TRUST,100,90\n", encoding="utf-8")
    df = read_beds(p)
    assert df.set_index("measure")["value"].to_dict() == {"ga_beds_available": 100, "ga_beds_occupied": 90}
    assert str(df["period"].iloc[0].date()) == "2025-08-01"


def test_non_numeric_value(tmp_path: Path) -> None:
    p = tmp_path / "beds.csv"
    p.write_text("Period,Level,Org Code,Org Name,Metric,Type,Value\n01/09/2025,Provider,RXX,X,G&A beds available,Type 1,many\n", encoding="utf-8")
    with pytest.raises(InputError, match="'many' is not a number") as e:
        read_beds(p)
    assert (e.value.row, e.value.column) == (2, "Value")


def test_duplicate_measure(tmp_path: Path) -> None:
    p = tmp_path / "beds.csv"
    line = "01/09/2025,Provider,RXX,X,G&A beds available,Type 1,5"
    p.write_text(f"Period,Level,Org Code,Org Name,Metric,Type,Value\n{line}\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate"):
        read_beds(p)


def test_suppressed(tmp_path: Path) -> None:
    p = tmp_path / "beds.csv"
    p.write_text("Period,Level,Org Code,Org Name,Metric,Type,Value\n01/09/2025,Provider,RXX,X,G&A beds available,Type 1,-\n", encoding="utf-8")
    assert np.isnan(read_beds(p)["value"].iloc[0])
