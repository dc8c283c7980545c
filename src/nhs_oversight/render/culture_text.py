"""The culture watch list for the terminal: one block per organisation, its reasons as bullets."""

from __future__ import annotations

import textwrap

import pandas as pd


def watchlist_text(table: pd.DataFrame, width: int = 100) -> str:
    """Readable text of the ranked watch list (``stats.culture`` watchlist table)."""
    if table.empty:
        return "No organisation is flagged.\n"
    lines = []
    for row in table.itertuples(index=False):
        r = row._asdict()
        lines.append(
            f"{r['rank']}. {r['org_code']} {r['org_name']} ({r['comparison_group']}): "
            f"{r['flags_998']} beyond the 99.8% limits and {r['flags_95']} more beyond the 95% limits"
        )
        for reason in str(r["reasons"]).split("; "):
            lines.append(textwrap.fill(reason, width=width, initial_indent="   - ", subsequent_indent="     "))
        lines.append("")
    return "\n".join(lines)
