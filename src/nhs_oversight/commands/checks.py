"""Checks of option values, made before any file is read, so a bad value is one clear line.

Typer checks types (``--per lots`` is refused by it); these check meaning: a count of draws
must be positive, a multiplier finite and not zero, a chart grid at least one column wide.
"""

from __future__ import annotations

import math

from nhs_oversight.errors import OptionError


def whole(option: str, value: int | None, low: int = 1, high: int | None = None) -> None:
    """A whole-number option within ``[low, high]`` (None means not given, which is fine)."""
    if value is None:
        return
    if value < low or (high is not None and value > high):
        span = f"from {low:,} to {high:,}" if high is not None else f"at least {low:,}"
        raise OptionError(f"{option} {value}: give a whole number {span}")


def finite(option: str, value: float | None, nonzero: bool = False, low: float | None = None, high: float | None = None) -> None:
    """A number option that is finite (not nan or inf), optionally non-zero and within bounds."""
    if value is None:
        return
    if not math.isfinite(value):
        raise OptionError(f"{option} {value}: give a finite number")
    if nonzero and value == 0:
        raise OptionError(f"{option} 0: give a number other than zero")
    if (low is not None and value < low) or (high is not None and value > high):
        raise OptionError(f"{option} {value:g}: give a number from {low:g} to {high:g}")


def output(path: object) -> None:
    """``-o`` must name a file in a folder that exists (checked before the work, not after)."""
    if path is None:
        return
    from nhs_oversight.util.files import check_output_path

    check_output_path(path)  # type: ignore[arg-type]
