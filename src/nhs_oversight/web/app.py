"""The FastAPI application: every page as HTML and as JSON, read-only, cached, with safe errors.

``create_app(site)`` builds the application from a :class:`~nhs_oversight.web.site.Site`; the
``oversight serve`` command only builds it and runs uvicorn. Each page is served at its path
(HTML, or JSON with ``?format=json``) and at the same path under ``/api/`` (JSON).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from nhs_oversight.render import html
from nhs_oversight.render.pages import path as page_path
from nhs_oversight.util.jsonable import to_jsonable
from nhs_oversight.web import downloads, method_views, openapi, places, views
from nhs_oversight.web.cache import PageCache
from nhs_oversight.web.errors import BadRequest, NotFound, public_message, request_words
from nhs_oversight.web.hosts import AllowedHosts
from nhs_oversight.web.links import AppLinks
from nhs_oversight.web.query import MAX_SEARCH, LeagueQuery, check_names, output_format, single
from nhs_oversight.web.redirects import TrailingSlash
from nhs_oversight.web.security import SecurityHeaders
from nhs_oversight.web.site import Site
from nhs_oversight.web.static import assets

log = logging.getLogger("nhs_oversight.web")

HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"
ERROR_HEADINGS = {400: "There is a problem with the request", 404: "Page not found", 405: "Method not allowed",
                  500: "Sorry, there is a problem with the service"}


def _params(request: Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in request.query_params.multi_items():
        out.setdefault(k, []).append(v)
    return out


def _wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path == "/api":
        return True
    values = request.query_params.getlist("format")
    return values == ["json"]


def json_response(data: Any, status: int = 200) -> Response:
    body = json.dumps(to_jsonable(data), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(body.encode(), status_code=status, media_type=JSON, headers={"cache-control": "no-cache"})


def html_response(text: str, status: int = 200) -> Response:
    return Response(text.encode(), status_code=status, media_type=HTML, headers={"cache-control": "no-cache"})


def error_page(site: Site, request: Request, status: int, message: str) -> Response:
    """The 4xx/5xx page (or JSON); nothing the request sent is shown back."""
    message = public_message(status, message, request_words(request.url.path, request.query_params.multi_items()))
    if _wants_json(request):
        return json_response({"error": {"status": status, "message": message}}, status)
    page = {"page": "error", "title": ERROR_HEADINGS.get(status, "Error"), "anchor": "error",
            "heading": ERROR_HEADINGS.get(status, "Error"), "message": message, "meta": views.meta(site)}
    return html_response(html.render_page(page, AppLinks(), status=status, json_url=None), status)


def create_app(site: Site, cache_bytes: int = 128 * 1024 * 1024, allowed_hosts: Iterable[str] | None = None,
               base_url: str = "") -> Any:
    """The dashboard as an ASGI application (FastAPI inside a page cache and security headers).

    allowed_hosts : Host names answered (None: any, as under a test client); others get a 400 page.
    base_url : the start of trailing-slash redirects ('': a path on the same server).
    """
    app = FastAPI(title="NHS Oversight Framework", docs_url=None, redoc_url=None, openapi_url=None, redirect_slashes=False)
    app.state.site = site
    _pages(app, site)
    _search_docs_and_static(app, site)
    _error_pages(app, site)
    inner: Any = TrailingSlash(PageCache(app, max_bytes=cache_bytes), app.router.routes, base_url)
    if allowed_hosts is not None:
        async def wrong_host(scope: dict, receive: Any, send: Any) -> None:
            await error_page(site, Request(scope), 400, "This server does not answer to that host name.")(scope, receive, send)

        inner = AllowedHosts(inner, allowed_hosts, wrong_host)
    return SecurityHeaders(inner)


def _page(app: FastAPI, name: str, ready: Callable[[], bool] | None = None) -> Callable[[Callable[..., dict]], Callable[..., dict]]:
    """Register a page of :data:`~nhs_oversight.render.pages.PAGES` at its path and ``/api{path}``:
    the view builds data, then HTML or JSON; its tables are downloads under ``/download{path}``.

    A view runs in a worker thread, so that a slow first rendering (a trust's explanation, the
    uncertainty) does not hold up other requests; once ``ready()`` says its data are prepared, it
    runs on the event loop itself (the league table: a new filter is answered in well under a
    millisecond, less than the hand-over to a thread costs).
    """
    path = page_path(name)

    def register(view: Callable[..., dict]) -> Callable[..., dict]:
        async def endpoint(request: Request) -> Response:
            if ready is not None and ready():
                return answer(request)
            return await run_in_threadpool(answer, request)

        def answer(request: Request) -> Response:
            query = _params(request)
            fmt = output_format(query)
            if request.url.path.startswith("/api"):
                if fmt != "json" and single(query, "format"):
                    raise BadRequest("pages under /api/ are JSON only; leave out format or give format=json")
                fmt = "json"
            data = view(request, query)
            if fmt == "json":
                return json_response(data)
            partial = request.state.partial if hasattr(request.state, "partial") else None
            figs = {} if partial else html.figures(data, **getattr(request.state, "figure_args", {}))
            api = "/api" + (request.url.path if request.url.path != "/" else "/")
            text = html.render_page(data, AppLinks(), figs=figs, partial=partial, json_url=api + (("?" + request.url.query) if request.url.query else ""))
            return html_response(text)

        for p in (path, "/api" + (path if path != "/" else "")):
            app.add_route(p or "/api", endpoint, methods=["GET", "HEAD"], include_in_schema=False)
        if downloads.page_kind(path) in downloads.TABLES:
            base = "/download" + (path if path != "/" else "/overview")
            for fmt in downloads.FORMATS:
                app.add_api_route(f"{base}/{{table}}.{fmt}", _download(view, fmt), methods=["GET", "HEAD"], include_in_schema=False)
        return view

    return register


def _download(view: Callable[..., dict], fmt: str) -> Callable[[Request], Response]:
    """One table of a page as CSV or JSON: the page's own data, cut to that table."""

    def endpoint(request: Request) -> Response:
        query = _params(request)
        if "format" in query:
            raise BadRequest("a download's format is its suffix (.csv or .json); leave out format")
        data = view(request, query)
        name = request.path_params["table"]
        columns, rows = downloads.table_of(data, name)
        headers = {"cache-control": "no-cache",
                   "content-disposition": f'attachment; filename="{downloads.filename(data, name, fmt)}"'}
        if fmt == "csv":
            return Response(downloads.to_csv(columns, rows).encode("utf-8"), media_type=downloads.FORMATS[fmt], headers=headers)
        response = json_response(downloads.to_json(data, name, columns, rows))
        response.headers.update(headers)
        return response

    return endpoint


