"""Plain JSON values from numpy and pandas ones, for every result's ``to_dict``."""

from __future__ import annotations

from typing import Any

import pandas as pd


def to_jsonable(value: Any) -> Any:
    """Make numpy and pandas scalars JSON-safe (NaN becomes null)."""
    import math

    import numpy as np

    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def dataframe_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [to_jsonable(r) for r in df.to_dict(orient="records")]
