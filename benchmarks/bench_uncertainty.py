"""Segment and rank uncertainty for the 205-trust synthetic national set: vectorised vs a loop.

``simulate`` draws every trust and every draw in one set of numpy operations. The baseline is
:func:`nhs_oversight.uncertainty.reference.simulate_loop`, the straightforward version that loops
over draws (and over trusts within a draw) and ranks each draw with the engine's ``league_rank``.
Both run in the same process on the same assessment; the script checks that they agree (segment
probabilities within Monte Carlo error) before printing the timings and their ratio.

The loop is linear in the number of draws, so by default it runs 1,000 draws and its time for
10,000 is extrapolated (and labelled so); ``--loop-draws 10000`` times it in full (about a minute).

Run: ``.venv/bin/python benchmarks/bench_uncertainty.py [--draws 10000] [--loop-draws 1000]``
Targets: the vectorised run under 2 s and at least 20 times faster than the loop.
"""

from __future__ import annotations

import argparse

import numpy as np

import nhs_oversight as no
from nhs_oversight.uncertainty import simulate
from nhs_oversight.uncertainty.summary import Labels, segment_probabilities, summarise
from timing import best_of, tests_on_path

tests_on_path()
from reference_uncertainty import simulate_loop  # noqa: E402  (the references live in tests/)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--loop-draws", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    a = no.assess(no.synthetic_inputs("2025/26 Q2"))
    n = len(a.summary)
    point = a.summary["adjusted_segment"].to_numpy(float)
    simulate(a, draws=200)  # warm up

    v_wall, v_cpu, fast = best_of(lambda: simulate(a, draws=args.draws, seed=1, keep_draws=True), args.repeat)

    def loop():
        r = simulate_loop(a, draws=args.loop_draws, seed=2)
        summarise(point, r.average, r.segment, r.rank, Labels())
        return r

    l_wall, l_cpu, slow = best_of(loop, 1)
    scale = args.draws / args.loop_draws
    l_wall_full, l_cpu_full = l_wall * scale, l_cpu * scale

    p_fast = segment_probabilities(fast.replicates.segment)
    p_slow = segment_probabilities(slow.segment)
    se = np.sqrt(np.maximum(p_fast * (1 - p_fast), p_slow * (1 - p_slow)) * (1 / args.draws + 1 / args.loop_draws))
    z = np.abs(p_fast - p_slow) / np.where(se > 0, se, np.inf)

    label = "measured" if scale == 1 else f"extrapolated from {args.loop_draws:,} draws (linear in draws)"
    print(f"uncertainty, {n} trusts x {args.draws:,} draws (bootstrap; segments, override, ranks per draw)")
    print(f"vectorised simulate:  wall {v_wall:.2f} s, CPU {v_cpu:.2f} s (best of {args.repeat}; target < 2 s)")
    print(f"loop over draws:      wall {l_wall_full:.1f} s, CPU {l_cpu_full:.1f} s ({label}; {l_wall / args.loop_draws * 1000:.2f} ms per draw)")
    print(f"ratio loop / vectorised: wall {l_wall_full / v_wall:.0f}x, CPU {l_cpu_full / v_cpu:.0f}x (target >= 20x)")
    print(f"agreement: largest difference in a segment probability {np.abs(p_fast - p_slow).max():.3f} "
          f"({z.max():.1f} Monte Carlo standard errors; different random streams)")


if __name__ == "__main__":
    main()
