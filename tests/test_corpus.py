"""The bad-input corpus (tests/corpus, built by scripts/make-corpus.py from the real NHS files).

Every case runs the CLI in-process and must give its exit code, one error line holding its
words, no traceback, and no output file (or database) left behind when it fails.
``python tests/test_corpus.py`` prints how many cases pass in each category.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import threading
from pathlib import Path

import pytest

import nhs_oversight

CORPUS = Path(__file__).resolve().parent / "corpus"
PACKAGE = Path(nhs_oversight.__file__).resolve().parent  #: ``{package}`` in a case: the shipped data
CASES = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["cases"]
LONG_LINE = 2 * 1024 * 1024  # twice the longest line a reader accepts


def _special(name: str, tmp: Path, stack: contextlib.ExitStack) -> str:
    """Inputs that cannot be committed: a FIFO (with a writer that gives up) and a huge line."""
    if name == "long_line":
        p = tmp / "one-long-line.csv"
        p.write_bytes(b"Trust_code," + b"9" * LONG_LINE)
        return str(p)
    if name == "fifo":
        p = tmp / "pipe.csv"
        os.mkfifo(p)

        def release() -> None:  # a reader that blocks on the FIFO is let go after a while
            with contextlib.suppress(OSError), open(p, "wb"):
                pass

        t = threading.Timer(5.0, release)
        t.daemon = True
        t.start()
        stack.callback(t.cancel)

        def unblock() -> None:  # if the timer's writer is waiting for a reader, give it one
            with contextlib.suppress(OSError):
                os.close(os.open(p, os.O_RDONLY | os.O_NONBLOCK))

        stack.callback(unblock)
        return str(p)
    raise ValueError(name)


def _expand(arg: str, tmp: Path, stack: contextlib.ExitStack) -> str:
    if arg.startswith("{special:"):
        return _special(arg[len("{special:") : -1], tmp, stack)
    return (
        arg.replace("{corpus}", str(CORPUS)).replace("{package}", str(PACKAGE)).replace("{tmp}", str(tmp))
        .replace("{out}", str(tmp / "out.csv")).replace("{db}", str(tmp / "history.duckdb"))
    )


def run_case(case: dict, tmp: Path) -> list[str]:
    """Run one case; return what is wrong with the outcome (empty when it is as expected)."""
    from nhs_oversight.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        args = [_expand(a, tmp, stack) for a in case["args"]]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(args)
            except BaseException as exc:
                code = f"raised {type(exc).__name__}: {exc}"
    stderr, stdout = err.getvalue(), out.getvalue()
    problems = []
    if code != case["exit"]:
        problems.append(f"exit {code}, expected {case['exit']}: {stderr.strip()[-300:]}")
    if "Traceback" in stderr or "Traceback" in stdout:
        problems.append("traceback")
    if case["exit"] == 2:
        lines = [ln for ln in stderr.splitlines() if ln.lower().startswith("error:")]
        if len(lines) != 1:
            problems.append(f"{len(lines)} error lines: {stderr.strip()[-300:]}")
        text = " ".join(lines)
    else:
        text = stderr
    missing = [w for w in case["words"] if w not in text]
    if missing and code == case["exit"]:
        problems.append(f"message lacks {missing}: {text.strip()[:300]}")
    if case["exit"] != 0:
        if case.get("output") and Path(_expand(case["output"], tmp, contextlib.ExitStack())).exists():
            problems.append("output left behind after a failure")
        left = [p.name for p in tmp.iterdir() if p.name.endswith(".tmp")]
        if left:
            problems.append(f"temporary files left behind: {left}")
    return problems


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_corpus_case(case, tmp_path):
    problems = run_case(case, tmp_path)
    assert not problems, f"{case['id']}: {'; '.join(problems)}"


def test_corpus_is_broad():
    """At least 150 cases, touching every reader and the main commands."""
    assert len(CASES) >= 150
    commands = {c["args"][0] for c in CASES}
    assert {"segment", "verify", "explain", "ingest", "derive", "spc", "funnel", "culture", "nowcast"} <= commands
    size = sum(p.stat().st_size for p in (CORPUS / "files").iterdir())
    assert size < 5_000_000


def summary(skip: set[str] = frozenset()) -> dict[str, list[int]]:  # pragma: no cover - a report
    """Pass and total per category (cases named in ``skip`` count as failures, not run)."""
    import tempfile

    counts: dict[str, list[int]] = {}
    for case in CASES:
        c = counts.setdefault(case["category"], [0, 0])
        c[1] += 1
        if case["id"] in skip:
            print(f"SKIP {case['id']}")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            problems = run_case(case, Path(tmp))
        if problems:
            print(f"FAIL {case['id']}: {'; '.join(problems)[:400]}")
        else:
            c[0] += 1
    return counts


if __name__ == "__main__":  # pragma: no cover
    result = summary(set(sys.argv[1:]))
    for cat, (ok, total) in sorted(result.items()):
        print(f"{cat}: {ok}/{total}")
    print(f"all: {sum(v[0] for v in result.values())}/{sum(v[1] for v in result.values())}")
