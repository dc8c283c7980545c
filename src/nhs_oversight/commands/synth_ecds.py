"""``oversight synth-ecds``: write a synthetic record-level emergency care dataset (Parquet)."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt


def register(app: typer.Typer) -> None:
    @app.command("synth-ecds")
    def synth_ecds(
        output_arg: Path = typer.Argument(None, metavar="[OUT.parquet]", show_default=False, help="Parquet file to write (or give -o/--output)."),
        output: Path = typer.Option(None, "--output", "-o", help="Parquet file to write."),
        rows: int = typer.Option(20_000_000, "--rows", help="Number of attendances."),
        seed: int = typer.Option(20250401, "--seed", help="Same seed and rows, same file."),
        providers: int = typer.Option(120, "--providers", help="Number of fictitious providers (codes Z01...)."),
        start: str = typer.Option("2024-04", "--start", help="First month of arrivals, YYYY-MM."),
        months: int = typer.Option(12, "--months", help="Months covered."),
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Write SYNTHETIC attendance-level A&E data (ECDS-like), in bounded memory.

        One row per attendance: attendance_id, org_code, site_code, department_type (1/2/3),
        booked, arrival_time, departure_time, duration_minutes, admitted, age_band, acuity.
        Derive metrics from it with `oversight derive FILE.parquet`.
        """
        from nhs_oversight.commands.progress import bar
        from nhs_oversight.errors import OptionError

        output = output or output_arg
        if output is None:
            raise OptionError("give the Parquet file to write: oversight synth-ecds -o ecds.parquet")
        from nhs_oversight.synthetic.ecds import _parse_month, generate

        with bar("synthetic attendances", rows) as advance:
            written = [0]

            def progress(done: int, total: int) -> None:
                advance(done - written[0])
                written[0] = done

            s = generate(output, rows, seed, providers, _parse_month(start), months, progress)
        typer.echo(
            f"wrote {s.path}: {s.rows:,} SYNTHETIC attendances ({s.providers} providers, {s.months} months from "
            f"{s.first_month:%b %Y}, seed {s.seed})"
        )
