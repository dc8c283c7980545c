"""Timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import time


def best_of(fn, repeat: int):
    """Best wall-clock and best CPU time of ``repeat`` runs (CPU time is steadier on a busy machine)."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - w0)
    return min(walls), min(cpus), result


def tests_on_path() -> None:
    """Put ``tests/`` on the import path: the plain reference implementations baselines compare
    against are test code, not part of the package."""
    import sys
    from pathlib import Path

    folder = str(Path(__file__).resolve().parents[1] / "tests")
    if folder not in sys.path:
        sys.path.insert(0, folder)
