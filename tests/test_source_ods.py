"""ODS etr reader (no header) and trust reference lookups."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nhs_oversight.errors import InputError
from nhs_oversight.sources.ods import read_ods_etr, read_trust_reference

ROW = '"RXX","X HOSPITAL NHS TRUST","Y56","QMJ","ADDR","","","LONDON","","N1 1AA","19910401","{close}","","","","","","","","","","1","","H","","",""'


def test_real_etr(shared_data: Path) -> None:
    df = read_ods_etr(shared_data / "reference/ods-etr-trusts-2025-11.csv")
    assert len(df) == 273  # wc -l: 273 lines, no header
    rap = df.set_index("org_code").loc["RAP"]
    assert rap["close_date"] == pd.Timestamp("2024-12-31")  # North Middlesex, joined Royal Free
    rwy = df.set_index("org_code").loc["RWY"]
    assert (rwy["region_code"], rwy["region_name"], rwy["icb_code"]) == ("Y63", "North East and Yorkshire", "QWO")
    assert pd.isna(rwy["close_date"])


def test_real_reference_lookups(shared_data: Path) -> None:
    region = read_trust_reference(shared_data / "reference/trust-region-2022.csv")
    assert region.set_index("org_code").loc["R0A", "region_name"] == "North West"
    icb = read_trust_reference(shared_data / "reference/icb-2022.csv")
    assert len(icb) == 42 and "icb_name" in icb.columns
    ics = read_trust_reference(shared_data / "reference/trust-ics-2021.csv")
    assert {"org_code", "stp_code"} <= set(ics.columns)


def test_short_row(tmp_path: Path) -> None:
    p = tmp_path / "etr.csv"
    p.write_text(ROW.format(close="") + '\n"RYY","Y TRUST","Y56"\n', encoding="utf-8")
    with pytest.raises(InputError, match="3 fields") as e:
        read_ods_etr(p)
    assert e.value.row == 2


def test_bad_date(tmp_path: Path) -> None:
    p = tmp_path / "etr.csv"
    p.write_text(ROW.format(close="2024-12-31") + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a date") as e:
        read_ods_etr(p)
    assert e.value.column == "column 12 (close date)"


def test_duplicate_code(tmp_path: Path) -> None:
    p = tmp_path / "etr.csv"
    p.write_text(ROW.format(close="") + "\n" + ROW.format(close="") + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate organisation RXX"):
        read_ods_etr(p)
