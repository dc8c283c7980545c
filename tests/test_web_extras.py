"""The dashboard finds each optional analysis module in a fresh process, whatever was imported before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def test_every_optional_module_is_found_in_a_fresh_process() -> None:
    # `nhs_oversight.explain` is both a subpackage and a lazy name of the package's API; a fresh
    # process (nothing else imported) is where the two were once confused
    code = ("from nhs_oversight.web import extras; "
            "print(sorted(m for m, load in extras.IMPORTERS.items() if getattr(load(), '__name__', None) != m))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(SRC)}, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_the_explanation_section_is_available_in_a_fresh_process() -> None:
    code = ("import nhs_oversight as no; from nhs_oversight.web import extras; "
            "m = extras.load('nhs_oversight.explain', 'explain', 'The explanation'); "
            "e = m.explain(no.assess(no.synthetic_inputs()), 'Z00'); print(type(m).__name__, e.org_code)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(SRC)}, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["_CallablePackage", "Z00"]
