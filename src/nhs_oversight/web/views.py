"""Page data: one function per page, returning a plain JSON-ready dict.

The same dict is the page's JSON twin and the context of its template (dashboard and report).
Values are read from the assessment and from library results; nothing is scored here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from nhs_oversight.engine.groupings import GROUPINGS
from nhs_oversight.engine.rules import rule_for
from nhs_oversight.engine.segments import SEGMENTS
from nhs_oversight.util.jsonable import dataframe_records, to_jsonable
from nhs_oversight.web.league import LeagueIndex
from nhs_oversight.web.page_data import meta, section, table, unavailable
from nhs_oversight.web.page_data import page as _page
from nhs_oversight.web.per_site import once_per_site, prepared_for
from nhs_oversight.web.query import SORTS, LeagueQuery
from nhs_oversight.web.site import Site

LEAGUE_COLUMNS = [
    "org_code", "org_name", "trust_type", "trust_subtype", "region", "icb_code", "n_metrics",
    "average_score", "unadjusted_segment", "financial_override", "adjusted_segment",
    "recovery_support", "final_segment", "rank", "rank_of",
]
UNCERTAINTY_COLUMNS = ["p_same", "label", "rank_low", "rank_high"]


def share_text(count: int, total: int) -> str:
    """``26% (7 of 27)``: a share with its base."""
    if not total:
        return "none"
    return f"{round(100 * count / total):.0f}% ({count} of {total})"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# -- overview ----------------------------------------------------------------------------------
def overview(site: Site) -> dict[str, Any]:
    a = site.assessment
    national = a.segment_counts()
    groups = {}
    for grouping in GROUPINGS.values():
        by = grouping.column
        if by == "icb_code" and not site.icbs:
            continue
        groups[by] = {"title": grouping.title, "rows": dataframe_records(a.segment_counts(by))}
    top = a.largest_share("region", 4)
    if top.empty or top["segment_4"].max() == 0:
        headline = "No region has a trust in segment 4."
    else:
        r = top.iloc[0]
        names = _join(list(top["label"]))
        verb = "has" if len(top) == 1 else "each have"
        headline = (f"{names} {verb} the largest share of trusts in segment 4: "
                    f"{share_text(int(r['segment_4']), int(r['organisations']))}" + ("" if len(top) == 1 else " or the same share") + ".")
    return _page(
        site, "overview", "National overview",
        national=dataframe_records(national)[0],
        groups=groups,
        segment4_headline=headline,
        segment4_regions=list(top["group"]) if not top.empty else [],
        cutpoints=to_jsonable(a.provenance()["cutpoints"]["overall"]),
        movement=movement_section(site),
        warnings=list(a.warnings),
    )


def movement_section(site: Site, limit: int = 30) -> dict[str, Any]:
    def build(m: Any) -> dict[str, Any]:
        moved = m.moved
        cols = ["org_code", "org_name", "trust_type", "region", "segment_before", "segment_after",
                "direction", "average_before", "average_after", "reason", "metric_changes"]
        return {
            "previous_period": m.previous_period,
            "current_period": m.current_period,
            "counts": {d: int((m.movers["direction"] == d).sum()) for d in ("up", "down", "same")},
            "matrix": table(m.matrix.rename_axis("before")),
            "moved": dataframe_records(moved[[c for c in cols if c in moved.columns]].head(limit)),
            "moved_total": len(moved),
            "entered": len(m.entered),
            "left": len(m.left),
        }

    return section(site.movement(), build)


# -- league table ------------------------------------------------------------------------------
def league(site: Site, query: LeagueQuery) -> dict[str, Any]:
    prepared = once_per_site(site, "league", lambda: _league_prepared(site))
    rows = prepared["index"].rows(query)
    return dict(
        page="league", title="League table", anchor="league", meta=prepared["meta"],
        query=query.params(),
        sort_links={k: query.params(sort=k, order="desc" if query.sort == k and query.order == "asc" else "asc") for k in SORTS},
        sort=query.sort, order=query.order,
        shown=len(rows), total=prepared["index"].total,
        rows=rows,
        uncertainty=prepared["uncertainty"],
        options=prepared["options"],
    )


def prepare_league(site: Site) -> None:
    """Prepare the league table now (the first visitor need not wait for it)."""
    once_per_site(site, "league", lambda: _league_prepared(site))


def league_ready(site: Site) -> bool:
    """Whether the league table is prepared for this site (a filter then costs microseconds)."""
    return prepared_for(site, "league")


def _league_prepared(site: Site) -> dict[str, Any]:
    """What every league page shares: the table in every order, the uncertainty, the filter options."""
    a = site.assessment
    unc = site.uncertainty()
    have = [] if unavailable(unc) else [c for c in UNCERTAINTY_COLUMNS if c in unc.table.columns]
    index = LeagueIndex(a.league_table(wide=False), LEAGUE_COLUMNS, {tt.id: i for i, tt in enumerate(a.framework.trust_types)},
                        None if unavailable(unc) else unc.table[["org_code", *have]])
    icb_names = a.summary.drop_duplicates("icb_code").set_index("icb_code")["icb_name"] if "icb_name" in a.summary.columns else {}
    return {
        "index": index,
        "meta": meta(site),
        "uncertainty": section(unc, lambda u: {"columns": have, "method": _uncertainty_method(u)}),
        "options": {
            "regions": site.regions,
            "types": [{"id": tid, "label": a.framework.trust_type_label(tid)} for tid in site.types],
            "icbs": [{"code": c, "name": str(icb_names[c]) if c in icb_names else c} for c in site.icbs],
            "segments": list(SEGMENTS),
            "sorts": list(SORTS),
        },
    }


def _uncertainty_method(u: Any) -> dict[str, Any]:
    meta = to_jsonable(getattr(u, "meta", {}) or {})
    return {k: meta[k] for k in ("method", "method_description", "draws", "seed", "segments", "caveats") if k in meta}


# -- trust -------------------------------------------------------------------------------------
def trust(site: Site, code: str) -> dict[str, Any]:
    a = site.assessment
    code = site.org_code(code)
    row = to_jsonable(a.org(code).to_dict())
    fw = a.framework
    row["trust_type_label"] = fw.trust_type_label(row["trust_type"])
    metrics = a.org_metrics(code)
    info = pd.DataFrame([{"metric_id": m.id, "name": m.name, "short_name": m.short_name, "direction": m.direction,
                          "domain_name": fw.domain(m.domain).name} for m in fw.metrics])
    metrics = metrics.merge(info, on="metric_id", how="left").drop(columns=["average_input"])
    ex = site.explanation(code)
    if not unavailable(ex):
        lines = pd.DataFrame(ex.get("metrics") or [])
        if not lines.empty and {"metric_id", "rule_text", "contribution"} <= set(lines.columns):
            metrics = metrics.merge(lines[["metric_id", "rule_text", "contribution"]], on="metric_id", how="left")
    spc = site.trust_spc(code)
    if not unavailable(spc):
        keep = spc[["metric_id", "latest_date", "points", "variation_icon", "variation", "assurance_icon", "assurance_text", "summary"]]
        metrics = metrics.merge(keep.rename(columns={"summary": "spc_summary"}), on="metric_id", how="left")
    domains = a.org_domains(code)
    domains = domains.assign(domain_name=[fw.domain(d).name for d in domains["domain"]])
    peers = a.summary[a.summary["trust_type"] == row["trust_type"]][["org_code", "org_name", "average_score", "final_segment"]]
    unc = site.uncertainty()
    uncertainty = section(unc, lambda u: {"row": (dataframe_records(u.table[u.table["org_code"] == code]) or [None])[0],
                                          "method": _uncertainty_method(u)})
    mov = site.movement()
    drivers = section(mov, lambda m: {"drivers": dataframe_records(m.drivers_of(code))})
    return _page(
        site, "trust", f"{row['org_name']} ({code})", anchor=f"trust-{code}",
        org=row,
        domains=dataframe_records(domains),
        metrics=dataframe_records(metrics),
        cutpoints=to_jsonable(a.provenance()["cutpoints"]),
        peers=dataframe_records(peers),
        explanation=section(ex, lambda e: {"data": e}),
        uncertainty=uncertainty,
        spc=section(spc, lambda s: {"series": len(s)}),
        previous=site.previous_row(code) and to_jsonable(site.previous_row(code)),
        movement=drivers,
        segment_history=dataframe_records(pd.DataFrame(site.segment_history(code))),
    )


# -- metrics -----------------------------------------------------------------------------------
def describe_scoring(m) -> str:
    """The metric's scoring rule in words (the words are the rule's own)."""
    return rule_for(m.scoring).describe(m)


def metric_definition(site: Site, metric_id: str) -> dict[str, Any]:
    fw = site.framework
    m = fw.metric(metric_id)
    return {
        "id": m.id, "score_id": m.score_id, "name": m.name, "short_name": m.short_name,
        "domain": m.domain, "domain_name": fw.domain(m.domain).name, "sub_domain": m.sub_domain,
        "unit": m.unit, "direction": m.direction,
        "trust_types": [fw.trust_type_label(t) for t in m.trust_types],
        "population": m.population, "weight": m.weight, "in_average": m.in_average,
        "scoring": describe_scoring(m), "evidence": m.evidence, "provisional": m.provisional,
        "standard": _threshold(m, "standard"), "floor": _threshold(m, "floor"),
    }


def _threshold(m, name: str) -> str | None:
    """The metric's standard (or floor) in words, e.g. 'at or above 78%'; None when it has none."""
    t = getattr(m.scoring, name, None)
    return t.describe(m.unit) if t is not None and hasattr(t, "describe") else None


