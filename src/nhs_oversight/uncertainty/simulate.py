"""``simulate``: draw the method many times around an assessment and summarise each organisation."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nhs_oversight.engine import Assessment
from nhs_oversight.errors import OptionError
from nhs_oversight.uncertainty.bootstrap import bootstrap_averages, score_sets
from nhs_oversight.uncertainty.defaults import UNCERTAINTY_DRAWS, UNCERTAINTY_SEED
from nhs_oversight.uncertainty.replicate import frozen_rules, replicate
from nhs_oversight.uncertainty.result import Uncertainty
from nhs_oversight.uncertainty.sampling import sampling_replicates
from nhs_oversight.uncertainty.summary import Labels, summarise

METHODS = {
    "bootstrap": (
        "bootstrap of each organisation's own metric scores (resampled with replacement, weighted average); "
        "NHS England's method for the published likely range of average score"
    ),
    "sampling": "sampling error of metrics with counts: Jeffreys Beta(x + 0.5, n - x + 0.5) draws, the engine re-run per draw",
}
MAX_DRAWS = 1_000_000


def simulate(
    assessment: Assessment,
    draws: int = UNCERTAINTY_DRAWS,
    seed: int = UNCERTAINTY_SEED,
    method: str = "auto",
    labels: Labels | None = None,
    counts: pd.DataFrame | None = None,
    keep_draws: bool = False,
) -> Uncertainty:
    """Segment probabilities, stability labels and likely ranges of average and rank.

    Parameters
    ----------
    assessment : the point estimate (see :func:`nhs_oversight.engine.assess`).
    draws : Monte Carlo draws (2000 gives a Monte Carlo error of at most ±0.022 on a probability).
    seed : random seed; the same seed gives the same result.
    method : ``bootstrap`` (resample each trust's metric scores), ``sampling`` (Beta draws for
        metrics given with ``counts``) or ``auto`` (sampling when counts are given, else bootstrap;
        NHS England's files carry no counts, so the bootstrap is the usual method).
    labels : thresholds of the stability labels (default stable >= 0.90, probable >= 0.70).
    counts : numerator and denominator per organisation x metric (org_code, metric_id, numerator,
        denominator), for the sampling method.
    keep_draws : keep every draw in ``Uncertainty.replicates``.
    """
    labels = labels or Labels()
    draws, chosen = _checked_choice(assessment, draws, method, counts)
    rng = np.random.default_rng(seed)
    summary = assessment.summary
    if chosen == "bootstrap":
        sets = score_sets(assessment.metrics, summary["org_code"].to_numpy(dtype=object))
        point = sets.point_averages()
        if not np.allclose(point, summary["average_score_unrounded"].to_numpy(float), atol=1e-9, equal_nan=True):
            raise RuntimeError("the scores read from the assessment do not reproduce its averages")
        reps = replicate(bootstrap_averages(sets, draws, rng), frozen_rules(assessment))
    else:
        reps = sampling_replicates(assessment, counts, draws, rng)  # type: ignore[arg-type]

    stats = summarise(summary["adjusted_segment"].to_numpy(float), reps.average, reps.segment, reps.rank, labels)
    table = pd.concat(
        [
            summary[["org_code", "org_name", "trust_type", "average_score"]].reset_index(drop=True),
            pd.DataFrame({"segment": summary["adjusted_segment"].to_numpy(), "final_segment": summary["final_segment"].to_numpy()}),
            stats.iloc[:, :4],
            stats[["p_same", "modal_segment", "entropy", "label", "average_low", "average_high"]],
            pd.DataFrame({"rank": summary["rank"].to_numpy(), "rank_of": summary["rank_of"].to_numpy()}),
            stats[["rank_median", "rank_low", "rank_high", "mc_error"]],
        ],
        axis=1,
    )
    meta = _meta(assessment, chosen, method, draws, seed, labels, reps.segment, table)
    return Uncertainty(assessment=assessment, table=table, meta=meta, replicates=reps if keep_draws else None)


def _checked_choice(assessment: Assessment, draws: int, method: str, counts: pd.DataFrame | None) -> tuple[int, str]:
    """The number of draws and the method to use (``auto`` picks sampling when counts are given)."""
    if not 1 <= int(draws) <= MAX_DRAWS:
        raise OptionError(f"draws must be between 1 and {MAX_DRAWS:,}, got {draws}")
    has_counts = counts is not None and len(counts) > 0
    chosen = ("sampling" if has_counts else "bootstrap") if method == "auto" else method
    if chosen not in METHODS:
        raise OptionError(f"unknown method {method!r}; choose auto, {', '.join(METHODS)}")
    if chosen == "sampling" and not has_counts:
        raise OptionError("the sampling method needs counts (numerator and denominator) for at least one metric")
    if assessment.framework.average.of != "metrics":
        raise OptionError("uncertainty is defined for an average of metric scores; this framework averages domain scores")
    return int(draws), chosen


def _meta(assessment: Assessment, chosen: str, asked: str, draws: int, seed: int, labels: Labels, segment: np.ndarray, table: pd.DataFrame) -> dict:
    cut = assessment.cutpoints["overall"]
    fw = assessment.framework
    caveats = [
        "Probabilities are conditional on the uncertainty model: "
        + (
            "the bootstrap treats each trust's metric scores as a sample of its performance, so a trust with few "
            "or very mixed scores has a wide range and a trust whose scores are all equal has none"
            if chosen == "bootstrap"
            else "only the sampling error of the metrics given with counts; every other metric is held at its value"
        )
        + ". Data quality and case mix are not modelled.",
        "Segment probabilities refer to the adjusted segment 1-4. Segment 5 (Recovery Support Programme) is a "
        "programme decision, not derived from scores, so the draws leave it unchanged (column final_segment).",
        f"Cut points are frozen at this quarter's values: {cut.describe()}. Under a quartile method they would "
        "themselves move a little with the data.",
        "The financial override flag (deficit or deficit support) is an input and does not vary between draws.",
        "Rank intervals are the 2.5% and 97.5% points of the simulated league ranks within trust type: a summary "
        "of the simulation, not a confidence interval with guaranteed coverage.",
        f"Monte Carlo error of p_same: ±1.96 x sqrt(p(1-p)/draws), at most ±{1.96 * np.sqrt(0.25 / draws):.3f} with {draws:,} draws.",
    ]
    if fw.is_provisional:
        caveats.insert(0, f"PROVISIONAL: {fw.name} is provisional (rules not yet published in full); so are these results.")
    counts = table["label"].value_counts()
    return {
        "method": chosen,
        "method_asked": asked,
        "method_description": METHODS[chosen],
        "draws": draws,
        "seed": seed,
        "labels": {"stable": labels.stable, "probable": labels.probable, "rule": labels.describe()},
        "label_counts": {k: int(counts.get(k, 0)) for k in ("stable", "probable", "uncertain")},
        "cutpoints_frozen": cut.describe(),
        "segments": "adjusted segment 1-4 (segment 5 is a programme decision, unchanged by draws)",
        "provisional": fw.is_provisional,
        "caveats": caveats,
    }
