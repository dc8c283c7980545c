"""The framework files' evidence codes ("DOC M25", "DATA Q1A 131/131", "INFER") in plain English.

The framework YAML keeps its short codes, which are exact for the people who maintain it. Readers
of the dashboard and the report see what each code means: who says so, and how it was checked.
"""

from __future__ import annotations

import re

#: How sure a rule is, by its evidence code.
KINDS = {
    "DOC": "Stated by NHS England",
    "DATA": "Checked against NHS England's published figures",
    "INFER": "Inferred: consistent with NHS England's published figures, but not provable from them",
    "NOT FOUND": "Not published by NHS England: the reading chosen is the one that reproduces its published results",
    "CARRIED OVER": "Carried over from the 2025/26 method and assumed unchanged",
}
#: The sources the codes refer to.
SOURCES = {
    "M25": "the NHS Oversight Framework 2025/26 methodology manual (26 June 2025)",
    "M26": "the NHS Oversight Framework 2026/27 methodology manual (its opening pages)",
    "SPEC": "the NHS Oversight Framework 2025/26 technical metric specification",
    "SEG": "the segmentation chapter",
    "Q1A": "NHS England's file for acute trusts, 2025/26 Q1 (134 trusts)",
    "MHD": "NHS England's files for mental health and community trusts, 2025/26 (61 trusts)",
}
_KIND = re.compile(r"\b(NOT FOUND|CARRIED OVER|DOC|DATA|INFER)\b((?:[ ](?:" + "|".join(SOURCES) + r")\b(?:/(?:" + "|".join(SOURCES) + r")\b)*)?)")
_COUNT = re.compile(r"\b(\d+)/(\d+)\b")
_SOURCE = re.compile(r"\b(" + "|".join(SOURCES) + r")\b")


def _sources(codes: str) -> str:
    names = [SOURCES[c] for c in codes.strip().split("/") if c in SOURCES]
    return " and ".join(names)


def plain(text: str | None) -> str:
    """Evidence text with its codes written out; text without codes is returned as it is."""
    if not text:
        return ""

    def kind(m: re.Match) -> str:
        words = KINDS[m.group(1)]
        where = _sources(m.group(2)) if m.group(2) else ""
        text_ = f"{words} ({where})" if where else words
        before = m.string[:m.start()]
        if re.search(r"[A-Za-z0-9] $", before):  # mid-sentence ("Quantile method NOT FOUND: ..."): a bracket
            return "(" + text_[0].lower() + text_[1:] + ")"
        return text_

    def count(m: re.Match) -> str:  # 131/131 is a match count; 2025/26 is a year
        a, b = int(m.group(1)), int(m.group(2))
        return f"{a} of {b} trusts match" if a <= b else m.group(0)

    out = _COUNT.sub(count, text)
    out = _KIND.sub(kind, out)
    out = re.sub(r"\) (\d+ of \d+ trusts match)", r"): \1", out)
    return _SOURCE.sub(lambda m: SOURCES[m.group(1)], out)


def glossary() -> list[dict[str, str]]:
    """Every code with its meaning, for the method page."""
    return [{"code": k, "meaning": v} for k, v in KINDS.items()] + [{"code": k, "meaning": v[0].upper() + v[1:]} for k, v in SOURCES.items()]
