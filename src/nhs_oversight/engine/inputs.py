"""The engine's input: tidy tables, whatever file they came from.

Readers (``sources/``) build an :class:`OversightInputs`; the engine reads nothing else. Every row
keeps ``source`` ("file.csv:row 17") so any figure can be traced back to the cell it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

ORG_COLUMNS = ["org_code", "org_name", "trust_type", "trust_subtype", "region", "icb_code", "icb_name"]
VALUE_COLUMNS = ["org_code", "metric_id", "value", "unit", "tie_rank", "source"]
PUBLISHED_COLUMNS = ["org_code", "field", "value", "rank", "source"]
FLAG_COLUMNS = ["org_code", "financial_flag", "financial_source", "rsp_flag", "rsp_source"]


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c in ("value", "tie_rank", "rank") else object) for c in columns})


@dataclass(frozen=True)
class OversightInputs:
    """Metric values, organisations and flags for one quarter.

    Attributes
    ----------
    orgs : one row per organisation (``ORG_COLUMNS``; ``trust_type`` is the framework's type id).
    values : one row per organisation x metric (``VALUE_COLUMNS``). ``metric_id`` is the framework's
        ``OF0xxx`` id; for metrics published only as a score the value *is* that score.
        ``tie_rank`` is the published within-type rank of the unrounded value, where known.
    published : NHS England's published derived figures (scores, domain scores, segments, ranks),
        used only for stand-ins that the input cannot support and for verification.
    flags : financial override (deficit or deficit support) and Recovery Support Programme flags.
    period : the quarter, e.g. ``2025/26 Q1``.
    label : a dataset label shown on every output (``SYNTHETIC`` for the demo data).
    notes : warnings about the input (suppressed cells, trusts missing from the reference ...).
    reference : the organisation reference that gave regions and ICBs, if one was attached.
    """

    orgs: pd.DataFrame
    values: pd.DataFrame
    published: pd.DataFrame = field(default_factory=lambda: empty(PUBLISHED_COLUMNS))
    flags: pd.DataFrame = field(default_factory=lambda: empty(FLAG_COLUMNS))
    period: str | None = None
    files: tuple[str, ...] = ()
    label: str | None = None
    notes: tuple[str, ...] = ()
    reference: str | None = None

    def __post_init__(self) -> None:
        # Text columns as plain Python objects: pandas' Arrow strings are slow to convert to numpy,
        # and the engine (and every what-if run) reads them as arrays.
        for name in ("orgs", "values", "published", "flags"):
            df = getattr(self, name)
            text = [c for c in df.columns if pd.api.types.is_string_dtype(df[c]) and df[c].dtype != object]
            if text:
                object.__setattr__(self, name, df.astype(dict.fromkeys(text, object)))

    def without_published(self, keep: set[str] | None = None) -> OversightInputs:
        """A copy with published derived figures removed (all, or all but ``keep`` fields)."""
        pub = self.published
        pub = pub[pub["field"].isin(keep)] if keep else pub.iloc[0:0]
        return replace(self, published=pub.reset_index(drop=True))

    def with_values(self, values: pd.DataFrame) -> OversightInputs:
        return replace(self, values=values.reset_index(drop=True))

    @property
    def trust_types(self) -> list[str]:
        return sorted(self.orgs["trust_type"].dropna().unique().tolist())
