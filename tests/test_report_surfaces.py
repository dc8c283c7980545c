"""One figure on every surface: the dashboard page, its JSON twin, the CSV download, the HTML report
and the Excel pack show the same segment, average, rank and uncertainty for the same input and
the same simulation settings.
"""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from nhs_oversight.cli import app
from nhs_oversight.web.app import create_app
from nhs_oversight.web.site import Site, SiteOptions
from web_support import field, synthetic_assessments

DRAWS, SEED = 40, 11
TRUSTS = ["Z00", "Z0C", "Z2D"]


@pytest.fixture(scope="module")
def surfaces(tmp_path_factory):
    folder = tmp_path_factory.mktemp("surfaces")
    current, previous = synthetic_assessments()
    client = TestClient(create_app(Site(current, previous, options=SiteOptions(draws=DRAWS, seed=SEED))))
    runner = CliRunner()
    html_path, xlsx_path = folder / "report.html", folder / "pack.xlsx"
    for out, extra in ((html_path, [a for t in TRUSTS for a in ("--org", t)]), (xlsx_path, [])):
        r = runner.invoke(app, ["report", "--synthetic", "-o", str(out), "--draws", str(DRAWS), "--seed", str(SEED), *extra],
                          catch_exceptions=False)
        assert r.exit_code == 0, r.output
    return {"client": client, "report": html_path.read_text(encoding="utf-8"), "pack": openpyxl.load_workbook(xlsx_path),
            "assessment": current}


def sheet_rows(ws) -> dict[str, dict[str, object]]:
    heads = [c.value for c in ws[1]]
    return {row[heads.index("ODS code")]: dict(zip(heads, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)}


@pytest.mark.parametrize("code", TRUSTS)
def test_the_same_trust_shows_the_same_figures_everywhere(surfaces, code):
    a = surfaces["assessment"]
    org = a.org(code)
    client = surfaces["client"]
    api = client.get(f"/api/trust/{code}").json()
    page = client.get(f"/trust/{code}").text
    league_csv = {r["org_code"]: r for r in csv.DictReader(io.StringIO(client.get("/download/league/league.csv").text))}
    report_trust = surfaces["report"].split(f'id="trust-{code}"')[1].split("</section>")[0]
    report_league = surfaces["report"].split('id="league"')[1].split("</section>")[0]
    xlsx_league = sheet_rows(surfaces["pack"]["League table"])
    xlsx_unc = sheet_rows(surfaces["pack"]["Uncertainty"])

    # the engine's figures
    assert api["org"]["average_score"] == org["average_score"] == float(league_csv[code]["average_score"]) == xlsx_league[code]["Average score"]
    assert api["org"]["final_segment"] == org["final_segment"] == int(league_csv[code]["final_segment"]) == xlsx_league[code]["Final segment"]
    assert api["org"]["rank"] == org["rank"] == int(league_csv[code]["rank"]) == xlsx_league[code]["Rank"]
    for html in (page, report_trust):
        assert field(html, "average_score") == f"{org['average_score']:.2f}"
        assert field(html, "rank").startswith(f"{org['rank']} of {org['rank_of']}")
    row = re.search(rf'<tr data-org="{code}">(.*?)</tr>', report_league, re.S).group(1)
    assert f">{org['average_score']:.2f}<" in row

    # the uncertainty simulation: same draws and seed, so the same chance and plausible ranks
    u = api["uncertainty"]["row"]
    assert api["uncertainty"]["method"]["draws"] == DRAWS and api["uncertainty"]["method"]["seed"] == SEED
    assert u["p_same"] == float(league_csv[code]["p_same"]) == xlsx_unc[code]["Chance of the same segment"]
    assert (u["rank_low"], u["rank_high"]) == (int(league_csv[code]["rank_low"]), int(league_csv[code]["rank_high"]))
    assert (u["rank_low"], u["rank_high"]) == (xlsx_unc[code]["Rank, low"], xlsx_unc[code]["Rank, high"])
    assert f"{round(100 * u['p_same'])}%" in row and f"{u['rank_low']}–{u['rank_high']}" in row
