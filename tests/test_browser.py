"""The dashboard in Debian's chromium (Playwright): pages, the league-table filter, a trust, axe-core.

The server runs on 127.0.0.1 on a free port in a thread of the test. Screenshots are saved under
test-artifacts/ (git-ignored). Skipped when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from web_support import serving, synthetic_site

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PAGES = {"overview": "/", "league": "/league", "trust": "/trust/Z00", "metrics": "/metrics", "metric": "/metric/OF0013",
         "compare": "/compare", "briefing": "/briefing", "method": "/method", "not-found": "/trust/NOPE"}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]

if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (run scripts/install-browser.sh as root)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright Python package")


@pytest.fixture(scope="module")
def site():
    return synthetic_site()


@pytest.fixture(scope="module")
def server(site):
    from nhs_oversight.web.app import create_app

    with serving(create_app(site)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.set_default_timeout(60_000)
    p.problems = []
    p.on("console", lambda m: m.type == "error" and not m.text.startswith("Failed to load resource") and p.problems.append(m.text))
    p.on("pageerror", lambda e: p.problems.append(str(e)))
    p.on("request", lambda r: r.url.startswith((server, "data:")) or p.problems.append(f"request to {r.url}"))
    yield p
    context.close()


def axe(page) -> list[dict]:
    """Run axe-core (vendored from npm) in the page; return its serious and critical violations."""
    from nhs_oversight.web.static import vendor_file

    # evaluated through the DevTools protocol: the page's own CSP (no inline script) stays on
    page.evaluate(vendor_file("axe-core/axe.min.js").decode("utf-8") + "\n;true")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_and_passes_axe(page, server, name):
    response = page.goto(server + PAGES[name])
    assert response.status == (404 if name == "not-found" else 200)
    assert "SYNTHETIC DATA." in page.inner_text(".oversight-banner--synthetic")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)
    problems = axe(page)
    assert not problems, json.dumps([{k: v[k] for k in ("id", "impact", "help")} | {"nodes": [n["target"] for n in v["nodes"][:3]]} for v in problems], indent=1)
    assert page.problems == []  # no script errors, no CSP violations, nothing requested elsewhere


def test_filter_the_league_table(page, server, site):
    s = site.assessment.summary
    page.goto(server + "/league")
    page.select_option("#league-region", "London")  # HTMX swaps the results in place
    expected = set(s.loc[s["region"] == "London", "org_code"])
    rows = page.locator("#league-results tr[data-org]")
    sync_api.expect(rows).to_have_count(len(expected))
    shown = set(page.eval_on_selector_all("#league-results tr[data-org]", "rows => rows.map(r => r.dataset.org)"))
    assert shown == expected
    assert "region=London" in page.url  # the address can be shared or bookmarked
    assert page.inner_text("#league-status") == f"Showing {len(expected)} of {len(s)} organisations."
    page.select_option("#league-segment", "3")
    expected3 = set(s.loc[(s["region"] == "London") & (s["final_segment"] == 3), "org_code"])
    sync_api.expect(rows).to_have_count(len(expected3))
    assert set(page.eval_on_selector_all("#league-results tr[data-org]", "rows => rows.map(r => r.dataset.org)")) == expected3
    page.fill("#league-q", "zzz no such trust")
    page.wait_for_selector("#league-results .oversight-empty")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-league-filtered.png"), full_page=False)
    assert page.problems == []


def test_filter_without_javascript(browser, server, site):
    context = browser.new_context(java_script_enabled=False)
    p = context.new_page()
    p.goto(server + "/league")
    p.select_option("#league-type", "ambulance")
    p.click("button.oversight-apply")
    p.wait_for_load_state()
    assert "type=ambulance" in p.url
    s = site.assessment.summary
    rows = p.eval_on_selector_all("#league-results tr[data-org]", "rows => rows.length")
    assert rows == int((s["trust_type"] == "ambulance").sum())
    context.close()


def test_open_a_trust_from_the_league_table(page, server, site):
    a = site.assessment
    page.goto(server + "/league?sort=average")
    first = page.eval_on_selector("#league-results tr[data-org]", "r => r.dataset.org")
    page.click(f"#league-results tr[data-org='{first}'] td[data-field='org_name'] a")
    page.wait_for_url(re.compile(rf".*/trust/{first}$"))
    row = a.org(first)
    assert page.inner_text("[data-field='average_score']") == f"{row['average_score']:.2f}"
    assert page.get_attribute("[data-field='final_segment']", "data-value") == str(row["final_segment"])
    assert page.inner_text("[data-field='rank']").startswith(f"{row['rank']} of {row['rank_of']}")
    scores = dict(page.eval_on_selector_all(
        "table.oversight-metrics tr[data-metric]",
        "rows => rows.map(r => [r.dataset.metric, r.querySelector(\"[data-field='score']\").innerText.split(' ')[0]])"))
    for _, m in a.org_metrics(first).iterrows():
        expected = "–" if m["score_2dp"] != m["score_2dp"] else f"{m['score_2dp']:.2f}"
        assert scores[m["metric_id"]] == expected
    assert page.problems == []


def test_sort_then_filter_keeps_the_order(page, server, site):
    s = site.assessment.summary
    page.goto(server + "/league")
    page.click("#league-results th a[href='/league?sort=average']")
    page.wait_for_url(re.compile(r".*sort=average.*"))
    page.select_option("#league-region", "North West")
    rows = page.locator("#league-results tr[data-org]")
    sync_api.expect(rows).to_have_count(int((s["region"] == "North West").sum()))
    query = parse_qs(urlparse(page.url).query)
    assert query["sort"] == ["average"] and query["region"] == ["North West"]
    averages = [float(x) for x in page.eval_on_selector_all(
        "#league-results td[data-field='average_score']", "cells => cells.map(c => c.innerText)")]
    assert averages == sorted(averages)
    assert page.problems == []


def test_html_report_in_the_browser(browser, site, tmp_path):
    from nhs_oversight.web.report import build_report

    path = tmp_path / "report.html"
    path.write_text(build_report(site, trusts=["Z00"], metrics=False), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    requests = []
    p.on("request", lambda r: r.url.startswith(("file:", "data:")) or requests.append(r.url))
    p.goto(path.as_uri())
    assert "SYNTHETIC DATA." in p.inner_text(".oversight-banner--synthetic")
    assert p.locator("section#trust-Z00 [data-field='average_score']").inner_text() == f"{site.assessment.org('Z00')['average_score']:.2f}"
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "report-top.png"))
    problems = axe(p)
    assert not problems, [v["id"] for v in problems]
    assert requests == []  # the report asks for nothing
    context.close()
