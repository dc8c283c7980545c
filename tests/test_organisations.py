"""The organisation reference: regions and ICBs for every trust, from ODS.

Expectations come from the ODS etr file and the ICB list read here with pandas (conftest
``etr_lookup``), not from the project's reader.
"""

from __future__ import annotations

import csv

import pandas as pd

from builders import framework, inputs
from nhs_oversight import api
from nhs_oversight.cli import main
from nhs_oversight.engine import AssessOptions, assess
from nhs_oversight.sources import organisations as ref
from nhs_oversight.sources.ods import read_ods_etr, read_trust_reference

CARE_TRUSTS = {"TAD", "TAH", "TAJ"}  # in ODS's care-trust list (ect), not in etr


def test_shipped_snapshot_is_the_one_the_script_builds(ods_etr, shared_data):
    from nhs_oversight.derive.successors import KNOWN_SUCCESSIONS

    built = ref.frame_from_etr(
        read_ods_etr(ods_etr), read_trust_reference(shared_data / "reference" / "icb-2022.csv"), {p: s for p, s, _, _ in KNOWN_SUCCESSIONS}
    )
    pd.testing.assert_frame_equal(built.reset_index(drop=True), ref.shipped().frame.reset_index(drop=True), check_dtype=False)
    assert (built["kind"] == "trust").sum() == 273 and (built["kind"] == "icb").sum() == 42
    assert "2025-11" in ref.shipped().source and "Open Government Licence" in ref.shipped().source


def test_every_q1_trust_gets_the_ods_region_and_icb(acute_q1, mhc_q1, etr_lookup):
    data = api.read_inputs([acute_q1, mhc_q1])
    orgs = data.orgs.set_index("org_code")
    known = orgs.index[~orgs.index.isin(CARE_TRUSTS)]
    expect = etr_lookup.reindex(known)
    assert (orgs.loc[known, "icb_code"] == expect["icb_code"]).all()
    assert (orgs.loc[known, "icb_name"] == expect["icb_name"]).all()
    assert (orgs.loc[known, "region"] == expect["region"]).all()
    assert set(orgs["region"]) == set(etr_lookup["region"].dropna())  # one set of names for both files


def test_trust_missing_from_the_reference_is_warned_and_kept(acute_q1, mhc_q1):
    a = api.assess([acute_q1, mhc_q1])
    s = a.summary.set_index("org_code")
    assert set(s.index) >= CARE_TRUSTS
    assert (s.loc[sorted(CARE_TRUSTS), "icb_code"] == "").all()
    assert s.loc["TAJ", "region"] == "Midlands"  # its file's region, in NHS England's name
    assert s.loc["TAD", "region"] == "North East and Yorkshire"
    warning = next(w for w in a.warnings if "not in the ODS organisation reference" in w)
    assert "3 organisation(s)" in warning and "TAD, TAH, TAJ" in warning and "--organisations" in warning
    assert a.provenance()["organisation_reference"].startswith("ODS organisation reference, snapshot 2025-11")


def test_merged_trust_is_kept_with_a_note_of_its_successor():
    # RAP (North Middlesex) closed on 2024-12-31 and joined RAL: a 2025/26 Q1 input that still holds it
    data = inputs([("RAP", "acute"), ("RAL", "acute")], {"OF0013": [70.0, 80.0]})
    data = api.with_organisations(data)
    orgs = data.orgs.set_index("org_code")
    assert orgs.loc["RAP", "icb_code"] == orgs.loc["RAL", "icb_code"] == "QMJ"
    assert any(n.startswith("RAP closed on 2024-12-31, succeeded by RAL") for n in data.notes)
    a = assess(data, framework(), AssessOptions(cutpoints=(2.0, 2.5, 3.0)))
    assert set(a.summary["org_code"]) == {"RAP", "RAL"}


def test_values_the_input_states_are_kept(tmp_path):
    data = inputs([("R0A", "acute"), ("R0B", "acute")], {"OF0013": [70.0, 80.0]})
    orgs = data.orgs.copy()
    orgs.loc[0, ["icb_code", "icb_name"]] = ["QXX", "A board of the user's own"]
    data = api.with_organisations(data.__class__(**{**data.__dict__, "orgs": orgs}))
    o = data.orgs.set_index("org_code")
    assert o.loc["R0A", "icb_code"] == "QXX" and o.loc["R0A", "icb_name"] == "A board of the user's own"
    assert o.loc["R0B", "icb_code"] == "QHM" and o.loc["R0B", "icb_name"].startswith("NHS North East and North Cumbria")
    assert (o["region"] != "Test region").all() and o.loc["R0A", "region"] == "North West"


def test_region_labels_of_both_editions():
    assert ref.region_name("East") == ref.region_name(" east of england ") == "East of England"
    assert ref.region_name("North East") == "North East and Yorkshire"
    assert ref.region_name("Wales") == "Wales"


def test_a_newer_export_replaces_the_snapshot(acute_q1, ods_etr, tmp_path, capsys):
    # a newer etr in which R0A has moved to another ICB and region
    with open(ods_etr, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    for r in rows:
        if r[0] == "R0A":
            r[2], r[3] = "Y60", "QHL"
    newer = tmp_path / "etr.csv"
    with open(newer, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL).writerows(rows)
    out = tmp_path / "seg.csv"
    assert main(["segment", str(acute_q1), "--organisations", str(newer), "--format", "csv", "-o", str(out)]) == 0
    s = pd.read_csv(out).set_index("org_code")
    assert s.loc["R0A", "icb_code"] == "QHL" and s.loc["R0A", "region"] == "Midlands"
    assert s.loc["R0A", "icb_name"] == "NHS Birmingham and Solihull Integrated Care Board"
    assert s.loc["R0B", "icb_code"] == "QHM"


def test_a_bad_reference_file_is_a_clear_error(acute_q1, tmp_path, capsys):
    bad = tmp_path / "etr.csv"
    bad.write_text("R0A,Manchester\n", encoding="utf-8")
    assert main(["segment", str(acute_q1), "--organisations", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "etr.csv" in err and "row 1" in err and "Traceback" not in err


def test_segment_csv_carries_icb_and_region_for_every_acute_trust(acute_q1, tmp_path, etr_lookup):
    out = tmp_path / "seg.csv"
    assert main(["segment", str(acute_q1), "--format", "csv", "-o", str(out)]) == 0
    s = pd.read_csv(out).set_index("org_code")
    assert len(s) == 134 and s["icb_code"].notna().all() and s["icb_name"].notna().all() and s["region"].notna().all()
    assert (s["icb_code"] == etr_lookup["icb_code"].reindex(s.index)).all()


def test_synthetic_data_keep_their_own_icbs():
    data = api.synthetic_inputs()
    assert data.reference is None
    assert data.orgs["icb_code"].str.len().gt(0).all()
