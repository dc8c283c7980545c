"""Agreement of our likely ranges with those NHS England publishes in its league-table CSV."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nhs_oversight.errors import OptionError

#: Published fields (read by sources/league_table.py) and the tolerance each is judged with.
AVERAGE_FIELDS = ("LT_average_low", "LT_average_high")
RANK_FIELDS = ("LT_rank_low", "LT_rank_high")
AVERAGE_TOLERANCE = 0.02
RANK_TOLERANCE = 1


@dataclass(frozen=True)
class PublishedAgreement:
    """Per organisation, our range next to NHS England's; ``summary`` gives the shares that agree."""

    table: pd.DataFrame
    summary: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary, "rows": self.table.to_dict(orient="records")}


def published_ranges(published: pd.DataFrame) -> pd.DataFrame:
    """The likely-range fields in an input's published figures, one row per organisation."""
    fields = (*AVERAGE_FIELDS, *RANK_FIELDS)
    rows = published[published["field"].isin(fields)]
    if rows.empty:
        raise OptionError(
            "the inputs hold no published likely ranges: add NHS England's league-table CSV "
            "(columns Likely_range_of_average_score, Likely_range_of_rank) to compare with"
        )
    wide = rows.drop_duplicates(["org_code", "field"]).pivot(index="org_code", columns="field", values="value")
    return wide.reindex(columns=list(fields))


def agreement(ours: pd.DataFrame, published: pd.DataFrame) -> PublishedAgreement:
    """Compare ``ours`` (org_code, average_low/high, rank_low/high) with the published ranges."""
    lt = published_ranges(published)
    t = ours[["org_code", "trust_type", "average_low", "average_high", "rank_low", "rank_high"]].merge(
        lt, left_on="org_code", right_index=True, how="inner"
    )
    t["average_within"] = _within(t, ("average_low", "average_high"), AVERAGE_FIELDS, AVERAGE_TOLERANCE)
    t["rank_within"] = _within(t, ("rank_low", "rank_high"), RANK_FIELDS, RANK_TOLERANCE)
    summary: dict[str, Any] = {"organisations": len(t)}
    for what, ours_cols, lt_cols, tol in (
        ("average", ("average_low", "average_high"), AVERAGE_FIELDS, AVERAGE_TOLERANCE),
        ("rank", ("rank_low", "rank_high"), RANK_FIELDS, RANK_TOLERANCE),
    ):
        compared = t[list(lt_cols)].notna().all(axis=1)
        diffs = np.abs(t.loc[compared, list(ours_cols)].to_numpy(float) - t.loc[compared, list(lt_cols)].to_numpy(float))
        summary[what] = {
            "tolerance": tol,
            "compared": int(compared.sum()),
            "within": int(t.loc[compared, f"{what}_within"].sum()),
            "share_within": float(t.loc[compared, f"{what}_within"].mean()) if compared.any() else None,
            "mean_abs_difference": float(diffs.mean()) if compared.any() else None,
            "max_abs_difference": float(diffs.max()) if compared.any() else None,
        }
    return PublishedAgreement(table=t.reset_index(drop=True), summary=summary)


def _within(t: pd.DataFrame, ours: tuple[str, str], theirs: tuple[str, ...], tol: float) -> pd.Series:
    """Both ends within the tolerance (NA where NHS England published no range)."""
    ok = pd.Series(True, index=t.index)
    for a, b in zip(ours, theirs, strict=True):
        ok &= (t[a].astype(float) - t[b].astype(float)).abs() <= tol + 1e-9
    return ok.where(t[list(theirs)].notna().all(axis=1)).astype("boolean")
