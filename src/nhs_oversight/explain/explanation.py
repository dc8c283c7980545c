"""The explanation as callers hold it: its fields (:mod:`.model`) and its written forms (:mod:`.text`).

The fields live in :class:`~nhs_oversight.explain.model.ExplanationRecord`, which the text
renderer reads; this class only adds the two renderings, so the arrows run model -> text -> here.
"""

from __future__ import annotations

from dataclasses import dataclass

from nhs_oversight.explain.model import ExplanationRecord
from nhs_oversight.explain.text import explanation_markdown, explanation_text


@dataclass(frozen=True)
class Explanation(ExplanationRecord):
    """Why an organisation is in its segment, how close it is to the next, and what would move it.

    Render with :meth:`to_text`, :meth:`to_markdown` or :meth:`to_dict` (JSON-ready).
    """

    def to_text(self) -> str:
        return explanation_text(self)

    def to_markdown(self) -> str:
        return explanation_markdown(self)
