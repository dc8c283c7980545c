"""The settings of an SPC run, validated once, recorded in every output."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from nhs_oversight.errors import OptionError

#: Rule sets: ``ptd`` follows NHSRplotthedots 0.2.x; ``mdc2023`` is NHS England's Making Data
#: Count change of November 2023, where every point beyond 2 sigma (including those beyond the
#: process limits) counts towards the 2-of-3 rule.
RULE_SETS = ("ptd", "mdc2023")

#: Words accepted for the improvement direction, mapped to +1 (higher is better), -1 (lower is
#: better) and 0 (neutral).
DIRECTIONS = {
    "increase": 1,
    "up": 1,
    "higher": 1,
    "decrease": -1,
    "down": -1,
    "lower": -1,
    "neutral": 0,
}
DIRECTION_NAMES = {1: "increase", -1: "decrease", 0: "neutral"}

#: Minimum number of points for limits that are not "trial" limits (Making Data Count).
TRIAL_THRESHOLD = 13
#: Smallest number of points after which limits may be fixed (NHSRplotthedots).
MIN_FIX_AFTER = 12


def direction_code(word: Any) -> int:
    """Turn ``increase``/``up``, ``decrease``/``down`` or ``neutral`` into +1, -1 or 0."""
    key = str(word).strip().lower()
    if key not in DIRECTIONS:
        raise OptionError(
            f"improvement direction {word!r} is not one of increase (up), decrease (down), neutral"
        )
    return DIRECTIONS[key]


@dataclass(frozen=True)
class SpcOptions:
    """How limits are computed and which special-cause rules apply.

    Parameters
    ----------
    rules : {"ptd", "mdc2023"}
        Rule set version (see :data:`RULE_SETS`).
    screen_outliers : bool
        Drop moving ranges of 3.267 x the mean moving range or more before the final mean moving
        range (one pass). Off replicates the NHS England Making Data Count Excel tool.
    fix_after : int or None
        Compute limits from the first ``fix_after`` points of each series (and of each rebased
        period) only; must be at least 12.
    run_length : int
        Points in a row on one side of the mean that make a shift (default 7).
    trend_length : int
        Points in a row each higher (or lower) than the last that make a trend (default 7).
    """

    rules: str = "ptd"
    screen_outliers: bool = True
    fix_after: int | None = None
    run_length: int = 7
    trend_length: int = 7

    def __post_init__(self) -> None:
        if self.rules not in RULE_SETS:
            raise OptionError(f"unknown rule set {self.rules!r}; choose one of {', '.join(RULE_SETS)}")
        if self.fix_after is not None and (
            isinstance(self.fix_after, bool)
            or int(self.fix_after) != self.fix_after
            or self.fix_after < MIN_FIX_AFTER
        ):
            raise OptionError(
                f"fix-after must be a whole number of at least {MIN_FIX_AFTER} points, not {self.fix_after!r}"
            )
        for name in ("run_length", "trend_length"):
            n = getattr(self, name)
            if isinstance(n, bool) or int(n) != n or not 3 <= n <= 12:
                raise OptionError(f"{name.replace('_', ' ')} must be a whole number from 3 to 12, not {n!r}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
