"""What an analyst needs from the dashboard: table downloads, the API description, search on every
page, the trust page's order and segment history, standards and ties on metric pages, and the
method page in plain English. Figures are checked against the engine, not against the page.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import nhs_oversight as no
from nhs_oversight.render.evidence import plain
from nhs_oversight.web import downloads
from nhs_oversight.web.app import create_app
from nhs_oversight.web.site import Site, SiteOptions
from web_support import synthetic_assessments, synthetic_site, text_of

PAGES = ["/", "/league", "/trust/Z00", "/metrics", "/metric/OF0013", "/compare", "/method", "/briefing", "/docs"]


@pytest.fixture(scope="module")
def site():
    return synthetic_site()


@pytest.fixture(scope="module")
def client(site):
    return TestClient(create_app(site))


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# -- downloads -----------------------------------------------------------------------------------
def test_league_csv_equals_the_engine(client, site):
    r = client.get("/download/league/league.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="league-league-2025-26-Q2.csv"' in r.headers["content-disposition"]
    rows = read_csv(r.text)
    s = site.assessment.summary.set_index("org_code")
    assert {x["org_code"] for x in rows} == set(s.index)
    for x in rows:
        org = s.loc[x["org_code"]]
        assert float(x["average_score"]) == pytest.approx(org["average_score"], abs=0)  # full precision, not rounded for display
        assert int(x["final_segment"]) == org["final_segment"] and int(x["rank"]) == org["rank"]
        assert x["org_name"] == org["org_name"]


def test_league_download_keeps_the_page_filters(client, site):
    s = site.assessment.summary
    rows = read_csv(client.get("/download/league/league.csv", params={"region": "London", "segment": "3"}).text)
    expected = set(s.loc[(s["region"] == "London") & (s["final_segment"] == 3), "org_code"])
    assert {x["org_code"] for x in rows} == expected and expected
    assert client.get("/download/league/league.csv", params={"region": "Atlantis"}).status_code == 400


def test_json_download_is_the_page_table(client):
    page = client.get("/api/trust/Z00").json()
    r = client.get("/download/trust/Z00/metrics.json")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    data = r.json()
    assert data["table"] == "metrics" and data["meta"]["period"] == "2025/26 Q2" and data["meta"]["dataset"] == "SYNTHETIC"
    assert data["rows"] == page["metrics"]


def test_every_table_link_on_every_page_downloads(client):
    seen = 0
    for path in PAGES:
        html = client.get(path).text
        for href in re.findall(r'href="(/download/[^"]+)"', html):
            href = href.replace("&amp;", "&")
            r = client.get(href)
            assert r.status_code == 200, href
            if href.split("?")[0].endswith(".csv"):
                rows = read_csv(r.text)
                assert rows, f"{href} is empty"
            else:
                assert r.json()["rows"], href
            seen += 1
    assert seen >= 20


def test_trust_segment_history_download(client, site):
    current, previous = synthetic_assessments()
    rows = read_csv(client.get("/download/trust/Z00/segment-history.csv").text)
    assert [x["period"] for x in rows] == ["2025/26 Q1", "2025/26 Q2"]
    assert int(rows[0]["final_segment"]) == previous.org("Z00")["final_segment"]
    assert int(rows[1]["final_segment"]) == current.org("Z00")["final_segment"]


def test_cut_points_spread_over_columns(client, site):
    rows = read_csv(client.get("/download/method/cutpoints.csv").text)
    overall = next(x for x in rows if x["scale"] == "overall")
    assert [float(overall[f"values_{i}"]) for i in (1, 2, 3)] == pytest.approx(list(site.assessment.cutpoints["overall"].values))


def test_unknown_table_and_format_parameter(client):
    r = client.get("/download/league/nope.csv")
    assert r.status_code == 404 and "league" in r.text and "nope" in r.text
    assert client.get("/download/trust/NOPE/metrics.csv").status_code == 404
    assert client.get("/download/league/league.csv", params={"format": "json"}).status_code == 400


@pytest.mark.parametrize("text, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"),
    ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("Plain NHS Trust", "Plain NHS Trust"), ("a=b", "a=b"), (-2.5, -2.5),
])
def test_neutralise(text, expected):
    assert downloads.neutralise(text) == expected


def formula_site(folder) -> Site:
    names = ["=cmd|' /C calc'!A0 NHS Trust", "+SUM(1,2) Hospital", "-1+1 Trust", "@SUM(A1) Trust"] + [f"Plain Trust {i}" for i in range(8)]
    rows = []
    for i, name in enumerate(names):
        rows.append({"org_code": f"X{i:02d}", "org_name": name, "trust_type": "Acute trust", "region": "London",
                     "quarter": "2025/26 Q2", "OF0013": 60 + 2.5 * i, "OF0003": 0.2 * i, "OF0023": 50 + 2 * i,
                     "OF0010": 90 - 2 * i, "OF0011": 50 + 1.5 * i, "OF0014": 0.3 * i, "financial_flag": 0, "recovery_support": 0})
    path = folder / "formula-wide.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return Site(no.assess([path]), options=SiteOptions(draws=20, seed=1))


def test_csv_cells_cannot_become_formulas(tmp_path):
    client = TestClient(create_app(formula_site(tmp_path)))
    rows = read_csv(client.get("/download/league/league.csv").text)
    names = {x["org_code"]: x["org_name"] for x in rows}
    assert names["X00"] == "'=cmd|' /C calc'!A0 NHS Trust"
    assert names["X01"] == "'+SUM(1,2) Hospital" and names["X02"] == "'-1+1 Trust" and names["X03"] == "'@SUM(A1) Trust"
    assert names["X04"] == "Plain Trust 0"
    for x in rows:  # numbers stay numbers: no apostrophe in front of a number
        float(x["average_score"])
    # the JSON download and the page keep the name as it is
    assert client.get("/download/league/league.json").json()["rows"][0]["org_name"][0] != "'"


# -- API description ------------------------------------------------------------------------------
def test_openapi_lists_every_json_twin_and_download(client, site):
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    fastapi_app = create_app(site)
    while not isinstance(fastapi_app, FastAPI):  # through the middleware layers
        fastapi_app = fastapi_app.app
    api_routes = {r.path for r in fastapi_app.routes if r.path == "/api" or r.path.startswith(("/api/", "/download/"))}
    assert api_routes and set(doc["paths"]) == api_routes
    assert {"/api", "/api/league", "/api/trust/{code}", "/download/league/{table}.csv"} <= set(doc["paths"])
    league = doc["paths"]["/api/league"]["get"]
    assert {p["name"] for p in league["parameters"]} == {"region", "type", "icb", "segment", "q", "sort", "order"}
    trust = doc["paths"]["/api/trust/{code}"]["get"]
    assert [p["name"] for p in trust["parameters"]] == ["code"] and trust["parameters"][0]["in"] == "path"


def test_docs_page_lists_the_schema_and_loads_nothing_remote(client):
    r = client.get("/docs")
    assert r.status_code == 200
    doc = client.get("/openapi.json").json()
    for path in doc["paths"]:
        assert f'data-path="{path}"' in r.text
    assert "swagger" not in r.text.lower() and not re.search(r'(src|href)="https?://', r.text)


# -- search on every page ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
def test_search_box_on_every_page(client, path):
    html = client.get(path).text
    assert re.search(r'<form[^>]*action="/search"[^>]*role="search"', html)
    assert 'name="q"' in html and 'for="site-search"' in html


def test_search_goes_to_the_trust_or_the_league_table(client, site):
    r = client.get("/search", params={"q": " z00 "}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/trust/Z00"
    r = client.get("/search", params={"q": "teaching"}, follow_redirects=False)
    assert r.headers["location"] == "/league?q=teaching"
    found = client.get("/search", params={"q": "teaching"})
    expected = site.assessment.summary["org_name"].str.casefold().str.contains("teaching").sum()
    assert f"Showing {expected} of" in found.text
    assert client.get("/search", params={"q": "x" * 81}).status_code == 400
    assert client.get("/search", params={"z": "1"}).status_code == 400


# -- trust, metric and method pages -----------------------------------------------------------------
def test_trust_page_puts_the_metric_table_near_the_top(client):
    html = client.get("/trust/Z00").text
    order = [html.index(x) for x in ('id="trust-Z00-summary"', 'class="nhsuk-table oversight-metrics"', 'id="trust-Z00-fig-position"',
                                     'id="trust-Z00-history"', 'id="trust-Z00-explanation"', 'id="trust-Z00-domains"')]
    assert order == sorted(order)


def test_trust_page_segment_history(client):
    current, previous = synthetic_assessments()
    html = client.get("/trust/Z00").text
    for a in (previous, current):
        m = re.search(rf'data-period="{re.escape(a.period)}".*?data-value="(\d)"', html, re.S)
        assert m and int(m.group(1)) == a.org("Z00")["final_segment"]
    assert 'id="trust-Z00-fig-history"' in html and "<svg" in html.split('id="trust-Z00-fig-history"')[1][:3000]


def test_trust_page_without_previous_quarter_says_so():
    current, _ = synthetic_assessments()
    html = TestClient(create_app(Site(current, options=SiteOptions(draws=20)))).get("/trust/Z00").text
    assert "--previous FILES" in text_of(html) and 'id="trust-Z00-fig-history"' not in html


def test_metric_page_marks_the_standard(client, site):
    a = site.assessment
    m = a.framework.metric("OF0013")
    assert m.scoring.standard is not None
    html = client.get("/metric/OF0013").text
    standard = text_of(re.search(r'data-field="standard"[^>]*>(.*?)</dd>', html, re.S).group(1))
    meeting = int((a.metrics.loc[a.metrics["metric_id"] == "OF0013", "rule"] == "meets standard").sum())
    assert m.scoring.standard.describe(m.unit) in standard and f"({meeting} organisations do)" in standard


@pytest.mark.parametrize("metric_id", ["OF0005", "OF0014"])
def test_metric_page_shows_ties_as_ties(client, site, metric_id):
    a = site.assessment
    rows = a.metrics[(a.metrics["metric_id"] == metric_id) & a.metrics["rank"].notna()]
    tied, alone = rows[rows["tie_order"] == "tied"], rows[rows["tie_order"] != "tied"]  # the engine's own tie marks
    assert len(tied) and len(alone)
    html = client.get(f"/metric/{metric_id}").text
    table = html.split('data-table="all"')[1]

    def rank_cell(code: str) -> tuple[str, str]:
        m = re.search(rf'data-org="{code}".*?data-field="rank"([^>]*)>(.*?)</td>', table, re.S)
        return m.group(1), text_of(m.group(2))

    for _, r in tied.iterrows():
        attrs, text = rank_cell(r["org_code"])
        assert 'data-tied="true"' in attrs and text.startswith(f"={int(r['rank'])} of") and text.endswith("(tied)")
        assert len(rows[rows["rank"] == r["rank"]]) > 1  # a tie has company
    for code in alone["org_code"].head(10):
        attrs, text = rank_cell(code)
        assert "data-tied" not in attrs and not text.startswith("=")


@pytest.mark.parametrize("text, expected", [
    ("DOC M25", "Stated by NHS England (the NHS Oversight Framework 2025/26 methodology manual (26 June 2025))"),
    ("DATA Q1A 131/131: standard 80%", "Checked against NHS England's published figures (NHS England's file for acute trusts, "
                                       "2025/26 Q1 (134 trusts)): 131 of 131 trusts match: standard 80%"),
    ("INFER", "Inferred: consistent with NHS England's published figures, but not provable from them"),
    ("NOT FOUND: p is undefined", "Not published by NHS England: the reading chosen is the one that reproduces its published results: p is undefined"),
    ("CARRIED OVER from 2025/26", "Carried over from the 2025/26 method and assumed unchanged from 2025/26"),
    ("ranked within trust type", "ranked within trust type"),
    ("Quantile method NOT FOUND: numpy 'linear'", "Quantile method (not published by NHS England: the reading chosen is the one "
                                                  "that reproduces its published results): numpy 'linear'"),
])
def test_evidence_in_plain_english(text, expected):
    assert plain(text) == expected


def test_method_page_has_no_internal_shorthand(client):
    html = client.get("/method").text
    rules = text_of(html.split("<h2>Rules</h2>")[1].split("What the evidence codes mean")[0])
    for code in ("DOC ", "DATA ", "INFER", "NOT FOUND", "M25", "Q1A", "MHD"):
        assert code not in rules, code
    glossary = text_of(html.split("What the evidence codes mean")[1].split("<h2>")[0])
    for code in ("DOC", "DATA", "INFER", "NOT FOUND", "CARRIED OVER", "M25", "Q1A", "MHD", "131/131"):
        assert code in glossary, code
