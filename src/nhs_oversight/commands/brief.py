"""``oversight brief``: the plain-English quarterly briefing (Markdown, HTML or JSON)."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit, warn


def register(app: typer.Typer) -> None:
    @app.command("brief")
    def brief(
        files: list[Path] = opt.FILES,
        previous: list[Path] = opt.PREVIOUS,
        by: list[str] = typer.Option(None, "--by", help="Breakdowns for 'where': region, icb, trust_type (repeat or comma-separate; default all)."),
        framework: str = opt.FRAMEWORK,
        cutpoints: str = opt.CUTPOINTS,
        previous_cutpoints: str = opt.PREVIOUS_CUTPOINTS,
        recompute_all: bool = opt.RECOMPUTE_ALL,
        fmt: str = typer.Option(None, "--format", help="markdown, html or json (default: markdown, or from --output)."),
        output: Path = opt.OUTPUT,
        synthetic: bool = typer.Option(False, "--synthetic", help="Brief the shipped SYNTHETIC dataset (against the quarter before, when it has one)."),
        quarter: str = opt.QUARTER_SYNTH,
        organisations: list[Path] = opt.ORGANISATIONS,
        no_uncertainty: bool = typer.Option(False, "--no-uncertainty", help="Leave out the simulation of how certain each segment is."),
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Write the quarter's briefing: headline, where, why, movers and caution.

        Every figure is counted from the assessment of FILES (and of --previous FILES, for the
        comparison and the movers); in JSON each sentence carries its figures and their source.
        Output says the source files, period, method version and any dataset label.
        """
        from nhs_oversight.brief import breakdowns
        from nhs_oversight.brief import brief as make_brief
        from nhs_oversight.brief.render import FORMATS, render
        from nhs_oversight.commands.common import load_pair
        from nhs_oversight.errors import OptionError
        from nhs_oversight.render.output import infer_format
        from nhs_oversight.util.files import atomic_write_text

        fmt = infer_format(output, fmt, default="markdown")
        if fmt not in FORMATS:
            raise OptionError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        keys = breakdowns(by or None)
        current, prev = load_pair(files, previous, framework, recompute_all, synthetic, quarter, False, cutpoints, previous_cutpoints, organisations)
        warn([*current.warnings, *(f"{prev.period or 'previous'}: {w}" for w in (prev.warnings if prev is not None else ()))])
        text = render(make_brief(current, prev, by=keys, uncertainty=False if no_uncertainty else None), fmt)
        if output:
            atomic_write_text(output, text)
            text = None
        emit(text, output)
