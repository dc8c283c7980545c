"""Every option of `serve` and `report`, and every page of the dashboard, is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from fastapi import FastAPI

from nhs_oversight.cli import app
from nhs_oversight.web.app import create_app
from nhs_oversight.web.query import LeagueQuery
from web_support import synthetic_site

DOC = (Path(__file__).resolve().parents[1] / "docs" / "dashboard.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["serve", "report"])
def test_every_option_is_documented(command):
    click_command = typer.main.get_command(app).commands[command]
    for param in click_command.params:
        for opt in param.opts:
            if opt.startswith("--"):
                assert f"`{opt}" in DOC, f"{command} {opt} is not in docs/dashboard.md"


def test_every_page_is_documented():
    fastapi_app = create_app(synthetic_site())
    while not isinstance(fastapi_app, FastAPI):  # through the middleware layers
        fastapi_app = fastapi_app.app
    paths = {r.path for r in fastapi_app.routes if not r.path.startswith(("/api", "/static"))}
    assert paths >= {"/", "/league", "/trust/{code}", "/metric/{metric_id}"}
    documented = set(re.findall(r"\| `(/[^`?]*)", DOC))
    for path in paths:
        doc_form = re.sub(r"\{metric_id\}", "{OF id}", path)
        doc_form = re.sub(r"/icb/\{code\}", "/icb/{ICB code}", doc_form)
        doc_form = re.sub(r"\{code\}", "{ODS code}", doc_form)
        assert doc_form in documented, f"page {path} is not in docs/dashboard.md"


def test_every_league_parameter_is_documented():
    for name in LeagueQuery.PARAMS:
        assert f"`{name}`" in DOC
