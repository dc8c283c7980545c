"""The method pages: method and sources, the method comparison, and the API and downloads page."""

from __future__ import annotations

from typing import Any

from nhs_oversight.util.jsonable import dataframe_records, to_jsonable
from nhs_oversight.web.extras import Unavailable
from nhs_oversight.web.page_data import page as _page
from nhs_oversight.web.page_data import section, table
from nhs_oversight.web.site import Site
from nhs_oversight.web.views import metric_definition

COMPARE_COLUMNS = ["org_code", "org_name", "trust_type", "segment_a", "segment_b", "change", "average_a", "average_b",
                   "rank_a", "rank_b", "reason", "final_segment_a", "final_segment_b"]


def comparison(site: Site, choice: str) -> dict[str, Any]:
    choices = site.comparison_choices()

    def build(c: Any) -> dict[str, Any]:
        prov = to_jsonable(c.provenance())
        moves = c.who_moves
        return {
            "a": prov["a"], "b": prov["b"],
            "provisional": bool(prov.get("provisional")),
            "counts": prov.get("counts", {}),
            "notes": prov.get("notes", []),
            "switches": prov.get("switches", {}),
            "transition": table(c.transition),
            "who_moves": dataframe_records(moves[[x for x in COMPARE_COLUMNS if x in moves.columns]]),
        }

    result = site.comparison(choice) if choice else Unavailable("No other method is available to compare with.")
    return _page(site, "compare", "Method comparison", choice=choice, choices=choices,
                 framework_b=choices.get(choice), result=section(result, build))


def method(site: Site) -> dict[str, Any]:
    a = site.assessment
    fw = a.framework
    seg = fw.segmentation
    rules = [
        ("Segmentation", f"{seg.method} ({seg.population} population, {seg.score} average scores); a trust on a cut point is in the better segment. {seg.evidence}".strip()),
    ]
    if fw.financial_override is not None:
        o = fw.financial_override
        rules.append(("Financial override", f"a trust with the {o.flag} flag in segment {' or '.join(map(str, o.segments))} is placed in segment {o.cap}. {o.evidence}".strip()))
    if fw.recovery_support is not None:
        r = fw.recovery_support
        rules.append(("Recovery Support Programme", f"a trust in the programme is in segment {r.segment}. {r.evidence}".strip()))
    lt = fw.league_table
    rules.append(("League table", f"ranked within {lt.within.replace('_', ' ')} by {', then '.join(o.replace('_', ' ') for o in lt.order)}; ties share the best rank. {lt.evidence}".strip()))
    cut = [{"scale": k, **v} for k, v in to_jsonable(a.provenance()["cutpoints"]).items()]
    from nhs_oversight.render.evidence import glossary

    return _page(site, "method", "Method and sources",
                 rules=[{"name": n, "text": t} for n, t in rules],
                 evidence_codes=glossary(),
                 cutpoints=cut,
                 warnings=list(a.warnings),
                 notes=list(a.inputs.notes),
                 metrics=[metric_definition(site, m) for m in site.metric_ids])


def api_docs(site: Site, endpoints: list[dict[str, Any]]) -> dict[str, Any]:
    """The page listing the JSON twins and table downloads (from the OpenAPI schema)."""
    return _page(site, "docs", "API and downloads", endpoints=endpoints)
