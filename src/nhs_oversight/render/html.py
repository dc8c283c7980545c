"""HTML pages and the self-contained report, from one set of Jinja templates.

The dashboard and ``oversight report`` render the same page bodies (``render/templates/bodies``)
from the same page data (:mod:`nhs_oversight.web.views`). Only the surroundings differ: the
dashboard links to its static files and to other pages; the report inlines its stylesheet and
charts, links within the file, and makes no request at all.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

from nhs_oversight.render import charts, evidence
from nhs_oversight.render.excel import SEGMENT_LEGEND
from nhs_oversight.render.palette import SEGMENT_COLOURS, SEGMENT_TEXT
from nhs_oversight.render.rows import remember_rows

#: Pages: name -> (body template, whether it is a page of the report by default).
BODIES = {
    "overview": "bodies/overview.html",
    "league": "bodies/league.html",
    "trust": "bodies/trust.html",
    "region": "bodies/region.html",
    "icb": "bodies/icb.html",
    "metrics": "bodies/metrics.html",
    "metric": "bodies/metric.html",
    "compare": "bodies/compare.html",
    "method": "bodies/method.html",
    "briefing": "bodies/briefing.html",
    "error": "bodies/error.html",
    "docs": "bodies/docs.html",
    "cover": "bodies/cover.html",
}
NAV = [("overview", "Overview"), ("league", "League table"), ("metrics", "Metrics"), ("compare", "Method comparison"),
       ("briefing", "Briefing"), ("method", "Method and sources")]


# -- links: the dashboard's URLs, or anchors within the report ----------------------------------
class AppLinks:
    """URLs of the dashboard's pages."""

    report = False

    def page(self, name: str) -> str | None:
        return {"overview": "/", "league": "/league", "metrics": "/metrics", "compare": "/compare",
                "briefing": "/briefing", "method": "/method"}.get(name)

    def league(self, params: dict[str, str] | None = None) -> str:
        return "/league" + ("?" + urlencode(params) if params else "")

    def trust(self, code: str) -> str | None:
        return "/trust/" + quote(str(code), safe="")

    def region(self, name: str) -> str | None:
        return "/region/" + quote(str(name), safe="")

    def icb(self, code: str) -> str | None:
        return "/icb/" + quote(str(code), safe="")

    def metric(self, metric_id: str) -> str | None:
        return "/metric/" + quote(str(metric_id), safe="")

    def api(self, path: str) -> str:
        return "/api" + (path if path != "/" else "/")

    def static(self, name: str) -> str:
        return "/static/" + name

    def download(self, page: dict[str, Any], table: str, fmt: str) -> str | None:
        """The download of one table of a page (with the league table's filters), or None."""
        from nhs_oversight.web.downloads import path_of

        base = path_of(page)
        if base is None:
            return None
        query = page.get("query") if page["page"] == "league" else ({"b": page["choice"]} if page["page"] == "compare" and page.get("choice") else None)
        return f"{base}/{quote(table, safe='')}.{fmt}" + ("?" + urlencode(query) if query else "")

    def search(self) -> str | None:
        return "/search"


@dataclass
class ReportLinks:
    """Anchors within the report; None for pages the report does not hold."""

    trusts: set[str] = field(default_factory=set)
    metrics: set[str] = field(default_factory=set)
    report = True

    sections: set[str] = field(default_factory=lambda: {"overview", "briefing", "league", "metrics", "method", "compare"})

    def page(self, name: str) -> str | None:
        return f"#{name}" if name in self.sections else None

    def league(self, params: dict[str, str] | None = None) -> str | None:
        return "#league"

    def trust(self, code: str) -> str | None:
        return f"#trust-{code}" if code in self.trusts else None

    def region(self, name: str) -> None:
        return None

    def icb(self, code: str) -> None:
        return None

    def metric(self, metric_id: str) -> str | None:
        return f"#metric-{metric_id}" if metric_id in self.metrics else None

    def api(self, path: str) -> None:
        return None

    def static(self, name: str) -> None:
        return None

    def download(self, page: dict[str, Any], table: str, fmt: str) -> None:
        return None

    def search(self) -> None:
        return None


# -- formatting filters ------------------------------------------------------------------------
def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def fixed(v: Any, dp: int = 2) -> str:
    """A number to ``dp`` decimal places (scores are shown to 2 dp, as published)."""
    return "–" if _missing(v) else f"{float(v):.{dp}f}"


def number(v: Any) -> str:
    """A metric value as given: thousands separators, at most 3 decimals, no trailing zeros."""
    if _missing(v):
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if not isinstance(v, int | float):
        return str(v)
    if float(v).is_integer():
        return f"{int(v):,}"
    text = f"{float(v):,.3f}".rstrip("0").rstrip(".")
    return text


def percent(v: Any, dp: int = 0) -> str:
    return "–" if _missing(v) else f"{100 * float(v):.{dp}f}%"


def with_unit(v: Any, unit: str) -> str:
    text = number(v)
    if text == "–":
        return text
    return {"percent": f"{text}%", "percentage points": f"{text} pp", "mins": f"{text} min"}.get(unit, text)


def signed(v: Any, dp: int = 2) -> str:
    """``+0.07`` / ``−0.05`` (a true minus sign), for contributions."""
    if _missing(v):
        return "–"
    text = f"{float(v):+.{dp}f}"
    return text.replace("-", "\u2212")


def yes_no(v: Any) -> str:
    if _missing(v):
        return "–"
    return "yes" if bool(v) else "no"


