"""The briefing of NHS England's acute Q1 file: every figure checked against the published CSV,
read here directly with pandas (OF5005 final segment, OF5000 adjusted, OF5003 unadjusted,
OF5004 financial flag, Region, and the published OF1xxx metric scores)."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from html.parser import HTMLParser

import pandas as pd
import pytest

import nhs_oversight as no
from nhs_oversight.brief import brief, to_html, to_json, to_markdown

WORD = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
N = 134


def words(n: int) -> str:
    return WORD.get(n, str(n))


def pct(n: int, base: int) -> int:
    return int((Decimal(100 * n) / Decimal(base)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


#: The acute file's region labels and NHS England's region names (the ODS etr codes Y61, Y63).
REGION_NAME = {"East": "East of England", "North East": "North East and Yorkshire"}


@pytest.fixture(scope="module")
def published(acute_q1, etr_lookup) -> pd.DataFrame:
    """One row per trust: the published summary fields, pivoted by hand, and the trust's ICB from ODS."""
    d = pd.read_csv(acute_q1, encoding="utf-8-sig")
    fields = {"OF5005": "final", "OF5000": "adjusted", "OF5003": "unadjusted", "OF5004": "flag"}
    wide = d[d["Metric_ID"].isin(list(fields))].pivot(index="Trust_code", columns="Metric_ID", values="Value").rename(columns=fields)
    wide = wide.astype(int)
    region = d.groupby("Trust_code")["Region"].first()
    wide["region"] = region.map(lambda r: REGION_NAME.get(r, r))
    wide["icb_name"] = etr_lookup["icb_name"].reindex(wide.index)
    return wide


@pytest.fixture(scope="module")
def scores(acute_q1) -> pd.DataFrame:
    """Published metric scores that enter the average (OF1079 and OF1081 do not; OF1080 does)."""
    d = pd.read_csv(acute_q1, encoding="utf-8-sig")
    s = d[d["Metric_ID"].str.match(r"^OF1\d{3}$") & ~d["Metric_ID"].isin(["OF1079", "OF1081"])]
    return s[["Trust_code", "Metric_ID", "Value"]]


@pytest.fixture(scope="module")
def assessment(acute_q1):
    return no.assess([acute_q1])


@pytest.fixture(scope="module")
def briefing(assessment):
    return brief(assessment, uncertainty=False)


def text_of(section) -> str:
    return " ".join(s.text for s in section.sentences)


def test_final_segment_counts_match_the_published_file(briefing, published):
    expected = published["final"].value_counts().to_dict()
    assert briefing.segment_counts == {k: expected.get(k, 0) for k in (1, 2, 3, 4, 5)}
    assert briefing.segment_counts == {1: 16, 2: 11, 3: 69, 4: 24, 5: 14}
    payload = json.loads(to_json(briefing))
    assert payload["segment_counts"] == {str(k): int(expected.get(k, 0)) for k in (1, 2, 3, 4, 5)}


def test_headline_states_each_share_with_its_base(briefing, published):
    first = briefing.section("headline").sentences[0]
    assert first.text.startswith(f"In 2025/26 Q1, {N} trusts were assessed: ")
    for k in (1, 2, 3, 4):
        n = int((published["final"] == k).sum())
        assert f"{pct(n, N)}% ({words(n)} of {N})" in first.text
        assert f"in segment {k}" in first.text
        assert first.figures["segments"][str(k)] == {"count": n, "percent": pct(n, N)}


def test_segment_5_says_where_those_trusts_would_otherwise_be(briefing, published):
    in5 = published[published["final"] == 5]
    otherwise = in5["adjusted"].value_counts().sort_index()
    s = briefing.section("headline").sentences[1]
    assert s.figures["count"] == len(in5) == 14
    assert s.figures["otherwise_in_segment"] == {str(k): int(v) for k, v in otherwise.items()}
    assert f"A further {pct(len(in5), N)}% ({len(in5)} of {N}) are in segment 5, the Recovery Support Programme" in s.text
    parts = [f"{words(int(v))} in segment {k}" for k, v in otherwise.items()]
    assert parts[0].replace(" in ", " of them would otherwise be in ", 1) in s.text
    assert all(p in s.text for p in parts[1:])


