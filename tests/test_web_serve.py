"""`oversight serve` as a user runs it: a real process on 127.0.0.1, stopped at the end."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from nhs_oversight.cli import main


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@contextmanager
def serving(folder: Path, *args: str):
    """``oversight serve --synthetic ARGS`` on a free port of 127.0.0.1: (base URL, log file, process)."""
    port = free_port()
    log = folder / "serve.log"
    exe = Path(sys.executable).with_name("oversight")
    with log.open("w") as out:
        proc = subprocess.Popen([str(exe), "serve", "--synthetic", "--host", "127.0.0.1", "--port", str(port), "--draws", "50", *args],
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                if get(base + "/method")[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                pytest.fail(f"oversight serve did not start: {log.read_text()}")
            time.sleep(0.3)
        yield base, log, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("serve")) as found:
        yield found


def test_serve_synthetic_with_the_previous_quarter(served):
    base, log, _ = served
    status, _headers, body = get(base + "/api/")
    assert status == 200
    data = json.loads(body)
    assert data["meta"]["dataset"] == "SYNTHETIC" and data["meta"]["previous_period"] == "2025/26 Q1"
    assert data["movement"]["available"]
    assert "Serving SYNTHETIC" in log.read_text() and "http://127.0.0.1:" in log.read_text()


def test_served_pages_carry_the_headers(served):
    base, _, _ = served
    status, headers, body = get(base + "/league")
    lower = {k.lower(): v for k, v in headers.items()}
    assert status == 200 and b"SYNTHETIC DATA." in body
    assert "frame-ancestors 'none'" in lower["content-security-policy"] and lower["x-content-type-options"] == "nosniff"
    status, _, body = get(base + "/trust/NOPE")
    assert status == 404 and b"Page not found" in body


def test_serve_option_errors_exit_2(capsys):
    assert main(["serve"]) == 2
    assert "no input files" in capsys.readouterr().err
    assert main(["serve", "--synthetic", "--framework", "nof-1999-00"]) == 2


# -- several workers ---------------------------------------------------------------------------
def children_of(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists() or not hasattr(os, "fork"),
                    reason="needs fork and /proc (Linux) to see the workers")
def test_several_workers_answer_and_stop_together(tmp_path):
    with serving(tmp_path, "--workers", "2") as (base, log, proc):
        workers = children_of(proc.pid)
        assert len(workers) == 2
        bodies = set()
        for i in range(30):  # connections go to either worker; every answer is the same
            status, _, body = get(base + "/api/league?sort=average")
            assert status == 200
            bodies.add(body)
            assert get(base + f"/league?q=z{i % 7}")[0] == 200
        assert len(bodies) == 1
        os.kill(min(workers), signal.SIGKILL)  # one worker lost: the other is stopped, and the server
        assert proc.wait(timeout=60) == 1
        said = log.read_text()
        assert " with 2 workers (Ctrl+C to stop)" in said
        assert f"worker {min(workers)} was killed by signal 9 (SIGKILL); the other workers were stopped" in said
        assert "Traceback" not in said
        for w in workers:
            assert not Path(f"/proc/{w}").exists()


@pytest.mark.skipif(not Path("/proc/self/task").exists() or not hasattr(os, "fork"),
                    reason="needs fork and /proc (Linux) to see the workers")
def test_several_workers_stop_cleanly_on_sigterm(tmp_path):
    with serving(tmp_path, "--workers", "2") as (base, _, proc):
        assert get(base + "/league")[0] == 200
        workers = children_of(proc.pid)
        proc.terminate()  # passed on to the workers; then the server ends as one process would
        assert proc.wait(timeout=60) == -signal.SIGTERM
        assert workers and not any(Path(f"/proc/{w}").exists() for w in workers)


@pytest.mark.parametrize("workers", ["0", "33"])
def test_a_number_of_workers_out_of_range_exits_2(capsys, workers):
    assert main(["serve", "--synthetic", "--workers", workers]) == 2
    err = capsys.readouterr().err
    assert "--workers" in err and "Traceback" not in err
