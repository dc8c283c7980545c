"""``oversight uncertainty``: how sure each segment and league rank is (Monte Carlo)."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import choose_format, emit, warn
from nhs_oversight.uncertainty.defaults import UNCERTAINTY_DRAWS, UNCERTAINTY_SEED

FORMATS = ("table", "csv", "json", "xlsx")


def register(app: typer.Typer) -> None:
    @app.command("uncertainty")
    def uncertainty_command(
        files: list[Path] = opt.FILES,
        framework: str = opt.FRAMEWORK,
        cutpoints: str = opt.CUTPOINTS,
        recompute_all: bool = opt.RECOMPUTE_ALL,
        draws: int = typer.Option(UNCERTAINTY_DRAWS, "--draws", help="Monte Carlo draws (2000: probabilities to about ±0.02)."),
        seed: int = typer.Option(UNCERTAINTY_SEED, "--seed", help="Random seed; the same seed gives the same result (the dashboard, report and briefing use the same default)."),
        method: str = typer.Option("auto", "--method", help="auto, bootstrap (each trust's metric scores) or sampling (needs --counts)."),
        counts: Path = typer.Option(None, "--counts", help="CSV of org_code, metric_id, numerator, denominator for the sampling method."),
        stable: float = typer.Option(0.90, "--stable", help="Label 'stable' when P(same segment) is at least this."),
        probable: float = typer.Option(0.70, "--probable", help="Label 'probable' when P(same segment) is at least this (else 'uncertain')."),
        fmt: str = typer.Option(None, "--format", help="table, csv, json or xlsx (default: table, or from --output)."),
        output: Path = opt.OUTPUT,
        synthetic: bool = opt.SYNTHETIC,
        quarter: str = opt.QUARTER_SYNTH,
        organisations: list[Path] = opt.ORGANISATIONS,
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Probability of each segment, stability label, likely range of average score and of rank.

        Bootstrap of each trust's own metric scores (NHS England's method for its published likely
        ranges); segments re-derived with the quarter's cut points frozen, the financial override
        applied, and trusts re-ranked within type in every draw. Segment 5 is a programme decision
        and is unchanged by draws. With a league-table CSV among the files, also reports agreement
        with NHS England's published ranges.
        """
        from nhs_oversight.uncertainty import Labels, simulate

        fmt = choose_format(output, fmt, FORMATS)
        labels = Labels(stable=stable, probable=probable)
        count_table = None
        if counts is not None:
            from nhs_oversight.sources.counts import read_counts

            count_table = read_counts(counts)
        a = opt.load(files, framework, cutpoints, recompute_all, synthetic, quarter, organisations)
        u = simulate(a, draws=draws, seed=seed, method=method, labels=labels, counts=count_table)
        warn(a.warnings)
        _write(a, u, fmt, output)


def _write(a, u, fmt: str, output: Path | None) -> None:
    """Show or write the result in the chosen format, with the agreement with published ranges when known."""
    import json

    from nhs_oversight.render.tables import write_table
    from nhs_oversight.render.uncertainty_text import labelled, uncertainty_text
    from nhs_oversight.util.files import atomic_write_text
    from nhs_oversight.util.jsonable import to_jsonable

    agreement = u.compare_published() if u.has_published_ranges() else None
    if fmt == "xlsx":
        from nhs_oversight.render.excel import write_workbook

        sheets = {"uncertainty": labelled(u, u.table)}
        if agreement is not None:
            sheets["published ranges"] = agreement.table
        meta = {**a.provenance(), **{f"uncertainty {k}": v for k, v in u.meta.items()}}
        write_workbook(sheets, output, meta=meta)
        emit(None, output)
        return
    if fmt == "table":
        text = uncertainty_text(u, agreement)
    elif fmt == "json":
        text = json.dumps(to_jsonable(u.to_dict()), indent=2, ensure_ascii=False) + "\n"
    else:
        text = write_table(labelled(u, u.table), "csv", None)
    if output:
        atomic_write_text(output, text)
        text = None
    emit(text, output)