def test_override_counts_match_the_published_segments(briefing, published):
    moved = published[published["unadjusted"] != published["adjusted"]]
    assert (moved["adjusted"] == 3).all() and (moved["flag"] == 1).all()
    from1, from2 = int((moved["unadjusted"] == 1).sum()), int((moved["unadjusted"] == 2).sum())
    flagged = int((published["flag"] == 1).sum())
    why = briefing.section("why")
    text = text_of(why)
    assert len(moved) == 38
    assert f"The financial override moved {len(moved)} trusts into segment 3 ({from1} from segment 1 and {from2} from segment 2)" in text
    un = published["unadjusted"].value_counts()
    ad = published["adjusted"].value_counts()
    assert f"Before the override, segment 1 had {un[1]} trusts and segment 2 had {un[2]}; after it, {ad[1]} and {ad[2]}." in text
    now_in_5 = int((moved["final"] == 5).sum())
    assert f"Of the {len(moved)} trusts moved, {words(now_in_5)} {'is' if now_in_5 == 1 else 'are'} now in segment 5" in text
    assert f"A further {flagged - len(moved)} flagged trusts were already in segment 3 or 4" in text
    assert why.sentences[0].figures["moved_from_segment"] == {"1": from1, "2": from2}


def test_region_counts_and_largest_shares(briefing, published):
    table = pd.crosstab(published["region"], published["final"]).reindex(columns=[1, 2, 3, 4, 5], fill_value=0)
    got = {g["group"]: g["segment_counts"] for g in briefing.breakdowns["region"]}
    assert got == {r: {str(k): int(table.loc[r, k]) for k in (1, 2, 3, 4, 5)} for r in table.index}
    sizes = table.sum(axis=1)
    text = text_of(briefing.section("where"))
    for cols, label, named in (([4], "segment 4", True), ([3, 4], "segment 3 or 4", True),
                               ([4, 5], "segment 4 or 5", False), ([1], "segment 1", False)):
        share = {r: Fraction(int(table.loc[r, cols].sum()), int(sizes[r])) for r in table.index if sizes[r] >= 3}
        best = max(share.values())
        winners = sorted(r for r, v in share.items() if v == best)
        assert len(winners) == 1  # in this file each largest share belongs to one region
        r = winners[0]
        n = int(table.loc[r, cols].sum())
        figure = f"{pct(n, int(sizes[r]))}% ({words(n)} of {words(int(sizes[r]))})."
        if named:
            assert f"The region with the largest share of its trusts in {label} is {r}: {figure}" in text
        else:
            assert f"in {label} is in {r}: {figure}" in text
    assert "largest share of its trusts in segment 4 is East of England: 36% (five of 14)" in text
    assert "largest share in segment 4 or 5 is in East of England: 43% (six of 14)" in text


def test_icb_breakdown_from_the_ods_reference_and_why_there_is_no_type_comparison(briefing, published):
    # every acute trust of the file is in the ODS etr list, so each has its ICB
    assert published["icb_name"].notna().all()
    table = pd.crosstab(published["icb_name"], published["final"]).reindex(columns=[1, 2, 3, 4, 5], fill_value=0)
    got = {g["group"]: g["segment_counts"] for g in briefing.breakdowns["icb"]}
    assert got == {r: {str(k): int(table.loc[r, k]) for k in (1, 2, 3, 4, 5)} for r in table.index}
    assert len(got) == 42
    text = text_of(briefing.section("where"))
    assert "no breakdown by ICB" not in text
    assert f"All {N} trusts are acute trusts, so there is no comparison by trust type." in text
    assert briefing.breakdowns["trust_type"][0]["trusts"] == N


