"""The organisation reference: each NHS trust's NHS England region and integrated care board.

NHS England's NOF files name a trust's region (with labels that differ between editions: "East"
and "East of England", "North East" and "North East and Yorkshire") but not its ICB. A snapshot of
the ODS trust list (``etr``) with the ICB names is shipped (built by
``scripts/build-organisations.py``, Open Government Licence v3.0) and attached to every input by
default; ``--organisations FILE`` reads a newer ODS etr export (or a file in the snapshot's own
layout) instead. Regions are always written with NHS England's own names, so files of different
editions group together.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.errors import InputError
from nhs_oversight.frameworks.periods import Quarter
from nhs_oversight.sources.ods import REGIONS, read_ods_etr

SNAPSHOT_FILE = Path(__file__).resolve().parents[1] / "data" / "reference" / "organisations.csv"
SNAPSHOT_META_FILE = SNAPSHOT_FILE.with_suffix(".json")
SNAPSHOT = SNAPSHOT_FILE.relative_to(Path(__file__).resolve().parents[3])
SNAPSHOT_META = SNAPSHOT_META_FILE.relative_to(Path(__file__).resolve().parents[3])

REFERENCE_COLUMNS = ["org_code", "org_name", "kind", "region_code", "region", "icb_code", "icb_name", "open_date", "close_date", "successor"]

#: Region labels seen in NHS England's NOF files -> NHS England's region names.
REGION_ALIASES = {
    "east": "East of England",
    "east of england": "East of England",
    "north east": "North East and Yorkshire",
    "north east and yorkshire": "North East and Yorkshire",
    "yorkshire and the humber": "North East and Yorkshire",
    "london": "London",
    "midlands": "Midlands",
    "north west": "North West",
    "south east": "South East",
    "south west": "South West",
}


def region_name(label: str) -> str:
    """NHS England's name for a region label (unknown labels are kept as written)."""
    text = (label or "").strip()
    return REGION_ALIASES.get(" ".join(text.lower().split()), text)


@dataclass(frozen=True)
class Organisations:
    """A reference table (:data:`REFERENCE_COLUMNS`) and where it came from."""

    frame: pd.DataFrame
    source: str

    def lookup(self) -> pd.DataFrame:
        return self.frame.drop_duplicates("org_code", keep="last").set_index("org_code")


def frame_from_etr(etr: pd.DataFrame, icbs: pd.DataFrame, successors: dict[str, str] | None = None) -> pd.DataFrame:
    """The reference table from an ODS etr frame (:func:`read_ods_etr`) and an ICB list (code, name, region code)."""
    icb_name = dict(zip(icbs["icb_code"], icbs["icb_name"], strict=True))
    icb_region = dict(zip(icbs["icb_code"], icbs.get("region_code", pd.Series([""] * len(icbs))), strict=True))
    trusts = pd.DataFrame(
        {
            "org_code": etr["org_code"],
            "org_name": etr["org_name"],
            "kind": "trust",
            "region_code": etr["region_code"],
            "region": etr["region_code"].map(REGIONS).fillna(""),
            "icb_code": etr["icb_code"],
            "icb_name": etr["icb_code"].map(icb_name).fillna(""),
            "open_date": _iso(etr["open_date"]),
            "close_date": _iso(etr["close_date"]),
            "successor": [(successors or {}).get(c, "") for c in etr["org_code"]],
        }
    )
    boards = pd.DataFrame(
        {
            "org_code": icbs["icb_code"],
            "org_name": icbs["icb_name"],
            "kind": "icb",
            "region_code": icbs["icb_code"].map(icb_region).fillna(""),
            "region": icbs["icb_code"].map(icb_region).map(REGIONS).fillna(""),
            "icb_code": icbs["icb_code"],
            "icb_name": icbs["icb_name"],
            "open_date": "",
            "close_date": "",
            "successor": "",
        }
    )
    out = pd.concat([trusts, boards], ignore_index=True)[REFERENCE_COLUMNS]
    return out.sort_values(["kind", "org_code"], kind="stable").reset_index(drop=True)


