"""``oversight history``: one organisation's metrics over quarters, from the history database."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit


def warn_notes(notes: list[str]) -> None:
    """The history's notes on stderr, unless --quiet."""
    from nhs_oversight.commands.verbosity import level

    if level() != "quiet":
        for n in notes:
            typer.echo(f"note: {n}", err=True)


def _names(framework: str) -> dict[str, str]:
    """Metric names of the framework's codes and of the derived metrics' definitions."""
    from nhs_oversight import api
    from nhs_oversight.derive.catalog import definitions
    from nhs_oversight.history.names import metric_names

    derived: dict[str, str] = {}
    for d in definitions():
        derived.setdefault(d.metric_id, d.name)
    return metric_names(api.load_framework(framework), derived)


def register(app: typer.Typer) -> None:
    @app.command("history")
    def history(
        org_arg: str = typer.Argument(None, metavar="[ORG]", show_default=False, help="Organisation (ODS) code, e.g. RWY (or give --org)."),
        org: str = typer.Option(None, "--org", help="Organisation (ODS) code, e.g. RWY."),
        db: Path = typer.Option(None, "--db", help="History database file (default: history.duckdb in your user data folder)."),
        metric: list[str] = typer.Option(None, "--metric", "-m", help="Only this metric (repeat for several)."),
        fmt: str = typer.Option(None, "--format", help="table, csv, json, xlsx or parquet (default: table, or from --output)."),
        output: Path = typer.Option(None, "--output", "-o", help="Write to this file."),
        wide: bool = typer.Option(False, "--wide", help="One row per metric and source, one column per quarter."),
        allow_partial: bool = typer.Option(False, "--allow-partial", help="Keep derived quarters lacking months."),
        list_files: bool = typer.Option(False, "--files", help="List the files loaded into the database instead."),
        framework: str = opt.FRAMEWORK,
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """List a trust's metrics over quarters: derived from raw files and as published.

        Derived values come from the current edition of every loaded month; published NOF values
        (scores, segments such as OF5000 adjusted and OF5005 final) appear once published files
        are in the database.
        """
        from nhs_oversight import history as hist
        from nhs_oversight.commands.common import choose_format
        from nhs_oversight.errors import OptionError
        from nhs_oversight.history.names import for_screen, named
        from nhs_oversight.render.tables import write_table

        fmt = choose_format(output, fmt, ("table", "csv", "json", "xlsx", "parquet"))
        if org and org_arg and org.upper() != org_arg.upper():
            raise OptionError(f"give one organisation, not {org_arg} and --org {org}")
        org = org or org_arg
        if list_files:
            table = hist.files(db)
            for c in ("first_period", "last_period", "loaded_at"):
                table[c] = table[c].astype(str).replace({"NaT": "", "None": ""})
            emit(write_table(table.drop(columns=["seq"]), fmt, output, sheet_name="files"), output)
            return
        if not org:
            raise OptionError("give an organisation code (e.g. RWY), or --files")
        table, notes = hist.org_history(org, db, metric, allow_partial)
        warn_notes(notes)
        if table.empty:
            raise OptionError(f"nothing for {org.upper()} in the history database")
        if wide:
            from nhs_oversight.frameworks.periods import Quarter

            quarters = sorted(table["period"].unique(), key=Quarter.parse)
            table = table.pivot_table(index=["metric_id", "source"], columns="period", values="value", aggfunc="first")
            table = table.reindex(columns=quarters).reset_index()
            table.columns.name = None
        table = named(table, _names(framework))
        if fmt == "table":
            table = for_screen(table)
        emit(write_table(table, fmt, output, sheet_name=org.upper()), output)
