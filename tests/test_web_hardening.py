"""The dashboard holds: no forged Host in redirects, allowed hosts, limits, headers, nothing echoed.

Application behaviour is checked through the ASGI app; the HTTP limits through uvicorn itself,
run in a thread on 127.0.0.1 with the dashboard's own protocol class (a 1 s deadline for speed).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest
import uvicorn
from fastapi.testclient import TestClient

from nhs_oversight.cli import main
from nhs_oversight.commands.serve import allowed_hosts
from nhs_oversight.errors import OptionError
from nhs_oversight.web import server
from nhs_oversight.web.app import create_app
from nhs_oversight.web.hosts import AllowedHosts, host_name
from nhs_oversight.web.redirects import location
from nhs_oversight.web.security import SecurityHeaders
from web_support import exchange, synthetic_site

MARKER = "zqx4471"
SECURITY = ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy")


def assert_secure(headers) -> None:
    lower = {k.lower(): v for k, v in dict(headers).items()}
    assert "frame-ancestors 'none'" in lower["content-security-policy"]
    assert lower["x-content-type-options"] == "nosniff" and lower["x-frame-options"] == "DENY"
    assert lower["referrer-policy"] == "no-referrer"


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(synthetic_site()), follow_redirects=False)


@pytest.fixture(scope="module")
def guarded():
    app = create_app(synthetic_site(), allowed_hosts=["localhost", "127.0.0.1", "::1"], base_url="")
    return TestClient(app, base_url="http://127.0.0.1:8000", follow_redirects=False)


# -- redirects -------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "target"), [
    ("/league/", "/league"), ("/league//", "/league"), ("/api/", "/api"), ("/metrics/", "/metrics"),
    ("/trust/Z00/", "/trust/Z00"), ("/league/?region=London&sort=name", "/league?region=London&sort=name"),
])
def test_trailing_slash_redirect_is_a_path_whatever_the_host(client, path, target):
    r = client.get(path, headers={"Host": "evil.example"})
    assert r.status_code == 308 and r.headers["location"] == target
    assert_secure(r.headers)


def test_redirect_starts_with_the_configured_base_url():
    app = TestClient(create_app(synthetic_site(), base_url="https://oversight.example.nhs.uk"), follow_redirects=False)
    r = app.get("/league/?segment=4", headers={"Host": "evil.example"})
    assert r.headers["location"] == "https://oversight.example.nhs.uk/league?segment=4"


@pytest.mark.parametrize("path", ["/%2F%2Fevil.example/", "/static/app.css/", "/nothing/"])
def test_no_redirect_leaves_the_server(client, path):
    r = client.get(path, headers={"Host": "evil.example"})
    assert r.status_code == 404 and "location" not in r.headers


def test_location_never_names_another_host():
    assert location("", "//evil.example", b"") == "/evil.example"
    assert location("", "/league", b"q=a b\r\nx") == "/league?q=a%20b%0D%0Ax"
    assert location("https://x.example/", "/league", b"") == "https://x.example/league"


# -- allowed hosts ---------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "name"), [
    (b"localhost", "localhost"), (b"LOCALHOST:8000", "localhost"), (b"127.0.0.1:80", "127.0.0.1"),
    (b"[::1]:8000", "::1"), (b"[::1]", "::1"), (b"evil.example", "evil.example"),
    (b"a:b", None), (b"[::1", None), (b"[::1]x", None), (b"", None), (b"\xff", None),
])
def test_host_name(value, name):
    assert host_name(value) == name


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost."])
def test_allowed_hosts_are_answered(guarded, host):
    assert guarded.get("/method", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", f"{MARKER}.example:8000", "127.0.0.2", "localhost.evil.example", "", "[::2]"])
def test_other_hosts_get_a_400_page_even_for_cached_pages(guarded, host):
    assert guarded.get("/league").status_code == 200  # now in the page cache
    r = guarded.get("/league", headers={"Host": host})
    assert r.status_code == 400 and "There is a problem with the request" in r.text
    assert MARKER not in r.text and "evil" not in r.text
    assert_secure(r.headers)
    assert guarded.get("/api/league", headers={"Host": host}).json()["error"]["status"] == 400


def test_two_host_headers_are_refused():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope)

    async def refuse(scope, receive, send):
        seen.append("refused")

    gate = AllowedHosts(app, ["localhost"], refuse)
    scope = {"type": "http", "headers": [(b"host", b"localhost"), (b"host", b"evil.example")]}
    asyncio.run(gate(scope, None, None))
    assert seen == ["refused"]


def test_serve_default_allowed_hosts():
    assert allowed_hosts(None, "127.0.0.1", "") == ["localhost", "127.0.0.1", "::1", "127.0.0.1"]
    assert "0.0.0.0" in allowed_hosts(None, "0.0.0.0", "")
    assert "oversight.example.nhs.uk" in allowed_hosts(None, "0.0.0.0", "https://oversight.example.nhs.uk")
    assert allowed_hosts(["dash.example"], "0.0.0.0", "") == ["dash.example"]


# -- nothing echoed ---------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "params", "status"), [
    (f"/trust/{MARKER}", {}, 404), (f"/metric/{MARKER}", {}, 404), (f"/{MARKER}", {}, 404),
    (f"/static/{MARKER}.js", {}, 404), ("/league", {MARKER: "1"}, 400), ("/league", {"region": MARKER}, 400),
    ("/league", {"sort": MARKER}, 400), ("/league", {"segment": MARKER}, 400), ("/league", {"format": MARKER}, 400),
    ("/compare", {"b": MARKER}, 400), ("/trust/Z00", {MARKER: MARKER}, 400),
])
def test_error_pages_do_not_echo_the_request(client, path, params, status):
    for prefix in ("", "/api"):
        r = client.get(prefix + path if path != "/" else path, params=params)
        assert r.status_code == status, (prefix, path)
        assert MARKER not in r.text
        assert_secure(r.headers)


def test_error_messages_still_say_what_is_accepted(client):
    message = client.get("/api/league", params={"sort": MARKER}).json()["error"]["message"]
    assert message == "sort must be one of rank, code, name, region, type, average, segment, metrics"
    assert "ODS code" in client.get("/api/trust/NOPE").json()["error"]["message"]


def test_an_exception_before_any_answer_is_a_500_with_headers():
    async def broken(scope, receive, send):
        raise RuntimeError("secret detail")

    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(SecurityHeaders(broken)({"type": "http", "path": "/"}, None, send))
    assert sent[0]["status"] == 500
    assert_secure([(k.decode(), v.decode()) for k, v in sent[0]["headers"]])
    assert b"secret" not in sent[1]["body"]


# -- HTTP limits, through uvicorn ------------------------------------------------------------
class QuickLimits(server.LimitedHttpTools):
    request_timeout = 1.0


@pytest.fixture(scope="module")
def port():
    sock = server.listening_socket("127.0.0.1", 0)
    app = create_app(synthetic_site(), allowed_hosts=["127.0.0.1"])
    srv = uvicorn.Server(server.config(app, http=QuickLimits))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started
    yield sock.getsockname()[1]
    srv.should_exit = True
    thread.join(15)


def head_of(response: bytes) -> tuple[int, dict[str, str]]:
    lines = response.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers


def test_limits_are_tight():
    assert server.MAX_HEAD <= 64 * 1024 and 5 <= server.REQUEST_TIMEOUT <= 15 and server.KEEP_ALIVE <= 10


def test_a_normal_request_is_answered(port):
    _, out = exchange(port, b"GET /method HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    status, headers = head_of(out)
    assert status == 200 and "server" not in {k.lower() for k in headers}
    assert_secure(headers)


def test_a_half_sent_request_is_cut_off(port):
    seconds, out = exchange(port, b"GET /league HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
    assert 0.8 <= seconds < 5
    status, headers = head_of(out)
    assert status == 408
    assert_secure(headers)


def test_a_silent_connection_is_closed(port):
    seconds, _ = exchange(port, b"")
    assert 0.8 <= seconds < 5


def test_an_oversized_request_head_is_refused(port):
    big = b"a" * (server.MAX_HEAD + 100)
    _, out = exchange(port, b"GET /league HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + big + b"\r\n\r\n")
    status, headers = head_of(out)
    assert status == 431
    assert_secure(headers)


def test_a_head_just_under_the_limit_is_answered(port):
    filler = b"a" * (server.MAX_HEAD - 200)
    _, out = exchange(port, b"GET /method HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Fill: " + filler + b"\r\nConnection: close\r\n\r\n")
    assert head_of(out)[0] == 200


@pytest.mark.parametrize("request_bytes", [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost: \x01\r\n\r\n", b"GET /\xff HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"])
def test_malformed_requests_get_the_headers_too(port, request_bytes):
    _, out = exchange(port, request_bytes)
    status, headers = head_of(out)
    assert status == 400
    assert_secure(headers)


@pytest.mark.parametrize("target", [b"//evil.example/", b"//league/", b"/\\evil.example/"])
def test_no_redirect_to_another_host_over_http(port, target):
    _, out = exchange(port, b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    status, headers = head_of(out)
    assert status == 404 and "location" not in {k.lower() for k in headers}


def test_keep_alive_still_works(port):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        for _ in range(3):
            s.sendall(b"GET /method HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            data = b""
            while b"</html>" not in data:
                data += s.recv(65536)
            assert data.startswith(b"HTTP/1.1 200")
            time.sleep(0.6)  # less than the 1 s deadline each time, more than it in total


# -- serve options ---------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "words"), [
    (["--host", "999.1.1.1"], "not an IP address"),
    (["--host", "no-such-host.invalid"], "not an address this computer can listen on"),
    (["--base-url", "javascript:alert(1)"], "--base-url"),
])
def test_serve_refuses_bad_addresses_with_exit_2(capsys, args, words):
    assert main(["serve", "--synthetic", *args]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_serve_on_a_port_in_use_exits_2(capsys):
    busy = server.listening_socket("127.0.0.1", 0)
    busy.listen()
    try:
        assert main(["serve", "--synthetic", "--draws", "20", "--port", str(busy.getsockname()[1])]) == 2
    finally:
        busy.close()
    err = capsys.readouterr().err
    assert "cannot listen there" in err and "Traceback" not in err and "Serving" not in err


def test_a_port_in_use_is_an_option_error():
    first = server.listening_socket("127.0.0.1", 0)
    first.listen()
    try:
        with pytest.raises(OptionError, match="cannot listen there"):
            server.listening_socket("127.0.0.1", first.getsockname()[1])
    finally:
        first.close()


def test_a_websocket_upgrade_is_an_ordinary_request(port):
    _, out = exchange(port, b"GET /method HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                            b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", timeout=3)
    status, headers = head_of(out)
    assert status == 200
    assert_secure(headers)
