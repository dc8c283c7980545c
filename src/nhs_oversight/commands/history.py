"""``oversight history``: one organisation's metrics over quarters, from the history database."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands.common import emit


def register(app: typer.Typer) -> None:
    @app.command("history")
    def history(
        org: str = typer.Argument(None, show_default=False, help="Organisation (ODS) code, e.g. RWY."),
        db: Path = typer.Option(None, "--db", help="History database file (default: history.duckdb in your user data folder)."),
        metric: list[str] = typer.Option(None, "--metric", "-m", help="Only this metric (repeat for several)."),
        fmt: str = typer.Option(None, "--format", help="table, csv, json, xlsx or parquet (default: table, or from --output)."),
        output: Path = typer.Option(None, "--output", "-o", help="Write to this file."),
        wide: bool = typer.Option(False, "--wide", help="One row per metric and source, one column per quarter."),
        allow_partial: bool = typer.Option(False, "--allow-partial", help="Keep derived quarters lacking months."),
        list_files: bool = typer.Option(False, "--files", help="List the files loaded into the database instead."),
    ) -> None:
        """List a trust's metrics over quarters: derived from raw files and as published.

        Derived values come from the current edition of every loaded month; published NOF values
        (scores, segments such as OF5000 adjusted and OF5005 final) appear once published files
        are in the database.
        """
        from nhs_oversight import history as hist
        from nhs_oversight.commands.common import choose_format
        from nhs_oversight.errors import OptionError
        from nhs_oversight.render.output import write_table

        fmt = choose_format(output, fmt, ("table", "csv", "json", "xlsx", "parquet"))
        if list_files:
            table = hist.files(db)
            for c in ("first_period", "last_period", "loaded_at"):
                table[c] = table[c].astype(str).replace({"NaT": "", "None": ""})
            emit(write_table(table.drop(columns=["seq"]), fmt, output, sheet_name="files"), output)
            return
        if not org:
            raise OptionError("give an organisation code (e.g. RWY), or --files")
        table, notes = hist.org_history(org, db, metric, allow_partial)
        for n in notes:
            typer.echo(f"note: {n}", err=True)
        if table.empty:
            raise OptionError(f"nothing for {org.upper()} in the history database")
        if wide:
            from nhs_oversight.periods import Quarter

            quarters = sorted(table["period"].unique(), key=Quarter.parse)
            table = table.pivot_table(index=["metric_id", "source"], columns="period", values="value", aggfunc="first")
            table = table.reindex(columns=quarters).reset_index()
            table.columns.name = None
        emit(write_table(table, fmt, output, sheet_name=org.upper()), output)
