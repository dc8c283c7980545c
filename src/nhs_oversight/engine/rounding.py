"""Rounding as NHS England publishes: half away from zero at 2 decimal places."""

from __future__ import annotations

import numpy as np

_EPS = 1e-9


def round_half_up(x: np.ndarray | float, decimals: int = 2) -> np.ndarray | float:
    """Round half away from zero, robust to binary noise (2.675 -> 2.68, not 2.67)."""
    scale = 10.0**decimals
    arr = np.asarray(x, dtype=float)
    out = np.sign(arr) * np.floor(np.abs(arr) * scale + 0.5 + _EPS) / scale
    return out if isinstance(x, np.ndarray) else float(out)
