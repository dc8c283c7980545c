"""Atomic output: a file appears complete or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from nhs_oversight.errors import OptionError, OutputError


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then rename onto ``path``; remove the temporary file on failure."""
    target = Path(path)
    check_output_path(target)
    parent = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror}") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        with open(tmp_path, "rb+") as f:  # on disk before the rename, so a crash leaves old or new
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp_path, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise
    return target


def check_output_path(path: str | Path) -> None:
    """Refuse an output that names a folder or lies in a folder that does not exist (before any work)."""
    target = Path(path)
    if target.is_dir():
        raise OptionError(f"output {str(target)!r} is a directory: give a file name, e.g. {target / 'out.csv'}")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OptionError(f"output folder {str(parent)!r} does not exist")


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    return atomic_write(path, lambda p: p.write_bytes(data))
