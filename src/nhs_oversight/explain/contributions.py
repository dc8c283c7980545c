"""How much each metric pulls an organisation's average, from the figures the engine kept.

The average is a weighted mean, so with effective weights e_i (w_i / sum(w) for the published
method) the average is sum(e_i x_i), where x_i is what entered the average (the 2-dp score for
metrics averaged rounded). Then

* share_i = e_i x_i: the part of the average the metric provides (shares sum to the average);
* contribution_i = e_i (x_i - average): how much worse (+) or better (-) than the
  organisation's own average the metric pulls it (contributions sum to zero).

No score or average is recomputed: the inputs are the engine's columns, and the result is checked
against the engine's average.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nhs_oversight.frameworks.model import Framework


def effective_weights(framework: Framework, rows: pd.DataFrame) -> np.ndarray:
    """Weight of each row in the organisation's average (0 for rows outside it).

    Parameters
    ----------
    framework : the method (``average.of`` says whether metrics or domains are averaged).
    rows : the organisation's rows of ``Assessment.metrics``.
    """
    used = rows["in_average"].to_numpy(bool) & ~np.isnan(rows["score"].to_numpy(float))
    w = np.where(used, rows["weight"].to_numpy(float), 0.0)
    if getattr(framework.average, "of", "metrics") == "domains":
        domain = rows["domain"].to_numpy(dtype=object)
        present = sorted({d for d, u in zip(domain, used, strict=True) if u})
        out = np.zeros(len(rows))
        for d in present:
            m = used & (domain == d)
            out[m] = w[m] / w[m].sum() / len(present)
        return out
    total = w.sum()
    return w / total if total > 0 else w


def contributions(framework: Framework, rows: pd.DataFrame, average_unrounded: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Effective weights, contributions and shares of each row (NaN outside the average).

    Returns
    -------
    (effective_weight, contribution, share), each one value per row.
    """
    e = effective_weights(framework, rows)
    x = rows["average_input"].to_numpy(float)
    inside = e > 0
    share = np.where(inside, e * np.nan_to_num(x), np.nan)
    contribution = np.where(inside, e * (np.nan_to_num(x) - average_unrounded), np.nan)
    weight = np.where(inside, e, np.nan)
    return weight, contribution, share