def test_worst_metrics_per_segment_match_the_published_scores(briefing, published, scores, assessment):
    worst = scores[scores["Value"] == scores.groupby("Trust_code")["Value"].transform("max")]
    worst = worst.assign(segment=worst["Trust_code"].map(published["final"]))
    names = {m.score_id: m.short_name for m in assessment.framework.metrics}
    bullets = [s for s in briefing.section("why").sentences if s.text.startswith("Segment ")]
    assert [s.figures["segment"] for s in bullets] == [1, 2, 3, 4, 5]
    for s in bullets:
        k = s.figures["segment"]
        hits = worst[worst["segment"] == k].groupby("Metric_ID")["Trust_code"].nunique()
        top = hits[hits == hits.max()]
        size = int((published["final"] == k).sum())
        assert s.figures["metrics"] == {m: names[m] for m in top.index}
        assert s.figures["times"] == int(hits.max()) and s.figures["trusts"] == size
        assert f"of {words(int(hits.max()))} of {words(size)} trusts." in s.text


def test_cautions_name_what_the_data_cannot_say(briefing):
    text = text_of(briefing.section("caution"))
    assert "not computed for this briefing" in text
    assert "Segment 5 is not a score" in text and "programme decision" in text
    assert "taken from the flag in the input" in text
    assert f"The input holds {N} trusts (acute trusts only), not the national population" in text
    assert "implied by NHS England's published segments" in text
    assert "show what causes" in text
    assert "SYNTHETIC" not in to_markdown(briefing)
    assert "No previous quarter was given" in text_of(briefing.section("movers"))


def test_no_causal_wording(briefing):
    text = to_markdown(briefing).lower()
    for phrase in ("because of", "caused by", "due to", "led to", "resulted in", "drove"):
        assert phrase not in text


def test_every_sentence_says_where_its_figures_come_from(briefing, acute_q1):
    payload = json.loads(to_json(briefing))
    sentences = [s for section in payload["sections"] for s in section["sentences"]]
    assert sentences and all(set(s) == {"text", "figures", "source"} for s in sentences)
    assert all(acute_q1.name in s["source"] and "2025/26 Q1" in s["source"] for s in sentences)
    assert payload["provenance"]["current"]["source_files"] == [str(acute_q1)]
    assert [s["id"] for s in payload["sections"]] == ["headline", "where", "why", "movers", "caution", "sources"]


def test_names_are_published_exactly_and_escaped_in_html(briefing, assessment):
    html = to_html(briefing)

    class Check(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.captions = [], 0

        def handle_starttag(self, tag, attrs):
            if tag not in ("meta", "br"):
                self.stack.append(tag)
            self.captions += tag == "caption"

        def handle_endtag(self, tag):
            assert self.stack.pop() == tag

    c = Check()
    c.feed(html)
    assert c.stack == [] and c.captions == 3
    assert '<th scope="col">Region</th>' in html
    assert html.count("<h2") == 6
    md = to_markdown(briefing)
    places = set(assessment.summary["region"]) | set(assessment.summary["icb_name"])
    for name in re.findall(r"^\| ([^|]+?) \|", md, flags=re.M):
        if name not in ("Region", "ICB", "Trust type", "---", "Acute trust") and "(fewer" not in name and not name.startswith("Integrated"):
            assert name in places


def test_uncertain_segments_are_counted_from_the_simulation(assessment, published):
    uncertainty = pytest.importorskip("nhs_oversight.uncertainty")
    u = uncertainty.simulate(assessment, draws=200, seed=3)
    b = brief(assessment, uncertainty=u)
    first = b.section("caution").sentences[0]
    labels = u.table["label"].value_counts()
    n_unsure = int(labels.get("uncertain", 0))
    assert first.figures["uncertain"] == n_unsure and first.figures["stable"] == int(labels.get("stable", 0))
    assert f"is uncertain for {pct(n_unsure, N)}% ({words(n_unsure)} of {N}) of trusts" in first.text
    table = b.section("caution").tables[0]
    assert {row[1] for row in table.rows} == set(u.table.loc[u.table["label"] == "uncertain", "org_code"])
    finals = published["final"]
    assert all(int(row[2]) == finals[row[1]] for row in table.rows)
