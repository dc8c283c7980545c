"""The breakdowns every surface groups trusts by: region, integrated care board, trust type.

One list, read by the dashboard, the board pack and the briefing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Grouping:
    """One breakdown: where its code and its name are, and the words for it."""

    column: str  # summary column holding the group (the code where there is one)
    name_column: str  # column holding the group's name in the briefing's labelled summary
    code_column: str | None  # column holding the group's code, if it has one
    title: str  # heading: "Integrated care board"
    noun: str  # in a sentence: "ICB"


#: Breakdown name -> grouping, in the order surfaces show them.
GROUPINGS = {
    "region": Grouping("region", "region", None, "Region", "region"),
    "icb": Grouping("icb_code", "icb_name", "icb_code", "Integrated care board", "ICB"),
    "trust_type": Grouping("trust_type", "trust_type_label", "trust_type", "Trust type", "trust type"),
}
