"""The dashboard is read-only and safe: escaped text, 404/400 pages, no file access, headers."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from nhs_oversight.web import static
from nhs_oversight.web.app import create_app
from web_support import HOSTILE_NAMES, HOSTILE_REGION, hostile_site, synthetic_site


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(synthetic_site()), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    site = hostile_site(tmp_path_factory.mktemp("hostile"))
    return site, TestClient(create_app(site))


def test_markup_in_names_is_escaped_everywhere(hostile):
    site, client = hostile
    paths = ["/", "/league", "/metrics", "/metric/OF0013", "/method", "/compare", "/briefing"]
    paths += [f"/trust/{c}" for c in site.assessment.summary["org_code"]]
    for path in paths:
        html = client.get(path).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        assert "<b>bold</b>" not in html, path
    league = client.get("/league").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Hospital NHS Trust" in league
    assert "Tom &amp; Jerry &#34;Quotes&#34; NHS Trust" in league
    assert "O&#39;Brien &lt;b&gt;bold&lt;/b&gt; NHS Trust" in league
    assert "&lt;img src=x onerror=alert(1)&gt;" in league
    trust = client.get("/trust/X00").text
    assert str(escape(HOSTILE_NAMES[0])) in trust
    # the JSON twin carries the names as data, unchanged
    names = {r["org_name"] for r in client.get("/api/league").json()["rows"]}
    assert set(HOSTILE_NAMES) <= names
    assert client.get("/api/league", params={"region": HOSTILE_REGION}).json()["shown"] == 4


def test_markup_in_charts_is_escaped(hostile):
    _site, client = hostile
    html = client.get("/").text
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert svgs
    for svg in svgs:
        assert "<img" not in svg and "<script" not in svg


def test_search_text_is_escaped_when_shown_back(client):
    html = client.get("/league", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)</script>" not in html
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


@pytest.mark.parametrize("path", ["/trust/NOPE", "/trust/Z00Z00", "/trust/%3Cscript%3E", "/metric/OF9999", "/metric/nothing", "/no/such/page", "/static/app.js"])
def test_unknown_things_give_a_404_page(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "Page not found" in r.text and "SYNTHETIC DATA." in r.text
    assert "Traceback" not in r.text and "<script>" not in r.text


def test_404_has_a_json_twin(client):
    r = client.get("/api/trust/NOPE")
    assert r.status_code == 404
    assert r.json()["error"]["status"] == 404 and "ODS code" in r.json()["error"]["message"]
    assert "NOPE" not in r.text
    assert client.get("/trust/NOPE", params={"format": "json"}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"segment": "9"}, {"segment": "one"}, {"region": "Atlantis"}, {"type": "hospice"}, {"sort": "secret"},
        {"order": "sideways"}, {"format": "xml"}, {"q": "x" * 81}, {"unknown": "1"}, [("region", "East"), ("region", "London")],
    ],
)
def test_bad_query_parameters_give_a_400_page(client, query):
    r = client.get("/league", params=query)
    assert r.status_code == 400
    assert "There is a problem with the request" in r.text and "Traceback" not in r.text
    assert client.get("/api/league", params=query).status_code == 400


def test_other_pages_refuse_parameters_they_do_not_take(client):
    assert client.get("/trust/Z00", params={"x": "1"}).status_code == 400
    assert client.get("/compare", params={"b": "../../etc/passwd"}).status_code == 400
    assert client.get("/", params={"format": "csv"}).status_code == 400


@pytest.mark.parametrize(
    "path",
    ["/static/../app.py", "/static/..%2Fapp.py", "/static/%2e%2e/%2e%2e/pyproject.toml", "/static//etc/passwd",
     "/static/vendor/axe-core/axe.min.js", "/static/vendor/htmx/LICENSE", "/static/app.css/"],
)
def test_no_request_path_reaches_the_filesystem(client, path):
    assert client.get(path).status_code == 404


def test_static_files_come_from_a_fixed_list(client):
    assert set(static.assets()) == set(static.FILES) | set(static.GENERATED)
    for name in static.assets():
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and r.content == static.assets()[name][0]


def test_read_only(client):
    for method in ("post", "put", "delete", "patch"):
        r = getattr(client, method)("/league")
        assert r.status_code == 405
    assert client.head("/league").status_code == 200


@pytest.mark.parametrize("path", ["/", "/league", "/trust/NOPE", "/league?segment=9", "/static/app.css", "/api/league"])
def test_security_headers(client, path):
    for _ in range(2):  # first rendered, then from the cache
        r = client.get(path)
        h = r.headers
        csp = h["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert "http:" not in csp and "https:" not in csp and "*" not in csp and "unsafe-inline" not in csp
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"
        assert h["x-frame-options"] == "DENY"


def test_pages_load_nothing_from_elsewhere(client):
    for path in ("/", "/league", "/trust/Z00", "/metric/OF0013"):
        html = client.get(path).text
        for url in re.findall(r'(?:src|href|action)="([^"]*)"', html):
            assert url.startswith(("/", "#", "data:")) or url == "", url
        assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_an_internal_error_is_a_plain_500_page(client, monkeypatch):
    from nhs_oversight.web import method_views

    def broken(site):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(method_views, "method", broken)
    r = client.get("/method", params={"format": "html"})
    assert r.status_code == 500
    assert "secret detail" not in r.text and "Traceback" not in r.text
    assert "Sorry, there is a problem with the service" in r.text
    assert client.get("/api/method").json()["error"]["status"] == 500
