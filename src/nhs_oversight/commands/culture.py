"""``oversight culture``: culture and safety signals from the NHS Staff Survey."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit, warn

ORG_VIEWS = ("watchlist", "outliers", "trend", "dispersion")
DEPARTMENT_VIEWS = ("hotspots", "gaps", "wres")
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


def _filter_org(table, org: str | None):
    if org is None or table.empty or "org_code" not in table.columns:
        return table
    return table[table["org_code"] == org.strip().upper()]


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
        from nhs_oversight.render.output import atomic_write_text

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
    from nhs_oversight.stats.culture import culture_signals

    if view not in ORG_VIEWS:
        raise OptionError(f"--view {view!r}? choose one of {', '.join(ORG_VIEWS)}")
    survey = read_survey_files(files)
    file = " + ".join(str(f) for f in files)
    if survey.missing:
        warn([survey.missing.summary()])
    if compare == "national":
        compare_within = "national"
    elif compare in ("benchmarking_group", "benchmarking-group", "group"):
        compare_within = "benchmarking_group"
    else:
        raise OptionError(f"--compare {compare!r}? choose benchmarking_group or national")
    signals = culture_signals(survey.organisations, survey.values, year=year, measures=measure or None,
                              compare_within=compare_within, trusts_only=not include_non_trusts)
    meta = {**signals.meta, "source": str(file)}
    if fmt in CHART_FORMATS:
        if not measure or len(measure) != 1:
            raise OptionError("a chart shows one measure: give exactly one --measure")
        groups = [g for (m, g) in signals.funnels if m == measure[0]]
        if org:
            code = org.strip().upper()
            mine = survey.organisations.query("org_code == @code and year == @signals.meta['year']")
            if mine.empty:
                raise OptionError(f"organisation {code} is not in the {signals.meta['year']} results")
            grp = mine["benchmarking_group"].iloc[0] if compare_within == "benchmarking_group" else "All trusts"
        elif len(groups) == 1:
            grp = groups[0]
        else:
            raise OptionError("several comparison groups: add --org CODE to pick the one to draw, or --compare national")
        if (measure[0], grp) not in signals.funnels:
            raise OptionError(f"no funnel for {measure[0]} in {grp}")
        _chart(signals.funnels[(measure[0], grp)], f"{measure[0]}, {grp}, {signals.meta['year']}", fmt, output)
        return
    if signals.meta["years_available"] and len(signals.meta["years_available"]) < 13 and view == "trend":
        warn([signals.meta["trend_note"]])
    tables = {name: _filter_org(getattr(signals, name), org) for name in ORG_VIEWS}
    tables["outliers"] = tables["outliers"].drop(columns=["band_code"], errors="ignore")
    _write(tables, view, fmt, output, meta)


def _departments(path, view, measure, org, seed, draws, fmt, output) -> None:
    from nhs_oversight.errors import OptionError
    from nhs_oversight.sources.culture_detail import read_culture_detail
    from nhs_oversight.stats.culture import department_signals

    if view not in DEPARTMENT_VIEWS:
        raise OptionError(f"--view {view!r} with --departments? choose one of {', '.join(DEPARTMENT_VIEWS)}")
    detail = read_culture_detail(path)
    notes = []
    if detail.synthetic:
        notes.append(f"{path} is marked SYNTHETIC: invented numbers, not real NHS data")
    if detail.excluded_rows:
        notes.append(f"{len(detail.excluded_rows)} row(s) with unknown ethnicity left out (rows {', '.join(map(str, detail.excluded_rows[:10]))})")
    if detail.missing:
        notes.append(detail.missing.summary())
    warn(notes)
    survey = detail.survey
    if measure:
        unknown = [m for m in measure if m not in detail.measures]
        if unknown:
            raise OptionError(f"measure {unknown[0]!r} is not in the file; it has {', '.join(detail.measures)}")
        survey = survey[survey["measure"].isin(measure)]
    signals = department_signals(survey, detail.workforce, seed=seed, draws=draws)
    meta = {**signals.meta, "source": str(path), "synthetic": detail.synthetic}
    if fmt in CHART_FORMATS:
        keys = [k for k in signals.funnels if (not org or k[0] == org.strip().upper()) and (not measure or k[2] in measure)]
        if len(keys) != 1:
            raise OptionError("a chart shows one trust and one measure: add --org CODE and one --measure")
        _chart(signals.funnels[keys[0]], f"{keys[0][2]} by {keys[0][1]}, {keys[0][0]}", fmt, output)
        return
    tables = {name: _filter_org(getattr(signals, name), org) for name in DEPARTMENT_VIEWS}
    _write(tables, view, fmt, output, meta)
