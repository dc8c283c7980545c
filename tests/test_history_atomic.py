"""A load killed with SIGKILL in the middle of its transaction leaves the database as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nhs_oversight import history
from test_history import AE_HEADER, MONTHS, snapshot

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")



def ae_month_file(folder: Path, month: str, orgs: int) -> Path:
    """An A&E monthly file with many made-up organisations (codes Z00001 ...)."""
    stamp = f"MSitAE-{MONTHS[month]}-{month[:4]}"
    lines = [AE_HEADER] + [f"{stamp},Z{i:05d},R,N,{100 + i % 7},0,0,{i % 11},0,0" for i in range(orgs)]
    p = folder / f"ae-{month}.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


CHILD = r"""
import sys, time
from pathlib import Path
from nhs_oversight import history
from nhs_oversight.history import ingest

db, marker, *files = sys.argv[1:]
real_insert = ingest._insert_frame
inserted = []

def insert_then_pause(con, table, frame, sha):
    real_insert(con, table, frame, sha)
    inserted.append(len(frame))
    if len(inserted) == 2:  # two files' rows are in the open transaction
        Path(marker).write_text(str(sum(inserted)))
        time.sleep(120)

ingest._insert_frame = insert_then_pause
history.ingest_files(files, db)
"""


def test_sigkill_mid_ingest_leaves_database_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    history.ingest_files([ae_month_file(tmp_path, "2025-04", orgs=3)], db)
    before = snapshot(db)
    # large files, so the transaction has written well beyond a page before the kill
    big = [ae_month_file(tmp_path, m, orgs=15_000) for m in ("2025-05", "2025-06")]
    marker = tmp_path / "inside-transaction"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(marker), *map(str, big)])
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the loading process ended before reaching the pause"
            assert time.monotonic() < deadline, "timed out waiting for the load to start"
            time.sleep(0.05)
        assert int(marker.read_text()) == 30_000
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    after = snapshot(db)  # opens, replays whatever the log holds, and reads every table
    assert after.keys() == before.keys()
    for table in before:
        assert after[table].equals(before[table]), table
    # and it still works: the same files load completely afterwards
    results = history.ingest_files(big, db)
    assert [r.status for r in results] == ["loaded"] * 2
    assert len(snapshot(db)["raw_ae_monthly"]) == 3 + 30_000
