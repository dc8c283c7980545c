"""Options shared by the commands that run the engine, declared once."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.frameworks.loader import DEFAULT_FRAMEWORK
from nhs_oversight.uncertainty.defaults import UNCERTAINTY_DRAWS, UNCERTAINTY_SEED

FILES = typer.Argument(None, help="NOF data CSVs (any per-type files), league-table CSVs or wide metric files (CSV/xlsx).", show_default=False)
FRAMEWORK = typer.Option(DEFAULT_FRAMEWORK, "--framework", "-f", help="Framework id (nof-2025-26, nof-2026-27) or a YAML file.")
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
ORGANISATIONS = typer.Option(
    None,
    "--organisations",
    help="A newer ODS etr export (NHS trusts) for each trust's region and ICB, instead of the shipped 2025-11 "
    "snapshot (repeat for several files).",
)
#: The previous quarter, for movement and the briefing.
PREVIOUS = typer.Option(
    None, "--previous", "-p",
    help="A file of the previous quarter; repeat for several (e.g. --previous q1-acute.csv --previous q1-mh.csv).",
)
PREVIOUS_CUTPOINTS = typer.Option(None, "--previous-cutpoints", help="Fix the previous quarter's three cut points (--cutpoints fixes this quarter's).")
#: The dashboard and the report: the previous quarter, the history database, the simulation.
SITE_PREVIOUS = typer.Option(None, "--previous", help="Last quarter's files, for movement since last quarter (repeat for several files).")
SITE_DB = typer.Option(None, "--db", help="History database (from `oversight ingest`): SPC icons on trust pages, funnel plots on metric pages.")
DRAWS = typer.Option(UNCERTAINTY_DRAWS, "--draws", min=1, max=100_000, help="Draws of the uncertainty simulation (segment stability, plausible ranks); the same default everywhere.")
SEED = typer.Option(UNCERTAINTY_SEED, "--seed", help="Random seed of the uncertainty simulation; the same default everywhere.")
OUTPUT = typer.Option(None, "--output", "-o", help="Write to this file (format from --format or the suffix).")


def _say_all(value: bool) -> bool:
    if value:
        from nhs_oversight.commands.verbosity import set_level

        set_level("verbose")
    return value


def _say_nothing(value: bool) -> bool:
    if value:
        from nhs_oversight.commands.verbosity import set_level

        set_level("quiet")
    return value


VERBOSE = typer.Option(False, "--verbose", callback=_say_all, help="Print every note on the input in full (stand-ins, cut points), not one summary line.")
QUIET = typer.Option(False, "--quiet", callback=_say_nothing, help="Print no notes or warnings on stderr; errors still show.")


def load(
    files: list[Path] | None,
    framework: str,
    cutpoints: str | None,
    recompute_all: bool,
    synthetic: bool,
    quarter: str | None,
    organisations: list[Path] | None = None,
):
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
        data = api.read_inputs(files, fw, quarter, organisations)
    return assess(data, fw, AssessOptions(cutpoints=parse_cutpoints(cutpoints), recompute_all=recompute_all))
