"""Published NOF files as long rows for the history database (validated by the NOF reader first)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.frameworks.model import Framework
from nhs_oversight.frameworks.periods import Quarter
from nhs_oversight.sources.common import MissingReport, read_csv, to_number
from nhs_oversight.sources.nof import looks_like_nof, read_nof_frame


def is_nof_file(path: str | Path) -> bool:
    """Whether a CSV's header is that of NHS England's NOF data download."""
    import stat

    try:
        if not stat.S_ISREG(Path(path).stat().st_mode):
            return False  # a pipe or device: never opened here (the reader refuses it by name)
        with open(path, "rb") as f:
            head = f.read(8192)
    except OSError:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        header = head[2:].decode("utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be", errors="replace")
    else:
        header = head.decode("utf-8-sig", errors="replace")
    header = header.replace("\r", "\n").split("\n", 1)[0].replace('"', "")
    return looks_like_nof(pd.DataFrame(columns=[c.strip() for c in header.split(",")]))


def nof_tidy(path: str | Path, framework: Framework) -> pd.DataFrame:
    """Every row of one published NOF file (inputs and published results) as long rows.

    Columns ``org_code, org_name, trust_type, metric_id, period, value`` for
    :func:`nhs_oversight.history.ingest_published`. The file is validated exactly as
    ``oversight segment`` validates it; a file of several quarters (a ``Quarter`` column) is
    validated and stored quarter by quarter.
    """
    path = str(path)
    df = read_csv(path)
    quarters = [None]
    if "Quarter" in df.columns:
        quarters = sorted({str(Quarter.parse(t)) for t in df["Quarter"].str.strip().unique() if t}, key=Quarter.parse) or [None]
    parts = [_tidy_quarter(df, path, framework, q) for q in quarters]
    return pd.concat(parts, ignore_index=True)


def _tidy_quarter(df: pd.DataFrame, path: str, framework: Framework, wanted: str | None) -> pd.DataFrame:
    _orgs, _values, _published, _flags, quarter = read_nof_frame(df, path, framework, MissingReport(), wanted)
    if quarter is None:
        raise InputError("cannot tell which quarter the file is for (no Quarter column and no summary rows)", file=path)
    if wanted is not None:
        df = df[df["Quarter"].str.strip().map(lambda t: str(Quarter.parse(t)) if t else "") == wanted]
    value = to_number(df["Value"], path, "Value", rows=df.index.to_numpy() + 2)
    keep = ~np.isnan(value)
    return pd.DataFrame(
        {
            "org_code": df["Trust_code"].str.strip()[keep].to_numpy(),
            "org_name": df["Trust_name"].str.strip()[keep].to_numpy(),
            "trust_type": df["Trust_type"].str.strip()[keep].to_numpy(),
            "metric_id": df["Metric_ID"].str.strip()[keep].to_numpy(),
            "period": quarter,
            "value": value[keep],
        }
    )