def _iso(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.strftime("%Y-%m-%d").fillna("")


@lru_cache(maxsize=1)
def shipped() -> Organisations:
    """The snapshot shipped with the package."""
    meta = json.loads(SNAPSHOT_META_FILE.read_text(encoding="utf-8"))
    frame = pd.read_csv(SNAPSHOT_FILE, dtype=str, keep_default_na=False)
    return Organisations(frame, f"ODS organisation reference, snapshot {meta['snapshot']} (shipped; {meta['licence']})")


def read_organisations(paths: Sequence[str | Path]) -> Organisations:
    """Read ODS etr exports (or files in the snapshot's layout); later files win for the same code.

    ICB names, which the etr does not carry, come from the shipped snapshot's ICB list.
    """
    base = shipped().frame
    icbs = base[base["kind"] == "icb"]
    parts = []
    for p in paths:
        head = Path(p).read_bytes()[:200].decode("utf-8-sig", errors="replace").split("\n", 1)[0]
        if head.replace('"', "").startswith("org_code,"):
            frame = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            missing = [c for c in REFERENCE_COLUMNS if c not in frame.columns]
            if missing:
                raise InputError(f"missing column {missing[0]!r} of the organisation reference", file=str(p), row=1, column=missing[0])
            parts.append(frame[REFERENCE_COLUMNS])
        else:
            parts.append(frame_from_etr(read_ods_etr(p), icbs)[lambda f: f["kind"] == "trust"])
    frame = pd.concat([*parts, icbs[REFERENCE_COLUMNS]], ignore_index=True).drop_duplicates("org_code", keep="first")
    return Organisations(frame.reset_index(drop=True), "ODS organisation reference from " + ", ".join(Path(p).name for p in paths))


def attach(inputs: OversightInputs, reference: Organisations) -> OversightInputs:
    """Give every organisation its region (NHS England's name) and ICB code and name.

    Values the input states itself are kept (an ICB named in a wide file, say); blanks are filled
    from the reference. Organisations the reference does not hold are kept, with a warning; so are
    trusts closed before the quarter (a merged trust), with a note of when and into which trust.
    """
    orgs = inputs.orgs.copy()
    ref = reference.lookup()
    codes = orgs["org_code"].astype(str).str.strip().str.upper()
    found = codes.isin(ref.index).to_numpy()
    hit = ref.reindex(codes)

    def fill(column: str, from_ref: str) -> None:
        own = orgs[column].fillna("").astype(str).str.strip().to_numpy(dtype=object)
        theirs = hit[from_ref].fillna("").to_numpy(dtype=object)
        orgs[column] = np.where(own == "", theirs, own)

    ref_region = hit["region"].fillna("").to_numpy(dtype=object)
    own_region = orgs["region"].fillna("").astype(str).map(region_name).to_numpy(dtype=object)
    orgs["region"] = np.where(ref_region != "", ref_region, own_region)
    fill("icb_code", "icb_code")
    names = ref["org_name"].where(ref["kind"] == "icb").dropna()
    own_name = orgs["icb_name"].fillna("").astype(str).str.strip()
    orgs["icb_name"] = np.where(own_name == "", orgs["icb_code"].map(names).fillna(""), own_name)

    notes = list(inputs.notes)
    if (~found).any():
        missing = sorted(codes[~found])
        listed = ", ".join(missing[:8]) + (" ..." if len(missing) > 8 else "")
        notes.append(
            f"{len(missing)} organisation(s) are not in the {reference.source.split(' (')[0]}: {listed}; they are kept, "
            "with the region their file states and no ICB (give a newer ODS export with --organisations)"
        )
    notes.extend(_closed_notes(codes[found], hit[found], inputs.period))
    return replace(inputs, orgs=orgs, notes=tuple(notes), reference=reference.source)


def _closed_notes(codes: pd.Series, rows: pd.DataFrame, period: str | None) -> list[str]:
    """Trusts the reference shows as closed before the quarter ends (merged into a successor)."""
    if not period:
        return []
    end = pd.Timestamp(Quarter.parse(period).months[2]) + pd.offsets.MonthEnd(0)
    closed = pd.to_datetime(rows["close_date"].replace("", None), errors="coerce")
    out = []
    for code, when, successor in zip(codes, closed, rows["successor"].fillna(""), strict=True):
        if pd.notna(when) and when < end:
            into = f", succeeded by {successor}" if successor else ""
            out.append(f"{code} closed on {when:%Y-%m-%d}{into}; its region and ICB are those it last had")
    return out
