"""``oversight funnel``: funnel plot of proportions or standardised ratios from a CSV file."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands.common import emit, warn

CHART_FORMATS = ("svg", "png")


def register(app: typer.Typer) -> None:
    @app.command("funnel")
    def funnel_command(
        file: Path = typer.Argument(..., help="CSV with one row per unit (trust, department ...).", show_default=False),
        numerator: str = typer.Option(..., "--numerator", help="Column of counts (events, yes answers, observed)."),
        denominator: str = typer.Option(None, "--denominator", help="Column of denominators, for proportions."),
        expected: str = typer.Option(None, "--expected", help="Column of expected counts, for standardised ratios (O/E)."),
        label: str = typer.Option(..., "--label", help="Column naming each unit (e.g. org_code)."),
        overdispersion: str = typer.Option("additive", "--overdispersion", help="none, multiplicative (phi) or additive (tau^2)."),
        limits: str = typer.Option("exact", "--limits", help="Unadjusted limits: exact (interpolated), normal or funnelplotr."),
        scale: str = typer.Option(None, "--scale", help="Additive-model scale: arcsine (proportions), log (ratios, SHMI) or sqrt."),
        robust: str = typer.Option("winsorise", "--robust", help="winsorise (10%), truncate (SHMI) or none."),
        shmi: bool = typer.Option(False, "--shmi", help="SHMI conventions for ratios: log scale, 10% truncation, expected rounded to 2 d.p."),
        target: float = typer.Option(None, "--target", help="Target proportion (default pooled) or ratio (default 1)."),
        show: str = typer.Option("points", "--show", help="points (every unit), outliers, or limits (the drawing grid)."),
        title: str = typer.Option(None, "--title", help="Chart title."),
        fmt: str = typer.Option(None, "--format", help="table, csv, json, xlsx, svg or png (default: table, or from --output)."),
        output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of the screen."),
    ) -> None:
        """Funnel plot: which units lie outside the 95% and 99.8% limits, allowing for over-dispersion."""
        from nhs_oversight.commands.checks import output as check_output
        from nhs_oversight.errors import OptionError
        from nhs_oversight.render.output import infer_format, write_table
        from nhs_oversight.sources.funnel_input import read_funnel_input
        from nhs_oversight.stats.funnel import funnel

        check_output(output)
        fmt = infer_format(output, fmt)
        if show not in ("points", "outliers", "limits"):
            raise OptionError(f"--show {show!r}? choose points, outliers or limits")
        if shmi:
            if expected is None:
                raise OptionError("--shmi applies to standardised ratios: give --expected")
            scale, robust = "log", "truncate"
        labels, o, m, missing = read_funnel_input(file, numerator, denominator, expected, label)
        if missing:
            warn([missing.summary() + "; those units are left out"])
        zero = [str(x) for x, d in zip(labels, m, strict=True) if d == 0]
        if zero:  # legal, but no rate: counted and named rather than dropped without a word
            shown = ", ".join(zero[:10]) + (f" and {len(zero) - 10} more" if len(zero) > 10 else "")
            warn([f"{len(zero)} unit(s) with a zero {denominator or expected} are left out: {shown}"])
        result = funnel(
            o, m if denominator else None, expected=m if expected else None, labels=labels, target=target,
            limits=limits, overdispersion=overdispersion, scale=scale, robust=robust,
            shmi_rounding=shmi,
        )
        meta = {**result.meta, "source": str(file), "numerator": numerator, "denominator": denominator or expected}
        if fmt in CHART_FORMATS:
            from nhs_oversight.render.funnel_chart import funnel_chart, save_chart

            chart = funnel_chart(result, title=title or f"{numerator} / {denominator or expected} by {label} ({file.name})")
            emit(save_chart(chart, fmt, output), output)
            return
        table = {"points": result.points, "outliers": result.outliers, "limits": result.limits}[show]
        table = table.drop(columns=["band_code"], errors="ignore")
        emit(write_table(table, fmt, output, sheet_name=f"funnel {show}", meta=meta), output)
