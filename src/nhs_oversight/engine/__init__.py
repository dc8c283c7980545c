"""The engine: pure functions from inputs to an :class:`Assessment`. No IO, no printing."""

from nhs_oversight.engine.assessment import Assessment
from nhs_oversight.engine.core import assess
from nhs_oversight.engine.options import AssessOptions, parse_cutpoints

__all__ = ["AssessOptions", "Assessment", "assess", "parse_cutpoints"]
