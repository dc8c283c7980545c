"""A bounded fuzz of the real ``oversight serve`` on 127.0.0.1: no 500, no echo, headers everywhere.

A few thousand requests, generated from a fixed seed: random and known paths, percent-encodings,
invalid UTF-8, traversal, methods, long and forged headers. Each carries a marker of its own; no
error page may contain it, a redirect only drops the trailing slash, no page may contain it as markup, every response carries
the security headers, and no redirect leads to another host. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import gzip
import os
import random
import time
from urllib.parse import quote, unquote

import pytest

from test_web_serve import serving
from web_support import exchange

REQUESTS = 2500
TIME_LIMIT = 50.0  # seconds; the fuzz stops early (having sent at least MINIMUM) on a slow machine
MINIMUM = 600
PAGES = ["/", "/league", "/trust/Z00", "/metrics", "/metric/OF0013", "/compare", "/method", "/briefing", "/static/app.css"]
PARAMS = ["region", "type", "icb", "segment", "q", "sort", "order", "format", "b"]
METHODS = ["GET"] * 8 + ["HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "FOO", "get"]


def mangle(rng: random.Random, text: str) -> str:
    """``text`` plain, percent-encoded, double-encoded or wrapped in markup."""
    kind = rng.randrange(5)
    if kind == 0:
        return quote(text, safe="")
    if kind == 1:
        return "".join(f"%{b:02X}" for b in text.encode())
    if kind == 2:
        return quote(quote(text, safe=""), safe="")
    if kind == 3:
        return quote(f"<{text}>", safe="")
    return text


def random_path(rng: random.Random, marker: str) -> str:
    junk = ["%ff%fe", "%c0%af", "%00", "..", "%2e%2e", "%2F", "//", "\\", "%5C", "~", ";", "%0d%0a", "%E2%80%AE", "%", "%zz"]
    kind = rng.randrange(8)
    if kind == 0:
        return f"/trust/{mangle(rng, marker)}"
    if kind == 1:
        return f"/metric/{mangle(rng, marker)}{rng.choice(junk)}"
    if kind == 2:
        return f"/static/{rng.choice(junk)}{mangle(rng, marker)}"
    if kind == 3:
        return "/" + "/".join(rng.choice([*junk, mangle(rng, marker)]) for _ in range(rng.randint(1, 6)))
    if kind == 4:
        return rng.choice(PAGES) + "/" * rng.randint(1, 3)
    if kind == 5:
        return f"/{mangle(rng, marker)}/" + "a" * rng.randint(0, 3000)
    if kind == 6:
        return "/api" + rng.choice(PAGES) + rng.choice(["", "/", f"/{mangle(rng, marker)}"])
    return rng.choice(PAGES)


def random_query(rng: random.Random, marker: str) -> str:
    parts = []
    for _ in range(rng.randint(0, 4)):
        name = rng.choice([*PARAMS, mangle(rng, marker)])
        value = rng.choice([mangle(rng, marker), "London", "acute", "4", "name", "desc", "json", "%ff", "", "1" * 90])
        parts.append(f"{name}={value}")
    return ("?" + "&".join(parts)) if parts else ""


def random_request(rng: random.Random, marker: str) -> tuple[bytes, bool]:
    """Raw request bytes, and whether the marker went only where a page may show it (search text)."""
    method = rng.choice(METHODS)
    target = random_path(rng, marker) + random_query(rng, marker)
    if rng.random() < 0.1:  # a well-formed page, or a search for the marker as markup
        method, target = "GET", rng.choice([*PAGES, f"/league?q={mangle(rng, marker)}&sort=name"])
    host = rng.choice(["127.0.0.1"] * 6 + ["localhost", "evil.example", f"{marker}.example", "127.0.0.1:1", "[::1]"])
    headers = [f"Host: {host}", "Connection: close"]
    if rng.random() < 0.2:
        headers.append("Accept-Encoding: gzip")
    if rng.random() < 0.2:
        headers.append("HX-Request: true")
    if rng.random() < 0.2:
        headers.append(f"X-{marker}: {marker * rng.choice([1, 100, 2500])}")  # up to ~18 KiB: over the limit
    if rng.random() < 0.05:
        headers.append("Content-Length: 5")
    head = f"{method} {target} HTTP/1.1\r\n" + "\r\n".join(headers) + "\r\n\r\n"
    raw = head.encode("latin-1")
    if rng.random() < 0.05:
        raw = raw.replace(b"/", b"/\xff\xfe", 1)  # invalid UTF-8 on the wire
    if "Content-Length" in head:
        raw += b"hello"
    return raw, ("q=" in target)


def send(port: int, data: bytes) -> bytes:
    return exchange(port, data, timeout=30)[1]


def parse(response: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(": ")
        headers[name.lower()] = value
    return int(lines[0].split()[1]), headers, body


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("fuzz")) as (base, _log, _proc):
        yield int(base.rsplit(":", 1)[1])


def test_fuzzed_requests(port):
    rng = random.Random(int(os.environ.get("FUZZ_SEED", "20251207")))
    statuses: dict[int, int] = {}
    start = time.monotonic()
    sent = 0
    for i in range(REQUESTS):
        if time.monotonic() - start > TIME_LIMIT:
            break
        marker = f"zqx{i:05d}"
        data, searchable = random_request(rng, marker)
        response = send(port, data)
        sent += 1
        assert response, data[:200]
        status, headers, body = parse(response)
        statuses[status] = statuses.get(status, 0) + 1
        what = data[:300]
        assert status < 500, what
        assert "frame-ancestors 'none'" in headers.get("content-security-policy", ""), what
        assert headers.get("x-content-type-options") == "nosniff" and headers.get("x-frame-options") == "DENY", what
        assert headers.get("referrer-policy") == "no-referrer", what
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        text = body.decode("utf-8", "replace")
        assert f"<{marker}" not in text and "Traceback" not in text, what
        if status >= 300 or not searchable:
            assert marker not in text, what
        if 300 <= status < 400:
            # only the trailing slashes go: same path and query, on this server, never the Host
            loc, _, query = headers["location"].partition("?")
            path, _, sent_query = data.split(b" ")[1].decode("latin-1").partition("?")
            assert loc.startswith("/") and not loc.startswith(("//", "/\\")) and "evil" not in loc, what
            assert unquote(loc) == (unquote(path).rstrip("/") or "/") and query == sent_query, what
    assert sent >= MINIMUM
    assert statuses.get(200, 0) > 50 and statuses.get(400, 0) > 50 and statuses.get(404, 0) > 50, statuses
    assert statuses.get(405, 0) > 10 and statuses.get(431, 0) > 10 and statuses.get(308, 0) > 10, statuses
