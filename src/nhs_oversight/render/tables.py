"""Writing a table in the format a user chose: text, CSV, JSON, Excel or Parquet.

Above :mod:`.output` (the atomic writes and serialisation) and :mod:`.excel`, so that neither
of those needs the other.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from nhs_oversight.errors import OptionError
from nhs_oversight.render.excel import write_workbook
from nhs_oversight.render.output import TABLE_FORMATS, csv_text
from nhs_oversight.util.files import atomic_write, atomic_write_text
from nhs_oversight.util.jsonable import dataframe_records, to_jsonable


def write_table(
    df: pd.DataFrame,
    fmt: str,
    output: str | Path | None,
    sheet_name: str = "data",
    meta: dict[str, Any] | None = None,
) -> str | None:
    """Write a table in one of :data:`TABLE_FORMATS`; return text when there is no output path."""
    if fmt not in TABLE_FORMATS:
        raise OptionError(f"unknown format {fmt!r}; choose one of {', '.join(TABLE_FORMATS)}")
    if fmt in ("xlsx", "parquet") and not output:
        raise OptionError(f"--format {fmt} needs --output PATH")
    if fmt == "csv":
        text = csv_text(df)
    elif fmt == "json":
        payload: Any = dataframe_records(df)
        if meta is not None:
            payload = {"meta": to_jsonable(meta), "rows": payload}
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "table":
        text = df.to_string(index=False) + "\n"
    elif fmt == "parquet":
        atomic_write(output, lambda p: df.to_parquet(p, index=False))  # type: ignore[arg-type]
        return None
    else:  # xlsx
        write_workbook({sheet_name: df}, output, meta=meta)  # type: ignore[arg-type]
        return None
    if output:
        atomic_write_text(output, text)
        return None
    return text
