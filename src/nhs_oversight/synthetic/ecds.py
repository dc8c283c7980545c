"""A synthetic record-level emergency care dataset (one row per A&E attendance), ECDS-like.

For testing and benchmarking record-level derivation at national scale (about 2 million
attendances a month in England, so 20 million rows is a little under a year). Nothing in it is
real: organisation codes start with ``Z`` (no NHS trust code does) and every value is drawn from
a seeded generator.

Rows are generated in fixed blocks of :data:`BLOCK_ROWS`, each from its own seed derived from
``(seed, block number)``, and written to Parquet one row group per block: memory stays bounded
whatever the size, and the file is identical for the same ``seed`` and ``rows``.

Command line::

    python -m nhs_oversight.synthetic.ecds ecds.parquet --rows 1000000 --seed 7
    oversight synth-ecds ecds.parquet --rows 1000000 --seed 7
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from statistics import NormalDist

import numpy as np

from nhs_oversight.errors import OptionError

BLOCK_ROWS = 1_000_000
DEFAULT_ROWS = 20_000_000
AGE_BANDS = ("0-4", "5-17", "18-64", "65-84", "85+")
_AGE_P = np.array([0.10, 0.12, 0.50, 0.20, 0.08])
#: Schema of the generated file (column -> description).
COLUMNS = {
    "attendance_id": "int64, unique, 1..rows",
    "org_code": "provider code (Z01...)",
    "site_code": "site code: provider code + department type (Z0101 = type 1 ED)",
    "department_type": "1 major ED, 2 single specialty, 3 other A&E (UTC, walk-in, MIU)",
    "booked": "booked appointment",
    "arrival_time": "timestamp (seconds)",
    "departure_time": "timestamp: arrival + duration",
    "duration_minutes": "int32, arrival to admission, transfer or discharge",
    "admitted": "admitted to hospital",
    "age_band": "0-4, 5-17, 18-64, 65-84, 85+",
    "acuity": "1 (most urgent) .. 5",
}


@dataclass(frozen=True)
class Providers:
    """Per-provider parameters, fixed by the seed (not by the number of rows)."""

    codes: list[str]
    weight: np.ndarray  # share of attendances
    type_cum: np.ndarray  # (P, 3) cumulative probability of department types 1, 2, 3
    within4h: np.ndarray  # target share of type 1 attendances within 4 hours


def make_providers(seed: int, count: int) -> Providers:
    if not 1 <= count <= 999:
        raise OptionError("--providers must be between 1 and 999")
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5EED]))
    width = 2 if count < 100 else 3
    codes = [f"Z{i:0{width}d}" for i in range(1, count + 1)]
    weight = rng.lognormal(0.0, 0.5, count)
    weight /= weight.sum()
    has_type1 = rng.random(count) < 0.9
    share1 = np.where(has_type1, rng.uniform(0.45, 0.8, count), 0.0)
    share2 = np.where(rng.random(count) < 0.2, rng.uniform(0.01, 0.05, count), 0.0)
    share3 = 1.0 - share1 - share2
    cum = np.cumsum(np.column_stack([share1, share2, share3]), axis=1)
    cum[:, 2] = 1.0
    within4h = rng.uniform(0.50, 0.85, count)
    return Providers(codes, weight, cum, within4h)


def _month_starts(start: date, months: int) -> np.ndarray:
    out = []
    y, m = start.year, start.month
    for _ in range(months + 1):
        out.append(np.datetime64(f"{y:04d}-{m:02d}-01T00:00:00", "s"))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return np.array(out)


def generate_block(block: int, n: int, seed: int, providers: Providers, start: date, months: int) -> dict[str, np.ndarray]:
    """Columns for rows ``block*BLOCK_ROWS + 1 ..``; depends only on its arguments."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, block]))
    prov = rng.choice(len(providers.codes), size=n, p=providers.weight)
    u = rng.random(n)
    cum = providers.type_cum[prov]
    dept = (1 + (u > cum[:, 0]) + (u > cum[:, 1])).astype(np.int8)

    bounds = _month_starts(start, months)
    span = (bounds[-1] - bounds[0]).astype(np.int64)
    arrival = bounds[0] + rng.integers(0, span, n).astype("timedelta64[s]")
    month_index = np.searchsorted(bounds, arrival, side="right") - 1
    calendar_month = (start.month - 1 + month_index) % 12 + 1
    winter = np.isin(calendar_month, (12, 1, 2)).astype(float)

    age = rng.choice(len(AGE_BANDS), size=n, p=_AGE_P).astype(np.int8)
    acuity = np.clip(np.round(rng.normal(3.2 - 0.2 * (dept == 1), 0.9, n)), 1, 5).astype(np.int8)
    booked = rng.random(n) < np.where(dept == 1, 0.02, 0.05)
    admit_p = np.where(dept == 1, 0.20 + 0.05 * age, np.where(dept == 2, 0.10, 0.01))
    admitted = rng.random(n) < admit_p

    # Time in department: lognormal, calibrated so that a provider's type 1 share within 4 hours
    # is its target (lower in winter); other types are far quicker.
    sigma = 0.75
    z = np.array([NormalDist().inv_cdf(float(p)) for p in providers.within4h])
    mu_type1 = math.log(240.0) - sigma * z
    mu = np.where(dept == 1, mu_type1[prov] + 0.12 * winter, np.where(dept == 2, math.log(150.0), math.log(80.0)))
    mu = mu + 0.25 * admitted + 0.04 * (age >= 3)
    duration = np.clip(np.round(rng.lognormal(mu, sigma)), 5, 4320).astype(np.int32)

    codes = np.array(providers.codes, dtype=object)
    ids = np.arange(block * BLOCK_ROWS + 1, block * BLOCK_ROWS + n + 1, dtype=np.int64)
    return {
        "attendance_id": ids,
        "org_code_idx": prov.astype(np.int32),
        "department_type": dept,
        "booked": booked,
        "arrival_time": arrival,
        "departure_time": arrival + (duration.astype(np.int64) * 60).astype("timedelta64[s]"),
        "duration_minutes": duration,
        "admitted": admitted,
        "age_idx": age,
        "acuity": acuity,
        "_codes": codes,
    }


