"""How ``oversight serve`` runs uvicorn: limits that an oversized or half-sent request cannot pass.

uvicorn's httptools protocol (the fast one) has no limit on the size of a request head and no
timeout while a request is being read: a 16 MiB header is accepted, and a client that sends half
a request holds the connection for as long as it likes. ``h11_max_incomplete_event_size`` applies
only to the slower h11 protocol. :class:`LimitedHttpTools` keeps httptools and adds both limits,
and gives uvicorn's own error responses (400 for a malformed request) the security headers.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from nhs_oversight.errors import OptionError
from nhs_oversight.web.security import HEADERS

#: Bytes of request line and headers a request may have (browsers send 1-8 KiB).
MAX_HEAD = 16 * 1024
#: Seconds from a request's first byte (or the connection's opening) to its last byte.
REQUEST_TIMEOUT = 10.0
#: Seconds an idle kept-alive connection stays open.
KEEP_ALIVE = 5

_REASONS = {400: b"Bad Request", 408: b"Request Timeout", 431: b"Request Header Fields Too Large"}


def plain_response(status: int, text: str) -> bytes:
    """A complete HTTP/1.1 response that closes the connection, with the security headers."""
    body = text.encode("ascii")
    head = [b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status])]
    head += [name + b": " + value + b"\r\n" for name, value in HEADERS]
    head += [b"content-type: text/plain; charset=utf-8\r\n", b"content-length: %d\r\n" % len(body),
             b"cache-control: no-store\r\n", b"connection: close\r\n", b"\r\n"]
    return b"".join(head) + body


class LimitedHttpTools(HttpToolsProtocol):
    """httptools with a cap on the request head and a deadline for reading each request."""

    max_head = MAX_HEAD
    request_timeout = REQUEST_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reading = False  # a request (or the first one) is being read
        self._in_head = True  # its request line and headers are not complete yet
        self._head_bytes = 0
        self._deadline: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        self._reading = True
        self._deadline = self.loop.call_later(self.request_timeout, self._too_slow)

    def _disarm(self) -> None:
        self._reading = False
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _refuse(self, status: int, text: str) -> None:
        self._disarm()
        if self.transport.is_closing():
            return
        idle = self.cycle is None or self.cycle.response_complete
        if idle:  # never write into the middle of a response being sent
            self.transport.write(plain_response(status, text))
        self.transport.close()

    def _too_slow(self) -> None:
        self._deadline = None
        self.logger.warning("Request not received in %.0f s; connection closed.", self.request_timeout)
        self._refuse(408, "The request was not received in time.")

    # asyncio.Protocol and httptools callbacks
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if not self._reading:
            self._arm()
        if self._in_head:
            self._head_bytes += len(data)
            if self._head_bytes > self.max_head:
                self.logger.warning("Request head over %d bytes refused.", self.max_head)
                self._refuse(431, "The request headers are too large.")
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        self._in_head = True
        self._head_bytes = 0
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        self._disarm()
        self.transport.write(plain_response(400, "Invalid HTTP request received."))
        self.transport.close()


def resolve(host: str, port: int) -> tuple[int, tuple]:
    """The socket family and address of ``host:port``; OptionError (exit 2) for a bad host."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
        if all(part.isdigit() for part in host.split(".")):
            raise OptionError(f"--host {host}: not an IP address (four numbers from 0 to 255, such as 127.0.0.1)") from None
    if literal is not None:
        return (socket.AF_INET6, (str(literal), port, 0, 0)) if literal.version == 6 else (socket.AF_INET, (str(literal), port))
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (OSError, UnicodeError) as exc:
        raise OptionError(f"--host {host}: not an address this computer can listen on ({exc})") from None
    return family, address


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``; OptionError (exit 2) when the address cannot be used."""
    family, address = resolve(host, port)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        why = exc.strerror or str(exc)
        raise OptionError(f"--host {host} --port {port}: cannot listen there ({why})") from None
    sock.set_inheritable(True)
    return sock


def config(app: Any, http: type = LimitedHttpTools) -> Any:
    """uvicorn's settings for the dashboard: the limits above, no WebSockets, quiet logs, no Server header."""
    import uvicorn

    return uvicorn.Config(
        app, http=http, ws="none", log_level="warning", access_log=False, server_header=False,
        timeout_keep_alive=KEEP_ALIVE, h11_max_incomplete_event_size=MAX_HEAD,
    )


def run(app: Any, sock: socket.socket) -> None:
    """Serve ``app`` on an already bound socket until stopped (Ctrl+C)."""
    import uvicorn

    try:
        uvicorn.Server(config(app)).run(sockets=[sock])
    finally:
        sock.close()
