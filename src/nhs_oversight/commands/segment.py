"""``oversight segment``: scores, segments and league-table ranks for every organisation."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import choose_format, emit, warn


def register(app: typer.Typer) -> None:
    @app.command("segment")
    def segment(
        files: list[Path] = opt.FILES,
        framework: str = opt.FRAMEWORK,
        cutpoints: str = opt.CUTPOINTS,
        recompute_all: bool = opt.RECOMPUTE_ALL,
        fmt: str = typer.Option(None, "--format", help="table, csv, json, xlsx or parquet (default: table, or from --output)."),
        output: Path = opt.OUTPUT,
        synthetic: bool = opt.SYNTHETIC,
        quarter: str = opt.QUARTER_SYNTH,
        organisations: list[Path] = opt.ORGANISATIONS,
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Recompute every score, segment and league-table rank from the input files.

        One row per organisation: average score, unadjusted segment, financial override, adjusted
        and final segment (5 = Recovery Support Programme), rank within trust type, domain scores,
        and each metric's value, score and where the score came from (computed, published, input).
        """
        from nhs_oversight.render.tables import write_table
        from nhs_oversight.render.terminal import league_text

        fmt = choose_format(output, fmt, ("table", "csv", "json", "xlsx", "parquet"))
        a = opt.load(files, framework, cutpoints, recompute_all, synthetic, quarter, organisations)
        warn(a.warnings)
        if fmt == "table":
            text = league_text(a)
            if output:
                from nhs_oversight.util.files import atomic_write_text

                atomic_write_text(output, text)
                text = None
            emit(text, output)
            return
        if fmt == "xlsx":
            from nhs_oversight.render.workbook import assessment_workbook

            assessment_workbook(a, output)
            emit(None, output)
            return
        emit(write_table(a.league_table(), fmt, output, meta=a.provenance()), output)
