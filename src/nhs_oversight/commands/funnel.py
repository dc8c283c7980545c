"""``oversight funnel``: funnel plot of proportions or standardised ratios from a CSV file."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
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
        where: list[str] = typer.Option(None, "--where", help="Only rows where COLUMN=VALUE[,VALUE...] (or COLUMN!=VALUE), ignoring case; repeat for several."),
        per: float = typer.Option(None, "--per", help="Unit of values, limits and axis: 100 = percentage (proportions' default), 1000 = per 1,000, 1 = proportion or ratio (ratios' default)."),
        better: str = typer.Option(None, "--better", help="higher or lower: the favourable direction, so outliers on that side are coloured apart."),
        show: str = typer.Option("points", "--show", help="points (every unit), outliers, or limits (the drawing grid)."),
        title: str = typer.Option(None, "--title", help="Chart title."),
        fmt: str = typer.Option(None, "--format", help="table, csv, json, xlsx, svg or png (default: table, or from --output)."),
        output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of the screen."),
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Funnel plot: which units lie outside the 95% and 99.8% limits, allowing for over-dispersion.

        National and total rows (TOTAL, England) are left out; values, limits and the chart's axis
        share one unit (--per).
        """
        from nhs_oversight.commands.checks import output as check_output
        from nhs_oversight.render.output import infer_format
        from nhs_oversight.render.tables import write_table
        from nhs_oversight.sources.funnel_input import read_funnel_input
        from nhs_oversight.stats.funnel import default_per, funnel, unit_words

        check_output(output)
        fmt = infer_format(output, fmt)
        scale, robust = _checked_options(show, better, shmi, expected, scale, robust)
        totals: list[str] = []
        labels, o, m, missing = read_funnel_input(file, numerator, denominator, expected, label, where=where, left_out=totals)
        warn(_left_out(totals, missing, labels, m, denominator or expected))
        result = funnel(
            o, m if denominator else None, expected=m if expected else None, labels=labels, target=target,
            limits=limits, overdispersion=overdispersion, scale=scale, robust=robust,
            shmi_rounding=shmi,
        )
        per = default_per(result.meta["kind"]) if per is None else per
        meta = {**result.meta, "source": str(file), "numerator": numerator, "denominator": denominator or expected,
                "where": list(where or []), "left_out_totals": totals, "per": per, "unit": unit_words(result.meta["kind"], per),
                "better": better}
        if fmt in CHART_FORMATS:
            from nhs_oversight.render.funnel_chart import funnel_chart, save_chart

            chart = funnel_chart(result, title=title or f"{numerator} / {denominator or expected} by {label} ({file.name})", per=per, better=better)
            emit(save_chart(chart, fmt, output), output)
            return
        table = _shown_table(result, show, per, meta["unit"], better)
        emit(write_table(table, fmt, output, sheet_name=f"funnel {show}", meta=meta), output)


def _checked_options(show: str, better: str | None, shmi: bool, expected, scale: str | None, robust: str) -> tuple[str | None, str]:
    """Refuse options that do not fit together; --shmi fixes the scale and the robust method, as NHS England's SHMI does."""
    from nhs_oversight.errors import OptionError

    if show not in ("points", "outliers", "limits"):
        raise OptionError(f"--show {show!r}? choose points, outliers or limits")
    if shmi:
        if expected is None:
            raise OptionError("--shmi applies to standardised ratios: give --expected")
        scale, robust = "log", "truncate"
    if better is not None and better not in ("higher", "lower"):
        raise OptionError(f"--better {better!r}: choose higher or lower")
    return scale, robust


def _left_out(totals: list[str], missing, labels, m, measure: str | None) -> list[str]:
    """Notes naming the units left out (totals, missing values, zero denominators) rather than dropping them silently."""
    notes = [f"left out {len(totals)} national or total row(s): {', '.join(totals)}"] if totals else []
    if missing:
        notes.append(missing.summary() + "; those units are left out")
    zero = [str(x) for x, d in zip(labels, m, strict=True) if d == 0]
    if zero:  # legal, but no rate: counted and named rather than dropped without a word
        shown = ", ".join(zero[:10]) + (f" and {len(zero) - 10} more" if len(zero) > 10 else "")
        notes.append(f"{len(zero)} unit(s) with a zero {measure} are left out: {shown}")
    return notes


def _shown_table(result, show: str, per: float, unit: str, better: str | None):
    """The limits, every point or only the outliers, in the value's unit and with the side of each outlier."""
    from nhs_oversight.stats.funnel import in_units, outlier_side

    if show == "limits":
        table = in_units(result.limits, per)
    else:
        points = in_units(result.points, per)
        points.insert(points.columns.get_loc("value") + 1, "unit", unit)
        points.insert(points.columns.get_loc("band") + 1, "side", outlier_side(points["band_code"], better))
        table = points if show == "points" else points.loc[result.outliers.index]
    return table.drop(columns=["band_code"], errors="ignore")
