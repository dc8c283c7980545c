"""Dashboard load test against datasette serving the same league table, in the same run.

* ours: ``oversight serve --synthetic`` (SYNTHETIC 2025/26 Q2 with Q1 as the previous quarter);
  the league table (``/league``, 205 rows) and trust pages (``/trust/{code}``, rotating over 50
  trusts), after one request each to fill the page cache.
* baseline: datasette serving the same league table from SQLite: ``/league/league_table?_size=max``
  (205 rows) and the row pages ``/league/league_table/{code}``.

Each is measured with wrk, 50 concurrent connections, 2 threads, twice: plain requests, and with
``Accept-Encoding: gzip`` as browsers send it (the dashboard keeps a gzip copy of each cached page;
datasette answers uncompressed either way). datasette runs with facet suggestions off, since the
dashboard's table has no facets. Printed: p50 and p95 latency and requests per second. Targets:
our p95 < 50 ms and our throughput >= datasette's.

datasette is not a dependency of the project: it is installed with pip into its own virtual
environment in the user's cache folder the first time (``--datasette PATH`` uses an existing
datasette executable instead). wrk comes from Debian (``apt-get install wrk``).

Run: ``.venv/bin/python benchmarks/bench_web.py [--duration 10] [--json results.json]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nhs_oversight as no

CONNECTIONS = 50
THREADS = 2
TRUSTS = 50

LUA = r"""
local paths = {}
local headers = {}
local i = 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  if args[2] == "gzip" then headers["Accept-Encoding"] = "gzip, deflate" end
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers)
end
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "p99_ms": %f, "socket_errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors, summary.errors.status))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def fetch_all(base: str, paths: list[str]) -> None:
    for p in paths:
        with urllib.request.urlopen(base + p, timeout=120) as r:
            r.read()


def datasette_executable(given: str | None) -> str:
    """An installed datasette, or one installed with pip into a cache folder on first use."""
    if given:
        return given
    from platformdirs import user_cache_dir

    venv = Path(user_cache_dir("nhs-oversight", appauthor=False)) / "bench-datasette"
    exe = venv / "bin" / "datasette"
    if not exe.exists():
        print(f"installing datasette into {venv} (first run only)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "datasette"], check=True)
    return str(exe)


def league_db(a, folder: Path) -> Path:
    """The league table in SQLite, ODS code as primary key (datasette's row pages)."""
    table = a.league_table(wide=False)
    path = folder / "league.db"
    con = sqlite3.connect(path)
    cols = ", ".join(f'"{c}"' + (" TEXT PRIMARY KEY" if c == "org_code" else "") for c in table.columns)
    con.execute(f"CREATE TABLE league_table ({cols})")
    rows = [tuple(None if v != v else (v.item() if hasattr(v, "item") else v) for v in r) for r in table.itertuples(index=False)]
    con.executemany(f"INSERT INTO league_table VALUES ({', '.join('?' * len(table.columns))})", rows)
    con.commit()
    con.close()
    return path


def wrk(base: str, paths: list[str], duration: int, folder: Path, name: str, gzip: bool = False) -> dict:
    script = folder / "rotate.lua"
    script.write_text(LUA)
    listing = folder / f"{name}.paths"
    listing.write_text("\n".join(paths) + "\n")
    out = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--timeout", "10s", "-s", str(script), base, "--", str(listing), "gzip" if gzip else "plain"],
        capture_output=True, text=True, check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def start(cmd: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(cmd, stdout=log.open("w"), stderr=subprocess.STDOUT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--datasette", help="path of a datasette executable to use")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    a = no.assess(no.synthetic_inputs("2025/26 Q2"))
    codes = list(a.summary["org_code"].iloc[:: max(1, len(a.summary) // TRUSTS)][:TRUSTS])
    datasette = datasette_executable(args.datasette)
    procs: list[subprocess.Popen] = []
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = league_db(a, folder)
        ours_port, ds_port = free_port(), free_port()
        exe = Path(sys.executable).with_name("oversight")
        try:
            procs.append(start([str(exe), "serve", "--synthetic", "--host", "127.0.0.1", "--port", str(ours_port)], folder / "ours.log"))
            procs.append(start([datasette, "serve", str(db), "--host", "127.0.0.1", "--port", str(ds_port),
                                "--setting", "suggest_facets", "off"], folder / "datasette.log"))
            ours, theirs = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{ds_port}"
            wait_for(ours + "/method")
            wait_for(theirs + "/league/league_table?_size=max")
            cases = {
                "league table": (["/league"], ["/league/league_table?_size=max"]),
                "trust page": ([f"/trust/{c}" for c in codes], [f"/league/league_table/{c}" for c in codes]),
            }
            for name, (mine, baseline) in cases.items():
                fetch_all(ours, mine)  # fill the page cache (the data never change while serving)
                fetch_all(theirs, baseline)
                for gz in (False, True):
                    label = f"{name}{', gzip' if gz else ''}"
                    results[f"{label}: nhs-oversight"] = wrk(ours, mine, args.duration, folder, "ours", gz)
                    results[f"{label}: datasette"] = wrk(theirs, baseline, args.duration, folder, "theirs", gz)
        finally:
            for p in procs:
                p.terminate()
                p.wait(timeout=30)

    print(f"wrk, {CONNECTIONS} connections, {THREADS} threads, {args.duration} s per run; SYNTHETIC 205 trusts")
    print(f"{'':40} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>9} {'errors':>7}")
    for name, r in results.items():
        print(f"{name:40} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['rps']:9.0f} {r['socket_errors'] + r['non_2xx']:7d}")
    for name in ("league table", "league table, gzip", "trust page", "trust page, gzip"):
        ours_r, ds_r = results[f"{name}: nhs-oversight"], results[f"{name}: datasette"]
        ok_p95 = ours_r["p95_ms"] < 50
        ok_rps = ours_r["rps"] >= ds_r["rps"]
        print(f"{name}: p95 {ours_r['p95_ms']:.1f} ms (target < 50: {'met' if ok_p95 else 'NOT met'}); "
              f"throughput {ours_r['rps'] / ds_r['rps']:.1f}x datasette's (target >= 1: {'met' if ok_rps else 'NOT met'})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
