"""The briefing's wording on a small hand-made population (tests/golden/brief-small-*.csv).

Eight fictional acute trusts, five metrics each, scored only with score-only metrics and the
finance bands so that every average is a sum of whole scores over five; cut points are fixed
(2/2.5/3 in Q1, 2/2.3/3 in Q2). The expected briefing was written by hand from that design:

Q1 averages: AAA 1.20, BBB 1.60 (flagged: override to 3), CCC 2.20, DDD 2.80 (flagged),
EEE 3.80 (flagged; Recovery Support Programme), FFF 3.60, GGG 2.40, HHH 2.60.
Q2: AAA now flagged (1 -> 3), BBB no longer flagged (3 -> 1), CCC 2.80 (2 -> 3), FFF 2.80
(4 -> 3), GGG 2.40 crosses the lower 2/3 cut point (2 -> 3); HHH left, III (3.00) entered.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nhs_oversight as no
from nhs_oversight.brief import brief, to_html, to_json, to_markdown
from nhs_oversight.errors import OptionError

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def q1():
    return no.assess([GOLDEN / "brief-small-q1.csv"], cutpoints=(2.0, 2.5, 3.0))


@pytest.fixture(scope="module")
def q2():
    return no.assess([GOLDEN / "brief-small-q2.csv"], cutpoints=(2.0, 2.3, 3.0))


def test_markdown_matches_the_hand_written_briefing(q1, q2):
    expected = (GOLDEN / "brief-small.md").read_text(encoding="utf-8")
    assert to_markdown(brief(q2, q1, uncertainty=False)) == expected


def test_json_carries_counts_per_segment_and_group(q1, q2):
    payload = json.loads(to_json(brief(q2, q1, uncertainty=False)))
    assert payload["dataset"] == "SYNTHETIC"
    assert payload["period"] == "2025/26 Q2" and payload["previous_period"] == "2025/26 Q1"
    assert payload["segment_counts"] == {"1": 1, "2": 0, "3": 6, "4": 0, "5": 1}
    assert payload["previous_segment_counts"] == {"1": 1, "2": 2, "3": 3, "4": 1, "5": 1}
    regions = {g["group"]: (g["trusts"], g["segment_counts"]) for g in payload["breakdowns"]["region"]}
    assert regions == {
        "East": (1, {"1": 0, "2": 0, "3": 1, "4": 0, "5": 0}),
        "North": (4, {"1": 1, "2": 0, "3": 3, "4": 0, "5": 0}),
        "South": (3, {"1": 0, "2": 0, "3": 2, "4": 0, "5": 1}),
    }
    icbs = {g["code"]: g["trusts"] for g in payload["breakdowns"]["icb"]}
    assert icbs == {"QE1": 1, "QN1": 3, "QN2": 1, "QS1": 3}
    movers = next(s for s in payload["sections"] if s["id"] == "movers")
    fff = next(s for s in movers["sentences"] if s["figures"].get("org_code") == "FFF")
    assert fff["figures"]["metric_changes"] == [
        {"metric": "Combined finance", "score_id": "OF1080", "before": 4.0, "after": 2.0},
        {"metric": "CQC community MH survey", "score_id": "OF1035", "before": 4.0, "after": 3.0},
        {"metric": "CQC inpatient survey", "score_id": "OF1069", "before": 4.0, "after": 3.0},
    ]


def test_a_single_quarter_has_no_movers_and_states_its_own_counts(q1):
    b = brief(q1, uncertainty=False)
    head = b.section("headline").sentences
    assert head[0].text == (
        "In 2025/26 Q1, eight trusts were assessed: 13% (one of eight) are in segment 1, 25% (two of eight) in segment 2, "
        "38% (three of eight) in segment 3 and 13% (one of eight) in segment 4."
    )
    assert len(head) == 2
    why = " ".join(s.text for s in b.section("why").sentences)
    assert why.startswith(
        "The financial override moved one trust into segment 3 from segment 1; it is flagged in the input as in deficit or "
        "receiving deficit support. Before the override, segment 1 had two trusts and segment 2 had two; after it, one and two. "
        "A further two flagged trusts were already in segment 3 or 4, where the override changes nothing."
    )
    assert [s.text for s in b.section("movers").sentences] == [
        "No previous quarter was given, so this briefing does not show movement between quarters."
    ]


def test_breakdowns_can_be_chosen(q2):
    b = brief(q2, by="icb", uncertainty=False)
    assert list(b.breakdowns) == ["icb"]
    assert [t.caption for t in b.section("where").tables] == ["Final segment by ICB, 2025/26 Q2"]
    b = brief(q2, by=["trust-type", "region"], uncertainty=False)
    assert [t.columns[0] for t in b.section("where").tables] == ["Trust type", "Region"]
    with pytest.raises(OptionError, match="unknown breakdown 'postcode'"):
        brief(q2, by="postcode", uncertainty=False)


def test_html_shows_the_dataset_label_and_escapes_text(q1, q2):
    html = to_html(brief(q2, q1, uncertainty=False))
    assert '<p class="banner" role="note">SYNTHETIC DATA: fictional trusts, for demonstration only.</p>' in html
    assert "2025/26 Q1 \\ 2025/26 Q2" in html
    assert "trust&#39;s financial flag changed" in html and "trust's financial flag" not in html
    assert "<li>Seaford General Hospital NHS Trust (GGG) moved down from segment 2 to segment 3; its average score stayed at 2.40 but the cut points moved.</li>" in html
