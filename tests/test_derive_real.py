"""Derivation on the real published files, against sums done by hand (awk) and the NOF file."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nhs_oversight.derive import derive_files
from nhs_oversight.derive.successors import successor_frame
from nhs_oversight.sources.ae_monthly import read_ae_monthly


@pytest.fixture(scope="module")
def ae_files(shared_data: Path) -> list[Path]:
    return sorted((shared_data / "ae/monthly").glob("monthly-ae-*.csv"))


@pytest.fixture(scope="module")
def ae_derived(ae_files: list[Path]):
    return derive_files(ae_files)


def value(result, org: str, quarter: str, metric: str = "OF0013") -> pd.Series:
    v = result.values
    return v[(v["org_code"] == org) & (v["period"] == quarter) & (v["metric_id"] == metric)].iloc[0]


def test_months_join_into_complete_quarters(ae_derived) -> None:
    # files run Jun 2024 - Mar 2025: Q1 2024/25 has June only and is left out
    assert sorted(set(ae_derived.values["period"])) == ["2024/25 Q2", "2024/25 Q3", "2024/25 Q4"]
    assert any("left out 2024/25 Q1" in n for n in ae_derived.notes)


def test_of0013_hand_checked_with_awk(ae_derived) -> None:
    # awk -F, '$2=="RWY" {print $5+$6+$7+$8+$9+$10, $11+$12+$13+$14+$15+$16}' monthly-ae-2025-0[123].csv
    #   14485 4954 / 14096 4471 / 16307 2976 -> attended 44,888, over 4 hours 12,401
    row = value(ae_derived, "RWY", "2024/25 Q4")
    assert (row["denominator"], row["numerator"], row["months"]) == (44888, 44888 - 12401, 3)
    assert row["value"] == 72.4  # 32,487 / 44,888 = 72.37%
    # RJ1 Oct-Dec 2024: 18734 5309 / 18592 4765 / 17305 4831
    row = value(ae_derived, "RJ1", "2024/25 Q3")
    assert (row["denominator"], row["numerator"]) == (54631, 54631 - 14905)


def test_merged_trust_counts_under_successor(ae_files: list[Path], ae_derived) -> None:
    # North Middlesex (RAP) joined the Royal Free (RAL) on 1 Jan 2025. Oct-Dec 2024 by awk:
    # RAL 26792+26449+26975 = 80,216 attended, 6796+6612+5922 = 19,330 over 4 hours;
    # RAP 48,537 attended, 17,206 over.
    row = value(ae_derived, "RAL", "2024/25 Q3")
    assert (row["denominator"], row["numerator"]) == (80216 + 48537, 80216 + 48537 - 19330 - 17206)
    assert row["value"] == 71.6
    assert not (ae_derived.values["org_code"] == "RAP").any()
    separate = derive_files(ae_files, "2024/25 Q3", successors=successor_frame([]))
    assert value(separate, "RAL", "2024/25 Q3")["value"] == 75.9  # 60,886 / 80,216
    assert value(separate, "RAP", "2024/25 Q3")["value"] == 64.6  # 31,331 / 48,537


def test_march_2025_england_all_types_is_the_published_75_percent(shared_data: Path) -> None:
    # TOTAL row of the March 2025 file (read by hand): attendances 1418235, 50646, 830779,
    # 32451, 591, 56362; over 4 hours 558656, 2283, 27899, 8339, 25, 546 -> 75.0% all types
    df = read_ae_monthly(shared_data / "ae/monthly/monthly-ae-2025-03.csv")
    att = df[[c for c in df.columns if c.startswith("att_")]].to_numpy().sum()
    over = df[[c for c in df.columns if c.startswith("over4h_")]].to_numpy().sum()
    assert (att, over) == (2389064, 597748)
    assert round(100 * (1 - over / att), 1) == 75.0
    type1 = 100 * (1 - df["over4h_type1"].sum() / df["att_type1"].sum())
    assert round(type1, 1) == 60.6


def test_definition_matches_the_published_of0013_scale(acute_q1: Path, ae_files: list[Path]) -> None:
    """All types incl. booked (our definition) tracks the published values; type 1 alone does not.

    The published OF0013 is for Apr-Jun 2025; the latest derivable quarter is Jan-Mar 2025.
    """
    with open(acute_q1, encoding="utf-8-sig", newline="") as f:
        published = {r["Trust_code"]: float(r["Value"]) for r in csv.DictReader(f) if r["Metric_ID"] == "OF0013"}
    derived = derive_files(ae_files, "2024/25 Q4", metrics=["OF0013"]).values.set_index("org_code")["value"]
    frames = [read_ae_monthly(p) for p in ae_files if p.stem.endswith(("2025-01", "2025-02", "2025-03"))]
    t1 = pd.concat(frames).groupby("org_code")[["att_type1", "over4h_type1"]].sum()
    type1_only = 100 * (1 - t1["over4h_type1"] / t1["att_type1"])
    codes = sorted(published)
    assert len(codes) == 123 and all(c in derived.index for c in codes)
    pub = np.array([published[c] for c in codes])
    ours = derived.loc[codes].to_numpy()
    t1v = type1_only.loc[codes].to_numpy()
    r_ours = np.corrcoef(pub, ours)[0, 1]
    has_type1 = np.isfinite(t1v)  # a few specialist trusts run no type 1 department
    assert has_type1.sum() > 110
    r_t1 = np.corrcoef(pub[has_type1], t1v[has_type1])[0, 1]
    t1v = t1v[has_type1]
    assert r_ours > 0.8 > r_t1 + 0.2
    assert abs(np.median(pub) - np.median(ours)) < 6 < abs(np.median(pub) - np.median(t1v))


def test_cancer_hand_checked(shared_data: Path) -> None:
    # csv module over Apr-Jun 2023, RWY: FDS 3,859 of 5,319; 62-day 326.5 of 371.5
    r = derive_files([shared_data / "cancer/cwt-provider-2023-04-to-2023-09.csv"], "2023/24 Q1")
    fds = value(r, "RWY", "2023/24 Q1", "OF0010")
    assert (fds["numerator"], fds["denominator"], fds["value"]) == (3859, 5319, 72.55)
    d62 = value(r, "RWY", "2023/24 Q1", "OF0011")
    assert (d62["numerator"], d62["denominator"], d62["value"]) == (326.5, 371.5, 87.89)
    rj1 = value(r, "RJ1", "2023/24 Q1", "OF0010")
    assert (rj1["numerator"], rj1["denominator"]) == (4967, 6693)


def test_rtt_completed_variant_hand_checked(shared_data: Path) -> None:
    # csv module, RWY Total function Sep 2025: admitted <=18 weeks 1,597 of 2,203 known;
    # non-admitted 5,516 of 8,573 -> 7,113 / 10,776 = 66.01% (September alone: partial quarter)
    files = sorted((shared_data / "rtt").glob("*-2025-09.csv"))
    r = derive_files(files, "2025/26 Q2", metrics=["RTT-COMPLETED-18W"], allow_partial=True)
    row = value(r, "RWY", "2025/26 Q2", "RTT-COMPLETED-18W")
    assert (row["numerator"], row["denominator"], row["months"], row["value"]) == (7113, 10776, 1, 66.01)


def test_beds_hand_checked(shared_data: Path) -> None:
    r = derive_files([shared_data / "beds/beds-sitrep-2025-09.csv"], allow_partial=True, metrics=["BEDS-GA-OCCUPANCY"])
    row = value(r, "RWY", "2025/26 Q2", "BEDS-GA-OCCUPANCY")
    assert (row["numerator"], row["denominator"], row["value"]) == (700, 730, 95.9)


def revised_copy(src: Path, dest: Path, org: str, extra_over4h: int) -> None:
    """A revised edition: one trust's type 1 breaches raised, and the TOTAL row with them."""
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("Attendances over 4hrs Type 1")
    for r in rows[1:]:
        if r[1] == org or r[1].strip().upper() == "TOTAL":
            r[col] = str(int(r[col]) + extra_over4h)
    with open(dest, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def test_real_revised_edition_replaces_original(ae_files: list[Path], tmp_path: Path) -> None:
    march = next(p for p in ae_files if p.stem.endswith("2025-03"))
    revised = tmp_path / "monthly-ae-2025-03-revised.csv"
    revised_copy(march, revised, "RWY", 1000)
    for files in ([*ae_files, revised], [revised, *ae_files]):
        r = derive_files(files, "2024/25 Q4", metrics=["OF0013"])
        assert value(r, "RWY", "2024/25 Q4")["numerator"] == 32487 - 1000
        assert value(r, "RJ1", "2024/25 Q4")["numerator"] == 16875 + 15958 + 18104 - 4004 - 3727 - 3779
        assert any("monthly-ae-2025-03-revised.csv (revised) replaces monthly-ae-2025-03.csv" in n for n in r.notes)
