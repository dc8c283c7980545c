"""Shared data for the dashboard and report tests: sites built once per test session."""

from __future__ import annotations

import contextlib
import re
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

import nhs_oversight as no
from nhs_oversight.web.site import Site, SiteOptions

#: Trust names and a region that try to break out of HTML.
HOSTILE_NAMES = [
    '<script>alert("x")</script> Hospital NHS Trust',
    'Tom & Jerry "Quotes" NHS Trust',
    "O'Brien <b>bold</b> NHS Trust",
]
HOSTILE_REGION = "<img src=x onerror=alert(1)>"


@cache
def synthetic_assessments():
    """The shipped SYNTHETIC quarters: (Q2, Q1)."""
    return no.assess(no.synthetic_inputs("2025/26 Q2")), no.assess(no.synthetic_inputs("2025/26 Q1"))


@cache
def synthetic_site() -> Site:
    """SYNTHETIC 2025/26 Q2 with Q1 as the previous quarter (few uncertainty draws, for speed)."""
    current, previous = synthetic_assessments()
    return Site(current, previous, options=SiteOptions(draws=100, seed=7))


def write_hostile_csv(folder: Path) -> Path:
    """A wide CSV of 12 acute trusts, three of them with markup in their names."""
    rng = np.random.default_rng(3)
    names = HOSTILE_NAMES + [f"Plain Trust {i}" for i in range(9)]
    regions = ["London", HOSTILE_REGION, "North West"]
    rows = []
    for i, name in enumerate(names):
        rows.append({
            "org_code": f"X{i:02d}", "org_name": name, "trust_type": "Acute trust", "region": regions[i % 3],
            "quarter": "2025/26 Q2",
            "OF0013": round(60 + rng.random() * 30, 1), "OF0003": round(rng.random() * 5, 2),
            "OF0023": round(50 + rng.random() * 30, 1), "OF0010": round(60 + rng.random() * 30, 1),
            "OF0011": round(50 + rng.random() * 30, 1), "OF0014": round(rng.random() * 5, 1),
            "financial_flag": int(i % 4 == 0), "recovery_support": 0,
        })
    path = folder / "hostile-wide.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def hostile_site(folder: Path) -> Site:
    return Site(no.assess([write_hostile_csv(folder)]), options=SiteOptions(draws=50, seed=1))


def text_of(html: str) -> str:
    """Visible text of an HTML fragment, tags removed and whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def field(html: str, name: str) -> str:
    """The text of the first element with ``data-field="name"``."""
    m = re.search(rf'data-field="{name}"[^>]*>(.*?)</(td|dd|th)>', html, re.S)
    assert m, f"no data-field {name!r} in the page"
    return text_of(m.group(1))


@contextmanager
def serving(app, timeout: float = 30) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    import socket
    import threading
    import time

    import pytest
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + timeout
    while not srv.started:
        if time.time() > deadline:
            pytest.fail(f"the dashboard did not start within {timeout:g} seconds")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def exchange(port: int, data: bytes, timeout: float = 10) -> tuple[float, bytes]:
    """Send raw bytes to 127.0.0.1:port; the seconds until the server closed, and everything it sent."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        start = time.monotonic()
        with contextlib.suppress(OSError):  # the server may close before reading everything
            s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            out += chunk
        return time.monotonic() - start, out
