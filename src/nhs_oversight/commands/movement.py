"""``oversight movement``: how trusts moved between two quarters' final segments."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit, load_pair, warn

SYNTHETIC_PAIR = typer.Option(False, "--synthetic", help="Use the shipped SYNTHETIC national dataset: 2025/26 Q1 against Q2.")


def register(app: typer.Typer) -> None:
    @app.command("movement")
    def movement(
        files: list[Path] = opt.FILES,
        previous: list[Path] = opt.PREVIOUS,
        framework: str = opt.FRAMEWORK,
        cutpoints: str = opt.CUTPOINTS,
        previous_cutpoints: str = opt.PREVIOUS_CUTPOINTS,
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
        from nhs_oversight.render.output import infer_format
        from nhs_oversight.stats.movement import movement_text, transitions
        from nhs_oversight.util.files import atomic_write_text

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
