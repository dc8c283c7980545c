"""The ``oversight`` command. It only parses options, calls the library and prints.

Each command lives in ``nhs_oversight.commands.<name>`` and registers itself with
``register(app)``. User errors exit with code 2 and one readable line, never a traceback.
"""

from __future__ import annotations

import errno
import sys

import typer

from nhs_oversight.commands import (
    brief,
    compare,
    culture,
    demo,
    derive,
    explain,
    fetch,
    funnel,
    history,
    ingest,
    movement,
    nowcast,
    report,
    segment,
    serve,
    spc,
    synth_ecds,
    uncertainty,
    verify,
)
from nhs_oversight.errors import OversightError

app = typer.Typer(
    name="oversight",
    help="NHS Oversight Framework segmentation: recompute, explain, derive, trend and report.",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
    verbose: bool = typer.Option(False, "--verbose", help="Every note on the input in full, for any command."),
    quiet: bool = typer.Option(False, "--quiet", help="No notes or warnings on stderr, for any command."),
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback of an internal error (for a bug report)."),
) -> None:
    """NHS Oversight Framework segmentation: recompute, explain, derive, trend and report."""
    from nhs_oversight.commands.verbosity import set_level

    set_level("quiet" if quiet else "verbose" if verbose else "normal")
    if version:
        from nhs_oversight import __version__

        typer.echo(__version__)
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()


#: Command modules, in the order they appear in ``oversight --help``: results, explanation,
#: reporting, data, trends and fair comparison, utilities.
COMMANDS = [
    segment,
    verify,
    explain,
    compare,
    uncertainty,
    brief,
    movement,
    serve,
    report,
    derive,
    ingest,
    history,
    nowcast,
    spc,
    funnel,
    culture,
    fetch,
    demo,
    synth_ecds,
]


def _register() -> None:
    for module in COMMANDS:
        module.register(app)


_register()


def main(argv: list[str] | None = None) -> int:
    """Entry point: 0 success, 2 a user error (one line), 1 an internal fault (one line and a hint).

    ``--debug`` (before the command) lets an internal fault's traceback through.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in args[: next((i for i, a in enumerate(args) if not a.startswith("-")), len(args))]
    try:
        try:
            app(args=args, prog_name="oversight", standalone_mode=True)
        finally:
            sys.stdout.flush()
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    except OversightError as exc:
        typer.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0  # the reader (head, less) stopped reading: not an error
    except OSError as exc:
        if exc.errno not in _WRITE_ERRORS:
            return _internal(exc, debug)
        where = exc.filename or "the output"
        typer.echo(f"error: cannot write {where}: {exc.strerror or exc}", err=True)
        _silence_stdout()
        return 2
    except Exception as exc:
        return _internal(exc, debug)
    return 0


#: Errors of writing (a full disk or standard output sent to /dev/full): the user's to fix.
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}


def _internal(exc: BaseException, debug: bool) -> int:
    """A fault that is not the user's: one line and a hint to report it (the traceback with --debug)."""
    if debug:
        raise exc
    text = str(exc).splitlines()[0] if str(exc) else ""
    typer.echo(
        f"internal error: {type(exc).__name__}{': ' + text if text else ''} "
        "(this is a bug: please report it with the command you ran; add --debug before the command for the traceback)",
        err=True,
    )
    return 1


def _silence_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's final flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
