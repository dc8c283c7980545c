"""Region and ICB pages: each place's trusts and segment mix, counted independently from the summary."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

import nhs_oversight as no
from builders import inputs
from nhs_oversight.web.app import create_app
from nhs_oversight.web.site import Site, SiteOptions
from web_support import HOSTILE_REGION, hostile_site, text_of


@pytest.fixture(scope="module")
def acute(acute_q1):
    a = no.assess([acute_q1])
    return a, TestClient(create_app(Site(a, options=SiteOptions(draws=20))))


def _expected_mix(rows):
    return {k: int((rows["final_segment"] == k).sum()) for k in range(1, 6)}


def test_every_region_page_counts_its_trusts(acute):
    a, client = acute
    s = a.summary
    regions = sorted(s["region"].unique())
    assert len(regions) == 7
    for region in regions:
        data = client.get("/api/region/" + quote(region)).json()
        rows = s[s["region"] == region]
        assert data["region"] == region
        assert data["mix"]["organisations"] == len(rows)
        assert {k: data["mix"][f"segment_{k}"] for k in range(1, 6)} == _expected_mix(rows)
        assert sorted(r["org_code"] for r in data["trusts"]) == sorted(rows["org_code"])
        # the ICB breakdown covers the region's trusts that have an ICB, once each
        assert sum(i["organisations"] for i in data["icbs"]) == int(rows["icb_code"].notna().sum())
        html = client.get("/region/" + quote(region)).text
        assert region in text_of(html)


def test_icb_page_lists_its_trusts_and_says_why_it_has_no_segment(acute):
    a, client = acute
    s = a.summary
    # NHS Greater Manchester ICB (QOP): Manchester University NHS FT (R0A) is one of its trusts
    assert s.set_index("org_code").loc["R0A", "icb_code"] == "QOP"
    data = client.get("/api/icb/qop").json()
    rows = s[s["icb_code"] == "QOP"]
    assert data["icb"]["code"] == "QOP" and "Greater Manchester" in data["icb"]["name"]
    assert sorted(r["org_code"] for r in data["trusts"]) == sorted(rows["org_code"])
    assert {k: data["mix"][f"segment_{k}"] for k in range(1, 6)} == _expected_mix(rows)
    # trusts are listed by final segment
    segs = [r["final_segment"] for r in data["trusts"]]
    assert segs == sorted(segs)
    assert data["own_segment"]["available"] is False and "2026/27" in data["own_segment"]["reason"]
    html = client.get("/icb/QOP").text
    assert 'href="/trust/R0A"' in html and "North West" in text_of(html)


def test_overview_and_trust_pages_link_to_places(acute):
    _, client = acute
    overview = client.get("/").text
    assert 'href="/region/North%20West"' in overview and 'href="/icb/QOP"' in overview
    trust = client.get("/trust/R0A").text
    assert 'href="/icb/QOP"' in trust and 'href="/region/North%20West"' in trust


@pytest.mark.parametrize("path", ["/region/Atlantis", "/icb/QZZ", "/icb/" + "Q" * 40, "/region/" + "x" * 200])
def test_unknown_places_are_404_without_echo(acute, path):
    _, client = acute
    r = client.get(path)
    assert r.status_code == 404
    assert "Atlantis" not in r.text and "QZZ" not in r.text


def _icbs_and_trusts():
    """Three ICBs and three acute trusts of ICB QA2, under the provisional 2026/27 framework."""
    orgs = [("QA1", "icb"), ("QA2", "icb"), ("QA3", "icb"), ("T01", "acute"), ("T02", "acute"), ("T03", "acute")]
    values = {
        "OF0013": [80.0, 75.0, 70.0, 79.0, 72.0, 65.0],
        "OF0023": [60.0, 55.0, 50.0, 58.0, 52.0, 45.0],
        "OF0014": [5.0, 10.0, 15.0, 6.0, 9.0, 12.0],
        "OF0025": [0.5, 1.0, 1.5, 0.7, 1.1, 1.4],
        "OF0003": [0.5, 2.0, 3.0, 0.8, 1.5, 2.5],
        "OF0079": [0.0] * 6,
        "OF0081": [0.0] * 6,
    }
    data = inputs(orgs, values)
    o = data.orgs.copy()
    trust = o["org_code"].str.startswith("T")
    o.loc[trust, "icb_code"] = "QA2"
    o.loc[trust, "icb_name"] = "Trust QA2"
    return replace(data, orgs=o)


def test_icb_page_of_the_2026_27_framework_shows_the_icbs_own_provisional_segment():
    fw = no.load_framework("nof-2026-27")
    a = no.assess(_icbs_and_trusts(), fw)
    s = a.summary.set_index("org_code")
    client = TestClient(create_app(Site(a, options=SiteOptions(draws=20))))
    data = client.get("/api/icb/QA2").json()
    own = data["own_segment"]
    assert own["available"] is True and own["provisional"] is True
    assert own["row"]["final_segment"] == int(s.loc["QA2", "final_segment"])
    assert own["row"]["rank_of"] == 3  # ranked among ICBs only
    # the ICB's trusts, not the ICB itself, make its segment mix
    assert sorted(r["org_code"] for r in data["trusts"]) == ["T01", "T02", "T03"]
    assert data["mix"]["organisations"] == 3
    html = client.get("/icb/QA2").text
    assert "Provisional" in html and 'data-field="icb_segment"' in html
    # an ICB with no trusts in the input still has its own page
    assert client.get("/api/icb/QA1").json()["mix"]["organisations"] == 0


def test_hostile_region_name_is_escaped(tmp_path):
    client = TestClient(create_app(hostile_site(tmp_path)))
    html = client.get("/region/" + quote(HOSTILE_REGION, safe="")).text
    assert HOSTILE_REGION not in html


def test_place_tables_download_as_the_page_shows_them(acute):
    import csv
    import io

    a, client = acute
    html = client.get("/icb/QOP").text
    assert 'href="/download/icb/QOP/trusts.csv"' in html
    rows = list(csv.DictReader(io.StringIO(client.get("/download/icb/QOP/trusts.csv").text)))
    expected = a.summary[a.summary["icb_code"] == "QOP"]
    assert sorted(r["org_code"] for r in rows) == sorted(expected["org_code"])
    got = {r["org_code"]: int(r["final_segment"]) for r in rows}
    assert got == dict(zip(expected["org_code"], expected["final_segment"].astype(int), strict=True))
    mix = client.get("/download/region/North%20West/segments.json").json()["rows"][0]
    assert mix["organisations"] == int((a.summary["region"] == "North West").sum())
    assert client.get("/download/region/North%20West/by-icb.csv").status_code == 200
