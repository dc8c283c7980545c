"""Over-dispersion of a funnel plot: phi and tau^2 from Winsorised or truncated z-scores."""

from __future__ import annotations

import numpy as np

from nhs_oversight.errors import OptionError


def winsorise(z: np.ndarray, trim: float = 0.1) -> np.ndarray:
    """Replace z-scores below the ``trim`` quantile (and above ``1 - trim``) by those quantiles."""
    z = np.asarray(z, dtype=float)
    lo, hi = np.quantile(z, [trim, 1 - trim])
    return np.clip(z, lo, hi)


def truncation_mask(z: np.ndarray, trim: float = 0.1) -> np.ndarray:
    """Units kept by NHS Digital's SHMI truncation (drop the bottom and top ``trim`` of z)."""
    from scipy.stats import rankdata

    z = np.asarray(z, dtype=float)
    k = round(1 / trim)
    sp = np.floor(rankdata(z) * k / (len(z) + 1))
    return (sp > 0) & (sp < k - 1)


def dispersion(
    z: np.ndarray, se: np.ndarray, robust: str = "winsorise", trim: float = 0.1
) -> tuple[float, float, int]:
    """Dispersion ratio phi and between-unit variance tau^2 (DerSimonian-Laird).

    Returns
    -------
    (phi, tau2, I) where I is the number of units used.
    """
    z = np.asarray(z, dtype=float)
    se = np.asarray(se, dtype=float)
    if robust == "winsorise":
        zw, s = winsorise(z, trim), se
    elif robust == "truncate":
        keep = truncation_mask(z, trim)
        zw, s = z[keep], se[keep]
    elif robust == "none":
        zw, s = z, se
    else:
        raise OptionError(f"unknown robust method {robust!r}; choose winsorise, truncate or none")
    i = len(zw)
    if i < 2:
        return float("nan"), 0.0, i
    phi = float(np.mean(zw**2))
    w = 1 / s**2
    if i * phi < i - 1:
        tau2 = 0.0
    else:
        tau2 = max(0.0, (i * phi - (i - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return phi, float(tau2), i
