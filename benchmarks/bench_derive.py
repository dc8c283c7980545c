"""Record-level derivation: the 4-hour metric (OF0013) from one row per A&E attendance.

Three implementations over the same synthetic Parquet file, measured in the same run, each in
its own fresh process (so peak memory is its own):

* ours: ``derive_tables({"ecds": path})``, the shipped portable SQL definition
  (derive/sql/of0013_ecds_4h.sql) plus the shared quarter step, on DuckDB;
* raw: one hand-written DuckDB query (date_trunc, FILTER, GROUP BY ALL), the fastest plain way;
* pandas: read the three needed columns, group by organisation and month, then by quarter;
* ours-capped: ours with DuckDB's working memory limited to 256 MB, to show memory stays bounded;
* spark: the same shipped SQL through ``spark.sql`` (``derive_tables(..., engine="spark")``) on a
  local Spark session with 2 cores; Spark's start-up (JVM and session) is timed apart from the
  run, and a second run in the same session shows the cost once the JVM has warmed up. Its peak memory is the Python driver's only: the JVM's is not counted. Skipped, saying
  so, without pyspark or Java.

All must return identical numerators and denominators. Targets: ours >= 5x pandas, ours
within 1.5x raw, and ours' peak memory bounded (independent of the number of rows).

Run: ``.venv/bin/python benchmarks/bench_derive.py [--rows 20000000] [--repeat 3]``. The data
file is generated once into the user cache folder (not the repository) and reused.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

IMPLEMENTATIONS = ("ours", "raw", "pandas", "ours-capped", "spark")
CAP = "256MB"


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM, reset at exec; ru_maxrss is not on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ours(path: str) -> list[tuple]:
    from nhs_oversight.derive import derive_tables

    v = derive_tables({"ecds": path}, metrics=["OF0013"]).values
    return [(o, q, float(n), float(d)) for o, q, n, d in v[["org_code", "period", "numerator", "denominator"]].itertuples(index=False)]


def run_ours_capped(path: str) -> list[tuple]:
    """The same definitions on a DuckDB connection limited to CAP of working memory."""
    import duckdb

    from nhs_oversight.derive import connect_sources
    from nhs_oversight.derive.runner import run

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{CAP}'")
    con, present = connect_sources({"ecds": path}, con)
    v = run(con, present, metrics=["OF0013"]).values
    return [(o, q, float(n), float(d)) for o, q, n, d in v[["org_code", "period", "numerator", "denominator"]].itertuples(index=False)]


def run_spark(path: str) -> list[tuple]:
    from nhs_oversight.derive import derive_tables

    v = derive_tables({"ecds": path}, metrics=["OF0013"], engine="spark", spark=SESSION["spark"]).values
    return [(o, q, float(n), float(d)) for o, q, n, d in v[["org_code", "period", "numerator", "denominator"]].itertuples(index=False)]


#: The Spark session, started (and timed) before the run.
SESSION: dict[str, object] = {}


RAW_SQL = """
WITH m AS (
    SELECT org_code, date_trunc('month', arrival_time) AS month,
           count(*) FILTER (WHERE duration_minutes <= 240) AS num, count(*) AS den
    FROM read_parquet('{path}')
    GROUP BY ALL
), q AS (
    SELECT org_code,
           year(month) - CASE WHEN month(month) < 4 THEN 1 ELSE 0 END AS fy,
           (month(month) + 8) % 12 // 3 + 1 AS qn,
           num, den
    FROM m
)
SELECT org_code, fy::VARCHAR || '/' || lpad(((fy + 1) % 100)::VARCHAR, 2, '0') || ' Q' || qn::VARCHAR AS quarter,
       sum(num)::DOUBLE AS num, sum(den)::DOUBLE AS den
