"""What every page's data holds: the page name, title, anchor and ``meta``, and available sections.

Shared by the page views (:mod:`.views`, :mod:`.method_views`, :mod:`.places`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from nhs_oversight.util.jsonable import to_jsonable
from nhs_oversight.web.extras import Unavailable
from nhs_oversight.web.per_site import once_per_site
from nhs_oversight.web.site import Site


def unavailable(x: Any) -> bool:
    return isinstance(x, Unavailable)


def section(x: Any, build) -> dict[str, Any]:
    """``{"available": False, "reason": ...}`` or ``{"available": True, **build(x)}``."""
    if unavailable(x):
        return x.to_dict()
    return {"available": True, **build(x)}


def table(df: pd.DataFrame) -> dict[str, Any]:
    """A DataFrame as ``{"columns": [...], "rows": [[...], ...]}`` (for results of any shape)."""
    df = df.reset_index() if not isinstance(df.index, pd.RangeIndex) else df
    return {"columns": [str(c) for c in df.columns], "rows": [to_jsonable(list(r)) for r in df.itertuples(index=False, name=None)]}


def meta(site: Site) -> dict[str, Any]:
    """What every page states: source files, period, method version, dataset label.

    Built once per site and shared by every page (read it, never change it), so that what is
    rendered from it alone (the page's frame) can be kept.
    """
    return once_per_site(site, "meta", lambda: _meta(site))


def _meta(site: Site) -> dict[str, Any]:
    a = site.assessment
    prov = to_jsonable(a.provenance())
    prov["source_names"] = [p.replace("\\", "/").rsplit("/", 1)[-1] for p in prov["source_files"]]
    fw = a.framework
    return {
        "dataset": a.label,
        "synthetic": (a.label or "").upper() == "SYNTHETIC",
        "provisional": fw.is_provisional,
        "provisional_rules": list(fw.provisional),
        "framework": fw.id,
        "framework_name": fw.name,
        "period": a.period,
        "previous_period": site.previous.period if site.previous is not None else None,
        "provenance": prov,
        "trust_types": {t.id: t.label for t in fw.trust_types},
        "domains": {d.id: d.name for d in fw.domains},
    }


def page(site: Site, page: str, title: str, anchor: str | None = None, **data: Any) -> dict[str, Any]:
    """A page's data: its name (which picks its template), title, anchor, ``meta`` and its own fields."""
    return {"page": page, "title": title, "anchor": anchor or page, "meta": meta(site), **data}
