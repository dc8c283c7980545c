"""Frozen pydantic models of a framework specification.

A framework is data: adding a year or a local variant means a new YAML file, never a branch on the
year in code. Each model validates what the engine relies on, so a malformed file fails on load
with a message naming the field.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Op = Literal["<", "<=", ">", ">="]

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Threshold(_Frozen):
    """A comparison such as ``>= 78``: the value meets (or fails) when ``value OP threshold``."""

    op: Op
    value: float

    def describe(self, unit: str = "") -> str:
        words = {"<": "below", "<=": "at or below", ">": "above", ">=": "at or above"}[self.op]
        return f"{words} {self.value:g}{'%' if unit == 'percent' else ''}"


class _Scoring(_Frozen):
    """A scoring specification; its rule (score, words, what moves it) is in ``engine/rules/``."""

    #: The input value is the score itself (read by the file readers, which sit above the engine).
    score_is_input: ClassVar[bool] = False


class Band(_Frozen):
    op: Op
    value: float
    score: float


class RankedScoring(_Scoring):
    """Percentile-rank scoring (M25 variants A, B and C)."""

    model: Literal["ranked"]
    standard: Threshold | None = None
    floor: Threshold | None = None

    @model_validator(mode="after")
    def _one_bookend(self) -> RankedScoring:
        if self.standard is not None and self.floor is not None:
            raise ValueError("a ranked metric has a standard or a floor, not both")
        return self

    @property
    def variant(self) -> str:
        return "B" if self.standard else "C" if self.floor else "A"

    @property
    def span(self) -> tuple[float, float]:
        """Scores given to the best and worst of the ranked group."""
        return {"A": (1.0, 4.0), "B": (2.0, 4.0), "C": (1.0, 3.0)}[self.variant]


class BandedScoring(_Scoring):
    """Fixed bands, first match wins, e.g. finance plan ``>= 0 -> 1``."""

    model: Literal["banded"]
    bands: tuple[Band, ...]
    otherwise: float


class MatrixScoring(_Scoring):
    """A score looked up from two other metrics' scores (combined finance)."""

    model: Literal["matrix"]
    rows: str
    columns: str
    matrix: tuple[tuple[float, ...], ...]

    @field_validator("matrix")
    @classmethod
    def _square(cls, v: tuple[tuple[float, ...], ...]) -> tuple[tuple[float, ...], ...]:
        if len(v) != 4 or any(len(r) != 4 for r in v):
            raise ValueError("the matrix must be 4 x 4 (scores 1-4 by 1-4)")
        return v


class PublishedScoring(_Scoring):
    """Only a score is published (CQC ratings, SHMI band, survey bands): the score is an input."""

    model: Literal["published_score"]
    score_is_input: ClassVar[bool] = True
    categories: dict[str, float] | None = None


UnitScoring = Annotated[RankedScoring | BandedScoring, Field(discriminator="model")]


class ByUnitScoring(_Scoring):
    """Different rules for rows reported in different units (infection rates vs counts)."""

    model: Literal["by_unit"]
    units: dict[str, UnitScoring]


Scoring = Annotated[
    RankedScoring | BandedScoring | MatrixScoring | PublishedScoring | ByUnitScoring,
    Field(discriminator="model"),
]


class Metric(_Frozen):
    id: str = Field(pattern=r"^OF0\d{3}$")
    score_id: str = Field(pattern=r"^OF1\d{3}$")
    name: str
    short_name: str
    domain: str
    sub_domain: str
    unit: str
    direction: Literal["higher", "lower"]
    trust_types: tuple[str, ...]
    population: Literal["trust_type", "national", "none"]
    weight: float = 1.0
    in_average: bool = True
    average_input: Literal["rounded", "full"] = "full"
    scoring: Scoring
    evidence: str = ""
    provisional: bool = False

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"

    @property
    def is_ranked(self) -> bool:
        return isinstance(self.scoring, RankedScoring) or (
            isinstance(self.scoring, ByUnitScoring)
            and any(isinstance(s, RankedScoring) for s in self.scoring.units.values())
        )

    @property
    def is_pooled(self) -> bool:
        """Scored over every reporting trust nationally, across trust types."""
        return self.population == "national"


class TrustType(_Frozen):
    id: str
    label: str
    aliases: tuple[str, ...] = ()


class Domain(_Frozen):
    id: str
    name: str
    score_id: str
    segment_id: str


class Ranking(_Frozen):
    ties: Literal["min"] = "min"
    tie_break: Literal["published_rank", "none"] = "published_rank"
    tie_break_evidence: str = ""
    single_member: Literal["best"] = "best"
    single_member_evidence: str = ""


class Average(_Frozen):
    """How metric scores become the average score.

    ``of: metrics`` is the published method (weighted mean of metric scores); ``of: domains`` is the
    mean of the domain scores, each domain counting equally (a what-if variant for comparison).
    """

    of: Literal["metrics", "domains"] = "metrics"
    minimum_metrics: int = 1
    minimum_metrics_evidence: str = ""


class DomainSegmentation(_Frozen):
    method: Literal["quartiles", "thresholds", "none"] = "quartiles"
    population: Literal["national", "trust_type"] = "national"
    thresholds: dict[str, tuple[float, float, float]] | None = None
    evidence: str = ""


