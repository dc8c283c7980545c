"""Metric definitions on small hand-made tables: every expected value is worked out by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nhs_oversight.derive import derive_files, derive_tables, list_definitions
from nhs_oversight.derive.runner import round_half_up
from nhs_oversight.derive.successors import successor_frame
from nhs_oversight.errors import OptionError
from nhs_oversight.sources.ae_monthly import COUNTS

AE_HEADER = (
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


def ae(rows: list[tuple[str, str, dict[str, float]]]) -> pd.DataFrame:
    """A tidy A&E table: (month, org, counts) with unspecified counts 0."""
    records = []
    for month, org, counts in rows:
        rec = {"period": pd.Timestamp(month), "org_code": org, "org_name": "", "parent_org": ""}
        rec |= {c: 0.0 for c in COUNTS}
        rec |= counts
        records.append(rec)
    return pd.DataFrame(records)


def values(result, metric: str | None = None) -> dict[tuple[str, str], float]:
    v = result.values
    if metric:
        v = v[v["metric_id"] == metric]
    return {(o, p): x for o, p, x in zip(v["org_code"], v["period"], v["value"], strict=True)}


# -- OF0013 -------------------------------------------------------------------------------------


def test_of0013_all_types_including_booked_summed_over_quarter() -> None:
    # Apr: 100 type 1 (30 over 4h), 50 type 3 (2 over), 10 booked type 1 (1 over)
    # May: 200 type 1 (90 over); Jun: 40 type 2 (4 over)
    # quarter: attended 400, over 127 -> 273/400 = 68.25% -> 68.3 (half up); the mean of the
    # monthly percentages would be (79.09 + 55 + 90)/3 = 74.7, which is not the rule
    table = ae([
        ("2025-04-01", "RXX", {"att_type1": 100, "over4h_type1": 30, "att_type3": 50, "over4h_type3": 2,
                               "att_booked_type1": 10, "over4h_booked_type1": 1}),
        ("2025-05-01", "RXX", {"att_type1": 200, "over4h_type1": 90}),
        ("2025-06-01", "RXX", {"att_type2": 40, "over4h_type2": 4}),
    ])
    r = derive_tables({"ae_monthly": table}, "2025/26 Q1")
    row = r.values.iloc[0]
    assert (row["org_code"], row["metric_id"], row["period"]) == ("RXX", "OF0013", "2025/26 Q1")
    assert (row["numerator"], row["denominator"], row["months"], row["value"]) == (273, 400, 3, 68.3)
    assert row["definition"] == "of0013_ae_4h"


def test_of0013_suppressed_type_makes_month_unknown_but_missing_booked_counts_as_none() -> None:
    table = ae([(m, "RXX", {"att_type1": 100, "over4h_type1": 10}) for m in ("2025-04-01", "2025-05-01", "2025-06-01")])
    table.loc[0, ["att_booked_type1", "over4h_booked_type1"]] = np.nan  # layout without booked columns
    r = derive_tables({"ae_monthly": table}, "2025/26 Q1")
    assert r.values["denominator"].item() == 300
    table.loc[1, "att_type2"] = np.nan  # suppressed
    r = derive_tables({"ae_monthly": table}, "2025/26 Q1")
    assert r.values["denominator"].item() == 200  # the suppressed month adds nothing known
    assert r.values["months"].item() == 3


def test_zero_activity_is_left_out() -> None:
    table = ae([(m, org, {"att_type1": 10 if org == "RXX" else 0}) for m in ("2025-04-01", "2025-05-01", "2025-06-01") for org in ("RXX", "RZZ")])
    r = derive_tables({"ae_monthly": table}, "2025/26 Q1")
    assert r.values["org_code"].tolist() == ["RXX"]


def test_mergers_reattribute_predecessor_to_successor() -> None:
    # RAP joined RAL on 1 Jan 2025. Oct-Dec 2024: RAL 300 (60 over), RAP 100 (40 over)
    months = ("2024-10-01", "2024-11-01", "2024-12-01")
    table = ae([(m, "RAL", {"att_type1": 100, "over4h_type1": 20}) for m in months]
               + [(m, "RAP", {"att_type1": 100 / 3, "over4h_type1": 40 / 3}) for m in months])
    merged = values(derive_tables({"ae_monthly": table}, "2024/25 Q3"))
    assert merged == {("RAL", "2024/25 Q3"): 75.0}  # (400 - 100) / 400
    as_reported = values(derive_tables({"ae_monthly": table}, "2024/25 Q3", successors=successor_frame([])))
    assert as_reported == {("RAL", "2024/25 Q3"): 80.0, ("RAP", "2024/25 Q3"): 60.0}


def test_successor_chains_resolve() -> None:
    s = successor_frame([("A", "B"), ("B", "C")])
    assert dict(zip(s["predecessor"], s["successor"], strict=True)) == {"A": "C", "B": "C"}


def test_partial_quarter_left_out_unless_asked() -> None:
    table = ae([(m, "RXX", {"att_type1": 100, "over4h_type1": 10}) for m in ("2025-04-01", "2025-05-01", "2025-07-01", "2025-08-01", "2025-09-01")])
    r = derive_tables({"ae_monthly": table})
    assert set(r.values["period"]) == {"2025/26 Q2"}
    assert any("left out 2025/26 Q1" in n for n in r.notes)
    r = derive_tables({"ae_monthly": table}, allow_partial=True)
    assert dict(zip(r.values["period"], r.values["months"], strict=True)) == {"2025/26 Q1": 2, "2025/26 Q2": 3}


def test_quarter_not_in_data() -> None:
    table = ae([(m, "RXX", {"att_type1": 1}) for m in ("2025-04-01", "2025-05-01", "2025-06-01")])
    with pytest.raises(OptionError, match=r"no data for 2024/25 Q1.*Apr 2025-Jun 2025"):
        derive_tables({"ae_monthly": table}, "2024/25 Q1")


def test_unknown_metric_and_missing_source() -> None:
    table = ae([("2025-04-01", "RXX", {"att_type1": 1})])
    with pytest.raises(OptionError, match="unknown metric 'OF9999'"):
        derive_tables({"ae_monthly": table}, metrics=["OF9999"])
    with pytest.raises(OptionError, match="OF0010 needs Cancer Waiting Times"):
        derive_tables({"ae_monthly": table}, metrics=["OF0010"])


def test_rounding_is_half_up_from_exact_counts() -> None:
    assert round_half_up(3130, 4000, 100, 1) == 78.3  # 78.25 exactly
    assert round_half_up(1, 8, 100, 1) == 12.5
    assert round_half_up(1, 3, 100, 2) == 33.33
    assert round_half_up(2, 3, 100, 2) == 66.67
    assert round_half_up(0.5, 1, 1, 0) == 1.0


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5000), st.integers(0, 5000)), min_size=3, max_size=3))
def test_quarter_is_sum_over_sum(months: list[tuple[int, int]]) -> None:
    rows = []
    for (att, over), m in zip(months, ("2025-04-01", "2025-05-01", "2025-06-01"), strict=True):
        rows.append((m, "RXX", {"att_type1": att, "over4h_type1": min(over, att)}))
    r = derive_tables({"ae_monthly": ae(rows)}, "2025/26 Q1").values.iloc[0]
    att = sum(a for a, _ in months)
    within = att - sum(min(o, a) for a, o in months)
    assert (r["numerator"], r["denominator"]) == (within, att)
    assert r["value"] == round_half_up(within, att, 100, 1)
    assert 0 <= r["value"] <= 100


# -- editions through files ---------------------------------------------------------------------


def ae_file(tmp_path: Path, name: str, month: str, att: int, over: int) -> Path:
    vals = [att, 0, 0, 0, 0, 0, over] + [0] * 11
    p = tmp_path / name
    p.write_text(f"{AE_HEADER}\n{month},RXX,NHS ENGLAND LONDON,X TRUST,{','.join(map(str, vals))}\n", encoding="utf-8")
    return p


def test_revised_edition_replaces_original_whatever_the_order(tmp_path: Path) -> None:
    apr = ae_file(tmp_path, "ae-2025-04.csv", "MSitAE-APRIL-2025", 100, 10)
    may = ae_file(tmp_path, "ae-2025-05.csv", "MSitAE-MAY-2025", 100, 10)
    jun = ae_file(tmp_path, "ae-2025-06.csv", "MSitAE-JUNE-2025", 100, 10)
    jun_revised = ae_file(tmp_path, "ae-2025-06-revised.csv", "MSitAE-JUNE-2025", 100, 40)
    for order in ([apr, may, jun, jun_revised], [jun_revised, jun, may, apr]):
        r = derive_files(order, "2025/26 Q1")
        assert r.values["numerator"].item() == 300 - 60  # June from the revised file (40 over)
        assert any("ae-2025-06-revised.csv (revised) replaces ae-2025-06.csv (original)" in n for n in r.notes)


def test_later_file_replaces_earlier_original(tmp_path: Path) -> None:
    a = ae_file(tmp_path, "first.csv", "MSitAE-APRIL-2025", 100, 10)
    b = ae_file(tmp_path, "second.csv", "MSitAE-APRIL-2025", 100, 30)
    r = derive_files([a, b], allow_partial=True)
    assert r.values["numerator"].item() == 70
    r = derive_files([b, a], allow_partial=True)
    assert r.values["numerator"].item() == 90


def test_same_file_twice_is_read_once(tmp_path: Path) -> None:
    a = ae_file(tmp_path, "a.csv", "MSitAE-APRIL-2025", 100, 10)
    r = derive_files([a, a], allow_partial=True)
    assert r.values["denominator"].item() == 100
    assert any("same file" in n for n in r.notes)


# -- RTT: incomplete pathways (the NOF definitions) and the completed variants ------------------

BANDS = [f">{i}-{i + 1}" for i in range(104)] + ["104 plus"]


def rtt_header(total: str) -> str:
    cols = ["Region_Code", "Provider_Code", "Provider_Name", "Treatment_Function_Code", "Treatment_Function"]
    cols += [*BANDS[:18], "wait_0_18", *BANDS[18:52], "wait_19_52", *BANDS[52:], "wait_52_plus"]
    return ",".join([*cols, "median_wait", "percentile_95", total, "Time_period"])


def rtt_line(org: str, tf: str, per_band: tuple[int, int, int], unknown: int, month: str) -> str:
    a, b, c = per_band
    cells = [str(a)] * 18 + [str(18 * a)] + [str(b)] * 34 + [str(34 * b)] + [str(c) if c else "-"] * 53 + [str(53 * c) if c else "-"]
    total = 18 * a + 34 * b + 53 * c + unknown
    return ",".join(["Y56", org, f"{org} TRUST", tf, "Total" if tf == "C_999" else "Surgery", *cells, "10.0", "50.0", f'" {total:,}"', month])


def rtt_file(tmp_path: Path, name: str, total: str, month: str, rows: dict[str, tuple[int, int, int]], unknown: int = 0) -> Path:
    lines = [rtt_header(total)]
    for org, bands in rows.items():
        lines += [rtt_line(org, "C_100", bands, unknown, month), rtt_line(org, "C_999", bands, unknown, month)]
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_incomplete_pathways_of0023_of0003_take_the_quarter_end_month(tmp_path: Path) -> None:
    # June 2025, RXX Total: 10 per band up to 18 weeks (180), 5 per band 18-52 (170), 1 per band
    # from 52 weeks (53); 7 with unknown clock start (total column 410).
    # OF0023 = 180 / 403 = 44.665% -> 44.67; OF0003 = 53 / 403 = 13.151% -> 13.15.
    # April and May differ and must not count (snapshot metric, quarter = its last month).
    files = [
        rtt_file(tmp_path, "rtt-incomplete-2025-04.csv", "incomplete_pathways", "2025-04-01", {"RXX": (1, 1, 9)}),
        rtt_file(tmp_path, "rtt-incomplete-2025-05.csv", "incomplete_pathways", "2025-05-01", {"RXX": (1, 1, 9)}),
        rtt_file(tmp_path, "rtt-incomplete-2025-06.csv", "incomplete_pathways", "2025-06-01", {"RXX": (10, 5, 1), "RYY": (2, 0, 0)}, unknown=7),
    ]
    r = derive_files(files, "2025/26 Q1", metrics=["OF0023", "OF0003"])
    got = {(o, m): (v, n, d) for o, m, v, n, d in r.values[["org_code", "metric_id", "value", "numerator", "denominator"]].itertuples(index=False)}
    assert got[("RXX", "OF0023")] == (44.67, 180, 403)
    assert got[("RXX", "OF0003")] == (13.15, 53, 403)
    assert got[("RYY", "OF0003")] == (0.0, 0, 36)  # '-' bands hold no patients
    assert got[("RYY", "OF0023")] == (100.0, 36, 36)
    assert set(r.values["months"]) == {1}


def test_completed_pathways_give_the_variant_not_of0023(tmp_path: Path) -> None:
    adm = rtt_file(tmp_path, "rtt-completed-admitted-2025-06.csv", "completed_pathways", "2025-06-01", {"RXX": (1, 1, 0)})
    non = rtt_file(tmp_path, "rtt-completed-nonadmitted-2025-06.csv", "completed_pathways", "2025-06-01", {"RXX": (2, 0, 0)})
    r = derive_files([adm, non], allow_partial=True)
    assert set(r.values["metric_id"]) == {"RTT-COMPLETED-18W", "RTT-COMPLETED-52W"}
    row = r.values[r.values["metric_id"] == "RTT-COMPLETED-18W"].iloc[0]
    assert (row["numerator"], row["denominator"]) == (18 + 36, 52 + 36)  # admitted + non-admitted
    assert any("needs an incomplete-pathways file" in n for n in r.notes)
    with pytest.raises(OptionError, match="needs an incomplete-pathways file"):
        derive_files([adm, non], metrics=["OF0023"])


def test_variants_are_labelled_as_such() -> None:
    defs = list_definitions().set_index("definition")
    assert defs.loc["rtt_completed_18w.sql", ["metric_id", "status", "variant_of"]].tolist() == ["RTT-COMPLETED-18W", "variant", "OF0023"]
    assert defs.loc["of0023_rtt_18w_incomplete.sql", "status"] == "nof"
    assert not defs["metric_id"].str.contains("OF0023.+", regex=True).any()


# -- cancer and beds ----------------------------------------------------------------------------


def cwt(rows: list[tuple]) -> pd.DataFrame:
    cols = ["period", "org_code", "standard", "route", "modality", "cancer_type", "cut", "total", "within_standard", "breaches"]
    df = pd.DataFrame(rows, columns=cols[:-1])
    df["period"] = pd.to_datetime(df["period"])
    df["breaches"] = df["total"] - df["within_standard"]
    return df


def test_cancer_fds_all_routes_and_62_day_one_cut() -> None:
    rows = []
    for m in ("2025-04-01", "2025-05-01", "2025-06-01"):
        rows += [
            (m, "RXX", "FDS28", "usc", None, "Suspected lung cancer", "fds", 10, 8),
            (m, "RXX", "FDS28", "breast_symptomatic", None, "Breast", "fds", 5, 5),
            (m, "RXX", "FDS28", "screening", None, "Bowel", "fds", 5, 3),
            (m, "RXX", "D62", "usc", "ALL MODALITIES", "Lung", "by_cancer_type", 3.5, 2.5),
            (m, "RXX", "D62", "consultant_upgrade", "ALL MODALITIES", "Lung", "by_cancer_type", 0.5, 0.5),
            (m, "RXX", "D62", "usc", "Surgery", "ALL CANCERS", "by_modality", 3.5, 2.5),
            (m, "RXX", "D62", "consultant_upgrade", "Other", "ALL CANCERS", "by_modality", 0.5, 0.5),
        ]
    r = derive_tables({"cwt": cwt(rows)}, "2025/26 Q1", metrics=["OF0010", "OF0011"])
    got = {m: (n, d, v) for m, n, d, v in r.values[["metric_id", "numerator", "denominator", "value"]].itertuples(index=False)}
    assert got["OF0010"] == (48, 60, 80.0)  # (8 + 5 + 3) x 3 of (10 + 5 + 5) x 3
    assert got["OF0011"] == (9, 12, 75.0)  # by cancer type only: (2.5 + 0.5) x 3 of 4 x 3


def test_beds_occupancy_is_sum_of_occupied_over_sum_of_available() -> None:
    rows = []
    for m, avail, occ in (("2025-04-01", 100, 90), ("2025-05-01", 100, 95), ("2025-06-01", 200, 190)):
        rows += [(m, "Provider", "RXX", "ga_beds_available", avail), (m, "Provider", "RXX", "ga_beds_occupied", occ),
                 (m, "ICB", "QWO", "ga_beds_available", 1), (m, "ICB", "QWO", "ga_beds_occupied", 1)]
    beds = pd.DataFrame(rows, columns=["period", "level", "org_code", "measure", "value"])
    beds["period"] = pd.to_datetime(beds["period"])
    r = derive_tables({"beds": beds}, "2025/26 Q1", metrics=["BEDS-GA-OCCUPANCY"])
    assert r.values[["org_code", "numerator", "denominator", "value"]].values.tolist() == [["RXX", 375, 400, 93.8]]
