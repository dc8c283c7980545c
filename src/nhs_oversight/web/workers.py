"""Several server processes on one listening socket (``oversight serve --workers N``).

A page is rendered by Python code holding one lock (the GIL), so one process uses one core. The
data are read and assessed once, then the process forks: each worker shares the assessment
(copy-on-write) and answers on the same socket, and the kernel hands each new connection to one
of them. The parent only supervises: it passes SIGTERM and SIGINT on, and if a worker stops on
its own it stops the others (a dashboard half up would answer some requests and not others).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import sys
from collections.abc import Callable
from typing import Any

from nhs_oversight.errors import OptionError

#: More workers than this is a mistake (a request needs one core; the data are in every worker).
MAX_WORKERS = 32


def check_workers(workers: int) -> int:
    """``workers`` if this machine can run that many (fork is needed beyond one)."""
    if not 1 <= workers <= MAX_WORKERS:
        raise OptionError(f"--workers {workers}: give a number from 1 to {MAX_WORKERS}")
    if workers > 1 and not hasattr(os, "fork"):
        raise OptionError(f"--workers {workers}: several workers need fork(), which {sys.platform} does not have; use --workers 1")
    return workers


def serve_workers(start: Callable[[], Any], run: Callable[[Any, socket.socket], None], sock: socket.socket, workers: int) -> str | None:
    """Run ``run(start(), sock)`` in ``workers`` forked processes until stopped.

    Returns what happened to the first worker that stopped on its own, or None. Stopped by Ctrl+C
    or SIGTERM, the workers are stopped gracefully and the signal is then raised here, so that the
    command ends as a single process would (KeyboardInterrupt; killed by SIGTERM).

    ``start`` runs in each worker after the fork (threads, such as warming, must start there).
    """
    gc.collect()
    gc.freeze()  # what is shared stays shared: the collector does not write to it in the workers
    children: list[int] = []
    received: list[int] = []

    def pass_on(signum: int, frame: Any) -> None:
        received.append(signum)
        for pid in children:
            _signal(pid, signal.SIGTERM)  # a graceful stop (uvicorn takes a second SIGINT as "at once")

    previous = {s: signal.signal(s, pass_on) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for _ in range(workers):
            if received:  # stopped while starting: start no more
                break
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the worker's coverage is not collected
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # uvicorn answers Ctrl+C while serving; not after
                os._exit(_work(start, run, sock))
            children.append(pid)
        if received:  # a signal between a fork and its append: tell every worker again
            pass_on(received[0], None)
        failure = _wait(children)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if received and failure is None:
        signal.raise_signal(received[0])  # stopped as one process stops: Ctrl+C, or killed by SIGTERM
    return failure


def _work(start: Callable[[], Any], run: Callable[[Any, socket.socket], None], sock: socket.socket) -> int:  # pragma: no cover
    """A worker's life: its exit code (a failure is one line on stderr; the parent says the rest)."""
    try:
        run(start(), sock)
    except BaseException as exc:  # a worker must reach os._exit whatever happens
        print(f"error: worker {os.getpid()}: {exc or type(exc).__name__}", file=sys.stderr, flush=True)
        return 1
    return 0


def _wait(children: list[int]) -> str | None:
    """Wait for every worker; when one stops, stop the rest. None if the first stopped cleanly."""
    failure: str | None = None
    running = set(children)
    while running:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:  # pragma: no cover - Python retries wait() itself
            continue
        if pid not in running:
            continue
        running.discard(pid)
        first = len(running) == len(children) - 1
        if first and (why := _unexpected(os.waitstatus_to_exitcode(status))):
            failure = f"worker {pid} {why}; the other workers were stopped"
        for other in running:
            _signal(other, signal.SIGTERM)
    return failure


def _unexpected(code: int) -> str | None:
    """How a worker's exit code says it stopped, unless it was asked to (None)."""
    if code in (0, -signal.SIGTERM, -signal.SIGINT):
        return None
    if code < 0:
        return f"was killed by signal {-code} ({signal.Signals(-code).name})"
    return f"stopped with exit code {code}"


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it has stopped already
        os.kill(pid, signum)
