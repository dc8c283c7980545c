"""``oversight fetch``: download NHS England's current quarterly NOF files when online."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit
from nhs_oversight.sources.fetch import fetch


def register(app: typer.Typer) -> None:
    @app.command("fetch")
    def fetch_command(
        dest: Path = typer.Option(Path("."), "--output", "-o", help="Folder to save the files in (default: the current folder)."),
        old_dest: Path = typer.Option(None, "--dest", hidden=True, help="Earlier name of --output."),
        timeout: float = typer.Option(20.0, help="Seconds to wait for each download."),
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Download NHS England's current quarterly NOF CSV files (needs internet access)."""
        for path in fetch(old_dest or dest, timeout=timeout):
            emit(None, path)