def metrics_index(site: Site) -> dict[str, Any]:
    a = site.assessment
    counts = a.metrics.dropna(subset=["value"]).groupby("metric_id").size()
    items = []
    for mid in site.metric_ids:
        d = metric_definition(site, mid)
        d["organisations"] = int(counts.get(mid, 0))
        items.append(d)
    return _page(site, "metrics", "Metrics", metrics=items)


def metric(site: Site, metric_id: str) -> dict[str, Any]:
    a = site.assessment
    mid = site.metric_id(metric_id)
    rows = a.metric_rows(mid)
    best, worst = a.best_and_worst(mid)
    cols = ["org_code", "org_name", "trust_type", "region", "value", "unit", "population", "group_size",
            "rank", "rule", "score_2dp", "score_source", "input_row"]
    rows = mark_ties(rows)
    tied = rows.set_index("org_code")["tied"]
    best, worst = (x.assign(tied=x["org_code"].map(tied).fillna(False).astype(bool)) for x in (best, worst))
    cols = [*cols, "tied"]
    funnel = site.funnel(mid)
    return _page(
        site, "metric", f"{mid}: {a.framework.metric(mid).short_name}", anchor=f"metric-{mid}",
        metric=metric_definition(site, mid),
        rows=dataframe_records(rows.sort_values(["trust_type", "score", "org_code"])[cols]),
        with_value=int(rows["value"].notna().sum()),
        meeting=int((rows["rule"] == "meets standard").sum()) if "rule" in rows.columns and getattr(a.framework.metric(mid).scoring, "standard", None) is not None else None,
        scored=int(rows["score"].notna().sum()),
        best=dataframe_records(best[cols]),
        worst=dataframe_records(worst[cols]),
        funnel=section(funnel, _funnel_dict),
    )


