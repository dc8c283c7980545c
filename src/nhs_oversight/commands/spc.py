"""``oversight spc``: Making Data Count SPC for every series of a CSV, as a table or charts."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt

CHARTS = ("svg", "png")


def register(app: typer.Typer) -> None:
    @app.command("spc")
    def spc_command(
        file: Path = typer.Argument(..., help="CSV with one row per series and date."),
        date: str = typer.Option(..., "--date", help="Date column (2024-04-01, 2024-04, Apr 2024, 01/04/2024, 2024/25 Q1 or 2024)."),
        value: str | None = typer.Option(None, "--value", help="Value column (or use --numerator and --denominator)."),
        numerator: str | None = typer.Option(None, "--numerator", help="Numerator column: rate = sum(numerator) / sum(denominator) per series and date."),
        denominator: str | None = typer.Option(None, "--denominator", help="Denominator column for --numerator."),
        per: float = typer.Option(1.0, "--per", help="Multiply rates by this (100 for a percentage)."),
        group: list[str] = typer.Option([], "--group", help="Column identifying a series; repeat for several (e.g. --group org_code --group metric)."),
        where: list[str] = typer.Option([], "--where", help="Keep only rows with COLUMN=VALUE[,VALUE...]; repeatable."),
        sum_rows: bool = typer.Option(False, "--sum", help="Add up values of rows that share series and date."),
        improvement: str = typer.Option("up", "--improvement", help="Which way is better: up, down or neutral."),
        improvement_column: str | None = typer.Option(None, "--improvement-column", help="Column giving up/down/neutral per series (overrides --improvement)."),
        target: float | None = typer.Option(None, "--target", help="Target value for the assurance icon."),
        target_column: str | None = typer.Option(None, "--target-column", help="Column giving each series' target (its latest row counts)."),
        rebase: list[str] = typer.Option([], "--rebase", help="Recalculate limits from this date on; repeatable."),
        fix_after: int | None = typer.Option(None, "--fix-after", help="Fix limits after this many points (12 or more)."),
        rules: str = typer.Option("ptd", "--rules", help="Rule set: ptd (NHSRplotthedots 0.2, default) or mdc2023 (NHS England 2-of-3 change of Nov 2023)."),
        screen: bool = typer.Option(True, "--screen/--no-screen", help="Screen large moving ranges before computing limits (--no-screen matches the MDC Excel tool)."),
        run_length: int = typer.Option(7, "--run-length", help="Points on one side of the mean that make a shift."),
        trend_length: int = typer.Option(7, "--trend-length", help="Points each higher (or lower) than the last that make a trend."),
        summary: bool = typer.Option(False, "--summary", help="One row per series (latest point, icons, wording) instead of one row per point."),
        fmt: str | None = typer.Option(None, "--format", help="csv, json, table, xlsx, svg or png (default: from --output's suffix, else csv)."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
        title: str | None = typer.Option(None, "--title", help="Chart title."),
        columns: int = typer.Option(2, "--columns", help="Charts per row in a chart grid."),
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Statistical process control (XmR, Making Data Count rules) for each series of a CSV.

        Writes one row per point with the limits, the rule that fired (in words), the point type
        and the series' variation and assurance icons; --summary gives the board view; --format
        svg or png draws the charts.
        """
        from nhs_oversight.commands.common import warn
        from nhs_oversight.sources.spc_input import parse_date, read_series_csv
        from nhs_oversight.stats.spc import spc

        out_fmt = _checked_format(per, target, columns, output, fmt)
        table = read_series_csv(
            file, date=date, value=value, group=group, numerator=numerator, denominator=denominator,
            per=per, sum_rows=sum_rows, where=where, extra=[c for c in (improvement_column, target_column) if c],
        )
        points = spc(
            table.data, date=date, value=table.value, group=group,
            improvement=improvement, improvement_column=improvement_column,
            target=target, target_column=target_column,
            rebase=[parse_date(r) for r in rebase] or None, fix_after=fix_after,
            rules=rules, screen_outliers=screen, run_length=run_length, trend_length=trend_length,
            carry=[c for c in (numerator, denominator) if c],
        )
        warn([m for m in (table.missing.summary(),) if m] + table.notes + points.attrs["warnings"])
        value_title = table.value if value else f"{numerator} / {denominator}" + (f" x {per:g}" if per != 1 else "")
        _emit_result(points, table.date_kind, file, date, summary, out_fmt, output, title, value_title, columns)


def _checked_format(per: float, target: float | None, columns: int, output: Path | None, fmt: str | None) -> str:
    """Refuse unusable numbers and outputs before the file is read; the format, from --output if not given."""
    from nhs_oversight.commands import checks
    from nhs_oversight.render.output import infer_format

    checks.finite("--per", per, nonzero=True)
    checks.finite("--target", target)
    checks.whole("--columns", columns, 1, 12)
    checks.output(output)
    return infer_format(output, fmt, default="csv")


def _emit_result(points, date_kind, file: Path, date: str, summary: bool, out_fmt: str, output, title, value_title: str, columns: int) -> None:
    """Charts for an image format, else the points or the board view as a table."""
    from nhs_oversight.stats.spc import spc_summary

    board = spc_summary(points) if (summary or out_fmt in CHARTS) else None
    if out_fmt in CHARTS:
        _emit_chart(points, board, summary, title, value_title, columns, out_fmt, output)
    else:
        _emit_table(points, board, date_kind, file, date, summary, out_fmt, output)


def _emit_chart(points, board, summary: bool, title, value_title: str, columns: int, out_fmt: str, output) -> None:
    """Draw the board view or one chart per series, in the chosen image format."""
    from nhs_oversight.commands.common import emit
    from nhs_oversight.render.spc_chart import spc_chart, summary_chart, write_chart

    chart = (
        summary_chart(board, title=title)
        if summary
        else spc_chart(points, board, title=title, value_title=value_title, columns=columns)
    )
    emit(write_chart(chart, out_fmt, output), output)


def _emit_table(points, board, date_kind, file: Path, date: str, summary: bool, out_fmt: str, output) -> None:
    """Write the points or the board view, dates as the file wrote them, with the method and source."""
    from nhs_oversight import __version__
    from nhs_oversight.commands.common import emit
    from nhs_oversight.render.tables import write_table
    from nhs_oversight.sources.spc_input import format_dates

    dates = points[date]
    meta = {
        "source": str(file),
        "period": f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "",
        **points.attrs["spc"],
        "version": f"nhs-oversight {__version__}",
    }
    result = board.copy() if summary else points.copy()
    date_col = "latest_date" if summary else date
    result[date_col] = format_dates(result[date_col], date_kind)
    emit(write_table(result, out_fmt, output, sheet_name="spc summary" if summary else "spc", meta=meta), output)
