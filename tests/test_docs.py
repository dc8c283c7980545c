"""Every command is in the README and every option is documented (README or docs/)."""

from __future__ import annotations

from pathlib import Path

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
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help" and opt not in docs:
                    missing.append(f"{name} {opt}")
    assert not missing, "undocumented: " + ", ".join(missing)


def test_readme_shows_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