# -- templates ---------------------------------------------------------------------------------
@cache
def environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("nhs_oversight.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the package: no stat() of each file per page
    )
    env.filters.update(fixed=fixed, number=number, percent=percent, with_unit=with_unit, yes_no=yes_no, signed=signed,
                       plain_evidence=evidence.plain)
    env.globals.update(segment_legend=SEGMENT_LEGEND, nav=NAV, icon=spc_icon, remember_rows=remember_rows)
    return env


def spc_icon(name: Any) -> str | None:
    """A Making Data Count icon as a data URI (None when there is no such icon)."""
    from nhs_oversight.render.icons import ASSURANCE_ICON_NAMES, VARIATION_ICON_NAMES, icon_data_uri

    if isinstance(name, str) and name in VARIATION_ICON_NAMES + ASSURANCE_ICON_NAMES:
        return icon_data_uri(name)
    return None


@cache
def static_text(name: str) -> str:
    """A file of ``web/static`` (read from the installed package, never from a request path)."""
    return resources.files("nhs_oversight.web").joinpath("static", *name.split("/")).read_text(encoding="utf-8")


def segment_css() -> str:
    """Segment colours as CSS classes, from the one palette."""
    return "".join(f".segment-{k}{{background:{c};color:{SEGMENT_TEXT[k]}}}" for k, c in SEGMENT_COLOURS.items())


# -- figures of each page ----------------------------------------------------------------------
def _overview_figures(page: dict[str, Any]) -> dict[str, charts.Figure]:
    return {by: charts.segment_shares(g["rows"], g["title"]) for by, g in page["groups"].items() if by != "icb_code"}


def _trust_figures(page: dict[str, Any]) -> dict[str, charts.Figure]:
    org = page["org"]
    cuts = page["cutpoints"]["overall"]["values"]
    figs = {"position": charts.position(page["peers"], org["org_code"], cuts, org["trust_type_label"])}
    if len(page.get("segment_history") or []) > 1:
        from nhs_oversight.render.history_chart import segment_history

        figs["segment_history"] = segment_history(page["segment_history"], org["org_name"])
    return figs


def _metric_figures(page: dict[str, Any], funnel: Any = None) -> dict[str, charts.Figure]:
    m = page["metric"]
    figs = {"distribution": charts.distribution(page["rows"], m["short_name"], m["unit"], page["meta"]["trust_types"])}
    if funnel is not None:
        figs["funnel"] = charts.funnel(funnel, f"{m['short_name']}: funnel plot")
    return figs


FIGURES: dict[str, Callable[..., dict[str, charts.Figure]]] = {
    "overview": _overview_figures,
    "trust": _trust_figures,
    "metric": _metric_figures,
}


def figures(page: dict[str, Any], **extra: Any) -> dict[str, charts.Figure]:
    build = FIGURES.get(page["page"])
    return build(page, **extra) if build else {}


# -- rendering ---------------------------------------------------------------------------------
def render_page(page: dict[str, Any], links: Any | None = None, figs: dict[str, charts.Figure] | None = None,
                partial: str | None = None, status: int = 200, json_url: str | None = None) -> str:
    """A full dashboard page (or one of its partial templates, for HTMX updates)."""
    env = environment()
    links = links or AppLinks()
    context = {"page": page, "meta": page["meta"], "links": links, "figs": figs or {}, "status": status,
               "json_url": json_url, "oob": partial is not None}
    if partial:
        return env.get_template(partial).render(context)
    return env.get_template("layout.html").render(body=BODIES[page["page"]], **context)


def render_report(pages: list[dict[str, Any]], figs: list[dict[str, charts.Figure]], links: ReportLinks, meta: dict[str, Any],
                  cover: dict[str, Any] | None = None) -> str:
    """One self-contained HTML file holding several page bodies."""
    env = environment()
    css = static_text("vendor/nhsuk-frontend/nhsuk-frontend.min.css") + "\n" + static_text("app.css") + "\n" + segment_css()
    sections = [{"page": p, "body": BODIES[p["page"]], "figs": f} for p, f in zip(pages, figs, strict=True)]
    return env.get_template("report.html").render(sections=sections, meta=meta, links=links, css=css, cover=cover)


def build_report(site: Any, trusts: list[str] | tuple[str, ...] = (), metrics: bool = True) -> str:
    """The self-contained HTML report of a :class:`~nhs_oversight.web.site.Site`.

    A cover (title, quarter, the month the data run to, segment counts), contents, then: overview, league table, method comparison (when available), metrics (each with
    its best and worst scores and chart), the trust pages asked for, and method and sources.
    """
    from nhs_oversight.web import views
    from nhs_oversight.web.query import LeagueQuery

    codes = [site.org_code(c) for c in trusts]
    metric_ids = list(site.metric_ids) if metrics else []
    links = ReportLinks(trusts=set(codes), metrics=set(metric_ids))
    pages = [views.overview(site)]
    brief = views.briefing(site)
    if brief["briefing"]["available"]:
        pages.append(brief)
    pages.append(views.league(site, LeagueQuery()))
    choices = site.comparison_choices()
    if choices:
        comp = views.comparison(site, next(iter(choices)))
        if comp["result"]["available"]:
            pages.append(comp)
    if metrics:
        pages.append(views.metrics_index(site))
        pages.extend(views.metric(site, m) for m in metric_ids)
    pages.extend(views.trust(site, c) for c in codes)
    pages.append(views.method(site))
    links.sections = {p["page"] for p in pages if p["page"] not in ("trust", "metric")}
    figs = []
    for p in pages:
        extra = {}
        if p["page"] == "metric" and p["funnel"]["available"]:
            extra["funnel"] = site.funnel(p["metric"]["id"])
        figs.append(figures(p, **extra))
    return render_report(pages, figs, links, pages[0]["meta"], cover=views.cover(site, pages[0], codes))
