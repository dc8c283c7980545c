"""The league table prepared once per site, so that each filter and sort costs microseconds.

Every league-table request used to rebuild the table from the assessment, merge the uncertainty,
convert every row and look up each ICB's name (about 25 ms, so 118 requests/s under load). The
data never change while serving, so here the rows are converted once and the table is sorted once
in every offered order, by the same pandas sort as before; a request only picks the rows that pass
its filters from the precomputed order (the order of a subset is the order of the whole, since each
sort ends with the unique ODS code).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from nhs_oversight.util.jsonable import dataframe_records
from nhs_oversight.web.query import ORDERS, SORTS, LeagueQuery


def sorted_positions(t: pd.DataFrame, sort: str, desc: bool, type_order: dict[str, int]) -> np.ndarray:
    """Row positions of ``t`` in the order the league page shows for ``sort`` and ``desc``."""
    t = t.reset_index(drop=True)
    if sort == "rank":
        keyed = t.assign(_t=t["trust_type"].map(type_order))
        out = keyed.sort_values(["_t", "rank", "org_code"], ascending=[True, not desc, True])
    else:
        out = t.sort_values([SORTS[sort], "org_code"], ascending=[not desc, True], kind="stable")
    return out.index.to_numpy()


class LeagueIndex:
    """The rows of one assessment's league table, converted once, in every offered order."""

    def __init__(self, table: pd.DataFrame, columns: Sequence[str], type_order: dict[str, int],
                 uncertainty: pd.DataFrame | None = None) -> None:
        t = table.reset_index(drop=True)
        self.total = len(t)
        rows = t[[c for c in columns if c in t.columns]]
        if uncertainty is not None:
            rows = rows.merge(uncertainty, on="org_code", how="left")
        self.records = dataframe_records(rows)
        self.orders = {(s, o): sorted_positions(t, s, o == "desc", type_order) for s in SORTS for o in ORDERS}
        self.columns = {c: t[c].to_numpy(dtype=object) for c in ("region", "trust_type", "icb_code") if c in t.columns}
        self.segment = pd.to_numeric(t["final_segment"], errors="coerce").to_numpy(dtype=float)
        self.names = np.array([n.casefold() if isinstance(n, str) else "" for n in t["org_name"]], dtype=str)
        self.codes = np.array([c.casefold() if isinstance(c, str) else "" for c in t["org_code"]], dtype=str)

    def mask(self, query: LeagueQuery) -> np.ndarray | None:
        """Which rows pass the query's filters (None: all of them)."""
        keep = None
        for column, value in (("region", query.region), ("trust_type", query.type), ("icb_code", query.icb)):
            if value:
                m = self.columns[column] == value if column in self.columns else np.zeros(self.total, bool)
                keep = m if keep is None else keep & m
        if query.segment is not None:
            m = self.segment == query.segment
            keep = m if keep is None else keep & m
        if query.q:
            needle = query.q.casefold()
            m = (np.char.find(self.names, needle) >= 0) | np.char.startswith(self.codes, needle)
            keep = m if keep is None else keep & m
        return keep

    def rows(self, query: LeagueQuery) -> list[dict[str, Any]]:
        """The records the query shows, in its order (shared dicts: read them, never change them)."""
        order = self.orders[(query.sort, query.order)]
        keep = self.mask(query)
        if keep is not None:
            order = order[keep[order]]
        return [self.records[i] for i in order]
