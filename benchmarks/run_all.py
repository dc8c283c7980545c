"""Run every benchmark script in turn (``make bench``), each in its own process.

Each ``bench_*.py`` prints its figures next to a baseline measured in the same run; this runner
only starts them one after another with the same Python, so one that cannot run here (no wrk,
no Java) is reported and the others still run. Exit code: 0 when all ran, 1 otherwise.

Run: ``.venv/bin/python benchmarks/run_all.py [engine spc ...]`` (default: all of them)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts() -> dict[str, Path]:
    """The benchmark scripts by short name: ``bench_engine.py`` is ``engine``."""
    return {p.stem.removeprefix("bench_"): p for p in sorted(HERE.glob("bench_*.py"))}


def main(argv: list[str] | None = None) -> int:
    found = scripts()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run (default: all): {', '.join(found)}")
    names = parser.parse_args(argv).names or list(found)
    unknown = [n for n in names if n not in found]
    if unknown:
        parser.error(f"no benchmark {unknown[0]!r}; choose from {', '.join(found)}")
    failed = []
    for name in names:
        print(f"== {name} ({found[name].name})", flush=True)
        if subprocess.run([sys.executable, str(found[name])], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"did not complete: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
