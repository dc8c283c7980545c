"""With a history database (--db): funnel plots on metric pages and SPC icons on trust pages.

The history is made here: A&E monthly files for twelve of the SYNTHETIC acute trusts over six
quarters (2024/25 Q1 to 2025/26 Q2), with numbers chosen so that the expected outlier and the
expected special cause are known in advance.
"""

from __future__ import annotations

import calendar

import pytest
from fastapi.testclient import TestClient

from nhs_oversight import history
from nhs_oversight.stats.spc import VARIATION_WORDS
from nhs_oversight.web.app import create_app
from nhs_oversight.web.site import Site, SiteOptions
from web_support import synthetic_assessments, text_of

AE_HEADER = (
    "Period,Org Code,Parent Org,Org name,A&E attendances Type 1,A&E attendances Type 2,"
    "A&E attendances Other A&E Department,Attendances over 4hrs Type 1,Attendances over 4hrs Type 2,"
    "Attendances over 4hrs Other Department"
)
MONTHS = [(2024, m) for m in range(4, 13)] + [(2025, m) for m in range(1, 10)]  # Apr 2024 - Sep 2025
ORGS = [f"Z0{c}" for c in "0123456789AB"]
OUTLIER = "Z05"  # half its attendances wait over 4 hours; the others about one in five
IMPROVER = "Z00"  # 70% within 4 hours for five quarters, then 95%


def month_rows(year: int, month: int) -> dict[str, tuple[int, int]]:
    last_quarter = (year, month) >= (2025, 7)
    rows = {}
    for i, org in enumerate(ORGS):
        attendances = 4000 + 150 * i
        if org == OUTLIER:
            over = attendances // 2
        elif org == IMPROVER:
            over = attendances // 20 if last_quarter else int(attendances * (0.30 if month % 2 else 0.29))
        else:
            over = int(attendances * (0.18 + 0.005 * (i % 3)))
        rows[org] = (attendances, over)
    return rows


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("history")
    files = []
    for year, month in MONTHS:
        name = calendar.month_name[month].upper()
        lines = [AE_HEADER] + [
            f"MSitAE-{name}-{year},{org},NHS ENGLAND LONDON,{org} TRUST,{att},0,0,{over},0,0"
            for org, (att, over) in month_rows(year, month).items()
        ]
        p = folder / f"ae-{year}-{month:02d}.csv"
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(p)
    path = folder / "history.duckdb"
    history.ingest_files(files, path)
    return path


@pytest.fixture(scope="module")
def client(db):
    current, previous = synthetic_assessments()
    return TestClient(create_app(Site(current, previous, history_db=db, options=SiteOptions(draws=20))))


def test_metric_page_draws_a_funnel_from_numerators_and_denominators(client):
    data = client.get("/api/metric/OF0013").json()
    f = data["funnel"]
    assert f["available"], f.get("reason")
    assert {p["label"] for p in f["points"]} == set(ORGS)
    rows = [month_rows(y, m) for y, m in MONTHS if (y, m) >= (2025, 7)]
    num = sum(r[o][0] - r[o][1] for r in rows for o in ORGS)
    den = sum(r[o][0] for r in rows for o in ORGS)
    assert f["target"] == pytest.approx(num / den, rel=1e-9)  # pooled proportion within 4 hours
    outliers = {p["label"] for p in f["outliers"]}
    assert OUTLIER in outliers
    html = client.get("/metric/OF0013").text
    funnel = html.split('id="metric-OF0013-funnel"')[1]
    assert "Trusts outside the 95% limits" in funnel and OUTLIER in text_of(funnel)
    assert 'role="img"' in funnel  # the funnel chart itself


def test_metric_without_counts_says_why(client):
    data = client.get("/api/metric/OF0003").json()["funnel"]
    assert not data["available"] and "OF0003" in data["reason"]


def test_trust_page_shows_no_spc_icons_for_six_quarters(client):
    """Six quarters are too few for Making Data Count limits (13): plain values and a note, no icon."""
    data = client.get("/api/trust/" + IMPROVER).json()
    assert data["spc"]["available"]
    line = next(m for m in data["metrics"] if m["metric_id"] == "OF0013")
    assert line["points"] == 6
    assert line["variation_icon"] is None and line["assurance_icon"] is None
    assert "Only 6 consecutive points: Making Data Count needs 13" in line["spc_summary"]
    html = client.get("/trust/" + IMPROVER).text
    row = html.split('data-metric="OF0013"')[1].split("</tr>")[0]
    assert 'src="data:image/svg+xml;base64,' not in row
    assert VARIATION_WORDS["improvement_high"] not in row


def test_trust_without_history_still_has_a_page(client):
    r = client.get("/api/trust/Z10")
    assert r.status_code == 200
    assert not r.json()["spc"]["available"] and "Z10" in r.json()["spc"]["reason"]


def test_serve_refuses_a_missing_database(tmp_path, capsys):
    from nhs_oversight.cli import main

    assert main(["serve", "--synthetic", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no history database" in capsys.readouterr().err
