"""Dashboard load test against datasette serving the same league table, in the same run.

* ours: ``oversight serve --synthetic`` (SYNTHETIC 2025/26 Q2 with Q1 as the previous quarter);
  the league table (``/league``, 205 rows) and trust pages (``/trust/{code}``, rotating over 50
  trusts), after one request each to fill the page cache; and the league table with a new query
  each request (uncached): filters by region, trust type, segment and search text, sorted by any
  column either way, drawn from 95,000 distinct combinations, each wrk thread starting at a
  random place in the list, so that no query repeats within a run.
* baseline: datasette serving the same league table from SQLite: ``/league/league_table?_size=max``
  (205 rows), the row pages ``/league/league_table/{code}``, and the same filters and sorts as
  datasette queries (``region=``, ``trust_type=``, ``final_segment=``, ``org_name__contains=``,
  ``_sort=`` / ``_sort_desc=``).

Each is measured with wrk, 50 concurrent connections, 2 threads, twice: plain requests, and with
``Accept-Encoding: gzip`` as browsers send it (the dashboard makes a gzip copy of a page when a
client first accepts gzip; datasette answers uncompressed either way). datasette runs with facet
suggestions off, since the dashboard's table has no facets. Printed: p50, p95 and p99 latency,
requests per second, errors, and (on Linux) the server's CPU time per request, read from /proc,
which depends less than latency on what else the machine is doing (with workers, summed over
them). The new-query case is then run again on ``oversight serve --workers N``, one server process
per core (at least two), since one process renders on one core. Targets: our p95 < 50 ms and our
throughput >= datasette's.

datasette is not a dependency of the project: it is installed with pip into its own virtual
environment in the user's cache folder the first time (``--datasette PATH`` uses an existing
datasette executable instead). wrk comes from Debian (``apt-get install wrk``).

Run: ``.venv/bin/python benchmarks/bench_web.py [--duration 10] [--json results.json]``
"""

from __future__ import annotations

import argparse
import json
import os
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
#: ``serve --workers`` for the last case: one server process per core
WORKERS = max(2, os.cpu_count() or 2)
TRUSTS = 50

LUA = r"""
local paths = {}
local headers = {}
local i = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  if args[2] == "gzip" then headers["Accept-Encoding"] = "gzip, deflate" end
  if args[3] == "random" then
    math.randomseed(os.time() * 1000 + id)
    i = math.random(#paths)
  end
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


REGIONS = ["", "East", "London", "Midlands", "North East", "North West", "South East", "South West"]
TYPES = ["", "acute", "mental_health_community", "ambulance"]
SEGMENTS = ["", "1", "2", "3", "4", "5"]
SEARCH = ["", "north", "south", "east", "west", "royal", "hospital", "teaching", "vale", "general", "health",
          "z1", "z2", "z3", "z0", "mere", "ford", "ton", "bridge", "st", "care", "foundation", "trust", "an",
          "el", "ha", "wo", "ly", "ri", "ou", "in"]
#: league-page sort key -> the column datasette sorts by
SORT_COLUMNS = {"rank": "rank", "code": "org_code", "name": "org_name", "region": "region", "type": "trust_type",
                "average": "average_score", "segment": "final_segment", "metrics": "n_metrics"}


def league_queries(seed: int = 1) -> tuple[list[str], list[str]]:
    """Every combination of filters, search and order, shuffled: (our paths, datasette's paths)."""
    import itertools
    import random
    from urllib.parse import urlencode

    combos = list(itertools.product(REGIONS, TYPES, SEGMENTS, SORT_COLUMNS, ("asc", "desc"), SEARCH))
    random.Random(seed).shuffle(combos)
    ours, theirs = [], []
    for region, type_, segment, sort, order, q in combos:
        mine = {"region": region, "type": type_, "segment": segment, "q": q, "sort": sort, "order": order}
        ours.append("/league?" + urlencode({k: v for k, v in mine.items() if v}))
        base = {"region": region, "trust_type": type_, "final_segment": segment, "org_name__contains": q}
        base = {k: v for k, v in base.items() if v}
        base["_sort_desc" if order == "desc" else "_sort"] = SORT_COLUMNS[sort]
        base["_size"] = "max"
        theirs.append("/league/league_table?" + urlencode(base))
    return ours, theirs


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time so far of a process and its children (its workers), from Linux /proc;
    None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]
    except OSError:
        return None
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(c) or 0.0 for c in children)


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


