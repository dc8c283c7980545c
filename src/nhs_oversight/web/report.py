"""The self-contained HTML report: the dashboard's pages in one file that makes no request.

It renders the same page data (:mod:`nhs_oversight.web.views`) through the same body templates
as the dashboard; only the surroundings differ (inlined stylesheet and charts, in-file anchors).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from nhs_oversight.render import charts
from nhs_oversight.render.html import environment, figures, segment_css
from nhs_oversight.render.pages import BODIES
from nhs_oversight.web import method_views, views
from nhs_oversight.web.links import ReportLinks
from nhs_oversight.web.query import LeagueQuery


@cache
def static_text(name: str) -> str:
    """A file of ``web/static`` (read from the installed package, never from a request path)."""
    return resources.files("nhs_oversight.web").joinpath("static", *name.split("/")).read_text(encoding="utf-8")


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
        comp = method_views.comparison(site, next(iter(choices)))
        if comp["result"]["available"]:
            pages.append(comp)
    if metrics:
        pages.append(views.metrics_index(site))
        pages.extend(views.metric(site, m) for m in metric_ids)
    pages.extend(views.trust(site, c) for c in codes)
    pages.append(method_views.method(site))
    links.sections = {p["page"] for p in pages if p["page"] not in ("trust", "metric")}
    figs = []
    for p in pages:
        extra = {}
        if p["page"] == "metric" and p["funnel"]["available"]:
            extra["funnel"] = site.funnel(p["metric"]["id"])
        figs.append(figures(p, **extra))
    return render_report(pages, figs, links, pages[0]["meta"], cover=views.cover(site, pages[0], codes))
