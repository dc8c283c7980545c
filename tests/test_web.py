"""The dashboard in-process: every page and its JSON twin, with figures checked against the engine."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from nhs_oversight.web.app import create_app
from nhs_oversight.web.cache import PageCache
from web_support import field, synthetic_site, text_of

PAGES = ["/", "/league", "/trust/Z00", "/metrics", "/metric/OF0013", "/compare", "/method", "/briefing"]


@pytest.fixture(scope="module")
def site():
    return synthetic_site()


@pytest.fixture(scope="module")
def client(site):
    return TestClient(create_app(site))


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_labelled_and_states_its_sources(client, site, path):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    assert "SYNTHETIC DATA." in html  # the banner, on every page
    text = text_of(html)
    assert "2025/26 Q2" in text and "nof-2025-26" in text
    for f in site.assessment.inputs.files:
        assert f.replace("\\", "/").rsplit("/", 1)[-1] in text
    assert "http://" not in re.sub(r'xmlns(:xlink)?="http://www\.w3\.org/[^"]*"', "", html)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_json_twin(client, path):
    api = client.get("/api" + (path if path != "/" else "/"))
    inline = client.get(path, params={"format": "json"})
    assert api.status_code == inline.status_code == 200
    assert api.headers["content-type"].startswith("application/json")
    assert api.json() == inline.json()
    meta = api.json()["meta"]
    assert meta["dataset"] == "SYNTHETIC" and meta["period"] == "2025/26 Q2" and meta["framework"] == "nof-2025-26"
    assert meta["provenance"]["source_files"]


def test_overview_counts_match_the_engine(client, site):
    s = site.assessment.summary
    data = client.get("/api/").json()
    expected = s["final_segment"].value_counts()
    for k in range(1, 6):
        assert data["national"][f"segment_{k}"] == int(expected.get(k, 0))
    regions = {r["group"]: r for r in data["groups"]["region"]["rows"]}
    for region, g in s.groupby("region"):
        assert regions[region]["organisations"] == len(g)
        assert regions[region]["segment_4"] == int((g["final_segment"] == 4).sum())
    shares = s.assign(four=s["final_segment"] == 4).groupby("region")["four"].mean()
    top = shares[shares == shares.max()].index.tolist()
    assert sorted(data["segment4_regions"]) == sorted(top)
    html = client.get("/").text
    for region in top:
        assert region in text_of(html.split("largest share in segment 4?")[1].split("</div>")[0])
    assert "icb_code" in data["groups"] and "trust_type" in data["groups"]


def test_overview_shows_movement_since_last_quarter(client, site):
    data = client.get("/api/").json()["movement"]
    assert data["available"]
    before = site.previous.summary.set_index("org_code")["final_segment"]
    after = site.assessment.summary.set_index("org_code")["final_segment"]
    both = after.index.intersection(before.index)
    up = int((after[both] < before[both]).sum())
    down = int((after[both] > before[both]).sum())
    assert data["counts"] == {"up": up, "down": down, "same": len(both) - up - down}
    assert data["moved_total"] == up + down


def test_league_table_filters_and_counts(client, site):
    s = site.assessment.summary
    r = client.get("/api/league", params={"region": "London", "type": "acute"})
    rows = r.json()["rows"]
    expected = s[(s["region"] == "London") & (s["trust_type"] == "acute")]
    assert {x["org_code"] for x in rows} == set(expected["org_code"])
    assert r.json()["shown"] == len(expected) and r.json()["total"] == len(s)
    seg = client.get("/api/league", params={"segment": "5"}).json()["rows"]
    assert {x["org_code"] for x in seg} == set(s.loc[s["final_segment"] == 5, "org_code"])
    html = client.get("/league", params={"region": "London"}).text
    assert html.count('<tr data-org=') == int((s["region"] == "London").sum())
    assert '<option value="London" selected>' in html


def test_league_table_search_by_name_or_code(client, site):
    s = site.assessment.summary
    name = s["org_name"].iloc[7]
    word = name.split()[1].lower()
    rows = client.get("/api/league", params={"q": word}).json()["rows"]
    assert {x["org_code"] for x in rows} == set(s.loc[s["org_name"].str.lower().str.contains(word, regex=False), "org_code"])
    by_code = client.get("/api/league", params={"q": "z0"}).json()["rows"]
    assert {x["org_code"] for x in by_code} >= set(s.loc[s["org_code"].str.startswith("Z0"), "org_code"])
    assert client.get("/api/league", params={"q": "no such trust anywhere"}).json()["rows"] == []
    assert "No organisation matches these filters." in client.get("/league", params={"q": "no such trust anywhere"}).text


def test_league_table_sorts(client):
    rows = client.get("/api/league", params={"sort": "average", "order": "desc"}).json()["rows"]
    averages = [x["average_score"] for x in rows]
    assert averages == sorted(averages, reverse=True)
    names = [x["org_name"] for x in client.get("/api/league", params={"sort": "name"}).json()["rows"]]
    assert names == sorted(names)
    default = client.get("/api/league").json()["rows"]
    acute = [x["rank"] for x in default if x["trust_type"] == "acute"]
    assert acute == sorted(acute)
    html = client.get("/league", params={"sort": "average", "order": "desc"}).text
    assert 'aria-sort="descending"' in html


def test_league_table_htmx_partial(client, site):
    r = client.get("/league", params={"region": "East"}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "<html" not in r.text and r.text.lstrip().startswith('<div id="league-results"')
    n = int((site.assessment.summary["region"] == "East").sum())
    assert f'hx-swap-oob="true">Showing {n} of {len(site.assessment.summary)} organisations.' in r.text
    full = client.get("/league", params={"region": "East"})
    assert "<html" in full.text and 'hx-swap-oob' not in full.text
    restore = client.get("/league", params={"region": "East"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_league_table_form_works_without_javascript(client):
    html = client.get("/league").text
    form = re.search(r"<form id=\"league-form\" class=\"oversight-filters\" method=\"get\" action=\"/league\".*?</form>", html, re.S)
    assert form and 'type="submit"' in form.group(0)
    for name in ("q", "region", "type", "icb", "segment"):
        assert f'name="{name}"' in form.group(0)
    assert re.search(r'<th scope="col"[^>]*><a href="/league\?sort=name"', html)


def test_trust_page_numbers_equal_the_engine(client, site):
    a = site.assessment
    for code in ("Z00", "z0c", a.summary["org_code"].iloc[-1]):
        row = a.org(code)
        html = client.get(f"/trust/{code}").text
        assert field(html, "average_score") == f"{row['average_score']:.2f}"
        assert field(html, "final_segment").split()[1] == str(row["final_segment"])
        assert field(html, "rank").startswith(f"{row['rank']} of {row['rank_of']}")
        data = client.get(f"/api/trust/{code}").json()
        assert data["org"]["org_code"] == row["org_code"]
        metrics = a.org_metrics(code)
        assert len(data["metrics"]) == len(metrics)
        shown = {m["metric_id"]: m["score_2dp"] for m in data["metrics"]}
        for _, m in metrics.iterrows():
            assert shown[m["metric_id"]] == (None if m["score_2dp"] != m["score_2dp"] else m["score_2dp"])
            cell = re.search(rf'data-metric="{m["metric_id"]}".*?data-field="score"[^>]*>(.*?)</td>', html, re.S)
            expected = "–" if m["score_2dp"] != m["score_2dp"] else f"{m['score_2dp']:.2f}"
            assert text_of(cell.group(1)).startswith(expected)


def test_trust_page_sections(client, site):
    data = client.get("/api/trust/Z00").json()
    prev = site.previous.org("Z00")
    assert data["previous"]["final_segment"] == prev["final_segment"]
    assert data["uncertainty"]["available"]
    p = data["uncertainty"]["row"]
    assert abs(sum(p[f"p_segment_{k}"] for k in range(1, 5)) - 1) < 1e-9
    html = client.get("/trust/Z00").text
    assert "How certain is the segment?" in html and "Domain scores" in html
    assert 'role="img"' in html  # the position chart, one labelled image
    ex = data["explanation"]
    if ex["available"]:
        assert ex["data"]["final_segment"] == site.assessment.org("Z00")["final_segment"]
        assert "Distance to the next segment" in html
    else:
        assert ex["reason"] in text_of(html)
    assert not data["spc"]["available"] and "--db" in data["spc"]["reason"]


def test_metric_page_best_and_worst(client, site):
    a = site.assessment
    m = a.metrics[(a.metrics["metric_id"] == "OF0013") & a.metrics["score"].notna()]
    data = client.get("/api/metric/of0013").json()
    assert data["metric"]["id"] == "OF0013" and data["metric"]["direction"] == "higher"
    best = m.sort_values(["score", "value", "org_code"], ascending=[True, False, True]).head(5)
    worst = m.sort_values(["score", "value", "org_code"], ascending=[False, True, True]).head(5)
    assert [r["org_code"] for r in data["best"]] == list(best["org_code"])
    assert [r["org_code"] for r in data["worst"]] == list(worst["org_code"])
    assert data["with_value"] == int(a.metrics.loc[a.metrics["metric_id"] == "OF0013", "value"].notna().sum())
    html = client.get("/metric/OF0013").text
    assert html.index('data-table="best"') < html.index('class="oversight-chart"')  # table before picture
    assert "Text description of the chart" in html
    assert not data["funnel"]["available"] and "numerator and denominator" in data["funnel"]["reason"]


def test_metrics_index_links_every_metric(client, site):
    html = client.get("/metrics").text
    for mid in site.metric_ids:
        assert f'href="/metric/{mid}"' in html


def test_compare_page(client, site):
    data = client.get("/api/compare").json()
    assert data["choices"]
    r = data["result"]
    if not r["available"]:
        pytest.skip(r["reason"])
    counts = r["counts"]
    assert counts["same_segment"] + counts["better_under_b"] + counts["worse_under_b"] == counts["assessed_by_both"]
    total = sum(sum(row[1:]) for row in r["transition"]["rows"])
    assert total == counts["assessed_by_both"]
    other = next(c for c in data["choices"] if c != data["choice"])
    assert client.get("/api/compare", params={"b": other}).json()["choice"] == other


def test_method_page_shows_cut_points(client, site):
    html = client.get("/method").text
    for v in site.assessment.cutpoints["overall"].values:
        assert f"{v:.3f}" in html
    assert "Financial override" in html


def test_briefing_page(client):
    data = client.get("/api/briefing").json()["briefing"]
    html = client.get("/briefing").text
    if data["available"]:
        assert data["sections"] and data["sections"][0]["title"] in html
    else:
        assert "Not available." in html


def test_provisional_framework_is_labelled(site):
    import nhs_oversight as no
    from nhs_oversight.web.site import Site, SiteOptions

    fw = site.framework.variant("draft", status="provisional")
    a = no.assess(site.assessment.inputs, fw)
    client = TestClient(create_app(Site(a, options=SiteOptions(draws=20))))
    for path in ("/", "/league", "/trust/Z00", "/method"):
        html = client.get(path).text
        assert "PROVISIONAL METHOD." in html and "SYNTHETIC DATA." in html
    assert client.get("/api/").json()["meta"]["provisional"] is True


def test_pages_are_cached_and_compressed(site):
    app = create_app(site)
    client = TestClient(app)
    first = client.get("/method")
    second = client.get("/method")
    assert first.content == second.content
    cache = app
    while not isinstance(cache, PageCache):  # through the middleware layers
        cache = cache.app
    assert cache.hits >= 1 and cache.misses >= 1
    gz = client.get("/method", headers={"Accept-Encoding": "gzip"})
    assert gz.headers.get("content-encoding") == "gzip" and gz.text == first.text
    assert client.get("/league", params={"region": "East"}).text != client.get("/league").text


def test_real_acute_file(acute_q1):
    import nhs_oversight as no
    from nhs_oversight.web.site import Site, SiteOptions

    a = no.assess([acute_q1])
    client = TestClient(create_app(Site(a, options=SiteOptions(draws=20))))
    data = client.get("/api/").json()
    # published NOF files give no ICB codes: the shipped ODS reference gives every acute trust its ICB
    icbs = data["groups"]["icb_code"]["rows"]
    assert sum(r["organisations"] for r in icbs) == 134 and len(icbs) == 42
    assert data["national"]["organisations"] == len(a.summary) == 134
    html = client.get("/trust/R0A").text
    assert "SYNTHETIC" not in html  # real data carry no synthetic label
    assert field(html, "average_score") == f"{a.org('R0A')['average_score']:.2f}"
    assert "nof-2025-26-q1-acute.csv" in text_of(html)
    league = client.get("/league").text
    assert 'id="league-icb"' in league
    for w in a.warnings[:2]:
        assert str(escape(w)) in client.get("/method").text
