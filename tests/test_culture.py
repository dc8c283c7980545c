"""Culture and safety signals: the real staff survey file and the synthetic department file."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nhs_oversight.errors import InputError, OptionError
from nhs_oversight.sources.culture_detail import read_culture_detail
from nhs_oversight.sources.staff_survey import read_staff_survey
from nhs_oversight.stats.culture import culture_signals, department_signals

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "nhs_oversight" / "data" / "examples" / "culture-departments-synthetic.csv"


@pytest.fixture(scope="module")
def signals(nss_path):
    r = read_staff_survey(nss_path)
    return culture_signals(r.organisations, r.values, year=2023)


def _hand_funnel(nss_path: Path, group: str, year: str, measure: str) -> dict[str, tuple[float, float, float]]:
    """Statistics.md 2.3-2.4 written out literally: arcsine z, 10 % Winsorising, DerSimonian-Laird."""
    with open(nss_path, encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["Year"] == year and r["Benchmarking group"] == group]
    n = [float(r[f"{measure}_base"]) for r in rows]
    p = [float(r[f"{measure}_rate"]) / 100 for r in rows]
    target = sum(pi * ni for pi, ni in zip(p, n, strict=True)) / sum(n)
    t0 = math.asin(math.sqrt(target))
    s = [1 / (2 * math.sqrt(ni)) for ni in n]
    z = [(math.asin(math.sqrt(pi)) - t0) / si for pi, si in zip(p, s, strict=True)]
    lo, hi = np.quantile(z, [0.1, 0.9])
    phi = sum(min(max(zi, lo), hi) ** 2 for zi in z) / len(z)
    w = [1 / si**2 for si in s]
    tau2 = max(0.0, (len(z) * phi - (len(z) - 1)) / (sum(w) - sum(wi**2 for wi in w) / sum(w)))
    out = {}
    for r, pi, si in zip(rows, p, s, strict=True):
        upper = math.sin(min(t0 + 3.090232 * math.sqrt(si**2 + tau2), math.pi / 2)) ** 2
        out[r["ODS code"]] = (pi * 100, target * 100, upper * 100)
    return out


def test_ambulance_trust_flagged_for_harassment_from_colleagues(nss_path, signals):
    # East of England Ambulance Service (RYC), 2023: 23.5 % vs 18.0 % for ambulance trusts; the
    # hand calculation puts its 99.8 % upper limit at 20.75 %.
    hand = _hand_funnel(nss_path, "Ambulance Trusts", "2023", "Emotional_colleagues")
    pct, expected, upper = hand["RYC"]
    assert pct > upper
    row = signals.outliers.query("org_code == 'RYC' and measure == 'Emotional_colleagues'").iloc[0]
    assert row["expected_percent"] == pytest.approx(expected, rel=1e-9)
    assert row["ucl998"] == pytest.approx(upper, rel=1e-9)
    assert row["band"] == "beyond 99.8% (high)" and row["concern"] == 2
    assert row["reason"] == (
        "Harassment, bullying or abuse from other colleagues 23.5% vs 18.0% expected for 2,414"
        " respondents: above the 99.8% limit"
    )
    watch = signals.watchlist.set_index("org_code")
    assert "Harassment, bullying or abuse from other colleagues 23.5%" in watch.loc["RYC", "reasons"]


def test_every_flag_agrees_with_the_hand_calculation_in_one_group(nss_path, signals):
    hand = _hand_funnel(nss_path, "Acute Specialist Trusts", "2023", "Emotional_manager")
    got = signals.outliers.query("measure == 'Emotional_manager' and comparison_group == 'Acute Specialist Trusts'")
    assert len(got) == len(hand)
    for _, r in got.iterrows():
        pct, _, upper = hand[r["org_code"]]
        assert (r["concern"] == 2) == (pct > upper)


def test_only_trusts_are_compared_and_groups_are_separate(signals):
    groups = set(signals.outliers["comparison_group"])
    assert "CCGs" not in groups and "ICBs" not in groups
    assert "Ambulance Trusts" in groups
    assert signals.meta["compare_within"] == "benchmarking_group"


def test_watchlist_is_ranked_and_every_reason_is_a_concern(signals):
    w = signals.watchlist
    assert list(w["rank"]) == list(range(1, len(w) + 1))
    keys = list(zip(w["flags_998"], w["flags_95"], w["max_abs_z"], strict=True))
    assert keys == sorted(keys, reverse=True)
    flagged = signals.outliers[signals.outliers["concern"] > 0]
    assert set(w["org_code"]) == set(flagged["org_code"])
    # a measure where higher is better is a concern only when low
    good = signals.outliers.query("measure == 'Enough_staff' and concern > 0")
    assert (good["band"].str.endswith("(low)")).all()


def test_trend_has_three_years_intervals_and_says_why_not_spc(signals, nss_path):
    t = signals.trend.query("org_code == 'R0A' and measure == 'Autonomy'").sort_values("year")
    assert list(t["year"]) == [2021, 2022, 2023]
    with open(nss_path, encoding="utf-8-sig", newline="") as f:
        raw = {r["Year"]: r for r in csv.DictReader(f) if r["ODS code"] == "R0A"}
    for _, row in t.iterrows():
        cell = raw[str(row["year"])]
        p, n = float(cell["Autonomy_rate"]) / 100, float(cell["Autonomy_base"])
        z = 1.959964
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        assert row["lower95"] == pytest.approx((centre - half) * 100)
        assert row["upper95"] == pytest.approx((centre + half) * 100)
    assert "SPC needs at least 13 points" in t["note"].iloc[0]
    assert t["change"].iloc[0] == ""
    assert t["change"].iloc[2] == "significantly better"  # 53.0 % -> 56.6 % with ~10,000 respondents


def test_unknown_year_or_measure(nss_path):
    r = read_staff_survey(nss_path)
    with pytest.raises(OptionError, match="year 2019"):
        culture_signals(r.organisations, r.values, year=2019)
    with pytest.raises(OptionError, match="measure 'Happiness'"):
        culture_signals(r.organisations, r.values, measures=["Happiness"])


# --------------------------------------------------------------------------- departments


@pytest.fixture(scope="module")
def detail():
    return read_culture_detail(EXAMPLE)


@pytest.fixture(scope="module")
def dept(detail):
    return department_signals(detail.survey, detail.workforce)


def test_example_file_is_labelled_synthetic(detail):
    assert detail.synthetic
    assert detail.excluded_rows == [22, 35]  # the "Not stated" rows
    assert detail.measures == ["career_progression", "discrimination_staff", "harassment_public", "harassment_staff"]


def test_planted_hotspot_is_found(dept):
    h = dept.hotspots.set_index(["org_code", "unit", "measure"])
    ed = h.loc[("SYN01", "Emergency Department", "harassment_staff")]
    assert ed["status"] == "hotspot"
    assert ed["percent"] == pytest.approx(100 * (51 + 34) / 240)
    statuses = dept.hotspots.query("measure == 'harassment_staff' and org_code == 'SYN01'")["status"]
    assert (statuses == "hotspot").sum() == 1
    assert 0 <= ed["p_hotspot"] <= 1


def test_planted_gaps_found_and_small_cell_suppressed(dept):
    g = dept.gaps.set_index(["org_code", "unit", "measure"])
    maternity = g.loc[("SYN01", "Maternity", "harassment_staff")]
    assert maternity["status"] == "gap: BME staff worse off"
    assert maternity["percent_bme"] == pytest.approx(100 * 27 / 75)
    assert maternity["percent_white"] == pytest.approx(100 * 24 / 140)
    assert maternity["difference_lower95"] > 0
    surgery = g.loc[("SYN01", "Surgery", "career_progression")]
    assert surgery["status"] == "gap: BME staff worse off" and surgery["difference_upper95"] < 0
    pharmacy = g.loc[("SYN01", "Pharmacy")]
    assert (pharmacy["status"] == "suppressed").all()
    assert pharmacy["percent_bme"].isna().all() and pharmacy["difference_points"].isna().all()


def test_fdr_q_values_are_benjamini_hochberg_within_trust_and_measure(dept):
    part = dept.gaps.query("org_code == 'SYN01' and measure == 'career_progression' and status != 'suppressed'")
    p = part["p_value"].to_numpy()
    m = len(p)
    order = np.argsort(p)
    q_hand = np.empty(m)
    running = 1.0
    for k in range(m - 1, -1, -1):
        running = min(running, p[order[k]] * m / (k + 1))
        q_hand[order[k]] = running
    np.testing.assert_allclose(part["q_value"].to_numpy(), q_hand)


def test_wres_relative_likelihoods_from_counts(dept):
    raw = pd.read_csv(EXAMPLE)
    raw = raw[raw["ethnicity"].isin(["White", "BME"])]
    s = raw[raw["org_code"] == "SYN01"].groupby("ethnicity")[["shortlisted", "appointed", "headcount", "disciplinary"]].sum()
    w = dept.wres.set_index(["org_code", "indicator"])
    ind2 = (s.at["White", "appointed"] / s.at["White", "shortlisted"]) / (s.at["BME", "appointed"] / s.at["BME", "shortlisted"])
    assert w.loc[("SYN01", 2), "estimate"] == pytest.approx(ind2)
    ind3 = (s.at["BME", "disciplinary"] / s.at["BME", "headcount"]) / (s.at["White", "disciplinary"] / s.at["White", "headcount"])
    assert w.loc[("SYN01", 3), "estimate"] == pytest.approx(ind3)
    assert w.loc[("SYN01", 2), "lower95"] > 1  # White applicants favoured, significantly
    assert set(w.loc["SYN01"].index) == {2, 3, 4, 5, 6, 7, 8}


def test_monte_carlo_is_reproducible_with_its_seed(detail):
    a = department_signals(detail.survey, detail.workforce, seed=7, draws=500)
    b = department_signals(detail.survey, detail.workforce, seed=7, draws=500)
    pd.testing.assert_frame_equal(a.gaps, b.gaps)
    assert a.meta["seed"] == 7


DETAIL_HEADER = "org_code,unit,ethnicity,respondents,harassment_staff_yes\n"


@pytest.mark.parametrize(
    ("text", "row", "column", "words"),
    [
        ("org_code,unit,respondents,harassment_staff_yes\nR1,A,20,3\n", 1, "ethnicity", "missing column"),
        ("org_code,unit,ethnicity,respondents\nR1,A,White,20\n", 1, None, "no measure columns"),
        (DETAIL_HEADER + "R1,A,White,20,three\n", 2, "harassment_staff_yes", "not a number"),
        (DETAIL_HEADER + "R1,A,Asian,20,3\n", 2, "ethnicity", "not White or BME"),
        (DETAIL_HEADER + "R1,A,White,20,30\n", 2, "harassment_staff_yes", "more than respondents"),
        (DETAIL_HEADER + "R1,A,White,20.5,3\n", 2, "respondents", "not a count"),
        (DETAIL_HEADER + "R1,A,White,20,3\nR1,A,White,21,3\n", 2, "ethnicity", "duplicate"),
        (DETAIL_HEADER, "any", None, "rows"),
    ],
)
def test_department_file_bad_input(tmp_path, text, row, column, words):
    p = tmp_path / "d.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_culture_detail(p)
    assert words in str(exc.value)
    if row != "any":  # a header-only file: the shared CSV helper decides which row to name
        assert exc.value.row == row
    if column:
        assert exc.value.column == column
