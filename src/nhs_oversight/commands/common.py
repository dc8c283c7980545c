"""Small helpers shared by command modules: warnings on stderr, writing results."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import typer

from nhs_oversight.commands import options as opt


def warn(messages: Iterable[str]) -> None:
    """Print warnings on stderr, prefixed so that scripts can filter them.

    The engine's notes on stand-ins and cut points become one ``note:`` line unless
    ``--verbose`` was given; ``--quiet`` prints nothing (see :mod:`.verbosity`).
    """
    from nhs_oversight.commands import verbosity

    level = verbosity.level()
    if level == "quiet":
        return
    messages = list(messages)
    if level == "verbose":
        rest = messages
    else:
        line, rest = verbosity.summarise(messages)
        if line:
            typer.echo(f"note: {line}", err=True)
    for m in rest:
        typer.echo(f"warning: {m}", err=True)


def emit(text: str | None, output: Any = None) -> None:
    """Print text to stdout, or say where the output went."""
    if text is not None:
        typer.echo(text, nl=not text.endswith("\n"))
    elif output:
        typer.echo(f"wrote {output}", err=True)


def choose_format(output: Any, fmt: str | None, allowed: tuple[str, ...], default: str = "table") -> str:
    """The format asked for (or implied by the output's suffix), checked against ``allowed``.

    Binary formats (xlsx, parquet, png) need an output file.
    """
    from nhs_oversight.commands.checks import output as check_output
    from nhs_oversight.errors import OptionError
    from nhs_oversight.render.output import infer_format

    check_output(output)
    chosen = infer_format(output, fmt, default)
    if chosen not in allowed:
        raise OptionError(f"--format {chosen!r}: choose one of {', '.join(allowed)}")
    if chosen in ("xlsx", "parquet", "png") and not output:
        raise OptionError(f"--format {chosen} needs --output PATH")
    return chosen


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


def site_from_options(files, previous, db, framework, cutpoints, recompute_all, synthetic, quarter, draws, seed, organisations=None):
    """Read and assess the quarter (and the previous one); the Site the pages are made from.

    With ``--synthetic`` and no ``--previous``, the synthetic quarter before is used as the
    previous quarter when it is shipped.
    """
    from nhs_oversight import api
    from nhs_oversight.errors import OptionError
    from nhs_oversight.frameworks.periods import Quarter
    from nhs_oversight.synthetic import nof as synth
    from nhs_oversight.web.site import Site, SiteOptions

    current = opt.load(files, framework, cutpoints, recompute_all, synthetic, quarter, organisations)
    before = None
    if previous:
        earlier = str(Quarter.parse(current.period).previous()) if quarter and current.period else None
        before = api.assess(api.read_inputs(previous, current.framework, earlier, organisations), current.framework, recompute_all=recompute_all)
    elif synthetic:
        earlier = str(Quarter.parse(quarter or opt.SYNTHETIC_QUARTER).previous())
        if earlier in synth.QUARTERS:
            before = api.assess(api.synthetic_inputs(earlier, current.framework), current.framework)
    if db is not None and not Path(db).is_file():
        raise OptionError(f"--db {db}: no history database there (build one with `oversight ingest`)")
    return Site(current, before, db, SiteOptions(draws=draws, seed=seed))
