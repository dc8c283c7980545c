"""``oversight nowcast``: likely segments for a quarter before NHS England publishes them."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit, warn


def register(app: typer.Typer) -> None:
    @app.command("nowcast")
    def nowcast_command(
        raw: list[Path] = typer.Argument(None, help="Raw monthly statistics (A&E, RTT, cancer waiting times, beds).", show_default=False),
        quarter: str = typer.Option(..., "--quarter", "-q", help="Quarter to nowcast, e.g. '2025/26 Q2'."),
        published: list[Path] = typer.Option(None, "--published", "-p", help="The latest published NOF data CSVs (carried forward where not derived)."),
        framework: str = opt.FRAMEWORK,
        cutpoints: str = opt.CUTPOINTS,
        fmt: str = typer.Option(None, "--format", help="table, csv, json or xlsx."),
        output: Path = opt.OUTPUT,
        status_output: Path = typer.Option(None, "--status-output", help="Also write the per-trust, per-metric status (derived / carried forward / missing) as CSV."),
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Score and segment a quarter from derived metrics plus the latest published values.

        Metrics derivable from the raw files take their derived value; every other metric, the
        deficit and Recovery Support Programme flags and the cut-point evidence are carried forward
        from the published files and marked so. Per trust the output shows the published and the
        nowcast segment, the change and the metrics that caused it, how many metrics were derived,
        carried or missing, and how well each derived metric reproduces NHS England's published
        values (the definition check).
        """
        from nhs_oversight import api
        from nhs_oversight.commands.progress import bar
        from nhs_oversight.derive import derive_files
        from nhs_oversight.derive.check import check_against, combined, footprint_check
        from nhs_oversight.derive.nowcast import nowcast
        from nhs_oversight.engine import AssessOptions
        from nhs_oversight.engine.options import parse_cutpoints
        from nhs_oversight.errors import OptionError
        from nhs_oversight.frameworks.periods import Quarter
        from nhs_oversight.render.output import infer_format
        from nhs_oversight.render.tables import write_table

        q = str(Quarter.parse(quarter))
        if not raw:
            raise OptionError("no raw files: give monthly A&E, RTT or cancer files for the quarter")
        if not published:
            raise OptionError("give the latest published NOF files with --published (their values are carried forward)")
        fmt = infer_format(output, fmt)
        fw = api.load_framework(framework)
        with bar("reading raw files", len(raw)) as advance:
            derived = derive_files(raw, on_read=lambda _p: advance(1))
        latest = api.read_inputs(published, fw)
        checked = combined(check_against(derived.values, published), footprint_check(raw))
        result = nowcast(derived.values, latest, q, fw, AssessOptions(cutpoints=parse_cutpoints(cutpoints)), tuple(derived.notes))
        a = result.assessment
        warn(result.notes)
        warn(a.warnings)
        if status_output:
            write_table(result.status, "csv", status_output)
            emit(None, status_output)
        _write(result, checked.lines(), checked.summary, q, latest.period or "published quarter", fmt, output)


def _write(result, lines, check_summary, q: str, published_quarter: str, fmt: str, output) -> None:
    """Show or write the nowcast: the board as text, the workbook, or the league table with the board in front."""
    from nhs_oversight.derive.nowcast_board import board_text
    from nhs_oversight.render.tables import write_table
    from nhs_oversight.util.files import atomic_write_text

    a = result.assessment
    if fmt == "table":
        text = board_text(result.board, result.by_metric, lines, q, published_quarter)
        if output:
            atomic_write_text(output, text)
            text = None
        emit(text, output)
    elif fmt == "xlsx":
        from nhs_oversight.render.excel import write_workbook
        from nhs_oversight.render.workbook import method_meta

        write_workbook({"Board": result.board, "Causes": result.causes, "Nowcast": a.league_table(),
                        "Value sources": result.by_metric, "Definition check": check_summary, "Status": result.status},
                       output, meta=method_meta(a))
        emit(None, output)
    else:
        table = _with_board(a.league_table(), result.board)
        table.insert(0, "nowcast_quarter", q)
        meta = {**a.provenance(), "nowcast": True, "value_sources": result.by_metric.to_dict("records"), "definition_check": lines}
        emit(write_table(table, fmt, output, meta=meta), output)

def _with_board(league, board):
    """The league table with the board's columns (published segment, change, cause) in front."""
    cols = ["org_code", "published_segment", "segment_change", "average_change", "cause", "derived", "carried_forward", "missing"]
    return board[cols].merge(league, on="org_code", how="right")[[*cols, *[c for c in league.columns if c != "org_code"]]]