def wrk(base: str, paths: list[str], duration: int, folder: Path, name: str, gzip: bool = False,
        random_start: bool = False, pid: int | None = None) -> dict:
    script = folder / "rotate.lua"
    script.write_text(LUA)
    listing = folder / f"{name}.paths"
    listing.write_text("\n".join(paths) + "\n")
    cpu_before = cpu_seconds(pid) if pid else None
    out = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--timeout", "10s", "-s", str(script), base, "--",
         str(listing), "gzip" if gzip else "plain", "random" if random_start else "start"],
        capture_output=True, text=True, check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"]
    cpu_after = cpu_seconds(pid) if pid else None
    result["cpu_ms_per_request"] = (1000 * (cpu_after - cpu_before) / max(result["requests"], 1)
                                    if cpu_before is not None and cpu_after is not None else None)
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
        ours_port, ds_port, many_port = free_port(), free_port(), free_port()
        exe = Path(sys.executable).with_name("oversight")
        try:
            procs.append(start([str(exe), "serve", "--synthetic", "--host", "127.0.0.1", "--port", str(ours_port)], folder / "ours.log"))
            procs.append(start([datasette, "serve", str(db), "--host", "127.0.0.1", "--port", str(ds_port),
                                "--setting", "suggest_facets", "off"], folder / "datasette.log"))
            ours, theirs = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{ds_port}"
            wait_for(ours + "/method")
            wait_for(theirs + "/league/league_table?_size=max")
            new_ours, new_theirs = league_queries()
            cases = {
                "league table": (["/league"], ["/league/league_table?_size=max"], False),
                "trust page": ([f"/trust/{c}" for c in codes], [f"/league/league_table/{c}" for c in codes], False),
                "league, new query": (new_ours, new_theirs, True),
            }
            for name, (mine, baseline, fresh) in cases.items():
                if not fresh:
                    fetch_all(ours, mine)  # fill the page cache (the data never change while serving)
                    fetch_all(theirs, baseline)
                else:
                    fetch_all(ours, ["/league?sort=name"])  # the table prepared once, as on a server in use
                for gz in (False, True):
                    label = f"{name}{', gzip' if gz else ''}"
                    results[f"{label}: nhs-oversight"] = wrk(ours, mine, args.duration, folder, "ours", gz, fresh, procs[0].pid)
                    results[f"{label}: datasette"] = wrk(theirs, baseline, args.duration, folder, "theirs", gz, fresh, procs[1].pid)
            # the same new queries with one server process per core (`serve --workers`)
            procs[0].terminate()
            procs[0].wait(timeout=30)
            procs.append(start([str(exe), "serve", "--synthetic", "--host", "127.0.0.1", "--port", str(many_port),
                                "--workers", str(WORKERS)], folder / "many.log"))
            many = f"http://127.0.0.1:{many_port}"
            wait_for(many + "/method")
            fetch_all(many, ["/league?sort=name"] * 4 * WORKERS)
            time.sleep(2)  # each worker prepares the table as it starts
            for gz in (False, True):
                label = f"league, new query{', gzip' if gz else ''}: nhs-oversight, {WORKERS} workers"
                results[label] = wrk(many, new_ours, args.duration, folder, "many", gz, True, procs[-1].pid)
        finally:
            for p in procs:
                if p.poll() is None:
                    p.terminate()
                    p.wait(timeout=30)

    print(f"wrk, {CONNECTIONS} connections, {THREADS} threads, {args.duration} s per run; SYNTHETIC 205 trusts")
    print(f"{'':52} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>9} {'errors':>7} {'CPU ms/req':>10}")
    for name, r in results.items():
        cpu = f"{r['cpu_ms_per_request']:10.2f}" if r.get("cpu_ms_per_request") is not None else f"{'':10}"
        print(f"{name:52} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['p99_ms']:8.1f} {r['rps']:9.0f} "
              f"{r['socket_errors'] + r['non_2xx']:7d} {cpu}")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load:
        print(f"load average at the end: {load[0]:.1f} ({os.cpu_count()} CPUs)")
    for name in ("league table", "league table, gzip", "trust page", "trust page, gzip", "league, new query", "league, new query, gzip"):
        ds_r = results[f"{name}: datasette"]
        for ours in (f"{name}: nhs-oversight", f"{name}: nhs-oversight, {WORKERS} workers"):
            if ours not in results:
                continue
            ours_r = results[ours]
            ok_p95 = ours_r["p95_ms"] < 50
            ok_rps = ours_r["rps"] >= ds_r["rps"]
            print(f"{ours.replace(': nhs-oversight', '')}: p95 {ours_r['p95_ms']:.1f} ms (target < 50: {'met' if ok_p95 else 'NOT met'}); "
                  f"throughput {ours_r['rps'] / ds_r['rps']:.1f}x datasette's (target >= 1: {'met' if ok_rps else 'NOT met'})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
