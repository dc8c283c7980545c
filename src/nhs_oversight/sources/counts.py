"""Reader for metric counts (numerator and denominator per organisation x metric).

Counts let ``oversight uncertainty --counts`` draw each percentage metric's sampling error. One
row per organisation x metric, CSV UTF-8, columns ``org_code`` (or ``Trust_code``), ``metric_id``
(``OF0013`` ...), ``numerator`` and ``denominator``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.sources.common import check_duplicates, read_csv, require_columns, to_number

_ALIASES = {"trust_code": "org_code", "ods_code": "org_code", "metric": "metric_id"}


def read_counts(path: str | Path) -> pd.DataFrame:
    """Return (org_code, metric_id, numerator, denominator, source); blank or suppressed rows are dropped."""
    path = str(path)
    df = read_csv(path)
    df.columns = [_ALIASES.get(c.strip().lower(), c.strip().lower()) for c in df.columns]
    require_columns(df, ["org_code", "metric_id", "numerator", "denominator"], path)
    df["org_code"] = df["org_code"].str.strip().str.upper()
    df["metric_id"] = df["metric_id"].str.strip().str.upper()
    check_duplicates(df, ["org_code", "metric_id"], path)
    x = to_number(df["numerator"], path, "numerator")
    n = to_number(df["denominator"], path, "denominator")
    ok = ~np.isnan(x) & ~np.isnan(n)
    bad = ok & ~((n > 0) & (x >= 0) & (x <= n))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"numerator {x[i]:g} and denominator {n[i]:g} are not a proportion (0 <= numerator <= denominator, denominator > 0)", file=path, row=i + 2)
    name = Path(path).name
    return pd.DataFrame(
        {
            "org_code": df["org_code"].to_numpy()[ok],
            "metric_id": df["metric_id"].to_numpy()[ok],
            "numerator": x[ok],
            "denominator": n[ok],
            "source": [f"{name}:row {i + 2}" for i in np.flatnonzero(ok)],
        }
    )
