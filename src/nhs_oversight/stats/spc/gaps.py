"""Gaps in a series: a missing month or quarter between two points breaks the run.

Making Data Count limits and icons need a run of consecutive points (the MDC tool shows them
from 13, statistics.md 1.7). A series of quarters with one missing is two runs, not one, and a
chart joins its points only within a run. Pure functions on the date column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Consecutive points a series needs before its variation and assurance icons are shown.
MIN_POINTS_FOR_ICONS = 13


def _ordinal(dates: pd.Series) -> tuple[np.ndarray, float] | None:
    """Dates as numbers on a regular scale, and the tolerance of one step (None: unknown scale)."""
    if pd.api.types.is_datetime64_any_dtype(dates):
        d = pd.DatetimeIndex(dates)
        if (d.day == 1).all():  # monthly, quarterly or yearly figures dated by their first day
            return (d.year * 12 + d.month - 1).to_numpy(dtype=float), 1.0
        return (d.asi8 // 86_400_000_000_000).astype(float), 1.5
    if pd.api.types.is_numeric_dtype(dates):
        return dates.to_numpy(dtype=float), 1.0
    from nhs_oversight.errors import OptionError
    from nhs_oversight.frameworks.periods import Quarter

    try:
        quarters = [Quarter.parse(str(x)) for x in dates]
    except OptionError:
        return None
    return np.array([q.start_year * 4 + q.q - 1 for q in quarters], dtype=float), 1.0


def gap_before(dates: pd.Series, new_series: np.ndarray) -> np.ndarray:
    """True where a point does not directly follow the point before it in its series.

    ``dates`` are sorted within each series; ``new_series`` marks each series' first point. The
    step is the smallest difference between neighbouring points (a month, a quarter, a day, a
    year); a difference of more than one step (more than 1.5 for irregular daily dates) is a gap.
    """
    n = len(dates)
    gaps = np.zeros(n, dtype=bool)
    scale = _ordinal(dates) if n > 1 else None
    if scale is None:
        return gaps
    x, tolerance = scale
    diff = np.r_[np.nan, np.diff(x)]
    inside = ~np.asarray(new_series, dtype=bool)
    steps = diff[inside & (diff > 0)]
    if not len(steps):
        return gaps
    step = steps.min()
    gaps[inside] = diff[inside] > step * tolerance + 1e-9
    return gaps


def consecutive_run(gap: np.ndarray, new_series: np.ndarray) -> np.ndarray:
    """Consecutive points up to and including each point, since its series began or last gap."""
    start = np.asarray(new_series, dtype=bool) | np.asarray(gap, dtype=bool)
    idx = np.arange(len(start))
    last_start = np.maximum.accumulate(np.where(start, idx, 0))
    return idx - last_start + 1
