"""The explanation of one organisation's segment: immutable records, each JSON-ready.

The dashboard and the briefing read these fields; keep names stable. ``to_dict`` gives plain
Python values (None for missing), in the order a reader would want them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from nhs_oversight.util.jsonable import to_jsonable


def _plain(obj: Any) -> Any:
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if isinstance(obj, tuple | list):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return to_jsonable(obj)


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class Step(_Record):
    """One step from metric scores to the final segment, in words and numbers."""

    name: str
    text: str
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MetricLine(_Record):
    """One metric of the organisation: its value, how it was scored, and its pull on the average.

    ``contribution`` = w(score - average)/sum(w): how much worse (+) or better (-) than the
    organisation's own average the metric pulls it; contributions sum to zero. ``share`` =
    w score/sum(w); shares sum to the average. (With ``average.of: domains`` the weights are the
    effective weights of that rule.) Both are None for metrics not in the average.
    """

    metric_id: str
    score_id: str
    name: str
    short_name: str
    domain: str
    domain_name: str
    value: float | None
    value_text: str
    unit: str
    population: str
    population_size: int | None
    group_size: int | None
    rank: int | None
    rule: str
    rule_text: str
    score: float | None
    score_2dp: float | None
    average_input: float | None
    weight: float
    in_average: bool
    effective_weight: float | None
    contribution: float | None
    share: float | None
    score_source: str
    input_row: str
    movable: bool
    not_movable_reason: str | None


@dataclass(frozen=True)
class DomainLine(_Record):
    domain: str
    name: str
    n_metrics: int
    score: float | None
    score_2dp: float | None
    segment: int | None
    rank: int | None
    rank_of: int | None
    cut_points: tuple[float, ...] | None
    cut_point_method: str | None


@dataclass(frozen=True)
class Peer(_Record):
    """A neighbour in the league table of the organisation's trust type."""

    position: str  # "above" or "below"
    org_code: str
    org_name: str
    average_score: float | None
    final_segment: int | None
    adjusted_segment: int | None
    rank: int | None


@dataclass(frozen=True)
class Change(_Record):
    """One metric changed in a move: ``from`` and ``to`` in the metric's own units.

    ``kind`` is ``value`` (a metric value) or ``band`` (a score-only input such as a CQC rating,
    moved by one or more bands). Scores, ranks and rule after the change come from re-running
    the engine.
    """

    metric_id: str
    short_name: str
    kind: str
    from_value: float
    to_value: float
    unit: str
    from_text: str
    to_text: str
    from_score: float | None
    to_score: float | None
    from_rank: int | None
    to_rank: int | None
    to_rule: str
    effort: float
    text: str

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d = {"metric_id": d.pop("metric_id"), "from": d.pop("from_value"), "to": d.pop("to_value"), **d}
        return d


@dataclass(frozen=True)
class Move(_Record):
    """A set of metric changes that moves the organisation to another segment.

    Every move has been checked by re-running the engine on the changed inputs with the cut
    points held fixed; ``resulting_*`` are that run's figures.
    """

    direction: str  # "better" or "worse"
    target_segment: int
    changes: tuple[Change, ...]
    resulting_segment: int
    resulting_adjusted_segment: int
    resulting_unadjusted_segment: int
    resulting_average: float
    resulting_average_unrounded: float
    resulting_rank: int | None
    effort: float
    text: str
    verified: bool = True


@dataclass(frozen=True)
class PlanStep(_Record):
    """One step of a plan: the inputs changed (metric values, or the financial override flag) and where
    the trust then stands, from re-running the engine on every change up to and including this step."""

    name: str  # "finance" (the inputs behind the financial override flag) or "metrics"
    text: str
    changes: tuple[Change, ...]
    flag_from: float | None
    flag_to: float | None
    resulting_segment: int
    resulting_unadjusted_segment: int
    resulting_average: float


@dataclass(frozen=True)
class Plan(_Record):
    """The least-effort set of changes, of any size, that takes the trust to an adjacent segment.

    Found exactly over every metric's ladder of score steps and confirmed by re-running the engine
    with the cut points fixed; ``resulting_*`` are that run's. ``largest_single`` is the one metric
    change that closes most of the gap (also re-run through the engine), whether or not it is enough.
    """

    direction: str
    from_segment: int
    target_segment: int
    found: bool
    text: str
    steps: tuple[PlanStep, ...]
    n_changes: int
    effort: float | None
    resulting_segment: int | None
    resulting_adjusted_segment: int | None
    resulting_unadjusted_segment: int | None
    resulting_average: float | None
    resulting_average_unrounded: float | None
    resulting_rank: int | None
    largest_single: Move | None
    largest_single_text: str
    verified: bool
    proved: bool = True  # the least effort proved by the solver (else effort_bound is what it proved)
    effort_bound: float | None = None


@dataclass(frozen=True)
class PeerValue(_Record):
    """One metric's value beside its scoring group's median and quartiles.

    ``source`` is ``published`` (NHS England's Median_value, Lower_quartile and Upper_quartile
    columns) or ``computed`` (linear-interpolation quartiles of the ``group_size`` values in the
    input). ``quarter`` is 1 for the best quarter of the group and 4 for the worst.
    """

    metric_id: str
    short_name: str
    unit: str
    value: float | None
    value_text: str
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None
    quartiles_text: str
    group: str
    group_size: int
    source: str
    higher_is_better: bool | None
    quarter: int | None
    text: str


@dataclass(frozen=True)
class Distance(_Record):
    """How far the organisation is from an adjacent segment, and what would take it there."""

    direction: str  # "better" or "worse"
    from_segment: int
    target_segment: int | None
    reachable: bool
    reason: str
    cut_point: float | None
    average_needed: float | None
    average_change: float | None
    moves: tuple[Move, ...]
    search: str  # "single metrics", "pairs of metrics" or "none"
    text: str


@dataclass(frozen=True)
class ExplanationRecord(_Record):
    """Every field of an explanation. :class:`~nhs_oversight.explain.explanation.Explanation` adds
    its written forms, so the text renderer can read these fields without importing the class that
    calls it.
    """

    org_code: str
    org_name: str
    trust_type: str
    trust_type_label: str
    final_segment: int | None
    adjusted_segment: int | None
    unadjusted_segment: int | None
    average_score: float | None
    average_score_unrounded: float | None
    rank: int | None
    rank_of: int | None
    headline: str
    steps: tuple[Step, ...]
    metrics: tuple[MetricLine, ...]
    domains: tuple[DomainLine, ...]
    peers: tuple[Peer, ...]
    distance: tuple[Distance, ...]
    not_offered: tuple[dict[str, str], ...]
    provenance: dict[str, Any]
    warnings: tuple[str, ...]
    search: dict[str, Any]
    plans: tuple[Plan, ...] = ()
    against_peers: tuple[PeerValue, ...] = ()

    @property
    def moves(self) -> tuple[Move, ...]:
        """Every move, towards the better segment first."""
        return tuple(m for d in self.distance for m in d.moves)

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["moves"] = [m.to_dict() for m in self.moves]
        return d
