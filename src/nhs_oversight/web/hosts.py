"""Answer only to the host names the server was started for (no DNS rebinding, no forged Host).

A page fetched through another name (``evil.example`` resolving to 127.0.0.1) would let a web
page elsewhere read the dashboard; a request naming any other host gets a 400 page instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

#: Names a server on this computer answers to when no ``--allowed-host`` is given.
LOOPBACK = ("localhost", "127.0.0.1", "::1")


def host_name(value: bytes) -> str | None:
    """The name in a Host header without its port (``[::1]:8000`` -> ``::1``); None if malformed."""
    try:
        text = value.decode("ascii").strip().lower()
    except UnicodeDecodeError:
        return None
    if text.startswith("["):
        name, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        return name
    name, colon, port = text.partition(":")
    if colon and not port.isdigit():
        return None
    return name or None


def normalise(host: str) -> str:
    return host.strip().strip("[]").lower().rstrip(".")


class AllowedHosts:
    """ASGI middleware: a request whose Host is not in ``hosts`` is answered by ``refuse``."""

    def __init__(self, app: Any, hosts: Iterable[str], refuse: Callable[[dict, Any, Any], Awaitable[None]]) -> None:
        self.app = app
        self.hosts = frozenset(normalise(h) for h in hosts)
        self.refuse = refuse

    def allowed(self, scope: dict) -> bool:
        values = [v for k, v in scope.get("headers", []) if k == b"host"]
        if len(values) != 1:
            return False
        name = host_name(values[0])
        return name is not None and name.rstrip(".") in self.hosts

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not self.allowed(scope):
            await self.refuse(scope, receive, send)
            return
        await self.app(scope, receive, send)
