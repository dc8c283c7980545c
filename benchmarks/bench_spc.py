"""SPC for 10,000 series of 36 points: one vectorised call against a per-series Python loop.

The baseline is :mod:`nhs_oversight.stats.spc.reference`, a literal one-series-at-a-time
version of the same method, called once per series in the same run on the same data. The
script checks that both give the same labels before printing the timings and their ratio.

Run: ``.venv/bin/python benchmarks/bench_spc.py [--series 10000] [--points 36]``
Targets: the vectorised call under 1 s and at least 20 times faster than the loop.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from nhs_oversight.stats.spc import spc
from timing import best_of, tests_on_path

tests_on_path()
from reference_spc import spc_one  # noqa: E402  (the references live in tests/)


def make_data(n_series: int, n_points: int, seed: int) -> pd.DataFrame:
    """Monthly series with level shifts, trends and spikes so that every rule has work to do."""
    rng = np.random.default_rng(seed)
    y = rng.normal(50, 5, size=(n_series, n_points)).round(1)
    shift_at = rng.integers(12, n_points, size=n_series)
    steps = np.arange(n_points)[None, :] >= shift_at[:, None]
    y += np.where(steps, rng.choice([-8.0, 0.0, 8.0], size=n_series)[:, None], 0.0)
    spikes = rng.random((n_series, n_points)) < 0.02
    y[spikes] += 30
    months = pd.date_range("2022-04-01", periods=n_points, freq="MS")
    return pd.DataFrame(
        {
            "org_code": np.repeat([f"R{i:05d}" for i in range(n_series)], n_points),
            "month": np.tile(months, n_series),
            "value": y.ravel(),
        }
    )


def vectorised(df: pd.DataFrame) -> pd.DataFrame:
    return spc(df, date="month", value="value", group="org_code", improvement="increase", target=55.0)


def loop(df: pd.DataFrame) -> list[list[str]]:
    values = df["value"].to_numpy().reshape(-1, df["month"].nunique())
    return [spc_one(row.tolist(), 1, target=55.0)["special_cause"] for row in values]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many vectorised runs")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    df = make_data(args.series, args.points, args.seed)
    vectorised(df.head(args.points * 10))  # warm-up (imports, first-call costs)
    w_vec, c_vec, out = best_of(lambda: vectorised(df), args.repeat)
    w_loop, c_loop, labels = best_of(lambda: loop(df), 1)

    same = out["special_cause"].tolist() == [lab for series in labels for lab in series]
    flagged = int(out["special_cause_flag"].sum())
    print(f"series x points       : {args.series:,} x {args.points} = {len(df):,} points (seed {args.seed})")
    print(f"special-cause points  : {flagged:,} ({flagged / len(df):.1%}); both methods agree: {same}")
    print("                         wall clock    CPU time")
    print(f"vectorised spc()      : {w_vec:8.3f} s  {c_vec:8.3f} s   (best of {args.repeat})")
    print(f"per-series loop       : {w_loop:8.3f} s  {c_loop:8.3f} s   (reference implementation, one call per series)")
    print(f"ratio loop/vectorised : {w_loop / w_vec:8.1f} x  {c_loop / c_vec:8.1f} x")
    print(f"targets               : under 1 s {'met' if w_vec < 1 else 'MISSED'}; "
          f">= 20 x {'met' if w_loop / w_vec >= 20 else 'MISSED'} (wall clock)")
    if not same:
        raise SystemExit("the vectorised and per-series results differ")


if __name__ == "__main__":
    main()
