"""``oversight demo``: the whole pipeline on the shipped SYNTHETIC national dataset, offline."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands.common import warn


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        out: Path = typer.Option(Path("demo-output"), "--out", help="Folder for the demo's files."),
    ) -> None:
        """Run everything on the SYNTHETIC national dataset and print the league table."""
        from nhs_oversight import api, synthetic
        from nhs_oversight.render.output import write_table
        from nhs_oversight.render.terminal import league_text
        from nhs_oversight.render.workbook import assessment_workbook

        a = api.assess(api.synthetic_inputs())
        warn(a.warnings)
        typer.echo(league_text(a))
        out.mkdir(parents=True, exist_ok=True)
        write_table(a.league_table(), "csv", out / "league-table.csv")
        assessment_workbook(a, out / "board-pack.xlsx")
        typer.echo(f"Synthetic input files: {synthetic.data_dir()}")
        typer.echo(f"Wrote {out / 'league-table.csv'} and {out / 'board-pack.xlsx'} (SYNTHETIC data).")
