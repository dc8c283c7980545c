"""HTML pages from one set of Jinja templates: the environment, its filters, figures and pages.

The dashboard and ``oversight report`` render the same page bodies (``render/templates/bodies``,
listed in :mod:`nhs_oversight.render.pages`). Only the surroundings differ, and the caller says
which by the ``links`` it passes (:mod:`nhs_oversight.web.links`); the report itself is put
together in :mod:`nhs_oversight.web.report`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import Any

from nhs_oversight.engine.segments import QUARTILE_SEGMENTS, SEGMENTS
from nhs_oversight.render import charts, evidence
from nhs_oversight.render.excel import SEGMENT_LEGEND
from nhs_oversight.render.pages import BODIES, NAV
from nhs_oversight.render.palette import SEGMENT_COLOURS, SEGMENT_TEXT
from nhs_oversight.render.rows import remember, remember_rows


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
    env.globals.update(segment_legend=SEGMENT_LEGEND, nav=NAV, icon=spc_icon, remember=remember, remember_rows=remember_rows,
                       segments=SEGMENTS, quartile_segments=QUARTILE_SEGMENTS)  # tables of segments count these
    return env


def spc_icon(name: Any) -> str | None:
    """A Making Data Count icon as a data URI (None when there is no such icon)."""
    from nhs_oversight.render.icons import ASSURANCE_ICON_NAMES, VARIATION_ICON_NAMES, icon_data_uri

    if isinstance(name, str) and name in VARIATION_ICON_NAMES + ASSURANCE_ICON_NAMES:
        return icon_data_uri(name)
    return None


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
def render_page(page: dict[str, Any], links: Any, figs: dict[str, charts.Figure] | None = None,
                partial: str | None = None, status: int = 200, json_url: str | None = None) -> str:
    """A full dashboard page (or one of its partial templates, for HTMX updates), linked by ``links``."""
    env = environment()
    context = {"page": page, "meta": page["meta"], "links": links, "figs": figs or {}, "status": status,
               "json_url": json_url, "oob": partial is not None}
    if partial:
        return env.get_template(partial).render(context)
    return env.get_template("layout.html").render(body=BODIES[page["page"]], **context)
