"""``oversight report``: a self-contained HTML report or an Excel board pack of one quarter."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit, warn

FORMATS = {"html": "html", "htm": "html", "xlsx": "xlsx"}


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report(
        files: list[Path] = opt.FILES,
        output: Path = typer.Option(..., "--output", "-o", help="report.html (one self-contained file) or pack.xlsx (the board pack)."),
        previous: list[Path] = opt.SITE_PREVIOUS,
        db: Path = opt.SITE_DB,
        orgs: list[str] = typer.Option(None, "--org", help="Add an organisation's page to the HTML report, by ODS code (repeat for several)."),
        no_metrics: bool = typer.Option(False, "--no-metrics", help="Leave the metric pages out of the HTML report."),
        framework: str = opt.FRAMEWORK,
        cutpoints: str = opt.CUTPOINTS,
        recompute_all: bool = opt.RECOMPUTE_ALL,
        synthetic: bool = opt.SYNTHETIC,
        quarter: str = opt.QUARTER_SYNTH,
        organisations: list[Path] = opt.ORGANISATIONS,
        draws: int = opt.DRAWS,
        seed: int = opt.SEED,
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Write the report of one quarter: HTML (the dashboard's pages in one file) or Excel.

        The HTML file opens on a cover (quarter, data date, segment counts), holds its styles and
        charts, prints on A4 landscape and makes no request: it can be emailed or archived. The
        workbook opens on a cover sheet, then one sheet per table with metric names beside codes,
        number-typed cells, frozen and repeated header rows and landscape fit-to-width printing.
        """
        from nhs_oversight.commands.common import site_from_options
        from nhs_oversight.errors import OptionError
        from nhs_oversight.util.files import atomic_write_text

        fmt = FORMATS.get(output.suffix.lower().lstrip("."))
        if fmt is None:
            raise OptionError(f"--output {output}: give a .html or .xlsx file")
        if not output.parent.is_dir() and str(output.parent):
            raise OptionError(f"output folder {str(output.parent)!r} does not exist")
        if fmt == "xlsx" and (orgs or no_metrics):
            raise OptionError("--org and --no-metrics apply to the HTML report only")
        site = site_from_options(files, previous, db, framework, cutpoints, recompute_all, synthetic, quarter, draws, seed, organisations)
        warn(site.assessment.warnings)
        if fmt == "html":
            from nhs_oversight.web.report import build_report

            atomic_write_text(output, build_report(site, trusts=orgs or (), metrics=not no_metrics))
        else:
            from nhs_oversight.render.workbook import assessment_workbook
            from nhs_oversight.web.extras import Unavailable

            movement, uncertainty = site.movement(), site.uncertainty()
            assessment_workbook(
                site.assessment, output,
                movement=None if isinstance(movement, Unavailable) else movement,
                uncertainty=None if isinstance(uncertainty, Unavailable) else uncertainty,
            )
        emit(None, output)
