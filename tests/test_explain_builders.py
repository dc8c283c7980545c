"""Small hand-made populations for the explanation and move tests (helpers only, no tests here)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nhs_oversight.engine import AssessOptions, assess
from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.engine.whatif import with_values
from nhs_oversight.frameworks import load_framework

CUTS = (2.0, 2.5, 3.0)


def framework():
    """The 2025/26 method, allowing organisations with fewer than five metrics."""
    return load_framework("nof-2025-26").variant("test", average={"minimum_metrics": 1})


def build(
    values: dict[str, list[float | None]],
    n: int | None = None,
    financial: list[float] | None = None,
    rsp: list[float] | None = None,
    units: dict[str, list[str]] | None = None,
    unit: str = "percent",
) -> OversightInputs:
    """Acute trusts T1..Tn; ``values[metric]`` = one value per trust (None: not reported)."""
    n = n or len(next(iter(values.values())))
    codes = [f"T{i + 1}" for i in range(n)]
    orgs = pd.DataFrame(
        {
            "org_code": codes,
            "org_name": [f"Trust {c}" for c in codes],
            "trust_type": "acute",
            "trust_subtype": "",
            "region": "Test",
            "icb_code": "",
            "icb_name": "",
        }
    )
    rows = []
    for metric, vals in values.items():
        for i, v in enumerate(vals):
            if v is None:
                continue
            u = (units or {}).get(metric, [unit] * n)[i]
            rows.append({"org_code": codes[i], "metric_id": metric, "value": float(v), "unit": u, "tie_rank": np.nan, "source": f"hand.csv:row {len(rows) + 2}"})
    flags = pd.DataFrame(
        {
            "org_code": codes,
            "financial_flag": financial or [0.0] * n,
            "financial_source": [f"hand.csv:flag {c}" for c in codes],
            "rsp_flag": rsp or [0.0] * n,
            "rsp_source": [f"hand.csv:rsp {c}" for c in codes],
        }
    )
    return OversightInputs(orgs=orgs, values=pd.DataFrame(rows), flags=flags, period="2025/26 Q1", files=("hand.csv",), label="TEST")


def run(data: OversightInputs, cuts=CUTS, fw=None):
    return assess(data, fw or framework(), AssessOptions(cutpoints=cuts))


def rerun(assessment, changes: dict[tuple[str, str], float]):
    """Apply a move independently of the search: change the inputs, re-run with the same cut points."""
    cuts = assessment.cutpoints["overall"].values
    opts = AssessOptions(cutpoints=tuple(cuts), recompute_all=assessment.options.recompute_all)
    return assess(with_values(assessment.inputs, changes), assessment.framework, opts)


# P1: five acute trusts, three metrics (worked by hand in test_explain.py and test_moves.py)
P1 = {
    "OF0013": [80.0, 75.0, 70.0, 65.0, 60.0],  # A&E 4-hour: higher better, standard >= 78, ranked 2..4, averaged at 2 dp
    "OF0014": [2.0, 4.0, 6.0, 8.0, 10.0],  # 12 hours in A&E: lower better, ranked 1..4, averaged at 2 dp
    "OF0085": [5.0, 4.0, 3.0, 2.0, 1.0],  # implied productivity: higher better, ranked 1..4, averaged unrounded
}
