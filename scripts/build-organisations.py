#!/usr/bin/env python3
"""Build the shipped organisation reference from ODS's trust list (etr) and the ICB list.

    python scripts/build-organisations.py [ETR_CSV] [ICB_CSV]

Defaults read ../shared/data/reference/ods-etr-trusts-2025-11.csv and icb-2022.csv. Writes
src/nhs_oversight/data/reference/organisations.csv (one row per NHS trust and ICB: ODS code, name,
kind, NHS England region code and name, ICB code and name, open and close dates, successor of a
merged trust) and organisations.json (source, snapshot date, licence). Both files are Open
Government Licence v3.0 data of NHS England's Organisation Data Service.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from nhs_oversight.derive.successors import KNOWN_SUCCESSIONS  # noqa: E402
from nhs_oversight.sources.ods import REGIONS, read_ods_etr, read_trust_reference  # noqa: E402
from nhs_oversight.sources.organisations import SNAPSHOT, SNAPSHOT_META, frame_from_etr  # noqa: E402
from nhs_oversight.util.files import atomic_write_text  # noqa: E402


def main(argv: list[str]) -> int:
    shared = ROOT.parent / "shared" / "data" / "reference"
    etr_path = Path(argv[0]) if argv else shared / "ods-etr-trusts-2025-11.csv"
    icb_path = Path(argv[1]) if len(argv) > 1 else shared / "icb-2022.csv"
    icbs = read_trust_reference(icb_path)
    frame = frame_from_etr(read_ods_etr(etr_path), icbs, successors={p: s for p, s, _, _ in KNOWN_SUCCESSIONS})
    out = ROOT / SNAPSHOT
    atomic_write_text(out, frame.to_csv(index=False, lineterminator="\n"))
    month = re.search(r"(\d{4})-(\d{2})", etr_path.name)
    meta = {
        "source": f"NHS England Organisation Data Service: etr (NHS trusts) {etr_path.name}; ICB names from {icb_path.name}",
        "snapshot": f"{month.group(1)}-{month.group(2)}" if month else "unknown",
        "licence": "Open Government Licence v3.0 (Crown copyright)",
        "built_by": "scripts/build-organisations.py",
        "regions": REGIONS,
        "trusts": int((frame["kind"] == "trust").sum()),
        "icbs": int((frame["kind"] == "icb").sum()),
    }
    atomic_write_text(ROOT / SNAPSHOT_META, json.dumps(meta, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}: {meta['trusts']} trusts, {meta['icbs']} ICBs (snapshot {meta['snapshot']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
