"""What-if versions of a framework, each a documented switch (the method as data, changed)."""

from __future__ import annotations

from collections.abc import Sequence

from nhs_oversight.errors import OptionError
from nhs_oversight.frameworks.model import Framework

#: Switch name -> what it changes, in words (shown in outputs).
SWITCHES = {
    "no-financial-override": "no financial override: trusts in deficit or receiving deficit support keep segments 1 and 2",
    "domain-weighted": "average of the domain scores (each domain counts equally) instead of the metric scores",
    "cutpoints-within-type": "cut points are the quartiles of each trust type's own averages instead of the framework's national cut points",
}


def apply_switch(framework: Framework, switch: str) -> Framework:
    """One switch applied; the copy is named ``<id>+<switch>`` so every output says which."""
    if switch == "no-financial-override":
        return framework.variant(switch, financial_override=None)
    if switch == "domain-weighted":
        return framework.variant(switch, average={**framework.average.model_dump(), "of": "domains"})
    if switch == "cutpoints-within-type":
        seg = framework.segmentation.model_dump()
        seg.update(method="quartiles", population="trust_type", thresholds=None)
        return framework.variant(switch, segmentation=seg)
    raise OptionError(f"unknown switch {switch!r}; choose one of {', '.join(SWITCHES)}")


def apply_switches(framework: Framework, switches: Sequence[str]) -> Framework:
    """Several switches applied in turn (``nof-2025-26+no-financial-override+domain-weighted``)."""
    if not switches:
        raise OptionError(f"no switch given; choose from {', '.join(SWITCHES)}")
    if len(set(switches)) != len(switches):
        raise OptionError("a switch is given twice")
    for s in switches:
        framework = apply_switch(framework, s)
    return framework
