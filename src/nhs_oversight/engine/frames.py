"""Result tables built once from numpy columns, keeping text as text and whole numbers whole."""

from __future__ import annotations

import numpy as np
import pandas as pd


def frame(columns: dict[str, object]) -> pd.DataFrame:
    """Build a table without pandas re-inferring text columns (keeps object dtype, and speed)."""
    return pd.DataFrame(
        {k: pd.Series(v, dtype=object) if isinstance(v, np.ndarray) and v.dtype == object else v for k, v in columns.items()},
        copy=False,
    )


def as_int(x: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers with missing values kept missing (nullable Int64)."""
    x = np.asarray(x, dtype=float)
    missing = np.isnan(x)
    return pd.arrays.IntegerArray(np.where(missing, 0, np.rint(x)).astype(np.int64), missing)
