"""Page data for a region and for an integrated care board: its trusts and their segment mix.

Boards and journalists ask first how the trusts of their own ICB or region fare. These pages
count and list what the engine computed for the organisations of one place; nothing is scored
here. An ICB page also shows the ICB's own segment where the framework segments ICBs (the
2026/27 framework, provisional) and the input holds the ICB.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from nhs_oversight.engine.segments import SEGMENTS
from nhs_oversight.util.jsonable import dataframe_records, to_jsonable
from nhs_oversight.web.errors import NotFound
from nhs_oversight.web.page_data import meta
from nhs_oversight.web.site import Site

#: Columns of the trust list on a place page, in order.
TRUST_COLUMNS = ["org_code", "org_name", "trust_type", "region", "icb_code", "icb_name", "n_metrics",
                 "average_score", "financial_override", "final_segment", "rank", "rank_of"]

ICB_TYPE = "icb"


def _trusts(site: Site, mask: pd.Series) -> pd.DataFrame:
    s = site.assessment.summary
    rows = s[mask & (s["trust_type"] != ICB_TYPE)]
    order = {t.id: i for i, t in enumerate(site.framework.trust_types)}
    rows = rows.assign(_t=rows["trust_type"].map(order)).sort_values(["final_segment", "_t", "rank", "org_code"])
    rows = rows.drop(columns="_t")
    rows = rows.assign(trust_type_label=[site.framework.trust_type_label(t) for t in rows["trust_type"]])
    return rows[[c for c in [*TRUST_COLUMNS, "trust_type_label"] if c in rows.columns]]


def _mix(site: Site, trusts: pd.DataFrame) -> dict[str, Any]:
    """Counts and shares of the place's trusts in each final segment (the overview's table)."""
    counts = {f"segment_{k}": int((trusts["final_segment"] == k).sum()) for k in SEGMENTS}
    total = len(trusts)
    shares = {f"share_{k}": (counts[f"segment_{k}"] / total if total else None) for k in SEGMENTS}
    return {"organisations": total, **counts, **shares}


def _page(site: Site, page: str, title: str, anchor: str, **data: Any) -> dict[str, Any]:
    return {"page": page, "title": title, "anchor": anchor, "meta": meta(site), **data}


def regions_in(site: Site) -> list[str]:
    return sorted(r for r in site.assessment.summary["region"].dropna().astype(str).unique() if r.strip())


def region(site: Site, name: str) -> dict[str, Any]:
    """A region: segment mix of its trusts, its ICBs with theirs, and every trust."""
    s = site.assessment.summary
    found = {r.casefold(): r for r in regions_in(site)}.get(name.strip().casefold()) if len(name) <= 80 else None
    if found is None:
        raise NotFound(f"no region of that name in {site.assessment.period or 'this data'}")
    trusts = _trusts(site, s["region"] == found)
    icbs = []
    if site.icbs:
        for code, group in trusts.groupby(trusts["icb_code"].fillna("").astype(str), sort=True):
            if not code.strip():
                continue
            icbs.append({"icb_code": code, "icb_name": str(group["icb_name"].iloc[0]), **_mix(site, group)})
    return _page(
        site, "region", f"{found}: trusts and segments", anchor="region",
        region=found,
        mix=_mix(site, trusts),
        icbs=icbs,
        trusts=dataframe_records(trusts),
        regions=regions_in(site),
    )


def icb(site: Site, code: str) -> dict[str, Any]:
    """An ICB: its trusts' segment mix and list, and the ICB's own segment where it has one."""
    s = site.assessment.summary
    key = code.strip().upper() if len(code) <= 12 else ""
    codes = s["icb_code"].fillna("").astype(str).str.upper()
    own = s[(s["org_code"].astype(str).str.upper() == key) & (s["trust_type"] == ICB_TYPE)] if key else s.iloc[0:0]
    if not key or (not (codes == key).any() and own.empty):
        raise NotFound(f"no integrated care board with that code in {site.assessment.period or 'this data'}")
    trusts = _trusts(site, codes == key)
    name = str(trusts["icb_name"].iloc[0]) if len(trusts) else str(own["org_name"].iloc[0])
    region_names = sorted(set(trusts["region"].dropna().astype(str))) or sorted(set(own["region"].dropna().astype(str)))
    fw = site.framework
    segments_icbs = any(t.id == ICB_TYPE for t in fw.trust_types)
    if not own.empty:
        own_segment = {"available": True, "row": to_jsonable(own.iloc[0].to_dict()), "provisional": fw.is_provisional}
    elif segments_icbs:
        own_segment = {"available": False, "reason": "The input does not hold this ICB's own metrics, so it has no segment of its own here."}
    else:
        own_segment = {"available": False,
                       "reason": f"The {fw.name} segments trusts only; ICBs are segmented from 2026/27 "
                                 "(the provisional nof-2026-27 framework)."}
    return _page(
        site, "icb", f"{name} ({key}): trusts and segments", anchor="icb",
        icb={"code": key, "name": name, "regions": region_names},
        mix=_mix(site, trusts),
        own_segment=own_segment,
        trusts=dataframe_records(trusts),
    )
