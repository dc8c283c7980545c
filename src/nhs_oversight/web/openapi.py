"""The OpenAPI description of the dashboard's JSON twins and table downloads, from its own routes.

The schema is read off the application's registered routes, so a page added to the dashboard is
listed here without anyone remembering to. It is served at ``/openapi.json`` and shown as a plain
page at ``/docs`` (no Swagger UI: nothing is loaded from another site).
"""

from __future__ import annotations

import re
from typing import Any

from nhs_oversight.web.query import SORTS, LeagueQuery

#: What each page is, by the first word of its path ('' is the overview).
SUMMARIES = {
    "": "National overview: organisations in each final segment, by region, ICB and trust type",
    "league": "League table: rank, average score, segments and uncertainty of every organisation",
    "trust": "One organisation: segment, average, rank, why, uncertainty, domain and metric scores",
    "metrics": "Every metric of the framework present in the data",
    "metric": "One metric: definition, scoring rule, best and worst scores, every trust's value",
    "compare": "The same data under another method: who moves, and between which segments",
    "method": "The method: rules, cut points, source files, data notes, metric weights",
    "briefing": "The plain-English briefing of the quarter",
}
PATH_PARAMS = {
    "code": "ODS code of an organisation in the data (e.g. RA2)",
    "metric_id": "Metric id of the framework (e.g. OF0013)",
    "table": "Name of a table of the page (the page's download links name them)",
}


def _query_params(first: str) -> list[dict[str, Any]]:
    words = {
        "region": "NHS England region, as named in the data",
        "type": "trust type id (e.g. acute)",
        "icb": "ICB code",
        "segment": "final segment, 1 to 5",
        "q": "name or ODS code to search for (up to 80 characters)",
        "sort": "column to sort by: " + ", ".join(SORTS),
        "order": "asc or desc",
    }
    if first == "league":
        return [{"name": n, "in": "query", "required": False, "description": words[n],
                 "schema": {"type": "integer" if n == "segment" else "string"}} for n in LeagueQuery.PARAMS]
    if first == "compare":
        return [{"name": "b", "in": "query", "required": False, "description": "method to compare with (see the page)",
                 "schema": {"type": "string"}}]
    return []


def _operation(path: str) -> dict[str, Any] | None:
    if path == "/api" or path.startswith("/api/"):
        rest = path[len("/api"):].strip("/")
        first = rest.split("/")[0]
        kind, media = "JSON twin of the page", "application/json"
    elif path.startswith("/download/"):
        rest = path[len("/download/"):]
        first = rest.split("/")[0]
        first = "" if first == "overview" else first
        fmt = path.rsplit(".", 1)[-1]
        kind, media = f"one table of the page as {fmt.upper()}", "text/csv" if fmt == "csv" else "application/json"
    else:
        return None
    params = [{"name": p, "in": "path", "required": True, "description": PATH_PARAMS.get(p, p), "schema": {"type": "string"}}
              for p in re.findall(r"\{(\w+)\}", path)]
    return {
        "summary": f"{SUMMARIES.get(first, first)} ({kind})",
        "tags": ["JSON pages" if path.startswith("/api") else "Table downloads"],
        "parameters": params + _query_params(first),
        "responses": {
            "200": {"description": kind, "content": {media: {"schema": {"type": "string" if media == "text/csv" else "object"}}}},
            "400": {"description": "an unknown parameter or value; the message says what is accepted"},
            "404": {"description": "no such organisation, metric or table"},
        },
    }


def schema(app: Any, title: str, version: str) -> dict[str, Any]:
    """OpenAPI 3.1 document of every JSON page and table download registered on ``app``."""
    paths: dict[str, Any] = {}
    for route in app.routes:
        path = getattr(route, "path", "")
        op = _operation(path)
        if op is not None:
            paths[path] = {"get": op}
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version,
                 "description": "Read-only. Every page of the dashboard as JSON, and every table of a page as CSV or JSON."},
        "paths": dict(sorted(paths.items())),
    }


def endpoints(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema as rows for the ``/docs`` page."""
    rows = []
    for path, item in doc["paths"].items():
        op = item["get"]
        rows.append({"path": path, "summary": op["summary"], "tag": op["tags"][0],
                     "parameters": [p["name"] for p in op["parameters"]]})
    return rows
