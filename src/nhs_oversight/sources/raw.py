"""Recognise which raw NHS collection a file holds, and read it with the matching reader.

Recognition looks only at the first rows (header cells), never at the file name, so renamed
downloads still work. Each reader validates its own layout in full.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.sources.common import MissingReport, read_bytes
from nhs_oversight.sources.editions import Edition, edition_of
from nhs_oversight.sources.kinds import BY_NAME, RAW_KINDS
from nhs_oversight.sources.layout import norm
from nhs_oversight.sources.workbook import is_workbook

#: Kinds of raw file kept in the history, with a phrase for messages (from :data:`RAW_KINDS`).
KINDS = {k.name: k.words for k in RAW_KINDS if k.stored}


@dataclass
class RawTable:
    """One raw file, read and validated, with what the history needs to know about it."""

    kind: str
    frame: pd.DataFrame
    path: str
    sha256: str
    edition: Edition
    warnings: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def months(self) -> list[pd.Timestamp]:
        if "period" not in self.frame.columns:
            return []
        return sorted(pd.to_datetime(self.frame["period"]).unique())


def sha256_of(path: str | Path) -> str:
    return hashlib.sha256(read_bytes(path)).hexdigest()


def _head_rows(path: str | Path, limit: int = 40) -> list[list[str]]:
    data = read_bytes(path)[:65536]
    if data[:4] == b"PK\x03\x04":
        raise InputError("is an Excel workbook, not a CSV file", file=str(path), hint="save the sheet as CSV UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM (Excel's "Unicode text")
        text = data[2 : len(data) - len(data) % 2].decode("utf-16-le" if data[:2] == b"\xff\xfe" else "utf-16-be", errors="replace")
    else:
        for enc in ("utf-8-sig", "cp1252", "latin-1"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    lines = text.splitlines()[:limit]
    try:
        return list(csv.reader(io.StringIO("\n".join(lines))))
    except csv.Error:
        return [line.split(",") for line in lines]


def detect_kind(path: str | Path) -> str:
    """The kind of raw file (a key of :data:`KINDS`), from its first rows.

    Raises
    ------
    InputError
        When no known layout is recognised, or the file is a published NOF or staff-survey file
        (which are not raw statistics).
    """
    if is_workbook(path):
        return _workbook_kind(path)
    rows = _head_rows(path)
    for row in rows:
        keys = {norm(c) for c in row}
        if {"metricid", "trustcode"} <= keys:
            raise InputError(
                "is a published NOF file, not raw statistics", file=str(path),
                hint="published NOF files are stored with history.ingest_published",
            )
        if "odscode" in keys and any(k.endswith("rate") for k in keys):
            raise InputError(
                "is an NHS Staff Survey results file; no NOF metric is derived from it", file=str(path),
                hint="OF0061 and OF0084 come from the survey's detailed spreadsheets (.xlsx, People Promise elements and themes); see docs/derive.md",
            )
        for kind in RAW_KINDS:
            if kind.header and kind.header(keys, row):
                return kind.name
    for kind in RAW_KINDS:
        if rows and kind.first_row and kind.first_row(rows[0]):
            return kind.name
    raise InputError(
        "not a recognised raw NHS statistics file", file=str(path),
        hint=f"expected {_csv_kinds()} CSV",
    )


def _csv_kinds() -> str:
    """The CSV kinds a user may give, as words: ``monthly A&E, RTT provider ... or ODS etr``."""
    words = [k.csv_words for k in RAW_KINDS if k.csv_words]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _workbook_kind(path: str | Path) -> str:
    from nhs_oversight.sources.ae_workbook import looks_like_ae_workbook
    from nhs_oversight.sources.nss_workbook import looks_like_nss_workbook

    if looks_like_ae_workbook(path):
        return "ae_workbook"
    if looks_like_nss_workbook(path):
        return "nss_scores"
    raise InputError(
        "is an Excel workbook of no recognised layout", file=str(path),
        hint="recognised: NHS England's monthly A&E workbook by provider, the NHS Staff Survey detailed "
        "organisational results; for other sheets save them as CSV UTF-8",
    )


def read_raws(path: str | Path, missing: MissingReport | None = None) -> list[RawTable]:
    """Recognise and read one raw file into its tables: the A&E workbook gives two (the month's
    counts and its type 3 mapping), every other kind one."""
    kind = detect_kind(path)
    if kind != "ae_workbook":
        return [read_raw(path, missing, kind)]
    from nhs_oversight.sources.ae_workbook import read_ae_workbook

    book = read_ae_workbook(path, missing)
    sha, edition = sha256_of(path), edition_of(path)
    return [RawTable("ae_monthly", book.monthly, str(path), sha, edition),
            RawTable("ae_type3_mapping", book.mapping, str(path), sha, edition)]


def read_raw(path: str | Path, missing: MissingReport | None = None, kind: str | None = None) -> RawTable:
    """Recognise and read one raw file (see :func:`read_raws` for files holding several tables)."""
    kind = kind or detect_kind(path)
    reader = BY_NAME[kind].reader if kind in KINDS else None
    if reader is None:
        raise InputError(f"unknown kind {kind!r}", file=str(path))
    frame = reader(path, missing=missing)
    return RawTable(
        kind=kind,
        frame=frame,
        path=str(path),
        sha256=sha256_of(path),
        edition=edition_of(path),
        warnings=list(frame.attrs.get("warnings", [])),
    )
