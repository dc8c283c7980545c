"""Every command is in the README, every option is documented (README or docs/), and every path
docs/architecture.md names exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from nhs_oversight.cli import app

REPO = Path(__file__).resolve().parents[1]


def test_every_command_and_option_is_documented():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    docs = readme + "".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").glob("*.md")))
    group = typer.main.get_command(app)
    missing = []
    for name, command in group.commands.items():
        if f"oversight {name}" not in readme:
            missing.append(f"command {name} (README)")
        for param in command.params:
            if getattr(param, "hidden", False):
                continue  # an earlier name kept working, see test_one_option_vocabulary
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help" and opt not in docs:
                    missing.append(f"{name} {opt}")
    assert not missing, "undocumented: " + ", ".join(missing)


def test_readme_shows_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme


#: The words --format may take, on every command.
FORMAT_WORDS = {"table", "csv", "json", "xlsx", "parquet", "markdown", "html", "svg", "png"}
#: Earlier option names that still work but are hidden and no longer documented.
EARLIER_NAMES = {"--out", "--dest"}


def test_one_option_vocabulary():
    """-o/--output for every file written, --org for one organisation, the same format words."""
    import re

    group = typer.main.get_command(app)
    wrong = []
    for name, command in group.commands.items():
        for param in command.params:
            opts = set(param.opts)
            if getattr(param, "hidden", False):
                if not opts <= EARLIER_NAMES | {"--trust"}:
                    wrong.append(f"{name}: hidden option {sorted(opts)}")
                continue
            if opts & EARLIER_NAMES or opts & {"--trust", "--organisation", "--dest", "--out", "--file-out"}:
                if "--trust" in opts and name == "report":
                    continue  # renamed on the report's own branch
                wrong.append(f"{name}: {sorted(opts)} (use -o/--output or --org)")
            if "--output" in opts and "-o" not in opts:
                wrong.append(f"{name}: --output without -o")
            if "--format" in opts:
                words = set(re.findall(r"[a-z]+", (param.help or "").split("(")[0])) - {"or", "a", "the", "every", "view", "one", "sheet", "each", "funnel", "chart", "summary", "of", "what", "was", "loaded"}
                if not words <= FORMAT_WORDS:
                    wrong.append(f"{name} --format: {sorted(words - FORMAT_WORDS)}")
                if "text" in (param.help or "").split("(")[0]:
                    wrong.append(f"{name} --format: say table, not text")
    assert not wrong, "; ".join(wrong)


def test_docs_use_the_vocabulary():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    docs = readme + "".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").glob("*.md")))
    for stale in ("--dest ", "--dest`", "--out ", "--out`", "--format text"):
        assert stale not in docs, f"docs still use {stale.strip()!r}"
    for word in ("-o/--output", "--org", "--verbose", "--quiet", "wrote PATH"):
        assert word in docs


ARCHITECTURE = REPO / "docs" / "architecture.md"
#: Paths docs/architecture.md names that arrive with the scoring rules' own change.
RULES_DIR = REPO / "src" / "nhs_oversight" / "engine" / "rules"
PENDING = ("src/nhs_oversight/engine/rules", "tests/test_rules.py")


def named_paths(text: str) -> list[str]:
    """Paths in backquotes that start at the repository (src/, tests/, docs/) or the package."""
    found = re.findall(r"`((?:src|tests|docs|nhs_oversight)/[^`\s]*)`", text)
    return [("src/" + p if p.startswith("nhs_oversight/") else p) for p in dict.fromkeys(found)]


def test_named_paths_are_read_from_backquotes() -> None:
    text = "see `src/a/b.py`, `nhs_oversight/c/<name>.html`, `tests/x.py` and `render/pages.py`; not src/d.py"
    assert named_paths(text) == ["src/a/b.py", "src/nhs_oversight/c/<name>.html", "tests/x.py"]


def test_every_path_docs_architecture_names_exists() -> None:
    # <name> stands for any name: at least one file must match the pattern
    paths = named_paths(ARCHITECTURE.read_text(encoding="utf-8"))
    assert len(paths) >= 20
    absent = [p for p in paths if not list(REPO.glob(re.sub(r"<[^>]+>", "*", p).rstrip("/")))
              and not (p.startswith(PENDING) and not RULES_DIR.is_dir())]
    assert absent == [], f"docs/architecture.md names paths that do not exist: {absent}"


def test_the_scoring_rules_paths_of_docs_architecture_exist() -> None:
    if not RULES_DIR.is_dir():
        pytest.skip("src/nhs_oversight/engine/rules/ arrives with the scoring rules as modules (issue 14); "
                    "its paths in docs/architecture.md are checked once it exists")
    paths = [p for p in named_paths(ARCHITECTURE.read_text(encoding="utf-8")) if p.startswith(PENDING)]
    assert paths and all(list(REPO.glob(re.sub(r"<[^>]+>", "*", p).rstrip("/"))) for p in paths), paths
