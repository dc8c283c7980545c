"""Small hand-made populations for tests: build engine inputs without files."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.frameworks import load_framework


def framework(minimum_metrics: int = 1, **changes):
    """The 2025/26 framework with a lower minimum number of metrics, for tiny populations."""
    fw = load_framework("nof-2025-26")
    return fw.variant("test", average={"minimum_metrics": minimum_metrics}, **changes)


def inputs(
    orgs: list[tuple[str, str]],
    values: dict[str, list[float | None]],
    units: dict[str, list[str]] | None = None,
    tie_ranks: dict[str, list[float]] | None = None,
    financial: list[float] | None = None,
    rsp: list[float] | None = None,
    published: list[tuple[str, str, float]] | None = None,
) -> OversightInputs:
    """``orgs`` = [(code, trust type id)]; ``values[metric]`` = one value per org (None = not reported)."""
    codes = [c for c, _ in orgs]
    org_df = pd.DataFrame(
        {
            "org_code": codes,
            "org_name": [f"Trust {c}" for c in codes],
            "trust_type": [t for _, t in orgs],
            "trust_subtype": "",
            "region": "Test region",
            "icb_code": "",
            "icb_name": "",
        }
    )
    rows = []
    for metric, vals in values.items():
        for i, v in enumerate(vals):
            if v is None:
                continue
            rows.append(
                {
                    "org_code": codes[i],
                    "metric_id": metric,
                    "value": float(v),
                    "unit": (units or {}).get(metric, [""] * len(codes))[i],
                    "tie_rank": (tie_ranks or {}).get(metric, [np.nan] * len(codes))[i],
                    "source": f"test:row {i + 2}",
                }
            )
    flags = pd.DataFrame(
        {
            "org_code": codes,
            "financial_flag": financial if financial is not None else [0.0] * len(codes),
            "financial_source": "test",
            "rsp_flag": rsp if rsp is not None else [0.0] * len(codes),
            "rsp_source": "test",
        }
    )
    pub = pd.DataFrame(published or [], columns=["org_code", "field", "value"])
    pub["rank"] = np.nan
    pub["source"] = "test"
    return OversightInputs(orgs=org_df, values=pd.DataFrame(rows), published=pub, flags=flags, period="2025/26 Q1", files=("test",))


def scores(assessment, metric_id: str) -> list[float]:
    """Unrounded scores of one metric, in organisation order."""
    m = assessment.metrics[assessment.metrics["metric_id"] == metric_id].set_index("org_code")["score"]
    return [m.get(c, np.nan) for c in assessment.summary["org_code"]]
