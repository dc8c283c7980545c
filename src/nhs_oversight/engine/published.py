"""NHS England's published figures, looked up by field only when a step needs them."""

from __future__ import annotations

import numpy as np
import pandas as pd


class PublishedIndex:
    """Published figures looked up by field, on demand (most fields are never needed)."""

    def __init__(self, published: pd.DataFrame) -> None:
        n = len(published)
        codes, uniques = pd.factorize(published["field"]) if n else (np.array([], dtype=int), [])
        self.field_code = {f: i for i, f in enumerate(uniques)}
        self.fields = np.asarray(codes)
        self.codes = published["org_code"].to_numpy(dtype=object) if n else np.array([], dtype=object)
        self.data = published["value"].to_numpy(dtype=float) if n else np.array([])

    def values(self, field: str, codes: np.ndarray) -> np.ndarray | None:
        if field not in self.field_code:
            return None
        m = self.fields == self.field_code[field]
        d = dict(zip(self.codes[m][::-1], self.data[m][::-1], strict=True))  # first row wins
        return np.array([d.get(c, np.nan) for c in codes], dtype=float)


def pairs(published: PublishedIndex, codes, score_field, segment_field, types=None, labels=None):
    """Published scores and segments of one field pair (None when either is absent), to imply cut points."""
    s, g = published.values(score_field, codes), published.values(segment_field, codes)
    return None if s is None or g is None else (s, g, types, labels)
