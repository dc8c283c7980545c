"""A plain loop over draws (and trusts): the straightforward reading of the bootstrap method.

Kept as an independent cross-check of the vectorised :func:`simulate` (it uses the engine's
one-draw ``league_rank``) and as the baseline of ``benchmarks/bench_uncertainty.py``. Too slow
for everyday use: tens of microseconds per trust per draw.
"""

from __future__ import annotations

import numpy as np

from nhs_oversight.engine import Assessment
from nhs_oversight.engine.rounding import round_half_up
from nhs_oversight.engine.segments import apply_override, league_rank, segment_of
from nhs_oversight.uncertainty.bootstrap import score_sets
from nhs_oversight.uncertainty.replicate import Replicates, frozen_rules


def simulate_loop(assessment: Assessment, draws: int, seed: int = 1) -> Replicates:
    """Bootstrap draws one at a time; returns the same arrays as the vectorised path."""
    rng = np.random.default_rng(seed)
    codes = assessment.summary["org_code"].to_numpy(dtype=object)
    sets = score_sets(assessment.metrics, codes)
    rules = frozen_rules(assessment)
    override = rules["override"]
    n_orgs = len(codes)
    average = np.empty((draws, n_orgs))
    segment = np.empty((draws, n_orgs))
    rank = np.empty((draws, n_orgs), dtype=int)
    for b in range(draws):
        for i in range(n_orgs):
            lo, n = sets.start[i], sets.n[i]
            values, weights = sets.values[lo : lo + n], sets.weights[lo : lo + n]
            pick = rng.integers(0, n, size=n)
            average[b, i] = (weights[pick] * values[pick]).sum() / weights[pick].sum()
        avg_2dp = round_half_up(average[b], 2)
        seg = segment_of(avg_2dp if rules["rounded"] else average[b], rules["cuts"], rules["upper_inclusive"])
        if override is not None:
            seg, _ = apply_override(seg, rules["flag"], override.segments, override.cap)
        segment[b] = seg
        rank[b] = league_rank(rules["groups"], seg, avg_2dp)[0]
    return Replicates(average=average, average_2dp=round_half_up(average, 2), segment=segment, rank=rank)
