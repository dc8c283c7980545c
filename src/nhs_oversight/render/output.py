"""Atomic output: a file appears complete or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from nhs_oversight.errors import OptionError, OutputError

TABLE_FORMATS = ("table", "csv", "json", "xlsx", "parquet")


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


def infer_format(output: str | Path | None, fmt: str | None, default: str = "table") -> str:
    """The format asked for, else the one the output file's suffix implies."""
    if fmt:
        return fmt
    if output:
        suffix = Path(output).suffix.lower().lstrip(".")
        return {"xls": "xlsx", "pq": "parquet", "htm": "html", "md": "markdown"}.get(suffix, suffix) or default
    return default


def to_jsonable(value: Any) -> Any:
    """Make numpy and pandas scalars JSON-safe (NaN becomes null)."""
    import math

    import numpy as np

    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def dataframe_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [to_jsonable(r) for r in df.to_dict(orient="records")]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading ``'``; numbers never.

    An organisation name such as ``=HYPERLINK(...)`` in an input file must not become a live
    formula in the CSV a user opens in Excel. Numeric columns (and numeric-looking text such as
    ``-1.5``) are left exactly as they are.
    """
    out = None
    for col in df.columns:
        s = df[col]
        if s.dtype != object and not isinstance(s.dtype, pd.StringDtype):
            continue
        text = s.map(lambda v: v if isinstance(v, str) else None)
        risky = text.str.startswith(_FORMULA_START, na=False) & pd.to_numeric(text, errors="coerce").isna()
        if risky.any():
            out = df.copy() if out is None else out
            out[col] = s.where(~risky, "'" + text)
    if out is None:
        out = df
    if any(isinstance(c, str) and c.startswith(_FORMULA_START) for c in out.columns):
        out = out.rename(columns=lambda c: "'" + c if isinstance(c, str) and c.startswith(_FORMULA_START) else c)
    return out


def csv_text(df: pd.DataFrame, **kwargs: Any) -> str:
    """A table as CSV text, safe to open in a spreadsheet (see :func:`neutralise_formulas`)."""
    return neutralise_formulas(df).to_csv(index=False, lineterminator="\n", **kwargs)
