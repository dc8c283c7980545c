"""``oversight culture``: culture and safety signals from the NHS Staff Survey."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit, warn
from nhs_oversight.stats.culture_views import DEPARTMENT_VIEWS, ORG_VIEWS

CHART_FORMATS = ("svg", "png")


def register(app: typer.Typer) -> None:
    @app.command("culture")
    def culture_command(
        files: list[Path] = typer.Argument(None, help="NHS Staff Survey organisational results: the CSV of several years and/or a year's detailed spreadsheets (.xlsx), e.g. 2024.", show_default=False),
        departments: Path = typer.Option(None, "--departments", help="A trust's department/staff-group file with ethnicity splits instead (see docs)."),
        year: int = typer.Option(None, "--year", help="Survey year for outliers and the watch list (default: latest)."),
        view: str = typer.Option(None, "--view", help="watchlist (default), outliers, trend, dispersion; with --departments: hotspots (default), gaps, wres."),
        measure: list[str] = typer.Option(None, "--measure", help="Measure(s) to analyse (file column stem, e.g. Emotional_manager); repeatable."),
        org: str = typer.Option(None, "--org", help="Only this organisation's rows (ODS code)."),
        compare: str = typer.Option("benchmarking_group", "--compare", help="benchmarking_group (default) or national."),
        include_non_trusts: bool = typer.Option(False, "--include-non-trusts", help="Keep CCGs, ICBs, CSUs and social enterprises."),
        seed: int = typer.Option(20240401, "--seed", help="Monte Carlo seed (departments)."),
        draws: int = typer.Option(2000, "--draws", help="Monte Carlo draws (departments)."),
        fmt: str = typer.Option(None, "--format", help="table, csv, json, xlsx (every view, one sheet each), svg or png (a funnel chart)."),
        output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of the screen."),
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Harassment, violence, discrimination and wellbeing outliers, a ranked watch list and trends."""
        from nhs_oversight.commands import checks
        from nhs_oversight.errors import OptionError
        from nhs_oversight.render.output import infer_format

        checks.whole("--draws", draws, 1, 1_000_000)
        checks.output(output)
        fmt = infer_format(output, fmt)
        if bool(files) == (departments is not None):
            raise OptionError("give a staff survey results FILE, or --departments FILE (not both)")
        if departments is not None:
            _departments(departments, view or "hotspots", measure, org, seed, draws, fmt, output)
        else:
            _organisations(files, view or "watchlist", year, measure, org, compare, include_non_trusts, fmt, output)


def _write(tables: dict, view: str, fmt: str, output: Path | None, meta: dict) -> None:
    from nhs_oversight.render.tables import write_table

    if fmt == "xlsx":
        from nhs_oversight.errors import OptionError
        from nhs_oversight.render.excel import write_workbook

        if not output:
            raise OptionError("--format xlsx needs --output PATH")
        write_workbook(tables, output, meta=meta)
        emit(None, output)
        return
    if fmt == "table" and view == "watchlist" and {"reasons", "flags_998"} <= set(tables[view].columns):
        from nhs_oversight.render.culture_text import watchlist_text
        from nhs_oversight.util.files import atomic_write_text

        text = watchlist_text(tables[view])
        if output:
            atomic_write_text(output, text)
            text = None
        emit(text, output)
        return
    emit(write_table(tables[view], fmt, output, sheet_name=view, meta=meta), output)


def _chart(result, title: str, fmt: str, output: Path | None) -> None:
    from nhs_oversight.render.funnel_chart import funnel_chart, save_chart

    emit(save_chart(funnel_chart(result, title=title), fmt, output), output)


def _organisations(files, view, year, measure, org, compare, include_non_trusts, fmt, output) -> None:
    from nhs_oversight.errors import OptionError
    from nhs_oversight.sources.survey_files import read_survey_files
    from nhs_oversight.stats import culture_views as cv
    from nhs_oversight.stats.culture import culture_signals

    if view not in ORG_VIEWS:
        raise OptionError(f"--view {view!r}? choose one of {', '.join(ORG_VIEWS)}")
    survey = read_survey_files(files)
    file = " + ".join(str(f) for f in files)
    if survey.missing:
        warn([survey.missing.summary()])
    compare_within = cv.comparison_within(compare)
    signals = culture_signals(survey.organisations, survey.values, year=year, measures=measure or None,
                              compare_within=compare_within, trusts_only=not include_non_trusts)
    meta = {**signals.meta, "source": str(file)}
    if fmt in CHART_FORMATS:
        _chart(*cv.organisation_funnel(signals, survey.organisations, measure, org, compare_within), fmt, output)
        return
    if signals.meta["years_available"] and len(signals.meta["years_available"]) < 13 and view == "trend":
        warn([signals.meta["trend_note"]])
    _write(cv.organisation_views(signals, org), view, fmt, output, meta)


def _departments(path, view, measure, org, seed, draws, fmt, output) -> None:
    from nhs_oversight.errors import OptionError
    from nhs_oversight.sources.culture_detail import read_culture_detail
    from nhs_oversight.stats import culture_views as cv
    from nhs_oversight.stats.culture import department_signals

    if view not in DEPARTMENT_VIEWS:
        raise OptionError(f"--view {view!r} with --departments? choose one of {', '.join(DEPARTMENT_VIEWS)}")
    detail = read_culture_detail(path)
    warn(cv.department_notes(detail, path))
    signals = department_signals(cv.department_survey(detail, measure), detail.workforce, seed=seed, draws=draws)
    meta = {**signals.meta, "source": str(path), "synthetic": detail.synthetic}
    if fmt in CHART_FORMATS:
        _chart(*cv.department_funnel(signals, org, measure), fmt, output)
        return
    _write(cv.department_views(signals, org), view, fmt, output, meta)
