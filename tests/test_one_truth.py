"""One figure, one place: every surface shows the same figures for the same input.

The acute Q1 file is assessed through each surface as a user would reach it: the CLI's JSON
(`segment`, `uncertainty`), the dashboard's JSON twin (in-process), the briefing's JSON, and the
Excel board pack read back with openpyxl. None of them is given draws or a seed, so the test
also checks that they share one set of defaults.
"""

from __future__ import annotations

import json
from collections import Counter

import openpyxl
import pytest
from typer.testing import CliRunner

from nhs_oversight.cli import app
from nhs_oversight.uncertainty.defaults import UNCERTAINTY_DRAWS, UNCERTAINTY_SEED

runner = CliRunner()
TRUSTS = ("RA2", "R0A", "RP6")  # RA2: the trust whose uncertainty differed between surfaces


def cli_json(*args: str) -> dict:
    r = runner.invoke(app, [*args, "--format", "json", "--quiet"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def surfaces(acute_q1, tmp_path_factory):
    from fastapi.testclient import TestClient

    from nhs_oversight.commands.common import site_from_options
    from nhs_oversight.commands.options import DRAWS, SEED
    from nhs_oversight.web.app import create_app

    f = str(acute_q1)
    site = site_from_options([acute_q1], None, None, "nof-2025-26", None, False, False, None, DRAWS.default, SEED.default)
    client = TestClient(create_app(site))
    pack = tmp_path_factory.mktemp("pack") / "pack.xlsx"
    r = runner.invoke(app, ["--quiet", "report", f, "-o", str(pack)])
    assert r.exit_code == 0, r.output
    return {
        "segment": {row["org_code"]: row for row in cli_json("segment", f)["rows"]},
        "uncertainty": cli_json("uncertainty", f),
        "brief": cli_json("brief", f),
        "web_trust": {c: client.get(f"/api/trust/{c}").json() for c in TRUSTS},
        "web_overview": client.get("/api/").json(),
        "excel": openpyxl.load_workbook(pack, read_only=True),
    }


def sheet_rows(wb, name: str) -> dict[str, dict]:
    rows = wb[name].iter_rows(values_only=True)
    header = next(rows)
    return {r[0]: dict(zip(header, r, strict=False)) for r in rows if r[0]}


def test_the_defaults_are_one_set():
    from nhs_oversight.brief import DRAWS as BRIEF_DRAWS
    from nhs_oversight.brief import SEED as BRIEF_SEED
    from nhs_oversight.commands.options import DRAWS, SEED
    from nhs_oversight.web.site import SiteOptions

    assert (DRAWS.default, SEED.default) == (UNCERTAINTY_DRAWS, UNCERTAINTY_SEED)
    assert (SiteOptions().draws, SiteOptions().seed) == (UNCERTAINTY_DRAWS, UNCERTAINTY_SEED)
    assert (BRIEF_DRAWS, BRIEF_SEED) == (UNCERTAINTY_DRAWS, UNCERTAINTY_SEED)


def test_segment_rank_and_average_agree_everywhere(surfaces):
    league = sheet_rows(surfaces["excel"], "League table")
    for code in TRUSTS:
        cli = surfaces["segment"][code]
        web = surfaces["web_trust"][code]["org"]
        xl = league[code]
        assert (web["final_segment"], web["rank"], web["average_score"]) == (cli["final_segment"], cli["rank"], cli["average_score"])
        assert (xl["Final segment"], xl["Rank"], xl["Average score"]) == (cli["final_segment"], cli["rank"], cli["average_score"])


def test_uncertainty_ranges_agree_everywhere(surfaces):
    u = surfaces["uncertainty"]
    assert (u["meta"]["uncertainty"]["draws"], u["meta"]["uncertainty"]["seed"]) == (UNCERTAINTY_DRAWS, UNCERTAINTY_SEED)
    cli = {r["org_code"]: r for r in u["rows"]}
    xl = sheet_rows(surfaces["excel"], "Uncertainty")
    keys = ("p_same", "average_low", "average_high", "rank_low", "rank_high")
    for code in TRUSTS:
        web = surfaces["web_trust"][code]["uncertainty"]
        assert web["available"]
        assert {k: web["row"][k] for k in keys} == {k: cli[code][k] for k in keys}
        got = (xl[code]["Chance of the same segment"], xl[code]["Average score, low"], xl[code]["Average score, high"],
               xl[code]["Rank, low"], xl[code]["Rank, high"])
        assert got == tuple(cli[code][k] for k in keys)
    ra2 = cli["RA2"]  # the figures the issue found on the command line, now everywhere
    assert (ra2["average_low"], ra2["average_high"], ra2["rank_low"], ra2["rank_high"]) == (1.62, 2.49, 27, 82)
    # the briefing's count of uncertain segments is counted from the same simulation
    labels = Counter(r["label"] for r in u["rows"])
    caution = _figures_with(surfaces["brief"], "draws")
    assert (caution["draws"], caution["seed"]) == (UNCERTAINTY_DRAWS, UNCERTAINTY_SEED)
    assert {k: caution[k] for k in ("stable", "probable", "uncertain")} == {k: labels[k] for k in ("stable", "probable", "uncertain")}


def test_segment_counts_and_the_segment_4_region_agree_everywhere(surfaces):
    counts = Counter(str(r["final_segment"]) for r in surfaces["segment"].values())
    assert surfaces["brief"]["segment_counts"] == {k: counts[k] for k in "12345"}
    national = surfaces["web_overview"]["national"]
    assert {str(k): national[f"segment_{k}"] for k in range(1, 6)} == surfaces["brief"]["segment_counts"]
    by_type = sheet_rows(surfaces["excel"], "Segments by trust type")["Acute trust"]
    assert {str(k): by_type[f"Segment {k} (count)"] for k in range(1, 6)} == surfaces["brief"]["segment_counts"]
    # "the region with the largest share in segment 4" is the same region and share in the
    # briefing and on the dashboard's overview (the issue found 43% against 36%)
    seg4 = next(f for f in _all_figures(surfaces["brief"]) if f.get("segments") == [4] and "groups" in f)
    (region, share), = seg4["groups"].items()
    assert surfaces["web_overview"]["segment4_headline"].startswith(f"{region} has the largest share of trusts in segment 4: {share['percent']}%")
    regions = sheet_rows(surfaces["excel"], "Segments by region")
    assert regions[region]["Segment 4 (count)"] == share["count"] and regions[region]["Organisations"] == share["trusts"]


def _all_figures(briefing: dict):
    def walk(x):
        if isinstance(x, dict):
            if isinstance(x.get("figures"), dict):
                yield x["figures"]
            for v in x.values():
                yield from walk(v)
        elif isinstance(x, list):
            for v in x:
                yield from walk(v)

    return list(walk(briefing["sections"]))


def _figures_with(briefing: dict, key: str) -> dict:
    return next(f for f in _all_figures(briefing) if key in f)
