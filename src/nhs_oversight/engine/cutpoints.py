"""Segment cut points: fixed, framework thresholds, national quartiles, or implied by published segments."""

from __future__ import annotations

import numpy as np

from nhs_oversight.engine.segments import CutPoints, implied_cutpoints, quartile_cutpoints
from nhs_oversight.frameworks.model import Framework


def resolve_cutpoints(name, scores_2dp, framework, options, national, published_pairs, warnings, fixed, thresholds) -> CutPoints:
    n = int((~np.isnan(scores_2dp)).sum())
    method = framework.segmentation.quantile_method
    if fixed is not None:
        return CutPoints(tuple(fixed), "fixed", n, "given by the user")
    if thresholds is not None:
        return CutPoints(tuple(thresholds), "framework thresholds", n)
    if national:
        return CutPoints(quartile_cutpoints(scores_2dp, method), "national quartiles", n)
    if options.use_published_cutpoints and published_pairs is not None:
        cuts, detail, intervals = implied_cutpoints(*published_pairs)
        if cuts is not None:
            if name == "overall":
                warnings.append(
                    "segment cut points are quartiles of the national distribution, which the input does not hold: "
                    f"using the cut points implied by the published segments, {cuts[0]:.3f} / {cuts[1]:.3f} / {cuts[2]:.3f}, "
                    f"{detail} (fix them with --cutpoints)"
                )
            return CutPoints(cuts, "implied by published segments", n, detail, intervals=intervals)
        warnings.append(f"{name}: published segments do not imply cut points ({detail})")
    if name == "overall":
        warnings.append(
            f"segment cut points are quartiles of the {n} trusts in the input, not of the national distribution "
            "(give --cutpoints to use national ones)"
        )
    return CutPoints(quartile_cutpoints(scores_2dp, method), "quartiles of the input", n)


def within_type_cutpoints(scores, types, framework: Framework) -> CutPoints:
    """Quartiles of each trust type's own averages (a framework option; the published method pools all types)."""
    method = framework.segmentation.quantile_method
    groups = [t.id for t in framework.trust_types if (types == t.id).any()]
    by_group = tuple((g, quartile_cutpoints(scores[types == g], method)) for g in groups)
    sizes = ", ".join(f"{g} n={int((~np.isnan(scores[types == g])).sum())}" for g in groups)
    detail = f"each trust type's own quartiles ({sizes}); the values shown pool every type, for reference only"
    n = int((~np.isnan(scores)).sum())
    return CutPoints(quartile_cutpoints(scores, method), "quartiles within trust type", n, detail, by_group)
