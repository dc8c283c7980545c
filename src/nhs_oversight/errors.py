"""The project's small error hierarchy.

User mistakes (bad files, bad options) raise a subclass of :class:`OversightError`; the CLI prints
its message on one line and exits with code 2, without a traceback. Anything else is a bug: the
CLI says so in one line with a hint to report it and exits with code 1 (``--debug`` shows the
traceback).
"""

from __future__ import annotations

from dataclasses import dataclass


class OversightError(Exception):
    """Base class for every error caused by input or options rather than by a bug."""

    exit_code = 2


@dataclass
class InputError(OversightError):
    """A problem in an input file, located as precisely as we can (file, row, column)."""

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class OptionError(OversightError):
    """A command-line or API option that cannot be honoured."""


class FrameworkError(OversightError):
    """A framework specification (YAML) that is invalid."""


class OutputError(OversightError):
    """An output that cannot be written (a full disk, a folder given as the file, no permission).

    The previous file, if any, is left as it was: outputs are written to a temporary file and
    renamed only when complete.
    """
