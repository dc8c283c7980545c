"""Progress bars (Rich) for long work, drawn on stderr and only when stderr is a terminal.

Scripts and pipes see nothing; a person at a terminal sees how far a long ingest, a synthetic
dataset or a nowcast over a year of files has got.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def wanted(stream=None) -> bool:
    stream = stream or sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)())


@contextmanager
def bar(description: str, total: int, stream=None) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; a no-op unless ``stream`` (stderr by default) is a terminal."""
    stream = stream or sys.stderr
    if not wanted(stream) or total <= 0:
        yield lambda n=1: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(file=stream), transient=True) as p:
        task = p.add_task(description, total=total)
        yield lambda n=1: p.advance(task, n)
