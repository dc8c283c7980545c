"""The shipped synthetic national dataset: deterministic, national, labelled."""

from __future__ import annotations

import io

import pandas as pd

import nhs_oversight as no
from nhs_oversight.synthetic import nof as synthetic


def test_regenerating_gives_the_shipped_files():
    for name, df in synthetic.generate().items():
        shipped = (synthetic.data_dir() / name).read_bytes().decode("utf-8-sig")
        buf = io.StringIO()
        df.to_csv(buf, index=False, lineterminator="\n")
        assert buf.getvalue() == shipped, name


def test_national_population_of_every_type():
    for quarter in synthetic.QUARTERS:
        data = no.synthetic_inputs(quarter)
        assert data.label == "SYNTHETIC"
        assert data.period == quarter
        counts = data.orgs["trust_type"].value_counts().to_dict()
        assert counts == {"acute": 134, "mental_health_community": 61, "ambulance": 10}
        subtypes = set(data.orgs["trust_subtype"])
        assert {"Community", "Mental Health and Learning Disability", "Ambulance"} <= subtypes


def test_assessment_is_national_and_segments_spread():
    a = no.assess(no.synthetic_inputs())
    assert a.national and not a.warnings
    assert a.cutpoints["overall"].method == "national quartiles"
    counts = a.summary["unadjusted_segment"].value_counts()
    assert counts.min() >= 40  # quartiles of 205 trusts
    assert a.summary["financial_override"].sum() > 0
    assert (a.summary["final_segment"] == 5).sum() > 0
    assert (a.metrics["score_source"] == "published").sum() == 0


def test_some_trusts_change_segment_between_quarters():
    q1 = no.assess(no.synthetic_inputs("2025/26 Q1")).summary.set_index("org_code")["final_segment"]
    q2 = no.assess(no.synthetic_inputs("2025/26 Q2")).summary.set_index("org_code")["final_segment"]
    moved = (q1 != q2.reindex(q1.index)).sum()
    assert 10 <= moved <= 150


def test_files_carry_the_label_in_every_row():
    for path in synthetic.files():
        df = pd.read_csv(path, encoding="utf-8-sig")
        assert set(df["Dataset"]) == {"SYNTHETIC"}
