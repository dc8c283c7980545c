"""``oversight explain``: why one organisation is in its segment, and what would move it.

The organisation is given by its ODS code among the arguments, before or after the files
(``oversight explain R0A nof.csv`` or ``oversight explain nof.csv R0A``): the argument that is
not an existing file and looks like an ODS code. ``--org`` says it explicitly.
"""

from __future__ import annotations

import re
from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit, warn

FORMATS = ("table", "json", "markdown")
#: Other words accepted for a format: ``text`` was the terminal format's earlier name.
ALIASES = {"md": "markdown", "txt": "table", "text": "table"}
_ODS = re.compile(r"^[A-Za-z0-9]{3,5}$")


def split_org(args: list[str], org: str | None) -> tuple[str, list[Path]]:
    """Separate the ODS code from the input files (pure: only checks which paths exist)."""
    from nhs_oversight.errors import OptionError

    files, codes = [], []
    for a in args:
        if Path(a).exists() or not _ODS.match(a):
            files.append(Path(a))
        else:
            codes.append(a)
    if org:
        codes = [org, *codes]
    codes = list(dict.fromkeys(c.upper() for c in codes))
    if not codes:
        raise OptionError("no organisation: give its ODS code, e.g. oversight explain R0A nof-2025-26-q1-acute.csv")
    if len(codes) > 1:
        raise OptionError(f"give one organisation, not {', '.join(codes)} (an argument that is not a file is read as an ODS code)")
    return codes[0], files


def register(app: typer.Typer) -> None:
    @app.command("explain")
    def explain_command(
        args: list[str] = typer.Argument(None, metavar="ORG FILE...", help="The organisation's ODS code and the input files, in any order.", show_default=False),
        org: str = typer.Option(None, "--org", help="The organisation's ODS code (instead of giving it among the arguments)."),
        fmt: str = typer.Option(None, "--format", help="table (plain text for the terminal), json or markdown (default: table, or from --output's suffix)."),
        max_moves: int = typer.Option(3, "--moves", help="Most moves to offer towards each adjacent segment."),
        plans: bool = typer.Option(True, "--plans/--no-plans", help="Find the least-effort plan towards each adjacent segment and set each metric against its peers."),
        framework: str = opt.FRAMEWORK,
        cutpoints: str = opt.CUTPOINTS,
        recompute_all: bool = opt.RECOMPUTE_ALL,
        output: Path = opt.OUTPUT,
        synthetic: bool = opt.SYNTHETIC,
        quarter: str = opt.QUARTER_SYNTH,
        organisations: list[Path] = opt.ORGANISATIONS,
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Explain one organisation's segment: every step and figure, how close it is to the next
        segment, and the smallest metric changes that would move it (each checked by re-running
        the engine with everyone else and the cut points held fixed).

        Example: oversight explain R0A nof-2025-26-q1-acute.csv --format markdown -o R0A.md
        """
        import json

        from nhs_oversight.errors import OptionError
        from nhs_oversight.explain import explain
        from nhs_oversight.render.output import infer_format
        from nhs_oversight.util.files import atomic_write_text

        code, files = split_org(list(args or []), org)
        from nhs_oversight.commands.checks import output as check_output

        check_output(output)
        fmt = infer_format(output, fmt, default="table")
        fmt = ALIASES.get(fmt, fmt)
        if fmt not in FORMATS:
            raise OptionError(f"--format {fmt!r}: choose table, json or markdown")
        if max_moves < 0:
            raise OptionError("--moves must be 0 or more")
        a = opt.load(files, framework, cutpoints, recompute_all, synthetic, quarter, organisations)
        e = explain(a, code, max_moves=max_moves, plans=plans)
        warn(a.warnings)
        if fmt == "json":
            text = json.dumps(e.to_dict(), indent=2, ensure_ascii=False) + "\n"
        elif fmt == "markdown":
            text = e.to_markdown()
        else:
            text = e.to_text()
        if output:
            atomic_write_text(output, text)
            text = None
        emit(text, output)
