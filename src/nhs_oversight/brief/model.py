"""The briefing as data: sections of paragraphs, bullet lists and tables of sentences.

Each :class:`Sentence` carries the figures it states and where they came from, so that an
analyst can check every number. The layouts (``render.py``: ``to_markdown``, ``to_html``,
``to_dict``, ``to_json``) read these and are not imported here, so the arrow runs one way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Sentence:
    """One sentence, the figures it states (every number in ``text`` is among them) and their
    source (assessment table and columns, files, quarter)."""

    text: str
    figures: dict[str, Any]
    source: str

    def to_dict(self) -> dict[str, Any]:
        from nhs_oversight.util.jsonable import to_jsonable

        return {"text": self.text, "figures": to_jsonable(self.figures), "source": self.source}


@dataclass(frozen=True)
class Paragraph:
    """Sentences read together; ``bullets`` lays them out one per line."""

    sentences: tuple[Sentence, ...]
    bullets: bool = False


@dataclass(frozen=True)
class Table:
    """A table of already formatted cells (tables use digits throughout)."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"caption": self.caption, "columns": list(self.columns), "rows": [list(r) for r in self.rows], "source": self.source}


Block = Paragraph | Table


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]

    @property
    def sentences(self) -> list[Sentence]:
        return [s for b in self.blocks if isinstance(b, Paragraph) for s in b.sentences]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "sentences": [s.to_dict() for s in self.sentences],
            "tables": [t.to_dict() for t in self.tables],
        }


@dataclass(frozen=True)
class Briefing:
    """A quarter's plain-English briefing, ready to render as Markdown, HTML or JSON.

    Attributes
    ----------
    title : the heading.
    dataset : the dataset label (``SYNTHETIC``) or None for published data.
    period, previous_period : the quarter briefed and the one it is compared with.
    sections : headline, where, why, movers, caution, sources.
    segment_counts : trusts by final segment 1-5.
    previous_segment_counts : the same for the previous quarter, when given.
    breakdowns : per breakdown (region, icb, trust_type), each group's counts by segment.
    provenance : the assessments' provenance (files, period, method, cut points).
    """

    title: str
    dataset: str | None
    period: str | None
    previous_period: str | None
    sections: tuple[Section, ...]
    segment_counts: dict[int, int]
    previous_segment_counts: dict[int, int] | None = None
    breakdowns: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    @property
    def sentences(self) -> list[Sentence]:
        return [x for s in self.sections for x in s.sentences]
