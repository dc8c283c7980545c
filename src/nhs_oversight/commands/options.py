"""Options shared by the commands that run the engine, declared once."""

from __future__ import annotations

from pathlib import Path

import typer

FILES = typer.Argument(None, help="NOF data CSVs (any per-type files), league-table CSVs or wide metric files (CSV/xlsx).", show_default=False)
FRAMEWORK = typer.Option("nof-2025-26", "--framework", "-f", help="Framework id (nof-2025-26, nof-2026-27) or a YAML file.")
CUTPOINTS = typer.Option(None, "--cutpoints", help="Fix the three segment cut points, e.g. 2.06,2.33,2.61.")
RECOMPUTE_ALL = typer.Option(False, "--recompute-all", help="Score pooled metrics over the trusts given even where published scores exist.")
SYNTHETIC = typer.Option(False, "--synthetic", help="Use the shipped SYNTHETIC national dataset instead of files.")
SYNTHETIC_QUARTER = "2025/26 Q2"
QUARTER = typer.Option(
    None,
    "--quarter",
    "--synthetic-quarter",
    help="The quarter to assess, e.g. '2025/26 Q1': chosen from files that hold several quarters, and the "
    "synthetic dataset's quarter (2025/26 Q1 or Q2; default Q2).",
)
QUARTER_SYNTH = QUARTER  # the option's earlier name
OUTPUT = typer.Option(None, "--output", "-o", help="Write to this file (format from --format or the suffix).")


def load(files: list[Path] | None, framework: str, cutpoints: str | None, recompute_all: bool, synthetic: bool, quarter: str | None):
    """Read inputs and run the engine; every command that assesses goes through here."""
    from nhs_oversight import api
    from nhs_oversight.engine import AssessOptions, assess
    from nhs_oversight.engine.options import parse_cutpoints
    from nhs_oversight.errors import OptionError

    fw = api.load_framework(framework)
    if synthetic:
        if files:
            raise OptionError("give input files or --synthetic, not both")
        data = api.synthetic_inputs(quarter or SYNTHETIC_QUARTER, fw)
    elif not files:
        raise OptionError("no input files: give NOF CSV files, or --synthetic for the shipped demo data")
    else:
        data = api.read_inputs(files, fw, quarter)
    return assess(data, fw, AssessOptions(cutpoints=parse_cutpoints(cutpoints), recompute_all=recompute_all))
