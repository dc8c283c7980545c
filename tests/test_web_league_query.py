"""The prepared league table gives the rows and order the plain pandas filter and sort give.

The reference below is the league view as it was before the table was prepared once per site:
filter the assessment's league table with pandas masks, sort it with pandas, merge the
uncertainty, convert the rows. Every query must give the same rows in the same order.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from nhs_oversight.render import rows as row_cache
from nhs_oversight.util.jsonable import dataframe_records
from nhs_oversight.web import views
from nhs_oversight.web.app import create_app
from nhs_oversight.web.cache import PageCache
from nhs_oversight.web.league import LeagueIndex
from nhs_oversight.web.query import ORDERS, SORTS, LeagueQuery
from nhs_oversight.web.site import Site, SiteOptions
from web_support import synthetic_assessments, synthetic_site


def reference_rows(site, query: LeagueQuery) -> list[dict]:
    a = site.assessment
    t = a.league_table(wide=False)
    if query.region:
        t = t[t["region"] == query.region]
    if query.type:
        t = t[t["trust_type"] == query.type]
    if query.icb:
        t = t[t["icb_code"] == query.icb]
    if query.segment is not None:
        t = t[t["final_segment"] == query.segment]
    if query.q:
        needle = query.q.casefold()
        t = t[t["org_name"].str.casefold().str.contains(needle, regex=False) | t["org_code"].str.casefold().str.startswith(needle)]
    desc = query.order == "desc"
    if query.sort == "rank":
        order = {tt.id: i for i, tt in enumerate(a.framework.trust_types)}
        t = t.assign(_t=t["trust_type"].map(order)).sort_values(["_t", "rank", "org_code"], ascending=[True, not desc, True]).drop(columns="_t")
    else:
        t = t.sort_values([SORTS[query.sort], "org_code"], ascending=[not desc, True], kind="stable")
    rows = t[[c for c in views.LEAGUE_COLUMNS if c in t.columns]]
    unc = site.uncertainty()
    have = [c for c in views.UNCERTAINTY_COLUMNS if c in unc.table.columns]
    rows = rows.merge(unc.table[["org_code", *have]], on="org_code", how="left")
    return dataframe_records(rows)


SITE = synthetic_site()
WORDS = ["", "north", "trust", "z1", "Z2", "hospital", "vale", "NHS", "x", "é", "teaching hosp"]


@st.composite
def queries(draw):
    return LeagueQuery(
        region=draw(st.sampled_from(["", *SITE.regions])),
        type=draw(st.sampled_from(["", *SITE.types])),
        icb=draw(st.sampled_from(["", "", "", *SITE.icbs])),
        segment=draw(st.sampled_from([None, 1, 2, 3, 4, 5])),
        q=draw(st.one_of(st.sampled_from(WORDS), st.text(max_size=3))),
        sort=draw(st.sampled_from(list(SORTS))),
        order=draw(st.sampled_from(ORDERS)),
    )


@settings(max_examples=150, deadline=None)
@given(queries())
def test_prepared_rows_match_the_pandas_reference(query):
    assert views.league(SITE, query)["rows"] == reference_rows(SITE, query)


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("order", ORDERS)
def test_every_order_of_the_whole_table(sort, order):
    query = LeagueQuery(sort=sort, order=order)
    page = views.league(SITE, query)
    assert page["rows"] == reference_rows(SITE, query)
    assert page["shown"] == page["total"] == len(SITE.assessment.summary)


def test_a_small_table_by_hand():
    table = pd.DataFrame({
        "org_code": ["B", "A", "C", "D", "E"],
        "org_name": ["Beta", "Alpha", "Gamma", None, "Epsilon"],
        "trust_type": ["acute", "acute", "ambulance", "acute", "ambulance"],
        "region": ["East", "London", "East", None, "East"],
        "icb_code": ["Q1", "Q1", "Q2", "Q2", "Q1"],
        "average_score": [2.0, 2.0, np.nan, 1.5, 3.0],
        "final_segment": [2, 2, 5, 1, 4],
        "rank": [2, 2, 1, 1, 2],
        "n_metrics": [3, 4, 2, 3, 1],
    })
    index = LeagueIndex(table, list(table.columns), {"acute": 0, "ambulance": 1})
    codes = lambda **kw: [r["org_code"] for r in index.rows(LeagueQuery(**kw))]  # noqa: E731
    assert codes(sort="average") == ["D", "A", "B", "E", "C"]  # ties by code; missing last
    assert codes(sort="average", order="desc") == ["E", "A", "B", "D", "C"]  # missing last again
    assert codes() == ["D", "A", "B", "C", "E"]  # type, then rank, then code
    assert codes(order="desc") == ["A", "B", "D", "E", "C"]
    assert codes(region="East", sort="name") == ["B", "E", "C"]
    assert codes(q="a") == ["A", "B", "C"]  # names containing "a"; D has no name and code "d"
    assert codes(q="d") == ["D"]
    assert codes(segment=2, icb="Q1") == ["A", "B"]
    assert codes(region="Nowhere") == []
    assert codes(sort="metrics", order="desc") == ["A", "B", "D", "C", "E"]
    assert index.records[1] == {**table.iloc[1].to_dict(), "average_score": 2.0}


def test_pages_show_the_rows_in_that_order():
    client = TestClient(create_app(SITE))
    for params in ({"region": "London", "sort": "name", "order": "desc"}, {"segment": "4", "sort": "average"}, {"q": "z1"}):
        query = LeagueQuery.parse({k: [v] for k, v in params.items()}, SITE.regions, SITE.types, SITE.icbs)
        expected = [r["org_code"] for r in reference_rows(SITE, query)]
        html = client.get("/league", params=params).text
        assert re.findall(r'<tr data-org="([^"]+)"', html) == expected
        assert [r["org_code"] for r in client.get("/api/league", params=params).json()["rows"]] == expected


def test_rows_are_rendered_once_per_row_and_context(monkeypatch):
    monkeypatch.setattr(row_cache, "_rows", type(row_cache._rows)())
    calls = []

    def render(row):
        calls.append(row["x"])
        return f"<tr>{row['x']}</tr>"

    rows = [{"x": "a"}, {"x": "<b>"}]
    first = row_cache.remember_rows("t", render, rows, True)
    assert first == Markup("<tr>a</tr>\n<tr><b></tr>") and calls == ["a", "<b>"]
    assert row_cache.remember_rows("t", render, rows[::-1], True) == Markup("<tr><b></tr>\n<tr>a</tr>")
    assert calls == ["a", "<b>"]  # both kept
    row_cache.remember_rows("t", render, rows, False)  # another context: rendered again
    assert calls == ["a", "<b>", "a", "<b>"]
    other = [{"x": "a"}]  # equal values, another row: rendered for itself
    row_cache.remember_rows("t", render, other, True)
    assert len(calls) == 5


def test_the_row_store_is_bounded(monkeypatch):
    monkeypatch.setattr(row_cache, "_rows", type(row_cache._rows)())
    monkeypatch.setattr(row_cache, "MAX_ROWS", 10)
    rows = [{"x": i} for i in range(25)]
    out = row_cache.remember_rows("t", lambda r: str(r["x"]), rows)
    assert out == "\n".join(str(i) for i in range(25)) and len(row_cache._rows) == 10


def page_cache_of(app) -> PageCache:
    while not isinstance(app, PageCache):
        app = app.app
    return app


def test_gzip_copies_are_made_when_first_asked_for():
    app = create_app(SITE)
    cache = page_cache_of(app)
    client = TestClient(app)
    plain = client.get("/league", params={"region": "East"}, headers={"Accept-Encoding": "identity"})
    entry = next(iter(cache.entries.values()))
    assert entry.gzipped is None and "content-encoding" not in plain.headers
    before = cache.bytes
    gz = client.get("/league", params={"region": "East"}, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip" and gz.text == plain.text
    assert entry.gzipped is not None and cache.bytes == before + len(entry.gzipped)


def test_remember_keeps_markup_per_name_and_arguments(monkeypatch):
    monkeypatch.setattr(row_cache, "_rows", type(row_cache._rows)())
    calls = []

    def render(items, chosen):
        calls.append(chosen)
        return "".join(f"<option{' selected' if i == chosen else ''}>{i}</option>" for i in items)

    items = ["a", "b"]
    assert row_cache.remember("o", render, items, "b") == Markup("<option>a</option><option selected>b</option>")
    assert row_cache.remember("o", render, items, "b") == Markup("<option>a</option><option selected>b</option>")
    assert calls == ["b"]  # kept
    row_cache.remember("o", render, items, "a")  # another choice: rendered for it
    row_cache.remember("o", render, ["a", "b"], "b")  # an equal list that is another object: known by identity
    row_cache.remember("p", render, items, "b")  # another name
    assert calls == ["b", "a", "b", "b"]


def test_links_of_the_dashboard_are_all_alike():
    from nhs_oversight.web.links import AppLinks

    assert AppLinks() == AppLinks() and hash(AppLinks()) == hash(AppLinks())
    assert AppLinks().league({"q": "St Mary's & Co", "sort": "name"}) == "/league?q=St+Mary%27s+%26+Co&sort=name"


def test_kept_filters_and_frames_follow_each_request():
    client = TestClient(create_app(SITE))
    for icb in SITE.icbs[:3]:
        html = client.get("/league", params={"icb": icb, "segment": "2"}).text
        assert re.findall(r'<option value="([^"]*)" selected>', html) == [icb, "2"]
        assert re.findall(r'href="(/[a-z]*)" aria-current="page"', html) == ["/league"]
    html = client.get("/league").text
    assert "selected>" not in html
    other = client.get("/metrics").text
    assert re.findall(r'href="(/[a-z]*)" aria-current="page"', other) == ["/metrics"]
    assert views.meta(SITE) is views.meta(SITE)  # shared by every page, so its frame is kept


def test_the_league_table_is_answered_in_line_once_prepared():
    site = Site(*synthetic_assessments(), options=SiteOptions(draws=20, seed=7))
    assert not views.league_ready(site)
    client = TestClient(create_app(site))
    assert client.get("/league", params={"q": "z1"}).status_code == 200
    assert views.league_ready(site)


def test_a_new_page_is_compressed_fast_and_again_well_when_asked_again():
    import gzip

    from nhs_oversight.web import cache as page_cache

    app = create_app(SITE)
    cache = page_cache_of(app)
    client = TestClient(app)
    first = client.get("/league", params={"q": "z1"}, headers={"Accept-Encoding": "gzip"})
    entry = next(iter(cache.entries.values()))
    assert first.headers["content-encoding"] == "gzip" and entry.level == page_cache.FAST
    fast = len(entry.gzipped)
    assert gzip.decompress(entry.gzipped) == entry.body and cache.bytes == entry.size
    again = client.get("/league", params={"q": "z1"}, headers={"Accept-Encoding": "gzip"})
    assert again.text == first.text and entry.level == page_cache.BEST
    assert gzip.decompress(entry.gzipped) == entry.body and len(entry.gzipped) < fast and cache.bytes == entry.size
