"""``oversight compare``: the same quarter under two methods; who changes segment, and why."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import choose_format, emit, warn
from nhs_oversight.frameworks.loader import DEFAULT_FRAMEWORK

FORMATS = ("table", "csv", "json", "xlsx")


def register(app: typer.Typer) -> None:
    @app.command("compare")
    def compare_command(
        files: list[Path] = opt.FILES,
        frameworks: list[str] = typer.Option(
            [], "--framework", "-f", help="Framework id or YAML file; give it twice (A then B), or once with a switch (default nof-2025-26)."
        ),
        no_financial_override: bool = typer.Option(False, "--no-financial-override", help="B = A without the financial override (deficit cap at segment 3)."),
        domain_weighted: bool = typer.Option(False, "--domain-weighted", help="B = A with the average of domain scores (each domain counts equally)."),
        cutpoints_within_type: bool = typer.Option(False, "--cutpoints-within-type", help="B = A with quartile cut points within each trust type."),
        cutpoints: str = opt.CUTPOINTS,
        recompute_all: bool = opt.RECOMPUTE_ALL,
        show_all: bool = typer.Option(False, "--all", help="List every organisation, not only those that change segment."),
        fmt: str = typer.Option(None, "--format", help="table, csv, json or xlsx (default: table, or from --output)."),
        output: Path = opt.OUTPUT,
        synthetic: bool = opt.SYNTHETIC,
        quarter: str = opt.QUARTER_SYNTH,
        organisations: list[Path] = opt.ORGANISATIONS,
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Compare two methods on the same inputs: segment transitions and who moves, with reasons.

        Either two frameworks (--framework nof-2025-26 --framework nof-2026-27) or one framework and
        one or more switches (--no-financial-override, --domain-weighted, --cutpoints-within-type).
        Segments are adjusted segments 1-4; outputs say PROVISIONAL where a framework is provisional.
        """
        from nhs_oversight import api
        from nhs_oversight.compare import compare
        from nhs_oversight.engine import AssessOptions
        from nhs_oversight.engine.options import parse_cutpoints

        fmt = choose_format(output, fmt, FORMATS)
        switches = [
            name
            for name, on in (
                ("no-financial-override", no_financial_override),
                ("domain-weighted", domain_weighted),
                ("cutpoints-within-type", cutpoints_within_type),
            )
            if on
        ]
        _check_methods(frameworks, switches)
        fw_a = api.load_framework(frameworks[0] if frameworks else DEFAULT_FRAMEWORK)
        fw_b = api.load_framework(frameworks[1]) if len(frameworks) == 2 else None
        reader = fw_b if fw_b is not None and {t.id for t in fw_b.trust_types} > {t.id for t in fw_a.trust_types} else fw_a
        data = _read(files, reader, synthetic, quarter, organisations)
        options = AssessOptions(cutpoints=parse_cutpoints(cutpoints), recompute_all=recompute_all)
        c = compare(data, fw_a, fw_b, options, switches=switches)
        warn(dict.fromkeys([*c.a.warnings, *c.b.warnings]))
        _write(c, fmt, output, show_all)


def _check_methods(frameworks: list[str], switches: list[str]) -> None:
    """Exactly two methods to compare: two frameworks, or one framework and its switches."""
    from nhs_oversight.errors import OptionError

    if len(frameworks) > 2:
        raise OptionError("give at most two --framework options (A and B)")
    if len(frameworks) == 2 and switches:
        raise OptionError("give two --framework options or one framework with switches, not both")
    if len(frameworks) < 2 and not switches:
        raise OptionError("nothing to compare: give --framework A --framework B, or a switch such as --no-financial-override")


def _write(c, fmt: str, output, show_all: bool) -> None:
    """Show or write the comparison in the chosen format."""
    import json

    from nhs_oversight.render.compare_text import comparison_sheets, comparison_text, labelled
    from nhs_oversight.render.tables import write_table
    from nhs_oversight.util.files import atomic_write_text
    from nhs_oversight.util.jsonable import to_jsonable

    if fmt == "xlsx":
        from nhs_oversight.render.excel import write_workbook

        write_workbook(comparison_sheets(c), output, meta=_flat(c.provenance()))
        emit(None, output)
        return
    if fmt == "table":
        text = comparison_text(c, show_all=show_all)
    elif fmt == "json":
        payload = c.to_dict()
        if show_all:
            payload["all_organisations"] = c.table.to_dict(orient="records")
        text = json.dumps(to_jsonable(payload), indent=2, ensure_ascii=False) + "\n"
    else:
        text = write_table(labelled(c, c.table if show_all else c.who_moves), "csv", None)
    if output:
        atomic_write_text(output, text)
        text = None
    emit(text, output)

def _read(files, framework, synthetic: bool, quarter: str | None, organisations=None):
    """The inputs, read once (both methods see the same data)."""
    from nhs_oversight import api
    from nhs_oversight.errors import OptionError

    if synthetic:
        if files:
            raise OptionError("give input files or --synthetic, not both")
        return api.synthetic_inputs(quarter or opt.SYNTHETIC_QUARTER, framework)
    if not files:
        raise OptionError("no input files: give NOF CSV files, or --synthetic for the shipped demo data")
    return api.read_inputs(files, framework, quarter, organisations)


def _flat(meta: dict) -> dict:
    """One line per entry for the workbook's About sheet."""
    out = {}
    for k, v in meta.items():
        if isinstance(v, dict):
            for k2, v2 in v.items():
                out[f"{k} {k2}"] = v2
        else:
            out[k] = v
    return out
