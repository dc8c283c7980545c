"""``oversight movement``: how trusts moved between two quarters' final segments."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit, warn

PREVIOUS = typer.Option(
    None, "--previous", "-p",
    help="A file of the previous quarter; repeat for several (e.g. --previous q1-acute.csv --previous q1-mh.csv).",
)
PREVIOUS_CUTPOINTS = typer.Option(None, "--previous-cutpoints", help="Fix the previous quarter's three cut points (--cutpoints fixes this quarter's).")
SYNTHETIC_PAIR = typer.Option(False, "--synthetic", help="Use the shipped SYNTHETIC national dataset: 2025/26 Q1 against Q2.")


def load_pair(
    files, previous, framework: str, recompute_all: bool, synthetic: bool, quarter: str, need_previous: bool,
    cutpoints: str | None = None, previous_cutpoints: str | None = None, organisations=None,
):
    """Assess the current quarter and, when given, the previous one (both through ``opt.load``)."""
    from nhs_oversight.errors import OptionError
    from nhs_oversight.frameworks.periods import Quarter
    from nhs_oversight.synthetic import nof as synth

    if synthetic:
        if files or previous:
            raise OptionError("give input files or --synthetic, not both")
        now = str(Quarter.parse(quarter or opt.SYNTHETIC_QUARTER))
        if now not in synth.QUARTERS:
            raise OptionError(f"the synthetic dataset has {' and '.join(synth.QUARTERS)}, not {now}")
        before = str(Quarter.parse(now).previous())
        if before not in synth.QUARTERS:
            if need_previous:
                raise OptionError(f"the synthetic dataset has no quarter before {now}")
            before = None
        current = opt.load(None, framework, cutpoints, recompute_all, True, now)
        prev = opt.load(None, framework, previous_cutpoints, recompute_all, True, before) if before else None
        return current, prev
    if need_previous and not previous:
        raise OptionError("no previous quarter: give its files with --previous (repeat for several files)")
    if not files:
        raise OptionError("no input files: give this quarter's NOF CSV files, or --synthetic for the shipped demo data")
    current = opt.load(files, framework, cutpoints, recompute_all, False, quarter, organisations)
    earlier = str(Quarter.parse(current.period).previous()) if quarter and current.period else None
    prev = opt.load(previous, framework, previous_cutpoints, recompute_all, False, earlier, organisations) if previous else None
    return current, prev


def register(app: typer.Typer) -> None:
    @app.command("movement")
    def movement(
        files: list[Path] = opt.FILES,
        previous: list[Path] = PREVIOUS,
        framework: str = opt.FRAMEWORK,
        cutpoints: str = opt.CUTPOINTS,
        previous_cutpoints: str = PREVIOUS_CUTPOINTS,
        recompute_all: bool = opt.RECOMPUTE_ALL,
        fmt: str = typer.Option(None, "--format", help="table, csv or json (default: table, or from --output)."),
        output: Path = opt.OUTPUT,
        synthetic: bool = SYNTHETIC_PAIR,
        quarter: str = opt.QUARTER,
        organisations: list[Path] = opt.ORGANISATIONS,
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Segment movement between the previous quarter (--previous FILES) and this one (FILES).

        Prints the transition matrix of final segments (5 = Recovery Support Programme; trusts in
        only one quarter as 'entered' and 'left') and every trust that moved up or down, with its
        averages, ranks, override status, the step that changed its segment and the metric
        scores that changed most. CSV has one row per trust in both quarters; JSON has it all.
        """
        from nhs_oversight.errors import OptionError
        from nhs_oversight.render.output import atomic_write_text, infer_format
        from nhs_oversight.stats.movement import movement_text, transitions

        fmt = infer_format(output, fmt)
        if fmt not in ("table", "csv", "json"):
            raise OptionError(f"unknown format {fmt!r}; choose one of table, csv, json")
        current, prev = load_pair(
            files, previous, framework, recompute_all, synthetic, quarter, True, cutpoints, previous_cutpoints, organisations
        )
        for a in (prev, current):
            warn(f"{a.period or 'input'}: {w}" for w in a.warnings)
        m = transitions(prev, current)
        if fmt == "table":
            text = movement_text(m)
        elif fmt == "csv":
            table = m.movers
            label = current.label or prev.label
            if label:
                table = table.assign(dataset=label)[["dataset", *m.movers.columns]]
            from nhs_oversight.render.output import csv_text

            text = csv_text(table)
        else:
            import json

            text = json.dumps(m.to_dict(), indent=2, ensure_ascii=False) + "\n"
        if output:
            atomic_write_text(output, text)
            text = None
        emit(text, output)