def _pages(app: FastAPI, site: Site) -> None:
    """Each page's view: check the query, then build the page's data from the site."""

    def page(name: str, ready: Callable[[], bool] | None = None) -> Callable[[Callable[..., dict]], Callable[..., dict]]:
        return _page(app, name, ready)

    @page("overview")
    def overview(request: Request, query: dict) -> dict:
        check_names(query, ())
        return views.overview(site)

    @page("league", ready=lambda: views.league_ready(site))
    def league(request: Request, query: dict) -> dict:
        q = LeagueQuery.parse(query, site.regions, site.types, site.icbs)
        if request.headers.get("hx-request") == "true" and request.headers.get("hx-history-restore-request") != "true":
            request.state.partial = "partials/league_results.html"
        return views.league(site, q)

    @page("trust")
    def trust(request: Request, query: dict) -> dict:
        check_names(query, ())
        return views.trust(site, request.path_params["code"])

    @page("region")
    def region(request: Request, query: dict) -> dict:
        check_names(query, ())
        return places.region(site, request.path_params["name"])

    @page("icb")
    def icb(request: Request, query: dict) -> dict:
        check_names(query, ())
        return places.icb(site, request.path_params["code"])

    @page("metrics")
    def metrics(request: Request, query: dict) -> dict:
        check_names(query, ())
        return views.metrics_index(site)

    @page("metric")
    def metric(request: Request, query: dict) -> dict:
        check_names(query, ())
        data = views.metric(site, request.path_params["metric_id"])
        funnel = site.funnel(data["metric"]["id"]) if data["funnel"]["available"] else None
        request.state.figure_args = {"funnel": funnel}
        return data

    @page("compare")
    def compare(request: Request, query: dict) -> dict:
        check_names(query, ("b",))
        choices = site.comparison_choices()
        choice = single(query, "b") or next(iter(choices), "")
        if choice and choice not in choices:
            raise BadRequest(f"b must be one of {', '.join(choices)}")
        return method_views.comparison(site, choice)

    @page("method")
    def method(request: Request, query: dict) -> dict:
        check_names(query, ())
        return method_views.method(site)

    @page("briefing")
    def briefing(request: Request, query: dict) -> dict:
        check_names(query, ())
        return views.briefing(site)


def _search_docs_and_static(app: FastAPI, site: Site) -> None:
    """The search box's redirect, the API schema and its page, and the static files."""

    @app.get("/search", include_in_schema=False)
    def search(request: Request) -> Response:
        """The search box of every page: an ODS code opens the trust, other text the league table."""
        query = _params(request)
        check_names(query, ("q",))
        q = single(query, "q")
        if len(q) > MAX_SEARCH:
            raise BadRequest(f"q is longer than {MAX_SEARCH} characters")
        if q.upper() in site.codes:
            return RedirectResponse("/trust/" + site.codes[q.upper()], status_code=303)
        return RedirectResponse("/league" + (("?" + urlencode({"q": q})) if q else ""), status_code=303)

    def api_schema() -> dict:
        return openapi.schema(app, "NHS Oversight Framework dashboard", site.framework.id + " " + (site.assessment.period or ""))

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_json() -> Response:
        return json_response(api_schema())

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        check_names(_params(request), ())
        data = method_views.api_docs(site, openapi.endpoints(api_schema()))
        return html_response(html.render_page(data, AppLinks(), json_url="/openapi.json"))

    static = assets()

    @app.get("/static/{name:path}", include_in_schema=False)
    def static_file(name: str) -> Response:
        found = static.get(name)
        if found is None:
            raise NotFound("There is no such file.")
        return Response(found[0], media_type=found[1], headers={"cache-control": "public, max-age=3600"})


def _error_pages(app: FastAPI, site: Site) -> None:
    """Every error as the error page (or JSON), never a traceback."""

    @app.exception_handler(NotFound)
    def not_found(request: Request, exc: NotFound) -> Response:
        return error_page(site, request, 404, exc.public)

    @app.exception_handler(BadRequest)
    def bad_request(request: Request, exc: BadRequest) -> Response:
        return error_page(site, request, 400, exc.public)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: "There is no page at this address.", 405: "Only GET requests are accepted."}.get(exc.status_code, str(exc.detail))
        return error_page(site, request, exc.status_code, message)

    @app.exception_handler(Exception)
    def server_error(request: Request, exc: Exception) -> Response:
        log.error("error serving %s", request.url.path, exc_info=exc)
        return error_page(site, request, 500, "The page could not be produced. The error has been logged on the server.")
