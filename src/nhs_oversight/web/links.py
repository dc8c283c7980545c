"""Where a page's links point: the dashboard's URLs, or anchors within the report.

The templates ask ``links`` for every address, so the same page body serves both surfaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus

from nhs_oversight.render.pages import MENU_PATHS, REPORT_SECTIONS
from nhs_oversight.web.downloads import path_of


@lru_cache(maxsize=4096)
def _pair(name: str, value: str) -> str:
    return quote_plus(name) + "=" + quote_plus(value)


def query_string(params: dict[str, str]) -> str:
    """``urlencode(params)`` for string values, each pair encoded once and kept (filters repeat)."""
    return "&".join(_pair(k, v) for k, v in params.items())


@dataclass(frozen=True)
class AppLinks:
    """URLs of the dashboard's pages.

    It holds nothing, so every AppLinks is equal to every other: markup kept for one request's
    links (render/rows.py) serves the next request's.
    """

    report = False

    def page(self, name: str) -> str | None:
        return MENU_PATHS.get(name)

    def league(self, params: dict[str, str] | None = None) -> str:
        return "/league" + ("?" + query_string(params) if params else "")

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
        base = path_of(page)
        if base is None:
            return None
        query = page.get("query") if page["page"] == "league" else ({"b": page["choice"]} if page["page"] == "compare" and page.get("choice") else None)
        return f"{base}/{quote(table, safe='')}.{fmt}" + ("?" + query_string(query) if query else "")

    def search(self) -> str | None:
        return "/search"


@dataclass
class ReportLinks:
    """Anchors within the report; None for pages the report does not hold."""

    trusts: set[str] = field(default_factory=set)
    metrics: set[str] = field(default_factory=set)
    report = True

    sections: set[str] = field(default_factory=lambda: set(REPORT_SECTIONS))

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
