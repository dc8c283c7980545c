"""The month calendar table the SQL joins on: month -> financial-year quarter."""

from __future__ import annotations

from datetime import date

import pandas as pd

from nhs_oversight.frameworks.periods import Quarter


def calendar_frame(first: date, last: date) -> pd.DataFrame:
    """One row per month from ``first`` to ``last`` (inclusive), whole quarters at both ends.

    Columns: ``month`` (first day, date), ``quarter`` (``2024/25 Q4``), ``month_in_quarter``
    (1-3), ``year_number`` and ``month_number`` (for record-level joins on EXTRACT).
    """
    start = Quarter.of_month(first).months[0]
    end = Quarter.of_month(last).months[2]
    rows = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        d = date(y, m, 1)
        q = Quarter.of_month(d)
        rows.append((d, str(q), q.months.index(d) + 1, y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    df = pd.DataFrame(rows, columns=["month", "quarter", "month_in_quarter", "year_number", "month_number"])
    df["month"] = pd.to_datetime(df["month"])
    return df
