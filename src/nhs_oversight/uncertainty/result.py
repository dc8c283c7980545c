"""The result of an uncertainty run: one row per organisation, plus how it was made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from nhs_oversight.engine import Assessment
from nhs_oversight.uncertainty.published import PublishedAgreement, agreement
from nhs_oversight.uncertainty.replicate import Replicates


@dataclass(frozen=True)
class Uncertainty:
    """How sure each segment and rank is.

    Attributes
    ----------
    assessment : the point estimate the draws are centred on.
    table : one row per organisation: the point segment (adjusted), the probability of each
        segment 1-4 (``p_segment_1`` .. ``p_segment_4``), ``p_same``, the modal segment, normalised
        entropy, a stability label, the likely range of the average score, the median and 95%
        interval of the league rank, and the Monte Carlo error of ``p_same``.
    meta : method, draws, seed, label thresholds, frozen cut points and caveats in words.
    replicates : the draws themselves (only when asked for with ``keep_draws``).
    """

    assessment: Assessment
    table: pd.DataFrame
    meta: dict[str, Any]
    replicates: Replicates | None = None

    @property
    def is_provisional(self) -> bool:
        return self.assessment.framework.is_provisional

    def provenance(self) -> dict[str, Any]:
        """The assessment's provenance (source files, period, framework) with this run's method."""
        return {**self.assessment.provenance(), "uncertainty": self.meta}

    def has_published_ranges(self) -> bool:
        pub = self.assessment.inputs.published
        return bool(pub["field"].astype(str).str.startswith("LT_").any()) if len(pub) else False

    def compare_published(self) -> PublishedAgreement:
        """Agreement of our ranges with NHS England's league-table likely ranges (±0.02 average, ±1 rank)."""
        return agreement(self.table, self.assessment.inputs.published)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"meta": self.provenance(), "rows": self.table.to_dict(orient="records")}
        if self.has_published_ranges():
            out["published_agreement"] = self.compare_published().to_dict()
        return out