class Segmentation(_Frozen):
    method: Literal["quartiles", "thresholds"]
    population: Literal["national", "trust_type"] = "national"
    quantile_method: str = "linear"
    score: Literal["rounded", "full"] = "rounded"
    boundary: Literal["upper_inclusive", "lower_inclusive"] = "upper_inclusive"
    thresholds: tuple[float, float, float] | None = None
    evidence: str = ""
    domains: DomainSegmentation = DomainSegmentation()

    @model_validator(mode="after")
    def _thresholds_given(self) -> Segmentation:
        if self.method == "thresholds":
            if self.thresholds is None:
                raise ValueError("segmentation by thresholds needs three thresholds")
            if not (self.thresholds[0] < self.thresholds[1] < self.thresholds[2]):
                raise ValueError("segmentation thresholds must increase")
        return self


class FinancialOverride(_Frozen):
    flag: str
    segments: tuple[int, ...] = (1, 2)
    cap: int = 3
    evidence: str = ""


class RecoverySupport(_Frozen):
    flag: str
    segment: int = 5
    evidence: str = ""


class LeagueTable(_Frozen):
    within: Literal["trust_type", "national"] = "trust_type"
    order: tuple[str, ...] = ("adjusted_segment", "average_score")
    ties: Literal["min"] = "min"
    evidence: str = ""


class Rounding(_Frozen):
    method: Literal["half_up", "half_even"] = "half_up"
    evidence: str = ""


class SummaryIds(_Frozen):
    adjusted_segment: str = "OF5000"
    average_score: str = "OF5002"
    unadjusted_segment: str = "OF5003"
    financial_override: str = "OF5004"
    final_segment: str = "OF5005"
    recovery_support: str = "OF5007"


class Framework(_Frozen):
    """One version of the oversight method. Use :meth:`variant` to derive a what-if copy."""

    id: str
    name: str
    year: str
    status: Literal["published", "provisional"]
    provisional: tuple[str, ...] = ()
    score_range: tuple[float, float] = (1.0, 4.0)
    display_decimals: int = 2
    rounding: Rounding = Rounding()
    trust_types: tuple[TrustType, ...]
    organisation_kinds: tuple[str, ...] = ("trust",)
    domains: tuple[Domain, ...]
    ranking: Ranking = Ranking()
    metrics: tuple[Metric, ...]
    average: Average = Average()
    segmentation: Segmentation
    financial_override: FinancialOverride | None = None
    recovery_support: RecoverySupport | None = None
    league_table: LeagueTable = LeagueTable()
    summary_ids: SummaryIds = SummaryIds()
    notes: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        ids = [m.id for m in self.metrics]
        if len(ids) != len(set(ids)):
            raise ValueError("metric ids must be unique")
        domains = {d.id for d in self.domains}
        types = {t.id for t in self.trust_types}
        for m in self.metrics:
            if m.domain not in domains:
                raise ValueError(f"{m.id}: unknown domain {m.domain!r}")
            unknown = set(m.trust_types) - types
            if unknown:
                raise ValueError(f"{m.id}: unknown trust types {sorted(unknown)}")
            if isinstance(m.scoring, MatrixScoring):
                for dep in (m.scoring.rows, m.scoring.columns):
                    if dep not in ids:
                        raise ValueError(f"{m.id}: matrix input {dep} is not a metric")
        return self

    # -- look-ups ---------------------------------------------------------------------------
    def metric(self, metric_id: str) -> Metric:
        for m in self.metrics:
            if metric_id in (m.id, m.score_id):
                return m
        raise KeyError(metric_id)

    @property
    def metric_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.metrics)

    def trust_type_id(self, label: str) -> str | None:
        """Map a published trust type label (any alias, any case) to its id."""
        key = label.strip().lower()
        for t in self.trust_types:
            if key in {t.id.lower(), t.label.lower(), *(a.lower() for a in t.aliases)}:
                return t.id
        return None

    def trust_type_label(self, type_id: str) -> str:
        for t in self.trust_types:
            if t.id == type_id:
                return t.label
        return type_id

    def domain(self, domain_id: str) -> Domain:
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise KeyError(domain_id)

    @property
    def known_ids(self) -> frozenset[str]:
        """Every Metric_ID a published file for this framework may carry."""
        ids = {m.id for m in self.metrics} | {m.score_id for m in self.metrics}
        ids |= {d.score_id for d in self.domains} | {d.segment_id for d in self.domains}
        ids |= set(self.summary_ids.model_dump().values())
        return frozenset(ids)

    @property
    def is_provisional(self) -> bool:
        return self.status == "provisional" or bool(self.provisional) or any(
            m.provisional for m in self.metrics
        )

    # -- what-if copies ---------------------------------------------------------------------
    def variant(self, suffix: str, **changes: object) -> Framework:
        """A copy with some rules changed, named ``<id>+<suffix>`` so outputs say which."""
        data = self.model_dump()
        data.update(changes)
        data["id"] = f"{self.id}+{suffix}"
        data["name"] = f"{self.name} ({suffix})"
        return Framework.model_validate(data)
