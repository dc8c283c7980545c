"""Properties of every briefing (hypothesis): each number a sentence states is among that
sentence's figures, and the counts add up, whatever the population."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nhs_oversight.brief import brief
from nhs_oversight.engine import AssessOptions, assess
from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.frameworks import load_framework

FW = load_framework("nof-2025-26")
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
REGIONS = ["North East", "London", "South West 2"]  # a digit in a name must not be taken for a figure
ICBS = [("QA1", "NHS Area 1 ICB"), ("QB2", "NHS Area 2 ICB"), ("", "")]
#: Score-only metrics (value = score) and the finance pair whose matrix gives the combined score.
SCORE_ONLY = {"OF0067": 4, "OF0035": 4, "OF0046": 3, "OF0069": 4}
FINANCE = {"OF0079": [0.5, -0.5, -1.5, -3.0], "OF0081": [0.2, -0.2, -0.7, -2.0]}


@st.composite
def trust(draw, code: str):
    return {
        "code": code,
        "region": draw(st.sampled_from([*REGIONS, ""])),
        "icb": draw(st.sampled_from(ICBS)),
        "scores": {m: draw(st.integers(1, top)) for m, top in SCORE_ONLY.items()},
        "finance": {m: draw(st.sampled_from(v)) for m, v in FINANCE.items()},
        "flag": draw(st.sampled_from([0.0, 1.0, 1.0, np.nan])),
        "rsp": draw(st.sampled_from([0.0, 0.0, 0.0, 1.0])),
    }


def inputs(trusts: list[dict], period: str) -> OversightInputs:
    orgs = pd.DataFrame(
        {
            "org_code": [t["code"] for t in trusts],
            "org_name": [f"Hospital {t['code'][1:]} NHS Trust" for t in trusts],
            "trust_type": "acute",
            "trust_subtype": "",
            "region": [t["region"] for t in trusts],
            "icb_code": [t["icb"][0] for t in trusts],
            "icb_name": [t["icb"][1] for t in trusts],
        }
    )
    rows = [
        {"org_code": t["code"], "metric_id": m, "value": float(v), "unit": "", "tie_rank": np.nan, "source": f"h.csv:row {i + 2}"}
        for i, t in enumerate(trusts)
        for m, v in {**t["scores"], **t["finance"]}.items()
    ]
    flags = pd.DataFrame(
        {
            "org_code": orgs["org_code"],
            "financial_flag": [t["flag"] for t in trusts],
            "financial_source": "h.csv",
            "rsp_flag": [t["rsp"] for t in trusts],
            "rsp_source": "h.csv",
        }
    )
    return OversightInputs(orgs=orgs, values=pd.DataFrame(rows), flags=flags, period=period, files=(f"h-{period[-2:]}.csv",))


CUTS = st.lists(st.integers(130, 370), min_size=3, max_size=3, unique=True).map(lambda v: tuple(x / 100 for x in sorted(v)))


@st.composite
def two_quarters(draw):
    n = draw(st.integers(3, 10))
    first = [draw(trust(f"T{i:02d}")) for i in range(n)]
    kept = [t for t in first if draw(st.booleans()) or t is first[0]]
    second = [{**draw(trust(t["code"])), "region": t["region"], "icb": t["icb"]} for t in kept]
    second += [draw(trust(f"N{i:02d}")) for i in range(draw(st.integers(0, 3)))]
    return first, second, draw(CUTS), draw(CUTS)


def flatten(figures) -> tuple[list[float], list[str]]:
    """Numbers and strings among a sentence's figures (dict keys that are numbers count too)."""
    numbers, strings = [], []

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(str(k))
                walk(v)
        elif isinstance(x, list | tuple):
            for v in x:
                walk(v)
        elif isinstance(x, bool) or x is None:
            return
        elif isinstance(x, int | float | np.integer | np.floating):
            numbers.append(float(x))
        elif isinstance(x, str):
            if re.fullmatch(r"\d+(\.\d+)?", x):
                numbers.append(float(x))
            else:
                strings.append(x)

    walk(figures)
    return numbers, strings


def stated_numbers(text: str, strings: list[str]) -> list[tuple[float, int]]:
    """Every number the text states, with its decimals; names and periods given as figures are
    taken out first, so that 'Area 1' or '2025/26 Q1' are not read as counts."""
    for s in sorted(strings, key=len, reverse=True):
        text = text.replace(s, " ")
    found = []
    for m in re.finditer(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?", text):
        whole, frac = m.group(1).replace(",", ""), m.group(2) or ""
        found.append((float(f"{whole}.{frac}" if frac else whole), len(frac)))
    for w in re.findall(r"[A-Za-z]+", text):
        if w.lower() in WORDS:
            found.append((float(WORDS[w.lower()]), 0))
    return found


def check_sentences(b) -> None:
    for s in b.sentences:
        numbers, strings = flatten(s.figures)
        for value, decimals in stated_numbers(s.text, strings):
            assert any(round(f, decimals) == value for f in numbers), (s.text, value, s.figures)
        assert s.source


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_quarters())
def test_every_number_in_a_sentence_is_among_its_figures(pop):
    first, second, cuts1, cuts2 = pop
    a1 = assess(inputs(first, "2025/26 Q1"), FW, AssessOptions(cutpoints=cuts1))
    a2 = assess(inputs(second, "2025/26 Q2"), FW, AssessOptions(cutpoints=cuts2))
    b = brief(a2, a1, uncertainty=False)
    check_sentences(b)
    n = len(second)
    assert sum(b.segment_counts.values()) == n
    for groups in b.breakdowns.values():
        assert sum(g["trusts"] for g in groups) == n
        assert all(sum(g["segment_counts"].values()) == g["trusts"] for g in groups)
    moves = b.section("movers").sentences[0].figures
    assert moves["up"] + moves["down"] + moves["same"] == len({t["code"] for t in first} & {t["code"] for t in second})


def test_the_checker_catches_a_number_missing_from_the_figures():
    from nhs_oversight.brief.model import Sentence

    assert stated_numbers("Six of 14 trusts in NHS Area 1 ICB, 2025/26 Q1: 2.065", ["NHS Area 1 ICB", "2025/26 Q1"]) == [
        (14.0, 0), (2.065, 3), (6.0, 0)
    ]

    from types import SimpleNamespace

    check_sentences(SimpleNamespace(sentences=[Sentence("Six of 14 trusts.", {"count": 6, "trusts": 14}, "test")]))
    with pytest.raises(AssertionError):
        check_sentences(SimpleNamespace(sentences=[Sentence("Six of 14 trusts.", {"count": 6}, "test")]))
