"""An in-memory cache of rendered responses, keyed by path and query.

The data never change while the server runs, so a page rendered once can be sent again as it is.
Cached responses are answered before the framework runs at all; a gzip copy is made the first time
a client that accepts gzip asks for the page, and kept (pages asked for once, such as a league table
with a new filter, are not compressed for nothing). A page's first gzip copy is made fast; if the page
is asked for again, a smaller one replaces it. Concurrent requests for a page being rendered wait for
that one rendering.
"""

from __future__ import annotations

import asyncio
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

Key = tuple[str, bytes, bool]
FAST, BEST = 1, 6  # zlib levels: 0.15 ms and 0.48 ms for a 44 KB league page, 14% and 12% of its size


@dataclass
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    compressible: bool
    gzipped: bytes | None = None
    level: int = 0  # the zlib level of ``gzipped``

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"") + 256


def _header(scope: dict, name: bytes) -> bytes:
    for k, v in scope.get("headers", []):
        if k == name:
            return v
    return b""


def _compressible(headers: list[tuple[bytes, bytes]]) -> bool:
    ctype = next((v for k, v in headers if k == b"content-type"), b"")
    return ctype.startswith((b"text/", b"application/json"))


class PageCache:
    """ASGI middleware caching successful GET responses (up to ``max_bytes`` in total)."""

    def __init__(self, app: Any, max_bytes: int = 128 * 1024 * 1024, min_gzip: int = 1024) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.min_gzip = min_gzip
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        self.bytes = 0
        self.pending: dict[Key, asyncio.Future] = {}
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(scope: dict) -> Key:
        hx = _header(scope, b"hx-request") == b"true" and _header(scope, b"hx-history-restore-request") != b"true"
        return (scope["path"], scope.get("query_string", b""), hx)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key = self.key(scope)
        gz = b"gzip" in _header(scope, b"accept-encoding")
        entry = self.entries.get(key)
        if entry is None and key in self.pending:
            entry = await asyncio.shield(self.pending[key])
        if entry is not None:
            self.hits += 1
            if key in self.entries:
                self.entries.move_to_end(key)
            await self._send(self._gzip(key, entry, BEST) if gz else entry, gz, send)
            return
        self.misses += 1
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self.pending[key] = future
        try:
            entry = await self._render(scope, receive)
        except BaseException:
            future.set_result(None)
            raise
        finally:
            self.pending.pop(key, None)
        if entry.status == 200:
            self._store(key, entry)
            future.set_result(entry)
        else:
            future.set_result(None)
        await self._send(self._gzip(key, entry, FAST) if gz else entry, gz, send)

    async def _render(self, scope: dict, receive: Any) -> Entry:
        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message: dict) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, receive, capture)
        except Exception:
            # Starlette sends the error page, then re-raises for the server's log: keep the page.
            if not start:
                raise
        body = b"".join(chunks)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        return Entry(int(start.get("status", 500)), headers, body, len(body) >= self.min_gzip and _compressible(headers))

    def _gzip(self, key: Key, entry: Entry, level: int) -> Entry:
        """The entry with a gzip copy of at least ``level``, made now if there is none so good.

        A page just rendered is compressed fast (most filtered league pages are asked for once);
        a page asked for again is compressed well, once, and that copy is kept.
        """
        if entry.compressible and entry.level < level:
            old = len(entry.gzipped or b"")
            entry.gzipped = zlib.compress(entry.body, level, wbits=31)  # wbits 31: the gzip format
            entry.level = level
            if self.entries.get(key) is entry:
                self.bytes += len(entry.gzipped) - old
                self._evict()
        return entry

    def _store(self, key: Key, entry: Entry) -> None:
        if entry.size > self.max_bytes // 4:
            return
        self.entries[key] = entry
        self.bytes += entry.size
        self._evict()

    def _evict(self) -> None:
        while self.bytes > self.max_bytes and self.entries:
            _, old = self.entries.popitem(last=False)
            self.bytes -= old.size

    @staticmethod
    async def _send(entry: Entry, gz: bool, send: Any) -> None:
        body = entry.gzipped if gz and entry.gzipped is not None else entry.body
        headers = list(entry.headers)
        headers.append((b"vary", b"Accept-Encoding, HX-Request"))
        if gz and entry.gzipped is not None:
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
