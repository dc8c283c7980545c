"""Explain on every trust of the acute Q1 file: moves tried and held, plan sizes, time per trust.

For each of the 134 trusts: ``explain`` with moves and plans, timed; then every move and every plan
is applied to the inputs independently (changed values, and the financial flag for two-step plans)
and re-run through ``assess`` with the same cut points, and counted as held when the final segment
is the one it claims.

Run: ``.venv/bin/python benchmarks/bench_explain.py [path/to/nof-2025-26-q1-acute.csv]``
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import nhs_oversight as no
from nhs_oversight.engine import AssessOptions, assess
from nhs_oversight.engine.whatif import with_flags, with_values
from nhs_oversight.explain import explain

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "nof" / "nof-2025-26-q1-acute.csv"


def apply(a, code: str, changes, flag=None):
    """The changes made to the inputs, re-run with the same cut points: the trust's summary row."""
    data = with_values(a.inputs, {(code, c.metric_id): c.to_value for c in changes})
    if flag is not None:
        data = with_flags(data, {code: flag})
    return assess(data, a.framework, AssessOptions(cutpoints=tuple(a.cutpoints["overall"].values))).org(code)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    a = no.assess(no.read_inputs([path]))
    times, tried, held, plans_held, plans_tried, proved = [], 0, 0, 0, 0, 0
    sizes: Counter = Counter()
    no_plan_up = []
    for code in a.summary["org_code"]:
        t = time.perf_counter()
        e = explain(a, code)
        times.append(time.perf_counter() - t)
        for m in e.moves:
            tried += 1
            held += int(apply(a, code, m.changes)["final_segment"]) == m.resulting_segment
        for p in e.plans:
            if not p.found:
                continue
            plans_tried += 1
            changes = [c for s in p.steps for c in s.changes]
            flag = 0.0 if any(s.flag_to is not None for s in p.steps) else None
            plans_held += int(apply(a, code, changes, flag)["final_segment"]) == p.resulting_segment
            sizes[(p.direction, p.n_changes)] += 1
            proved += p.proved
        if e.final_segment in (2, 3, 4) and not any(p.found and p.direction == "better" for p in e.plans):
            no_plan_up.append(code)
    print(f"trusts: {len(times)}; explain time per trust: median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s, total {sum(times):.1f} s")
    print(f"moves tried {tried}, held {held}")
    print(f"plans tried {plans_tried}, held {plans_held}, proved the least effort {proved}")
    for direction in ("better", "worse"):
        got = sorted((n, k) for (d, n), k in sizes.items() if d == direction)
        print(f"plan sizes ({direction}): " + ", ".join(f"{n} changes x{k}" for n, k in got))
    print(f"trusts in segments 2-4 without a plan up: {len(no_plan_up)} {' '.join(no_plan_up)}")


if __name__ == "__main__":
    main()
