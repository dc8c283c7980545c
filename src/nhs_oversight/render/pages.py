"""The one list of pages: each page's name, address, body template, menu label and report place.

The dashboard (:mod:`nhs_oversight.web.app`) registers its routes from this list, the page
templates take their menu from it, and the report (:mod:`nhs_oversight.web.report`) links to the
pages it holds by it; so a new page is one entry here, its view and its body template.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One kind of page.

    path : the dashboard's route (with ``{parameters}``), or None for pages without one.
    menu : the label in the header's menu, or None for pages not in the menu.
    in_report : whether the report holds this page as a section its menu links to.
    """

    name: str
    path: str | None
    menu: str | None = None
    in_report: bool = False

    @property
    def body(self) -> str:
        """The body template: ``bodies/{name}.html``."""
        return f"bodies/{self.name}.html"


#: Every page, in menu order first.
PAGES: tuple[Page, ...] = (
    Page("overview", "/", "Overview", in_report=True),
    Page("league", "/league", "League table", in_report=True),
    Page("metrics", "/metrics", "Metrics", in_report=True),
    Page("compare", "/compare", "Method comparison", in_report=True),
    Page("briefing", "/briefing", "Briefing", in_report=True),
    Page("method", "/method", "Method and sources", in_report=True),
    Page("trust", "/trust/{code}"),
    Page("region", "/region/{name}"),
    Page("icb", "/icb/{code}"),
    Page("metric", "/metric/{metric_id}"),
    Page("error", None),
    Page("docs", None),
    Page("cover", None),
)
BY_NAME = {p.name: p for p in PAGES}
#: Page name -> body template.
BODIES = {p.name: p.body for p in PAGES}
#: The header's menu: (page name, label).
NAV = [(p.name, p.menu) for p in PAGES if p.menu]
#: Menu pages with a fixed address: name -> path.
MENU_PATHS = {p.name: p.path for p in PAGES if p.menu and p.path}
#: Pages the report can hold as sections (trusts and metrics have their own anchors).
REPORT_SECTIONS = frozenset(p.name for p in PAGES if p.in_report)


def path(name: str) -> str:
    """The route of a page of the dashboard (KeyError for an unknown page: a programming error)."""
    found = BY_NAME[name].path
    if found is None:
        raise KeyError(f"page {name!r} has no route")
    return found