FROM q GROUP BY ALL
"""


def run_raw(path: str) -> list[tuple]:
    import duckdb

    con = duckdb.connect()
    rows = con.execute(RAW_SQL.format(path=path.replace("'", "''"))).fetchall()
    return [(o, q, float(n), float(d)) for o, q, n, d in rows]


def run_pandas(path: str) -> list[tuple]:
    import numpy as np
    import pandas as pd

    df = pd.read_parquet(path, columns=["org_code", "arrival_time", "duration_minutes"])
    month = df["arrival_time"].to_numpy().astype("datetime64[M]")
    frame = pd.DataFrame({"org": df["org_code"], "month": month, "within": (df["duration_minutes"] <= 240).to_numpy()})
    monthly = frame.groupby(["org", "month"], observed=True)["within"].agg(["sum", "count"]).reset_index()
    year = monthly["month"].dt.year.to_numpy()
    mon = monthly["month"].dt.month.to_numpy()
    fy = np.where(mon >= 4, year, year - 1)
    qn = (mon + 8) % 12 // 3 + 1
    monthly["quarter"] = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y, q in zip(fy, qn, strict=True)]
    out = monthly.groupby(["org", "quarter"], observed=True)[["sum", "count"]].sum().reset_index()
    return [(str(o), q, float(n), float(d)) for o, q, n, d in out.itertuples(index=False)]


def child(impl: str, path: str) -> None:
    """Time one implementation in this process and print JSON (seconds, peak MB, result)."""
    fn = {"ours": run_ours, "raw": run_raw, "pandas": run_pandas, "ours-capped": run_ours_capped, "spark": run_spark}[impl]
    if impl.startswith("ours") or impl == "spark":
        import nhs_oversight.derive  # noqa: F401  (imports are not part of the timing)
    import duckdb  # noqa: F401
    import pandas  # noqa: F401

    startup = 0.0
    if impl == "spark":
        from nhs_oversight.derive.spark import local_session

        t = time.perf_counter()
        SESSION["spark"] = local_session("local[2]")
        startup = time.perf_counter() - t
    before = peak_mb()
    t = time.perf_counter()
    result = fn(path)
    seconds = time.perf_counter() - t
    warm = 0.0
    if impl == "spark":  # a second run in the same session: what a long-lived session pays
        t = time.perf_counter()
        fn(path)
        warm = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "startup": startup, "warm": warm, "peak_mb": peak_mb(), "base_mb": before, "result": sorted(result)}))


def child_generate(path: str, rows: int, seed: int) -> None:
    """Generate the data in this process and print JSON (seconds, peak MB)."""
    from nhs_oversight.synthetic.ecds import generate

    before = peak_mb()
    t = time.perf_counter()
    generate(path, rows=rows, seed=seed)
    print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": peak_mb(), "base_mb": before}))


def measure(impl: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", impl, "--data", str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def data_file(rows: int, seed: int, given: str | None) -> tuple[Path, dict | None]:
    if given:
        path = Path(given)
    else:
        from platformdirs import user_cache_dir

        folder = Path(user_cache_dir("nhs-oversight", appauthor=False))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"ecds-{rows}-{seed}.parquet"
    if path.exists():
        return path, None
    out = subprocess.run(
        [sys.executable, __file__, "--child", "generate", "--data", str(path), "--rows", str(rows), "--seed", str(seed)],
        capture_output=True, text=True, check=True,
    )
    return path, json.loads(out.stdout)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=20_000_000)
    p.add_argument("--seed", type=int, default=20250401)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--data", help="Parquet file to use (generated if absent)")
    p.add_argument("--child", choices=(*IMPLEMENTATIONS, "generate"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child == "generate":
        child_generate(args.data, args.rows, args.seed)
        return
    if args.child:
        child(args.child, args.data)
        return

    from nhs_oversight.derive.spark import unavailable

    why_not = unavailable()
    impls = [i for i in IMPLEMENTATIONS if i != "spark" or not why_not]
    if why_not:
        print(f"spark: skipped ({why_not})")
    path, gen = data_file(args.rows, args.seed, args.data)
    import pyarrow.parquet as pq

    rows = pq.ParquetFile(path).metadata.num_rows
    size_mb = path.stat().st_size / 1e6
    print(f"data: {path} ({rows:,} rows, {size_mb:,.0f} MB)")
    if gen is None:
        print("generation: file reused (delete it to time the generator)")
    else:
        print(f"generation: {gen['seconds']:.1f} s ({rows / gen['seconds'] / 1e6:.2f} M rows/s), "
              f"peak memory {gen['peak_mb']:.0f} MB ({gen['peak_mb'] - gen['base_mb']:.0f} MB after imports)")

    runs: dict[str, list[dict]] = {i: [] for i in impls}
    for _ in range(args.repeat):  # interleaved, so drift in machine load hits all alike
        for impl in impls:
            runs[impl].append(measure(impl, path))
    results = {i: runs[i][0]["result"] for i in impls}
    same = all(results[i] == results["ours"] for i in impls)
    secs = {i: statistics.median(r["seconds"] for r in runs[i]) for i in impls}
    start = {i: statistics.median(r.get("startup", 0.0) for r in runs[i]) for i in impls}
    warm = {i: statistics.median(r.get("warm", 0.0) for r in runs[i]) for i in impls}
    peak = {i: max(r["peak_mb"] for r in runs[i]) for i in impls}
    base = {i: min(r["base_mb"] for r in runs[i]) for i in impls}

    print(f"\nOF0013 from {rows:,} attendances, median of {args.repeat} runs, each in a fresh process:")
    print(f"{'implementation':<16}{'start-up s':>11}{'seconds':>10}{'M rows/s':>10}{'peak MB':>10}{'of which after imports':>24}")
    for i in impls:
        print(f"{i:<16}{start[i]:>11.2f}{secs[i]:>10.2f}{rows / secs[i] / 1e6:>10.1f}{peak[i]:>10.0f}{peak[i] - base[i]:>24.0f}")
    speedup = secs["pandas"] / secs["ours"]
    overhead = secs["ours"] / secs["raw"]
    print(f"\nresults identical across implementations: {same} ({len(results['ours'])} org-quarters)")
    print(f"ours vs pandas: {speedup:.1f}x faster (target >= 5x): {'met' if speedup >= 5 else 'NOT met'}")
    print(f"ours vs raw SQL: {overhead:.2f}x the time (target <= 1.5x): {'met' if overhead <= 1.5 else 'NOT met'}")
    print(f"peak memory: ours {peak['ours']:.0f} MB, raw {peak['raw']:.0f} MB, pandas {peak['pandas']:.0f} MB "
          f"(ours / pandas = {peak['ours'] / peak['pandas']:.2f})")
    capped = peak["ours-capped"] - base["ours-capped"]
    print(f"bounded: with DuckDB limited to {CAP}, ours takes {secs['ours-capped']:.2f} s and "
          f"{capped:.0f} MB above its imports; the limit holds at any size, while pandas needs "
          f"{peak['pandas'] - base['pandas']:.0f} MB here and grows with the rows")
    if "spark" in secs:
        print(f"spark (local[2], same SQL): start-up {start['spark']:.1f} s, first run {secs['spark']:.2f} s = "
              f"{secs['spark'] / secs['ours']:.1f}x DuckDB's time on this one machine; a second run in the same session "
              f"{warm['spark']:.2f} s = {warm['spark'] / secs['ours']:.1f}x (peak MB: Python driver only)")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
