"""Small helpers shared by command modules: warnings on stderr, writing results."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import typer


def warn(messages: Iterable[str]) -> None:
    """Print each warning on stderr, prefixed so that scripts can filter them."""
    for m in messages:
        typer.echo(f"warning: {m}", err=True)


def emit(text: str | None, output: Any = None) -> None:
    """Print text to stdout, or say where the output went."""
    if text is not None:
        typer.echo(text, nl=not text.endswith("\n"))
    elif output:
        typer.echo(f"wrote {output}", err=True)
