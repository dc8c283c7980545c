"""The trust page shows the plans and each metric against its peers, the same figures as ``explain``."""

from __future__ import annotations

from html import unescape as html_unescape

import pytest
from fastapi.testclient import TestClient

from nhs_oversight.explain import explain
from nhs_oversight.web.app import create_app
from web_support import text_of


@pytest.fixture(scope="module")
def acute(acute_q1):
    import nhs_oversight as no

    return no.assess([acute_q1])


@pytest.fixture(scope="module")
def client(acute):
    from nhs_oversight.web.site import Site, SiteOptions

    return TestClient(create_app(Site(acute, options=SiteOptions(draws=20))))


@pytest.mark.parametrize("code", ["RJ2", "R1H"])
def test_trust_page_shows_the_plan_and_peer_quartiles(acute, client, code):
    e = explain(acute, code).to_dict()
    data = client.get(f"/api/trust/{code}").json()["explanation"]
    assert data["available"]
    twin = data["data"]
    assert [p["text"] for p in twin["plans"]] == [p["text"] for p in e["plans"]]
    assert twin["against_peers"] == e["against_peers"]
    html = html_unescape(text_of(client.get(f"/trust/{code}").text))
    up = next(p for p in e["plans"] if p["direction"] == "better")
    assert "Plans" in html and f"Plan up to segment {up['target_segment']}" in html
    for step in up["steps"]:
        for c in step["changes"]:
            assert c["text"] in html
    assert "Against peers" in html
    # NHS England's published quartiles for RTT 52-week waits (Q1 2025/26, acute): 1.33 / 2.4 / 3.32
    rtt = next(v for v in twin["against_peers"] if v["metric_id"] == "OF0003")
    assert (rtt["lower_quartile"], rtt["median"], rtt["upper_quartile"], rtt["source"]) == (1.33, 2.4, 3.32, "published")
    assert rtt["quartiles_text"] in html


def test_the_dashboard_finds_the_explanation_in_a_fresh_process():
    """`from nhs_oversight import explain` answers with the API function until the package is
    imported; the dashboard must find the explanation whatever was imported before."""
    import subprocess
    import sys

    code = (
        "import nhs_oversight as no\n"
        "from nhs_oversight.web.extras import Unavailable\n"
        "from nhs_oversight.web.site import Site, SiteOptions\n"
        "site = Site(no.assess(no.synthetic_inputs('2025/26 Q1')), options=SiteOptions(draws=10))\n"
        "e = site.explanation('Z00')\n"
        "print('unavailable' if isinstance(e, Unavailable) else e['org_code'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Z00"
