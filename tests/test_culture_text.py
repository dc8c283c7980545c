"""The terminal watch list: one block per organisation, every reason on its own line."""

from __future__ import annotations

import pandas as pd

from nhs_oversight.render.culture_text import watchlist_text


def test_blocks_and_wrapped_reasons():
    table = pd.DataFrame(
        [
            {"rank": 1, "org_code": "RAA", "org_name": "Alpha NHS Trust", "comparison_group": "Acute", "flags_998": 1, "flags_95": 1,
             "max_abs_z": 3.5, "reasons": "Harassment from managers 18.2% vs 12.1% expected for 1,024 respondents: above the 99.8% limit; Short reason"},
        ]
    )
    text = watchlist_text(table, width=60)
    lines = text.splitlines()
    assert lines[0] == "1. RAA Alpha NHS Trust (Acute): 1 beyond the 99.8% limits and 1 more beyond the 95% limits"
    assert lines[1] == "   - Harassment from managers 18.2% vs 12.1% expected for"
    assert lines[2] == "     1,024 respondents: above the 99.8% limit"
    assert lines[3] == "   - Short reason"


def test_empty_watch_list():
    assert watchlist_text(pd.DataFrame()) == "No organisation is flagged.\n"
