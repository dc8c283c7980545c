"""Trailing-slash redirects (``/league/`` -> ``/league``) to the configured base, never to the Host.

Starlette builds its trailing-slash redirects from the request's Host header, so a forged Host
came back in ``Location``. Here the address is the configured base URL (empty: a path on the
server the browser is already talking to) followed by the path, never anything from the headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from starlette.routing import BaseRoute, Match

#: Characters kept as they are in a redirected path and query (RFC 3986 pchar and query).
PATH_SAFE = "/:@!$&'()*+,;=-._~"
QUERY_SAFE = PATH_SAFE + "?%"


def location(base_url: str, path: str, query: bytes) -> str:
    """``base_url`` + the path (one leading slash, never ``//host``) + the query, percent-encoded."""
    target = base_url.rstrip("/") + quote("/" + path.lstrip("/"), safe=PATH_SAFE)
    if query:
        target += "?" + quote(query.decode("latin-1"), safe=QUERY_SAFE)
    return target


class TrailingSlash:
    """ASGI middleware: GET or HEAD of ``/page/``, which no route takes but ``/page`` does: 308 to it."""

    def __init__(self, app: Any, routes: Sequence[BaseRoute], base_url: str = "") -> None:
        self.app = app
        self.routes = routes
        self.base_url = base_url

    def target(self, scope: dict) -> str | None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD") or len(path) < 2 or not path.endswith("/"):
            return None
        if self.matches(scope):  # a route takes the path as it is (static files)
            return None
        bare = path.rstrip("/") or "/"
        if self.matches({**scope, "path": bare}):
            return location(self.base_url, bare, scope.get("query_string", b""))
        return None

    def matches(self, scope: dict) -> bool:
        return any(route.matches(scope)[0] == Match.FULL for route in self.routes)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        target = self.target(scope)
        if target is None:
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 308,
                    "headers": [(b"location", target.encode("ascii")), (b"content-length", b"0"), (b"cache-control", b"no-cache")]})
        await send({"type": "http.response.body", "body": b""})
