"""The ``oversight`` command. It only parses options, calls the library and prints.

Each command lives in ``nhs_oversight.commands.<name>`` and registers itself with
``register(app)``. User errors exit with code 2 and one readable line, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer

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
COMMAND_MODULES = [
    "segment",
    "verify",
    "explain",
    "compare",
    "uncertainty",
    "brief",
    "movement",
    "serve",
    "report",
    "derive",
    "ingest",
    "history",
    "nowcast",
    "spc",
    "funnel",
    "culture",
    "fetch",
    "demo",
    "synth_ecds",
]


def _register() -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"nhs_oversight.commands.{name}")
        module.register(app)


_register()


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, mapping user errors to exit code 2."""
    try:
        app(args=argv, prog_name="oversight", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    except OversightError as exc:
        typer.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
