"""The examples in the package's docstrings run, and show what the code returns.

Every module whose docstrings hold a ``>>>`` example is found by reading the sources, so a new
example is checked without listing it here.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import nhs_oversight

PACKAGE = Path(nhs_oversight.__file__).parent


def _modules_with_examples() -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ">>>" in path.read_text(encoding="utf-8"):
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
            out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


MODULES = _modules_with_examples()


def test_examples_are_found():
    assert "nhs_oversight.stats.funnel" in MODULES and len(MODULES) >= 10


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.attempted > 0, f"{name} has '>>>' but doctest found no example"
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} fail (run pytest -s to see them)"