def _to_arrow(cols: dict[str, np.ndarray]):
    import pyarrow as pa

    codes = cols["_codes"]
    prov = cols["org_code_idx"]
    sites_dict = [f"{c}{t:02d}" for c in codes for t in (1, 2, 3)]
    site_idx = (prov * 3 + cols["department_type"].astype(np.int32) - 1).astype(np.int32)
    return pa.table(
        {
            "attendance_id": pa.array(cols["attendance_id"]),
            "org_code": pa.DictionaryArray.from_arrays(pa.array(prov), pa.array(list(codes), pa.string())),
            "site_code": pa.DictionaryArray.from_arrays(pa.array(site_idx), pa.array(sites_dict, pa.string())),
            "department_type": pa.array(cols["department_type"]),
            "booked": pa.array(cols["booked"]),
            "arrival_time": pa.array(cols["arrival_time"], pa.timestamp("s")),
            "departure_time": pa.array(cols["departure_time"], pa.timestamp("s")),
            "duration_minutes": pa.array(cols["duration_minutes"]),
            "admitted": pa.array(cols["admitted"]),
            "age_band": pa.DictionaryArray.from_arrays(pa.array(cols["age_idx"].astype(np.int32)), pa.array(list(AGE_BANDS), pa.string())),
            "acuity": pa.array(cols["acuity"]),
        }
    )


@dataclass(frozen=True)
class Summary:
    path: Path
    rows: int
    blocks: int
    providers: int
    first_month: date
    months: int
    seed: int


def generate(
    path: str | Path,
    rows: int = DEFAULT_ROWS,
    seed: int = 20250401,
    providers: int = 120,
    start: date = date(2024, 4, 1),
    months: int = 12,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Write ``rows`` synthetic attendances to a Parquet file, one row group per block.

    Parameters
    ----------
    path : output file; written atomically (complete or not at all).
    rows : number of attendances.
    seed : the same seed and rows give the same file.
    providers : number of fictitious providers (``Z01`` ...).
    start : first month of arrivals (day ignored); ``months`` months are covered.
    progress : called with ``(rows_done, rows)`` after each block.
    """
    import pyarrow.parquet as pq

    from nhs_oversight.util.files import atomic_write

    if rows < 1:
        raise OptionError("--rows must be at least 1")
    if months < 1:
        raise OptionError("--months must be at least 1")
    start = date(start.year, start.month, 1)
    prov = make_providers(seed, providers)
    blocks = math.ceil(rows / BLOCK_ROWS)

    def write(tmp: Path) -> None:
        writer = None
        try:
            for b in range(blocks):
                n = min(BLOCK_ROWS, rows - b * BLOCK_ROWS)
                table = _to_arrow(generate_block(b, n, seed, prov, start, months))
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
                writer.write_table(table, row_group_size=BLOCK_ROWS)
                if progress:
                    progress(b * BLOCK_ROWS + n, rows)
        finally:
            if writer is not None:
                writer.close()

    target = atomic_write(path, write)
    return Summary(target, rows, blocks, providers, start, months, seed)


def _parse_month(text: str) -> date:
    try:
        d = datetime.strptime(text.strip(), "%Y-%m")
    except ValueError:
        raise OptionError(f"--start {text!r} is not a month like 2024-04") from None
    return date(d.year, d.month, 1)


def main(argv: list[str] | None = None) -> int:
    """``python -m nhs_oversight.synthetic.ecds OUTPUT [--rows N] [--seed S] ...``"""
    parser = argparse.ArgumentParser(prog="python -m nhs_oversight.synthetic.ecds", description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="Parquet file to write")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--seed", type=int, default=20250401)
    parser.add_argument("--providers", type=int, default=120)
    parser.add_argument("--start", default="2024-04", help="first month, YYYY-MM")
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args(argv)
    try:
        s = generate(args.output, args.rows, args.seed, args.providers, _parse_month(args.start), args.months)
    except OptionError as exc:
        print(f"error: {exc}")
        return 2
    print(f"wrote {s.rows:,} attendances ({s.providers} providers, {s.months} months from {s.first_month:%b %Y}) to {s.path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
