"""``oversight demo``: the whole pipeline on the shipped SYNTHETIC national dataset, offline."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit, warn
from nhs_oversight.frameworks.loader import DEFAULT_FRAMEWORK


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        out: Path = typer.Option(Path("demo-output"), "--output", "-o", help="Folder for the demo's files."),
        old_out: Path = typer.Option(None, "--out", hidden=True, help="Earlier name of --output."),
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Run everything on the SYNTHETIC national dataset: league table, board pack, HTML report."""
        from nhs_oversight.commands.common import site_from_options
        from nhs_oversight.render.tables import write_table
        from nhs_oversight.render.terminal import league_text
        from nhs_oversight.render.workbook import assessment_workbook
        from nhs_oversight.synthetic import nof as synthetic
        from nhs_oversight.util.files import atomic_write_text
        from nhs_oversight.web.extras import Unavailable
        from nhs_oversight.web.report import build_report

        out = old_out or out
        site = site_from_options(None, None, None, DEFAULT_FRAMEWORK, None, False, True, "2025/26 Q2", opt.DRAWS.default, opt.SEED.default)
        a = site.assessment
        warn(a.warnings)
        typer.echo(league_text(a))
        out.mkdir(parents=True, exist_ok=True)
        write_table(a.league_table(), "csv", out / "league-table.csv")
        movement, uncertainty = site.movement(), site.uncertainty()
        assessment_workbook(a, out / "board-pack.xlsx",
                            movement=None if isinstance(movement, Unavailable) else movement,
                            uncertainty=None if isinstance(uncertainty, Unavailable) else uncertainty)
        typer.echo(f"Synthetic input files: {synthetic.data_dir()}")
        emit(None, out / "league-table.csv")
        emit(None, out / "board-pack.xlsx")
        typer.echo("Writing the HTML report (charts take a few seconds)...", err=True)
        first = a.league_table(wide=False)["org_code"].iloc[0]
        atomic_write_text(out / "report.html", build_report(site, trusts=[first]))
        emit(None, out / "report.html")
        typer.echo(f"{out / 'report.html'} is one self-contained file: open it in any browser (SYNTHETIC data).")
        typer.echo("To explore the same data in the dashboard, run:  oversight serve --synthetic  (then open http://127.0.0.1:8000/)")
