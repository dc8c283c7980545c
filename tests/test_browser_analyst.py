"""The analyst's dashboard and the board report in Debian's chromium (Playwright).

Downloads are clicked and read back; the league table must fit a 1366 x 768 laptop and a 768-wide
tablet without the page scrolling sideways; the report, emulated as print on the printable width
of A4 landscape, must fit; every new page passes axe-core. Screenshots go to test-artifacts/.
"""
# ruff: noqa: F811 - the imported fixtures are this module's test arguments

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

# the fixtures of test_browser (site, server, browser): imported, pytest uses them here too
from test_browser import ARTIFACTS, axe, browser, server, site  # noqa: F401

pytestmark = pytest.mark.browser

#: The printable width of A4 landscape with the report's 12 mm margins, in CSS pixels (96 per inch).
A4_LANDSCAPE_PRINTABLE = round((297 - 2 * 12) / 25.4 * 96)


def new_page(browser, server, width=1366, height=768):
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    p = context.new_page()
    p.set_default_timeout(60_000)
    p.problems = []
    p.on("pageerror", lambda e: p.problems.append(str(e)))
    p.on("request", lambda r: r.url.startswith((server, "data:", "file:")) or p.problems.append(f"request to {r.url}"))
    return context, p


def shot(p, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def page_fits(p) -> tuple[int, int]:
    return p.evaluate("document.scrollingElement.scrollWidth"), p.evaluate("innerWidth")


@pytest.mark.parametrize("width, height, name", [(1366, 768, "laptop"), (768, 1024, "tablet")])
def test_league_table_fits_without_sideways_scrolling(browser, server, width, height, name):
    context, p = new_page(browser, server, width, height)
    p.goto(server + "/league")
    scroll, inner = page_fits(p)
    assert scroll <= inner, f"the page scrolls sideways at {width} wide: {scroll} > {inner}"
    wrap = p.evaluate("(() => { const w = document.querySelector('#league-results'); return [w.scrollWidth, w.clientWidth]; })()")
    assert wrap[0] <= wrap[1], f"the league table scrolls inside its box at {width} wide: {wrap}"
    right = p.evaluate("document.querySelector('table.oversight-league').getBoundingClientRect().right")
    assert right <= inner
    visible = p.eval_on_selector_all("table.oversight-league thead th", "hs => hs.filter(h => h.offsetParent !== null).map(h => h.innerText.split(String.fromCharCode(10))[0].trim())")
    assert visible[:4] == ["Rank", "Organisation", "Final segment", "Average score"] and "Region" in visible
    p.evaluate("window.scrollTo(0, document.querySelector('#league-results').offsetTop - 20)")
    shot(p, f"league-{name}-{width}x{height}")
    assert not axe(p)
    assert p.problems == []
    context.close()


def test_every_page_fits_a_tablet(browser, server):
    context, p = new_page(browser, server, 768, 1024)
    for path in ("/", "/trust/Z00", "/metric/OF0013", "/metrics", "/compare", "/method", "/briefing", "/docs"):
        p.goto(server + path)
        scroll, inner = page_fits(p)
        assert scroll <= inner, f"{path} scrolls sideways at 768 wide: {scroll} > {inner}"
    context.close()


def test_csv_and_json_downloads_carry_the_engines_figures(browser, server, site):
    s = site.assessment.summary.set_index("org_code")
    context, p = new_page(browser, server)
    p.goto(server + "/league?region=London")
    with p.expect_download() as info:
        p.click("[data-download='league'] a[href$='.csv?region=London'], [data-download='league'] a[href*='.csv?']")
    download = info.value
    assert download.suggested_filename == "league-league-2025-26-Q2.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert {r["org_code"] for r in rows} == set(s.index[s["region"] == "London"])
    for r in rows:
        assert float(r["average_score"]) == s.loc[r["org_code"], "average_score"]
        assert int(r["final_segment"]) == s.loc[r["org_code"], "final_segment"]
        assert int(r["rank"]) == s.loc[r["org_code"], "rank"]
    p.goto(server + "/trust/Z00")
    with p.expect_download() as info:
        p.click("[data-download='metrics'] a[href$='.json']")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    scores = {r["metric_id"]: r["score_2dp"] for r in data["rows"]}
    expected = site.assessment.org_metrics("Z00").set_index("metric_id")["score_2dp"]
    assert scores.keys() == set(expected.index)
    for mid, v in expected.items():
        assert (scores[mid] is None and v != v) or scores[mid] == v
    shot(p, "trust-downloads")
    assert p.problems == []
    context.close()


def test_search_box_opens_a_trust(browser, server, site):
    context, p = new_page(browser, server)
    p.goto(server + "/method")
    p.fill("#site-search", "z0c")
    p.press("#site-search", "Enter")
    p.wait_for_url(server + "/trust/Z0C")
    assert site.assessment.org("Z0C")["org_name"] in p.inner_text("h1")
    p.fill("#site-search", "teaching")
    p.press("#site-search", "Enter")
    p.wait_for_url(server + "/league?q=teaching")
    shown = p.eval_on_selector_all("#league-results tr[data-org]", "rows => rows.length")
    assert shown == int(site.assessment.summary["org_name"].str.casefold().str.contains("teaching").sum())
    context.close()


@pytest.mark.parametrize("path, name", [("/docs", "docs"), ("/trust/Z00", "trust"), ("/metric/OF0005", "metric-ties"), ("/method", "method")])
def test_new_sections_pass_axe(browser, server, path, name):
    context, p = new_page(browser, server, 1280, 900)
    response = p.goto(server + path)
    assert response.status == 200
    shot(p, f"analyst-{name}", full_page=True)
    problems = axe(p)
    assert not problems, json.dumps([{k: v[k] for k in ("id", "impact", "help")} for v in problems], indent=1)
    assert p.problems == []
    context.close()


@pytest.fixture(scope="module")
def report_file(site, tmp_path_factory):
    from nhs_oversight.web.report import build_report

    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(build_report(site, trusts=["Z00"], metrics=False), encoding="utf-8")
    return path


def test_report_cover_and_league_on_screen(browser, report_file):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    p = context.new_page()
    p.goto(report_file.as_uri())
    shot(p, "report-cover-screen")
    assert p.locator(".oversight-cover h1").inner_text().startswith("NHS Oversight Framework 2025/26")
    scroll, inner = page_fits(p)
    assert scroll <= inner
    wrap = p.evaluate("(() => { const w = document.querySelector('#league .oversight-table-wrap'); return [w.scrollWidth, w.clientWidth]; })()")
    assert wrap[0] <= wrap[1], f"the report's league table is cut off on screen: {wrap}"
    cut = p.evaluate("[...document.querySelectorAll('.oversight-table-wrap')].filter(w => w.scrollWidth > w.clientWidth)"
                     ".map(w => (w.closest('section') || {}).id + ': ' + (w.querySelector('caption') || {}).innerText)")
    assert cut == [], f"on a 1366-wide screen, these tables of the report scroll sideways: {cut}"
    assert not axe(p)
    context.close()


def test_report_fits_a4_landscape_when_printed(browser, report_file):
    context = browser.new_context(viewport={"width": A4_LANDSCAPE_PRINTABLE, "height": 700})
    p = context.new_page()
    p.goto(report_file.as_uri())
    p.emulate_media(media="print")
    scroll, inner = page_fits(p)
    assert scroll <= inner, f"printed, the report is wider than A4 landscape: {scroll} > {inner}"
    table = p.evaluate("(() => { const t = document.querySelector('table.oversight-league'); const w = t.parentElement;"
                       " return [t.getBoundingClientRect().right, w.scrollWidth, w.clientWidth,"
                       " [...t.querySelectorAll('thead th')].filter(h => getComputedStyle(h).display === 'none').length]; })()")
    assert table[0] <= inner and table[1] <= table[2], f"printed, the league table is cut off on the right: {table}"
    assert table[3] == 0  # every column is printed
    cut = p.evaluate("[...document.querySelectorAll('.oversight-table-wrap')].filter(w => w.scrollWidth > w.clientWidth)"
                     ".map(w => (w.closest('section') || {}).id + ': ' + (w.querySelector('caption') || {}).innerText)")
    assert cut == [], f"printed, these tables are cut off on the right: {cut}"
    assert p.evaluate("getComputedStyle(document.querySelector('.oversight-cover')).breakAfter") == "page"
    y = p.evaluate("document.querySelector('#league').getBoundingClientRect().top + scrollY")
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "report-print-league.png"), clip={"x": 0, "y": y, "width": A4_LANDSCAPE_PRINTABLE, "height": 700}, full_page=True)
    p.screenshot(path=str(ARTIFACTS / "report-print-cover.png"))
    pdf = p.pdf(prefer_css_page_size=True)
    boxes = {tuple(float(x) for x in m.split()) for m in re.findall(rb"/MediaBox ?\[([^\]]*)\]", pdf)}
    assert pdf.startswith(b"%PDF") and boxes, "no pages in the PDF"
    for _, _, w, h in boxes:  # A4 landscape is 842 x 595 points: the size comes from the stylesheet's @page
        assert abs(w - 842) < 2 and abs(h - 595) < 2, boxes
    context.close()
