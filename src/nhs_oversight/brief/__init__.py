"""The plain-English quarterly briefing: headline, where, why, movers and caution.

Built from one quarter's :class:`~nhs_oversight.engine.Assessment` (and optionally the previous
quarter's); every sentence carries the figures it states and their source.

>>> import nhs_oversight as no
>>> from nhs_oversight.brief import brief
>>> b = brief(no.assess(no.synthetic_inputs("2025/26 Q1")), by="region", uncertainty=False)
>>> b.section("headline").sentences[0].figures["trusts"]
205
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nhs_oversight.brief.model import Briefing, Paragraph, Section, Sentence, Table
from nhs_oversight.brief.render import to_dict, to_html, to_json, to_markdown
from nhs_oversight.engine import Assessment
from nhs_oversight.errors import OptionError
from nhs_oversight.uncertainty.defaults import UNCERTAINTY_DRAWS, UNCERTAINTY_SEED

BREAKDOWNS = ("region", "icb", "trust_type")
_ALIASES = {"trust-type": "trust_type", "type": "trust_type", "icbs": "icb", "regions": "region"}
#: Draws and seed of the segment-uncertainty simulation: the defaults every surface shares.
DRAWS = UNCERTAINTY_DRAWS
SEED = UNCERTAINTY_SEED


def breakdowns(by: str | Sequence[str] | None) -> tuple[str, ...]:
    """Validate ``by`` (one name, several, or None for all of region, icb and trust_type)."""
    if by is None:
        return BREAKDOWNS
    names = [by] if isinstance(by, str) else list(by)
    out: list[str] = []
    for raw in names:
        for name in str(raw).split(","):
            key = _ALIASES.get(name.strip().lower(), name.strip().lower())
            if key not in BREAKDOWNS:
                raise OptionError(f"unknown breakdown {name.strip()!r}; choose from {', '.join(BREAKDOWNS)}")
            if key not in out:
                out.append(key)
    return tuple(out)


def brief(
    assessment: Assessment,
    previous: Assessment | None = None,
    by: str | Sequence[str] | None = None,
    uncertainty: Any = None,
) -> Briefing:
    """The briefing of one quarter, compared with ``previous`` when given.

    Parameters
    ----------
    assessment : the quarter to brief.
    previous : the earlier quarter's assessment, for the comparison and the movers section.
    by : breakdowns for the "where" section: ``region``, ``icb``, ``trust_type`` (default all).
    uncertainty : an ``Uncertainty`` result to use; None to compute one when the uncertainty
        module is available; False to leave it out.
    """
    from nhs_oversight.brief import cautions, changes, sentences
    from nhs_oversight.brief.sentences import period_of

    keys = breakdowns(by)
    movement = None
    if previous is not None:
        from nhs_oversight.stats.movement import transitions

        movement = transitions(previous, assessment)
    where, groups = sentences.where(assessment, keys)
    sections = (
        sentences.headline(assessment, previous),
        where,
        sentences.why(assessment),
        changes.movers(assessment, previous, movement),
        cautions.caution(assessment, previous, _uncertainty(assessment, uncertainty)),
        cautions.sources(assessment, previous),
    )
    provenance = {"current": assessment.provenance()}
    if previous is not None:
        provenance["previous"] = previous.provenance()
    return Briefing(
        title=f"{assessment.framework.name}: segmentation briefing, {period_of(assessment)}",
        dataset=assessment.label or (previous.label if previous is not None else None),
        period=assessment.period,
        previous_period=previous.period if previous is not None else None,
        sections=sections,
        segment_counts=assessment.segment_totals(),
        previous_segment_counts=previous.segment_totals() if previous is not None else None,
        breakdowns=groups,
        provenance=provenance,
    )


def _uncertainty(a: Assessment, given: Any) -> Any:
    """The uncertainty result, or a phrase saying why there is none."""
    if given is False:
        return "was not computed for this briefing"
    if given is not None:
        return given
    try:
        from nhs_oversight.uncertainty import simulate
    except ImportError:
        return "is not available in this version"
    return simulate(a, DRAWS, SEED)


__all__ = [
    "BREAKDOWNS",
    "Briefing",
    "Paragraph",
    "Section",
    "Sentence",
    "Table",
    "breakdowns",
    "brief",
    "to_dict",
    "to_html",
    "to_json",
    "to_markdown",
]
