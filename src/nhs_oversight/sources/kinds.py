"""The registry of raw data kinds: one entry per kind of raw NHS statistics the tool reads.

Each entry says how a file of the kind is recognised, which reader reads it, the history table
it is stored in, and what derivation may read from it. :mod:`.raw` recognises and reads files
from it, :mod:`nhs_oversight.history` creates its tables and views from it, and
:mod:`nhs_oversight.derive.catalog` takes the sources and references a metric definition may
name from it. Adding a raw source is one entry here and its reader module.

Readers are imported when a file is read, not when the registry is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

#: A reader: ``read(path, missing=None) -> DataFrame``.
Reader = Callable[..., pd.DataFrame]
#: A recognition rule over one header row: ``rule(normalised cells, raw cells) -> bool``.
HeaderRule = Callable[[set[str], list[str]], bool]


@dataclass(frozen=True)
class RawKind:
    """One kind of raw data.

    Attributes
    ----------
    name : the kind's key (``ae_monthly``): the derivation source and the history view.
    words : a phrase for messages.
    reader : reads one file of the kind; None when the kind only comes inside another file (the
        A&E workbook's type 3 mapping) or is not read from a file by this package (ECDS).
    header : recognises the kind from one of a CSV file's first rows; rules are tried in
        registry order, row by row.
    first_row : recognises the kind from the first row alone, when no header rule matched.
    stored : whether the history database keeps it (as ``raw_<name>``).
    monthly : whether its rows carry a month (``period``); a kind without one (the ODS list) has
        one current edition.
    derives : what a metric definition says about it: ``source`` (its ``-- source:``),
        ``reference`` (its ``-- reference:``) or None.
    derive_words : the phrase derivation messages use for it.
    csv_words : how the message for an unrecognised CSV file names it ("" for kinds not read
        from a CSV file).
    columns : a reference's columns (an absent reference is registered empty with these).
    """

    name: str
    words: str
    reader: Reader | None = None
    header: HeaderRule | None = None
    first_row: Callable[[list[str]], bool] | None = None
    stored: bool = True
    monthly: bool = True
    derives: str | None = None
    derive_words: str = ""
    columns: tuple[str, ...] = ()
    csv_words: str = ""

    @property
    def table(self) -> str:
        """The history table of the kind."""
        return f"raw_{self.name}"


# -- readers (imported on use) ----------------------------------------------------------------
def _read_ae_monthly(path: Any, missing: Any = None) -> pd.DataFrame:
    from nhs_oversight.sources.ae_monthly import read_ae_monthly

    return read_ae_monthly(path, missing=missing)


def _read_rtt(path: Any, missing: Any = None) -> pd.DataFrame:
    from nhs_oversight.sources.rtt import read_rtt

    return read_rtt(path, missing=missing)


def _read_cwt(path: Any, missing: Any = None) -> pd.DataFrame:
    from nhs_oversight.sources.cancer import read_cwt

    return read_cwt(path, missing=missing)


def _read_beds(path: Any, missing: Any = None) -> pd.DataFrame:
    from nhs_oversight.sources.beds import read_beds

    return read_beds(path, missing=missing)


def _read_ods(path: Any, missing: Any = None) -> pd.DataFrame:
    from nhs_oversight.sources.ods import read_ods_etr

    return read_ods_etr(path)


def _read_nss_scores(path: Any, missing: Any = None) -> pd.DataFrame:
    from nhs_oversight.sources.nss_workbook import read_nss_scores

    return read_nss_scores(path, missing=missing)


# -- recognition rules ------------------------------------------------------------------------
def _is_ae_monthly(keys: set[str], row: list[str]) -> bool:
    return "aandeattendancestype1" in keys or {"type", "attendances", "breaches"} <= keys


def _is_cwt(keys: set[str], row: list[str]) -> bool:
    return {"standard", "orgcode"} <= keys and bool(keys & {"stageroute", "totaltreated", "withinstandard"})


def _is_beds(keys: set[str], row: list[str]) -> bool:
    return "gandabedsavailable" in keys or ("metric" in keys and "level" in keys and "value" in keys)


def _is_rtt(keys: set[str], row: list[str]) -> bool:
    from nhs_oversight.sources.rtt import band_of

    return sum(1 for c in row if band_of(c)) >= 10


def _is_ods(row: list[str]) -> bool:
    return len(row) >= 12 and row[10].strip().isdigit() and len(row[10].strip()) == 8


#: Every raw data kind, in the order recognition tries them and messages list them.
RAW_KINDS: tuple[RawKind, ...] = (
    RawKind("ae_monthly", "A&E monthly attendances and emergency admissions", _read_ae_monthly, _is_ae_monthly,
            derives="source", derive_words="monthly A&E attendances and emergency admissions (sources.ae_monthly)",
            csv_words="monthly A&E"),
    RawKind("rtt", "RTT provider weekly bands", _read_rtt, _is_rtt,
            derives="source", derive_words="RTT provider weekly bands (sources.rtt)", csv_words="RTT provider"),
    RawKind("cwt", "Cancer Waiting Times provider extract", _read_cwt, _is_cwt,
            derives="source", derive_words="Cancer Waiting Times provider extract (sources.cancer)",
            csv_words="Cancer Waiting Times"),
    RawKind("beds", "bed availability and occupancy sitrep", _read_beds, _is_beds,
            derives="source", derive_words="bed availability and occupancy sitrep (sources.beds)", csv_words="beds sitrep"),
    RawKind("ecds", "record-level emergency care attendances", stored=False, derives="source",
            derive_words="record-level emergency care attendances (synthetic.ecds or ECDS extract)"),
    RawKind("ods", "ODS etr trust list", _read_ods, first_row=_is_ods, monthly=False, csv_words="ODS etr"),
    RawKind("ae_type3_mapping", "A&E type 3 mapping to acute trusts", derives="reference",
            columns=("period", "org_code", "acute_code", "proportion")),
    RawKind("nss_scores", "NHS Staff Survey People Promise and theme scores", _read_nss_scores, derives="source",
            derive_words="NHS Staff Survey People Promise element and theme scores (sources.nss_workbook)"),
)

#: Name -> kind.
BY_NAME = {k.name: k for k in RAW_KINDS}
