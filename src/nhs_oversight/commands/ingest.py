"""``oversight ingest``: load raw NHS statistics files into the history database."""

from __future__ import annotations

import contextlib
from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit, warn


@contextlib.contextmanager
def _no_new_database_on_failure(db: Path | None):
    """A failed load leaves no database behind when there was none before it (and its WAL).

    An existing database is protected by the load's single transaction; a new one would be
    an empty file that makes later commands believe something was loaded.
    """
    from nhs_oversight.history import default_path

    path = Path(db) if db else Path(default_path())
    existed = path.exists()
    try:
        yield
    except BaseException:
        if not existed:
            for p in (path, path.with_name(path.name + ".wal")):
                with contextlib.suppress(OSError):
                    p.unlink()
        raise


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(
        files: list[Path] = typer.Argument(..., show_default=False, help="Raw CSV files (A&E monthly, RTT, Cancer Waiting Times, beds sitrep, ODS etr) and published NOF data CSVs."),
        db: Path = typer.Option(None, "--db", help="History database file (default: history.duckdb in your user data folder)."),
        fmt: str = typer.Option("table", "--format", help="table, csv or json summary of what was loaded."),
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Load raw files into the history database: idempotent and all-or-nothing.

        Each file is recorded with its name, SHA-256, kind, months, rows and load time. Loading
        the same content again changes nothing. Every file is validated before anything is
        written, and the load is one transaction, so a failure leaves the database as it was.
        """

        from nhs_oversight.errors import OptionError

        if fmt not in ("table", "csv", "json"):  # checked before the database is touched
            raise OptionError(f"--format {fmt!r}: choose one of table, csv, json")
        target = Path(db) if db else None
        with _no_new_database_on_failure(target):
            _ingest(files, db, fmt)

    def _ingest(files: list[Path], db: Path | None, fmt: str) -> None:
        import pandas as pd

        from nhs_oversight.frameworks import load_framework
        from nhs_oversight.history import default_path, ingest_files, ingest_published
        from nhs_oversight.render.tables import write_table
        from nhs_oversight.sources.common import MissingReport
        from nhs_oversight.sources.nof_tidy import is_nof_file, nof_tidy
        from nhs_oversight.sources.raw import sha256_of

        missing = MissingReport()
        published = [f for f in files if is_nof_file(f)]
        raw = [f for f in files if f not in published]
        framework = load_framework()
        tidy = [(f, nof_tidy(f, framework)) for f in published]  # validate every file before writing
        from nhs_oversight.commands.progress import bar

        with bar("reading files", len(raw)) as advance:
            results = ingest_files(raw, db, missing, on_read=lambda _p: advance(1)) if raw else []
        for f, df in tidy:
            results.append(ingest_published(db or default_path(), df, {"name": Path(f).name, "sha256": sha256_of(f)}))
        if len(missing):
            warn([missing.summary()])
        for r in results:
            for n in r.notes:
                typer.echo(f"note: {n}", err=True)
        table = pd.DataFrame(
            [{"file": r.name, "kind": r.kind, "status": r.status, "rows": r.rows,
              "months": ", ".join(r.periods) if len(r.periods) <= 3 else f"{r.periods[0]} .. {r.periods[-1]} ({len(r.periods)})",
              "sha256": r.sha256[:12]} for r in results]
        )
        emit(write_table(table, fmt, None), None)
        typer.echo(f"database: {db or default_path()}", err=True)