def mark_ties(rows: pd.DataFrame) -> pd.DataFrame:
    """Add ``tied``: True where another organisation of the same scoring group has the same rank."""
    if "rank" not in rows.columns or rows.empty:
        return rows.assign(tied=False)
    key = rows["population"].astype(str) + "|" + rows["rank"].astype(str)
    ranked = rows["rank"].notna()
    counts = key.map(key[ranked].value_counts()).fillna(0)
    return rows.assign(tied=(counts > 1) & ranked)


def _funnel_dict(f: Any) -> dict[str, Any]:
    pts = f.points
    keep = [c for c in ("label", "numerator", "denominator", "value", "band", "z_adjusted") if c in pts.columns]
    return {
        "points": dataframe_records(pts[keep]),
        "outliers": dataframe_records(f.outliers[keep]),
        "method": f.meta.get("method", ""),
        "target": to_jsonable(f.meta.get("target")),
        "phi": to_jsonable(f.phi),
        "tau2": to_jsonable(f.tau2),
    }


# -- cover, briefing ----------------------------------------------------------------------------
def cover(site: Site, overview_page: dict[str, Any], trusts: list[str]) -> dict[str, Any]:
    """The report's cover: title, quarter, the month the data run to, and the overview's headline figures."""
    from nhs_oversight.frameworks.periods import Quarter

    period = site.assessment.period
    try:
        data_to = f"{Quarter.parse(period).months[-1]:%B %Y}" if period else None
    except Exception:  # a period the calendar cannot read is shown as it is
        data_to = None
    return _page(site, "cover", f"NHS Oversight Framework: {period or 'period not stated'}", anchor="cover",
                 period=period, data_to=data_to, national=overview_page["national"],
                 segment4_headline=overview_page["segment4_headline"], trusts=trusts)


def briefing(site: Site) -> dict[str, Any]:
    def build(b: Any) -> dict[str, Any]:
        sections = []
        for sec in b.sections:
            blocks = []
            for block in sec.blocks:
                if hasattr(block, "sentences"):
                    blocks.append({"type": "paragraph", "bullets": bool(getattr(block, "bullets", False)),
                                   "sentences": [x.to_dict() for x in block.sentences]})
                else:
                    blocks.append({"type": "table", **block.to_dict()})
            sections.append({"id": sec.id, "title": sec.title, "blocks": blocks})
        return {"title": b.title, "period": b.period, "previous_period": b.previous_period, "sections": sections}

    return _page(site, "briefing", "Briefing", briefing=section(site.briefing(), build))
