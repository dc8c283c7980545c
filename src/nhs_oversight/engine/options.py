"""Options that change how an assessment is run (not what the method is)."""

from __future__ import annotations

from dataclasses import dataclass

from nhs_oversight.errors import OptionError


@dataclass(frozen=True)
class AssessOptions:
    """
    Parameters
    ----------
    cutpoints : fix the three segment cut points (average score), e.g. for what-if analysis.
    recompute_all : score pooled metrics over the given trusts even when the input carries NHS
        England's published score for a population it does not hold.
    use_published_cutpoints : when the input is not the whole nation, use the cut points implied by
        the published segments in the input (if any) rather than quartiles of a partial population.
    """

    cutpoints: tuple[float, float, float] | None = None
    recompute_all: bool = False
    use_published_cutpoints: bool = True

    def __post_init__(self) -> None:
        if self.cutpoints is not None:
            c = self.cutpoints
            if len(c) != 3 or not (c[0] < c[1] < c[2]):
                raise OptionError(f"cut points must be three increasing numbers, got {c}")


def parse_cutpoints(text: str | None) -> tuple[float, float, float] | None:
    """Read ``--cutpoints 2.06,2.33,2.61``."""
    if not text:
        return None
    try:
        parts = tuple(float(p) for p in text.split(","))
    except ValueError:
        raise OptionError(f"--cutpoints {text!r}: give three numbers separated by commas, e.g. 2.06,2.33,2.61") from None
    if len(parts) != 3 or not (parts[0] < parts[1] < parts[2]):
        raise OptionError(f"--cutpoints {text!r}: give three increasing numbers, e.g. 2.06,2.33,2.61")
    return parts  # type: ignore[return-value]
