"""Synthetic record-level emergency care data: determinism, schema, and derivation from records."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from nhs_oversight.cli import main
from nhs_oversight.derive import derive_tables
from nhs_oversight.derive.runner import round_half_up
from nhs_oversight.sources.ae_monthly import COUNTS
from nhs_oversight.synthetic import ecds as synthetic_ecds


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    path = tmp_path_factory.mktemp("ecds") / "ecds.parquet"
    synthetic_ecds.generate(path, rows=30_000, seed=11, providers=8, start=date(2024, 4, 1), months=6)
    return path, pd.read_parquet(path)


def test_same_seed_same_file_other_seed_other_file(tmp_path: Path) -> None:
    a, b, c = (tmp_path / f"{n}.parquet" for n in "abc")
    synthetic_ecds.generate(a, rows=2000, seed=5, providers=5)
    synthetic_ecds.generate(b, rows=2000, seed=5, providers=5)
    synthetic_ecds.generate(c, rows=2000, seed=6, providers=5)
    assert digest(a) == digest(b) != digest(c)


def test_blocks_bound_memory_and_do_not_change_the_rows(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(synthetic_ecds, "BLOCK_ROWS", 1000)
    big, small = tmp_path / "big.parquet", tmp_path / "small.parquet"
    synthetic_ecds.generate(big, rows=2500, seed=9, providers=4)
    synthetic_ecds.generate(small, rows=1000, seed=9, providers=4)
    meta = pq.ParquetFile(big).metadata
    assert (meta.num_row_groups, meta.num_rows) == (3, 2500)  # one row group per block
    whole, head = pd.read_parquet(big), pd.read_parquet(small)
    assert whole["attendance_id"].tolist() == list(range(1, 2501))
    pd.testing.assert_frame_equal(whole.iloc[:1000].reset_index(drop=True), head)


def test_schema_and_values(sample) -> None:
    _, df = sample
    assert list(df.columns) == list(synthetic_ecds.COLUMNS)
    assert len(df) == 30_000 and df["attendance_id"].is_unique
    assert df["org_code"].astype(str).str.fullmatch(r"Z0[1-8]").all()
    assert (df["site_code"].astype(str).str[:3] == df["org_code"].astype(str)).all()
    assert (df["site_code"].astype(str).str[3:].astype(int) == df["department_type"]).all()
    assert set(df["department_type"]) <= {1, 2, 3}
    assert (df["departure_time"] - df["arrival_time"] == pd.to_timedelta(df["duration_minutes"], unit="min")).all()
    assert df["arrival_time"].min() >= pd.Timestamp("2024-04-01") and df["arrival_time"].max() < pd.Timestamp("2024-10-01")
    assert set(df["age_band"].astype(str)) == set(synthetic_ecds.AGE_BANDS)
    assert df["duration_minutes"].between(5, 4320).all()
    # plausible: some attendances over four hours, type 3 mostly quick
    assert 0.05 < (df["duration_minutes"] > 240).mean() < 0.5
    assert (df.loc[df["department_type"] == 3, "duration_minutes"] <= 240).mean() > 0.9


def by_hand(df: pd.DataFrame, within: pd.Series, rows: pd.Series) -> dict[tuple[str, str], float]:
    """Quarter shares computed with pandas, independently of the SQL."""
    month = df["arrival_time"].dt.month
    year = df["arrival_time"].dt.year
    fy = np.where(month >= 4, year, year - 1)
    quarter = [f"{y}/{(y + 1) % 100:02d} Q{(m - 4) % 12 // 3 + 1}" for y, m in zip(fy, month, strict=True)]
    frame = pd.DataFrame({"org": df["org_code"].astype(str), "q": quarter, "w": within.astype(int), "r": rows.astype(int)})
    g = frame.groupby(["org", "q"])[["w", "r"]].sum()
    return {k: round_half_up(w, r, 100, 1) for k, (w, r) in g.iterrows() if r > 0}


def test_record_level_4_hour_matches_pandas(sample) -> None:
    path, df = sample
    r = derive_tables({"ecds": str(path)}, metrics=["OF0013"])
    got = {(o, q): v for o, q, v in r.values[["org_code", "period", "value"]].itertuples(index=False)}
    expected = by_hand(df, df["duration_minutes"] <= 240, pd.Series(True, index=df.index))
    assert got == expected and len(got) == 8 * 2


def test_record_level_12_hours_type_1_matches_pandas(sample) -> None:
    path, df = sample
    r = derive_tables({"ecds": str(path)}, metrics=["OF0014"])
    got = {(o, q): (n, d) for o, q, n, d in r.values[["org_code", "period", "numerator", "denominator"]].itertuples(index=False)}
    t1 = df[df["department_type"] == 1]
    month = t1["arrival_time"].dt.month
    q = np.where(month.isin([4, 5, 6]), "2024/25 Q1", "2024/25 Q2")
    g = pd.DataFrame({"o": t1["org_code"].astype(str), "q": q, "over": t1["duration_minutes"] > 720}).groupby(["o", "q"])["over"].agg(["sum", "count"])
    assert got == {k: (float(s), float(c)) for k, (s, c) in g.iterrows()}


def test_record_level_and_monthly_aggregate_definitions_agree(sample) -> None:
    """Aggregating the records into the monthly A&E layout gives the same OF0013 as the records."""
    path, df = sample
    month = df["arrival_time"].dt.to_period("M").dt.to_timestamp()
    over = df["duration_minutes"] > 240
    records = []
    for (org, m), part in df.assign(month=month, over=over).groupby(["org_code", "month"], observed=True):
        rec = {"period": m, "org_code": str(org)} | {c: 0.0 for c in COUNTS}
        for t in (1, 2, 3):
            for booked, prefix in ((False, ""), (True, "booked_")):
                sel = part[(part["department_type"] == t) & (part["booked"] == booked)]
                rec[f"att_{prefix}type{t}"] = float(len(sel))
                rec[f"over4h_{prefix}type{t}"] = float(sel["over"].sum())
        records.append(rec)
    monthly = derive_tables({"ae_monthly": pd.DataFrame(records)}, metrics=["OF0013"]).values
    recs = derive_tables({"ecds": str(path)}, metrics=["OF0013"]).values
    cols = ["org_code", "period", "value", "numerator", "denominator", "months"]
    pd.testing.assert_frame_equal(monthly[cols], recs[cols])
    both = derive_tables({"ecds": str(path), "ae_monthly": pd.DataFrame(records)}, metrics=["OF0013"])
    assert len(both.values) == 2 * len(recs)
    assert any("OF0013 is derived by 2 definitions" in n for n in both.notes)


def test_cli_and_module_entry(tmp_path: Path, capsys) -> None:
    out = tmp_path / "e.parquet"
    assert main(["synth-ecds", str(out), "--rows", "3000", "--providers", "3", "--start", "2025-01", "--months", "3"]) == 0
    assert "3,000 SYNTHETIC attendances" in capsys.readouterr().out
    assert main(["derive", str(out), "--quarter", "2024/25 Q4", "--metric", "OF0013", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("org_code,metric_id,period,value") and len(lines) == 4
    assert all(",OF0013,2024/25 Q4," in line and line.endswith(",of0013_ecds_4h,") for line in lines[1:])
    assert main(["synth-ecds", str(tmp_path / "x.parquet"), "--rows", "0"]) == 2
    assert main(["synth-ecds", str(tmp_path / "x.parquet"), "--start", "April"]) == 2
    assert "not a month" in capsys.readouterr().err
    mod = subprocess.run([sys.executable, "-m", "nhs_oversight.synthetic.ecds", str(tmp_path / "m.parquet"), "--rows", "500"],
                         capture_output=True, text=True, timeout=120)
    assert mod.returncode == 0 and "wrote 500 attendances" in mod.stdout


def test_parquet_without_ecds_columns_is_refused(tmp_path: Path, capsys) -> None:
    p = tmp_path / "other.parquet"
    pd.DataFrame({"a": [1]}).to_parquet(p)
    assert main(["derive", str(p)]) == 2
    assert "lacks column(s) arrival_time" in capsys.readouterr().err


def test_a_folder_of_parquet_parts(sample, tmp_path: Path) -> None:
    path, df = sample
    folder = tmp_path / "parts"
    folder.mkdir()
    df.iloc[:12_000].to_parquet(folder / "part-0.parquet")
    df.iloc[12_000:].to_parquet(folder / "part-1.parquet")
    from nhs_oversight.derive import derive_files

    whole = derive_tables({"ecds": str(path)}, metrics=["OF0013"]).values
    parts = derive_files([folder], metrics=["OF0013"]).values
    pd.testing.assert_frame_equal(whole, parts)
