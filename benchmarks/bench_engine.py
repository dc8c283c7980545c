"""Engine and whole-process timings, each against a baseline measured in the same run.

* engine: ``assess`` on the 205-trust synthetic national set vs a plain pandas implementation
  (benchmarks/pandas_baseline.py). Targets: < 20 ms and >= 50x the baseline.
* process: ``oversight segment --synthetic --format csv`` wall time vs ``python -c pass``.
  Target: < 1 s.

Run: ``.venv/bin/python benchmarks/bench_engine.py``
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import nhs_oversight as no
from nhs_oversight.engine import assess
from pandas_baseline import assess_pandas


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    fw = no.load_framework("nof-2025-26")
    data = no.synthetic_inputs("2025/26 Q2")
    assess(data, fw)  # warm up
    ours = timed(lambda: assess(data, fw), 30)
    base = timed(lambda: assess_pandas(data.values, data.orgs, data.flags, fw), 5)
    a = assess(data, fw).summary.set_index("org_code")
    b = assess_pandas(data.values, data.orgs, data.flags, fw)
    agree = int((a["final_segment"].astype(int) == b["final"].reindex(a.index).astype(int)).sum())
    e_med, b_med = statistics.median(ours), statistics.median(base)
    print(f"engine (205 trusts, {len(data.values)} values): median {e_med * 1000:.1f} ms, min {min(ours) * 1000:.1f} ms")
    print(f"plain pandas baseline:               median {b_med * 1000:.1f} ms")
    print(f"ratio baseline / engine:             {b_med / e_med:.1f}x (target >= 50x); engine target < 20 ms")
    print(f"final segments agreeing with the baseline: {agree}/{len(a)}")

    exe = Path(sys.executable).with_name("oversight")
    cmd = [str(exe), "segment", "--synthetic", "--format", "csv"]
    proc = timed(lambda: subprocess.run(cmd, capture_output=True, check=True), 5)
    py = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True), 5)
    imports = timed(lambda: subprocess.run([sys.executable, "-c", "import pandas, pydantic, typer"], capture_output=True, check=True), 5)
    p_med, py_med, imp_med = statistics.median(proc), statistics.median(py), statistics.median(imports)
    print(f"process `oversight segment --synthetic --format csv`: median {p_med * 1000:.0f} ms (target < 1000 ms)")
    print(f"baseline `python -c pass`:                             median {py_med * 1000:.0f} ms (ratio {p_med / py_med:.1f}x)")
    print(f"floor `python -c 'import pandas, pydantic, typer'`:    median {imp_med * 1000:.0f} ms (the libraries alone)")


if __name__ == "__main__":
    main()
