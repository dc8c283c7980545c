"""Trust mergers: which organisation code now reports a predecessor's activity.

Quarter aggregation re-attributes a predecessor's rows to its successor, so a merged trust has
one series over time. The built-in list holds recent mergers, each evidenced by the ODS etr close
date of the predecessor and the successor's new name; pass your own table to add or replace.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from nhs_oversight.errors import InputError

#: (predecessor, successor, effective from, evidence)
KNOWN_SUCCESSIONS: tuple[tuple[str, str, str, str], ...] = (
    ("RA4", "RH5", "2023-04-01", "Yeovil District Hospital NHSFT closed 2023-03-31 (ODS etr); merged into Somerset NHSFT"),
    ("RVY", "RBN", "2023-07-01", "Southport and Ormskirk closed 2023-06-30 (ODS etr); RBN renamed Mersey and West Lancashire Teaching Hospitals"),
    ("R1C", "RW1", "2024-10-01", "Solent NHS Trust closed 2024-09-30 (ODS etr); RW1 renamed Hampshire and Isle of Wight Healthcare NHSFT"),
    ("RY9", "RAX", "2024-11-01", "Hounslow and Richmond Community Healthcare closed 2024-10-31 (ODS etr); RAX renamed Kingston and Richmond NHSFT"),
    ("RRP", "G6V2S", "2024-11-01", "Barnet, Enfield and Haringey MH Trust closed 2024-10-31 (ODS etr); North London NHSFT (G6V2S) opened 2024-11-01"),
    ("RAP", "RAL", "2025-01-01", "North Middlesex University Hospital closed 2024-12-31 (ODS etr) and joined Royal Free London NHSFT"),
)  # fmt: skip


def successor_frame(pairs: Iterable[tuple[str, str]] | None = None) -> pd.DataFrame:
    """The ``org_successors`` table (predecessor -> final successor), chains resolved.

    Parameters
    ----------
    pairs : (predecessor, successor) pairs; the built-in :data:`KNOWN_SUCCESSIONS` by default.
        Pass an empty list to keep organisations as reported.
    """
    if pairs is None:
        pairs = [(p, s) for p, s, _, _ in KNOWN_SUCCESSIONS]
    direct: dict[str, str] = {}
    for pred, succ in pairs:
        pred, succ = pred.strip().upper(), succ.strip().upper()
        if pred == succ:
            continue
        if direct.get(pred, succ) != succ:
            raise InputError(f"{pred} has two successors: {direct[pred]} and {succ}")
        direct[pred] = succ
    final = {}
    for pred in direct:
        seen = {pred}
        cur = direct[pred]
        while cur in direct:
            if cur in seen:
                raise InputError(f"merger chain loops back to {cur}")
            seen.add(cur)
            cur = direct[cur]
        final[pred] = cur
    return pd.DataFrame(sorted(final.items()), columns=["predecessor", "successor"], dtype=object)


def read_successors(path: str) -> list[tuple[str, str]]:
    """Read a CSV with ``predecessor`` and ``successor`` columns (other columns ignored)."""
    from nhs_oversight.sources.layout import frame_below, locate_header, read_grid

    grid = read_grid(path)
    aliases = {"predecessor": ["predecessor", "old_code", "from"], "successor": ["successor", "new_code", "to"]}
    header = locate_header(grid, aliases, ["predecessor", "successor"], kind="successor")
    df = frame_below(grid, header, key="predecessor")
    return list(zip(df["predecessor"].str.strip(), df["successor"].str.strip(), strict=True))
