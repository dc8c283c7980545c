"""Small helpers shared by command modules: warnings on stderr, writing results."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import typer


def warn(messages: Iterable[str]) -> None:
    """Print warnings on stderr, prefixed so that scripts can filter them.

    The engine's notes on stand-ins and cut points become one ``note:`` line unless
    ``--verbose`` was given; ``--quiet`` prints nothing (see :mod:`.verbosity`).
    """
    from nhs_oversight.commands import verbosity

    level = verbosity.level()
    if level == "quiet":
        return
    messages = list(messages)
    if level == "verbose":
        rest = messages
    else:
        line, rest = verbosity.summarise(messages)
        if line:
            typer.echo(f"note: {line}", err=True)
    for m in rest:
        typer.echo(f"warning: {m}", err=True)


def emit(text: str | None, output: Any = None) -> None:
    """Print text to stdout, or say where the output went."""
    if text is not None:
        typer.echo(text, nl=not text.endswith("\n"))
    elif output:
        typer.echo(f"wrote {output}", err=True)


def choose_format(output: Any, fmt: str | None, allowed: tuple[str, ...], default: str = "table") -> str:
    """The format asked for (or implied by the output's suffix), checked against ``allowed``.

    Binary formats (xlsx, parquet, png) need an output file.
    """
    from nhs_oversight.commands.checks import output as check_output
    from nhs_oversight.errors import OptionError
    from nhs_oversight.render.output import infer_format

    check_output(output)
    chosen = infer_format(output, fmt, default)
    if chosen not in allowed:
        raise OptionError(f"--format {chosen!r}: choose one of {', '.join(allowed)}")
    if chosen in ("xlsx", "parquet", "png") and not output:
        raise OptionError(f"--format {chosen} needs --output PATH")
    return chosen
