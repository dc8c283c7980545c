"""NHS financial-year quarters, written the NHS way: ``2025/26 Q1`` (April to June 2025)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from nhs_oversight.errors import OptionError

_QUARTER = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2}|\d{4})\s*Q([1-4])\s*$", re.I)
_QUARTER_FIRST = re.compile(r"^\s*Q([1-4])\s+(\d{4})\s*/\s*(\d{2}|\d{4})\s*$", re.I)


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial-year quarter. ``start_year`` 2025 and ``q`` 1 is April-June 2025."""

    start_year: int
    q: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read ``2025/26 Q1`` (also ``Q1 2025/26`` and ``2025/2026 Q1``)."""
        m = _QUARTER.match(text or "")
        if m:
            year, end, q = m.group(1), m.group(2), m.group(3)
        else:
            m = _QUARTER_FIRST.match(text or "")
            if not m:
                raise OptionError(f"quarter {text!r} is not of the form '2025/26 Q1'")
            q, year, end = m.group(1), m.group(2), m.group(3)
        start = int(year)
        if int(end[-2:]) != (start + 1) % 100:
            raise OptionError(f"quarter {text!r}: {end} does not follow {start}")
        return cls(start, int(q))

    @classmethod
    def of_month(cls, month: date) -> Quarter:
        """The quarter containing a calendar month."""
        fy = month.year if month.month >= 4 else month.year - 1
        return cls(fy, (month.month - 4) % 12 // 3 + 1)

    @property
    def months(self) -> tuple[date, date, date]:
        """First day of each of the quarter's three months."""
        first = 4 + 3 * (self.q - 1)
        out = []
        for k in range(3):
            m = first + k
            y = self.start_year + (1 if m > 12 else 0)
            out.append(date(y, (m - 1) % 12 + 1, 1))
        return tuple(out)  # type: ignore[return-value]

    def previous(self) -> Quarter:
        return Quarter(self.start_year - 1, 4) if self.q == 1 else Quarter(self.start_year, self.q - 1)

    def next(self) -> Quarter:
        return Quarter(self.start_year + 1, 1) if self.q == 4 else Quarter(self.start_year, self.q + 1)

    def __str__(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d} Q{self.q}"
