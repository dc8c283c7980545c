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
