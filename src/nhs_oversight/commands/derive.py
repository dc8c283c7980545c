"""``oversight derive``: quarterly NOF metric values from NHS England's raw monthly statistics."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit, warn


def note(messages: list[str]) -> None:
    """Notes on stderr, unless --quiet."""
    from nhs_oversight.commands.verbosity import level

    if level() == "quiet":
        return
    for m in messages:
        typer.echo(f"note: {m}", err=True)


def nothing_derived(notes: list[str], quarter: str | None) -> str:
    """The sentence shown instead of an empty table: why no value came out."""
    partial = any("lacks months" in n for n in notes)
    unused = any("hold no rows this definition uses" in n for n in notes)
    why = []
    if partial:
        why.append("the quarters the files cover lack months (--allow-partial keeps them)")
    if unused:
        why.append("some definitions need a file that was not given (see the notes above)")
    if quarter:
        why.append(f"or the files hold nothing for {quarter}")
    reason = "; ".join(why) if why else "no metric definition uses these files (oversight derive --list shows what each needs)"
    return f"No quarterly values were derived from the files given: {reason}.\n"


def register(app: typer.Typer) -> None:
    @app.command("derive")
    def derive(
        files: list[Path] = typer.Argument(
            None, show_default=False,
            help="Raw files: monthly A&E, RTT provider (admitted, non-admitted, incomplete), Cancer "
            "Waiting Times, beds sitrep CSVs, an ODS etr list, or record-level Parquet.",
        ),
        quarter: str = typer.Option(None, "--quarter", "-q", help="Quarter to derive, e.g. '2025/26 Q1' (default: every complete quarter)."),
        metric: list[str] = typer.Option(None, "--metric", "-m", help="Metric id to derive (repeat for several; default: all the inputs support)."),
        fmt: str = typer.Option(None, "--format", help="table, csv, json, xlsx or parquet (default: table, or from --output)."),
        output: Path = typer.Option(None, "--output", "-o", help="Write to this file (format from --format or the suffix)."),
        db: Path = typer.Option(None, "--db", help="Derive from a history database (see `oversight ingest`) instead of files."),
        allow_partial: bool = typer.Option(False, "--allow-partial", help="Keep quarters lacking months (the months column says how many)."),
        trusts_only: bool = typer.Option(False, "--trusts-only", help="Keep only NHS trusts listed in the ODS etr file given (or ingested)."),
        as_reported: bool = typer.Option(False, "--as-reported", help="Do not re-attribute merged trusts' activity to their successors."),
        successors: Path = typer.Option(None, "--successors", help="CSV of mergers (predecessor,successor) to use instead of the built-in list."),
        list_metrics: bool = typer.Option(False, "--list", help="List the metric definitions and exit."),
        engine: str = typer.Option("duckdb", "--engine", help="SQL engine: duckdb (in process) or spark (the same SQL through spark.sql; needs the [spark] extra and Java)."),
        check: list[Path] = typer.Option(None, "--check", help="Published NOF data CSV(s) to compare the derived values with (repeatable): prints the per-trust comparison and one agreement line per metric."),
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Derive quarterly metric values from raw NHS statistics, with SQL definitions.

        Writes one row per organisation, metric and quarter: org_code, metric_id, period (2024/25 Q4),
        value (rounded half up to the published precision), numerator, denominator, months of
        data, and the definition file used. When two files cover the same month, the revised or
        later edition counts.
        """
        from nhs_oversight.commands.checks import output as check_output
        from nhs_oversight.derive import list_definitions
        from nhs_oversight.derive.successors import read_successors, successor_frame
        from nhs_oversight.errors import OptionError
        from nhs_oversight.render.output import infer_format
        from nhs_oversight.render.tables import write_table
        from nhs_oversight.sources.common import MissingReport

        check_output(output)
        fmt = infer_format(output, fmt)
        _check_engine(engine)
        if list_metrics:
            emit(write_table(list_definitions(), fmt, output), output)
            return
        if as_reported and successors:
            raise OptionError("give --as-reported or --successors, not both")
        succ = successor_frame([]) if as_reported else successor_frame(read_successors(str(successors))) if successors else None
        missing = MissingReport()
        result = _derive(files, db, engine, quarter, metric, succ, allow_partial, trusts_only, missing)
        if len(missing):
            warn([missing.summary()])
        note(result.notes)
        if check:
            _emit_check(result, check, files or [], fmt, output)
            return
        _emit_values(result, quarter, fmt, output)


def _derive(files, db, engine: str, quarter, metric, succ, allow_partial: bool, trusts_only: bool, missing):
    """Derive from the raw files, or from the history database: one source, never both."""
    from nhs_oversight.errors import OptionError

    if db is not None:
        if files:
            raise OptionError("give raw files or --db, not both")
        if engine != "duckdb":
            raise OptionError("--db reads a DuckDB history database: give raw files for --engine spark")
        from nhs_oversight.history import derive_from_db

        return derive_from_db(db, quarter, metric, succ, allow_partial, trusts_only)
    if not files:
        raise OptionError("no input files: give raw NHS statistics files, or --db PATH")
    from nhs_oversight.derive import derive_files

    return derive_files(files, quarter, metric, succ, allow_partial, trusts_only, missing, engine=engine)


def _emit_values(result, quarter, fmt: str, output: Path | None) -> None:
    """The derived values, or a line saying why there are none rather than an empty table."""
    from nhs_oversight.render.tables import write_table
    from nhs_oversight.util.files import atomic_write_text

    if result.values.empty and fmt == "table":
        text = nothing_derived(list(result.notes), quarter)
        if output:
            atomic_write_text(output, text)
            text = None
        emit(text, output)
        return
    emit(write_table(result.values, fmt, output, sheet_name="derived", meta=result.meta()), output)


def _check_engine(engine: str) -> None:
    """Refuse an unknown engine, or Spark where it cannot start, before any file is read."""
    from nhs_oversight.derive import ENGINES
    from nhs_oversight.errors import OptionError

    if engine not in ENGINES:
        raise OptionError(f"--engine: unknown engine {engine!r}; choose {' or '.join(ENGINES)}")
    if engine == "spark":
        from nhs_oversight.derive.spark import unavailable

        why = unavailable()
        if why:
            raise OptionError(f"--engine spark: {why}")


def _emit_check(result, published: list[Path], files: list[Path], fmt: str, output: Path | None) -> None:
    """The definition check instead of the values: per-trust rows, then one line per metric."""
    from nhs_oversight.derive.check import check_against, combined, footprint_check
    from nhs_oversight.render.tables import write_table
    from nhs_oversight.util.files import atomic_write_text

    c = combined(check_against(result.values, published), footprint_check(files))
    lines = c.lines() or ["nothing to check: no derived metric has a published value in the files given"]
    if fmt == "table":
        text = (c.rows.to_string(index=False) + "\n\n" if len(c.rows) else "") + "Definition check:\n" + "\n".join(f"  {x}" for x in lines) + "\n"
        if output:
            atomic_write_text(output, text)
            text = None
        emit(text, output)
        return
    for x in lines:
        typer.echo(f"check: {x}", err=True)
    emit(write_table(c.rows, fmt, output, sheet_name="check", meta={**result.meta(), "check": lines}), output)
