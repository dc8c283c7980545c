"""OF0013 on the acute trust footprint: the type 3 mapping joined in SQL, on hand-built months and
on NHS England's June 2025 A&E workbook (whose own footprint sheet is the expected answer)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nhs_oversight.derive import derive_files, derive_tables
from nhs_oversight.derive.check import footprint_check
from nhs_oversight.derive.runner import TRUST_ONLY
from nhs_oversight.derive.successors import successor_frame
from nhs_oversight.errors import InputError
from nhs_oversight.sources.ae_monthly import COLUMNS, COUNTS
from nhs_oversight.sources.ae_workbook import read_ae_workbook

MONTHS = pd.to_datetime(["2025-04-01", "2025-05-01", "2025-06-01"])
NO_MERGERS = successor_frame([])


def month_rows(month, rows: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """One A&E month: org -> (type 3 attendances, type 3 over 4 hours); other counts zero."""
    df = pd.DataFrame([{"period": month, "org_code": o, "org_name": o, "parent_org": ""} for o in rows])
    for c in COUNTS:
        df[c] = 0.0
    df["att_type3"] = [a for a, _ in rows.values()]
    df["over4h_type3"] = [b for _, b in rows.values()]
    df["file"], df["line"] = "hand-built", range(2, 2 + len(df))
    return df[COLUMNS]


def mapping(month, pairs: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame({"period": pd.Timestamp(month), "org_code": [p[0] for p in pairs], "org_name": "",
                         "acute_code": [p[1] for p in pairs], "acute_name": "", "proportion": [p[2] for p in pairs],
                         "file": f"mapping-{pd.Timestamp(month):%Y-%m}.xlsx", "line": range(5, 5 + len(pairs))})


# Each month: acute trusts RAA and RBB, a UTC (UTC1) split 40/60 between them, a walk-in centre
# (WIC9) mapped to RCC, which has no row of its own, and an independent provider (IND1) that the
# mapping does not name.
ACTIVITY = {"RAA": (1000.0, 300.0), "RBB": (500.0, 100.0), "UTC1": (200.0, 10.0), "WIC9": (50.0, 5.0), "IND1": (80.0, 8.0)}
SPLIT = [("RAA", "RAA", 1.0), ("RBB", "RBB", 1.0), ("UTC1", "RAA", 0.4), ("UTC1", "RBB", 0.6), ("WIC9", "RCC", 1.0)]


@pytest.fixture(scope="module")
def hand_built():
    ae = pd.concat([month_rows(m, ACTIVITY) for m in MONTHS], ignore_index=True)
    r = derive_tables({"ae_monthly": ae, "ae_type3_mapping": mapping("2025-04-01", SPLIT)}, "2025/26 Q1", successors=NO_MERGERS)
    return r, r.values.set_index("org_code")


def test_split_proportions_go_to_each_acute_trust(hand_built):
    _, v = hand_built
    # RAA: 3 x (1000 + 0.4 x 200) = 3,240 attended; 3 x (300 + 0.4 x 10) = 912 over -> 71.85% -> 71.9 (half up)
    assert (v.loc["RAA", "denominator"], v.loc["RAA", "numerator"]) == pytest.approx((3240, 3240 - 912))
    assert v.loc["RAA", "value"] == 71.9
    # RBB: 3 x (500 + 120) = 1,860; 3 x (100 + 6) = 318 -> 1,542 / 1,860 = 82.903% -> 82.9
    assert (v.loc["RBB", "denominator"], v.loc["RBB", "numerator"]) == pytest.approx((1860, 1542))
    assert v.loc["RBB", "value"] == 82.9
    assert "UTC1" not in v.index and "WIC9" not in v.index  # mapped away entirely


def test_a_trust_that_appears_only_via_the_mapping(hand_built):
    _, v = hand_built
    assert (v.loc["RCC", "denominator"], v.loc["RCC", "numerator"], v.loc["RCC", "value"]) == (150, 135, 90.0)


def test_an_unmapped_organisation_reports_as_itself_and_is_named(hand_built):
    r, v = hand_built
    assert (v.loc["IND1", "denominator"], v.loc["IND1", "value"]) == (240, 90.0)
    assert any("not in the mapping and report as themselves: IND1" in n for n in r.notes)
    assert set(v["basis"]) == {"footprint (mapping Apr 2025)"}


def test_attendances_are_neither_lost_nor_doubled(hand_built):
    _, v = hand_built
    assert v["denominator"].sum() == pytest.approx(3 * sum(a for a, _ in ACTIVITY.values()))


def test_the_newest_mapping_at_or_before_each_month_is_used():
    ae = pd.concat([month_rows(m, ACTIVITY) for m in MONTHS], ignore_index=True)
    # from June the UTC goes wholly to RBB
    maps = pd.concat([mapping("2025-05-01", SPLIT), mapping("2025-06-01", [*SPLIT[:2], ("UTC1", "RBB", 1.0), SPLIT[4]])])
    r = derive_tables({"ae_monthly": ae, "ae_type3_mapping": maps}, "2025/26 Q1", successors=NO_MERGERS)
    v = r.values.set_index("org_code")
    # April (before any mapping: the earliest, May's) and May split 40/60; June all to RBB
    assert v.loc["RAA", "denominator"] == pytest.approx(2 * 1080 + 1000)
    assert v.loc["RBB", "denominator"] == pytest.approx(2 * 620 + 700)
    assert v.loc["RAA", "basis"] == "footprint (mappings May 2025-Jun 2025)"
    text = "\n".join(r.notes)
    assert "mapping of May 2025 (mapping-2025-05.xlsx) used for May 2025" in text
    assert "also used for Apr 2025, earlier than any mapping given" in text
    assert "mapping of Jun 2025 (mapping-2025-06.xlsx) used for Jun 2025" in text


def test_without_a_mapping_every_value_is_trust_only():
    ae = pd.concat([month_rows(m, ACTIVITY) for m in MONTHS], ignore_index=True)
    r = derive_tables({"ae_monthly": ae}, "2025/26 Q1", successors=NO_MERGERS)
    v = r.values.set_index("org_code")
    assert set(v.index) == set(ACTIVITY) and set(v["basis"]) == {TRUST_ONLY}
    assert v.loc["UTC1", "value"] == 95.0
    assert any("no type 3 mapping among the inputs" in n for n in r.notes)


# -- NHS England's June 2025 workbook ------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(shared_data: Path) -> Path:
    path = shared_data / "ae" / "ae-by-provider-2025-06.xlsx"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="module")
def book(workbook: Path):
    return read_ae_workbook(workbook)


def test_workbook_sheets_are_read(book):
    assert book.month == pd.Timestamp("2025-06-01")
    m = book.monthly
    assert len(m) == 201 and len(book.mapping) == 221 and len(book.footprint) == 123 and len(book.system) == 42
    # the England row of Provider Level Data, read by hand: 2,350,478 attended, 574,809 over 4 hours
    att = m[[c for c in m.columns if c.startswith("att_")]].to_numpy().sum()
    over = m[[c for c in m.columns if c.startswith("over4h_")]].to_numpy().sum()
    assert (att, over) == (2350478, 574809)
    # booked appointments (Booked Appointments Data, England row): 83,410 attended, 8,075 over
    booked = m[["att_booked_type1", "att_booked_type2", "att_booked_type3"]].to_numpy().sum()
    assert booked == 83410 and m[[c for c in m.columns if c.startswith("over4h_booked")]].to_numpy().sum() == 8075
    # a three-way split read by hand: Beckenham Beacon UCC (AD913) 0.38 RJZ, 0.37 RJ2, 0.25 RJ6
    ad = book.mapping[book.mapping["org_code"] == "AD913"].set_index("acute_code")["proportion"]
    assert ad.to_dict() == {"RJZ": 0.38, "RJ2": 0.37, "RJ6": 0.25}


def test_the_mapping_reproduces_the_footprint_sheet_for_every_acute_trust(book, workbook):
    r = derive_tables({"ae_monthly": book.monthly, "ae_type3_mapping": book.mapping}, metrics=["OF0013"], allow_partial=True)
    v = r.values.set_index("org_code")
    fp = book.footprint.set_index("org_code")
    assert len(fp) == 123 and set(fp.index) <= set(v.index)
    # attendances and >4 hour waits, not just the rounded percentage
    np.testing.assert_allclose(v.loc[fp.index, "denominator"], fp["attendances"], atol=1e-6)
    np.testing.assert_allclose(v.loc[fp.index, "denominator"] - v.loc[fp.index, "numerator"], fp["over4h"], atol=1e-6)
    c = footprint_check([workbook])
    assert c.lines() == ["OF0013 (Jun 2025, one month, against the workbook's Acute Trust Footprint Data): 123/123 within 0.1 pp, 123/123 exact"]
    # the mapped type 3 activity the sheet reports, e.g. Bedfordshire (RC9): Putnoe walk-in centre 2,269
    assert fp.loc["RC9", "mapped_attendances"] == 2269 and v.loc["RC9", "denominator"] == 27542


def test_trust_only_does_not_reproduce_the_footprint(book):
    """The check can fail: without the mapping most trusts with mapped activity disagree."""
    r = derive_tables({"ae_monthly": book.monthly}, metrics=["OF0013"], allow_partial=True)
    v = r.values.set_index("org_code")["value"]
    fp = book.footprint.set_index("org_code")
    expected = (100 * (1 - fp["over4h"] / fp["attendances"])).round(1)
    agree = int((v.reindex(fp.index) - expected).abs().lt(0.05).sum())
    assert agree < 123 - 40


def test_the_workbook_and_the_csvs_hold_no_common_month(shared_data, book):
    months = {pd.Timestamp(p.stem[-7:] + "-01") for p in (shared_data / "ae" / "monthly").glob("monthly-ae-*.csv")}
    assert len(months) == 10 and book.month not in months  # Jun 2024 - Mar 2025 against Jun 2025


def _as_csv(frame: pd.DataFrame, path: Path) -> Path:
    """The workbook's month written in NHS England's monthly CSV layout (another edition)."""
    from nhs_oversight.sources.ae_monthly import ALIASES

    out = pd.DataFrame({"Period": "MSitAE-JUNE-2025", "Org Code": frame["org_code"], "Parent Org": "", "Org name": frame["org_name"]})
    for c in COUNTS:
        out[ALIASES[c][0]] = frame[c].astype(int)
    out.to_csv(path, index=False)
    return path


def test_a_month_in_a_csv_and_the_workbook_is_one_edition(book, workbook, tmp_path):
    same = _as_csv(book.monthly, tmp_path / "monthly-ae-2025-06.csv")
    r = derive_files([same, workbook], metrics=["OF0013"], allow_partial=True)
    assert any("hold the same figures; ae-by-provider-2025-06.xlsx is used" in n for n in r.notes)
    changed = book.monthly.copy()
    changed.loc[changed["org_code"] == "RC9", "over4h_type1"] += 100
    other = _as_csv(changed, tmp_path / "monthly-ae-2025-06-revised.csv")
    r = derive_files([workbook, other], metrics=["OF0013"], allow_partial=True)
    assert any("monthly-ae-2025-06-revised.csv (revised) replaces ae-by-provider-2025-06.xlsx" in n for n in r.notes)
    rc9 = r.values.set_index("org_code").loc["RC9"]
    assert rc9["denominator"] - rc9["numerator"] == 6761 + 100  # the revised edition's figures, still mapped


def test_a_provider_total_that_is_not_booked_plus_non_booked_is_refused(workbook, tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    ws = wb["Provider Level Data"]
    assert ws["B19"].value == "RC9" and ws["E19"].value == 16839
    ws["E19"] = 16840
    bad = tmp_path / "edited.xlsx"
    wb.save(bad)
    with pytest.raises(InputError, match=r"edited.xlsx \[Provider Level Data\], row 19.*RC9.*Non-Booked \+ Booked"):
        read_ae_workbook(bad)


def test_the_history_gives_the_same_footprint(book, workbook, shared_data, tmp_path):
    from nhs_oversight.history import derive_from_db, ingest_files

    csvs = sorted((shared_data / "ae" / "monthly").glob("monthly-ae-2025-0[1-3].csv"))
    db = tmp_path / "h.duckdb"
    ingest_files([*csvs, workbook], db)
    from_db = derive_from_db(db, "2024/25 Q4", ["OF0013"]).values.set_index("org_code")
    from_files = derive_files([*csvs, workbook], "2024/25 Q4", ["OF0013"]).values.set_index("org_code")
    pd.testing.assert_series_equal(from_db["value"], from_files["value"])
    assert set(from_db["basis"]) == {"footprint (mapping Jun 2025)"}
