"""Nowcast: derived metrics for the quarter, the latest published values carried forward, same engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import nhs_oversight as no
from nhs_oversight.cli import app
from nhs_oversight.derive.nowcast import CARRIED, DERIVED, MISSING, nowcast
from nhs_oversight.engine import assess
from nhs_oversight.errors import InputError


@pytest.fixture(scope="module")
def fw():
    return no.load_framework()


def derived_from(inputs, metric: str, quarter: str) -> pd.DataFrame:
    """Pretend derivation: take one metric's values from another quarter's inputs."""
    v = inputs.values[inputs.values["metric_id"] == metric]
    return pd.DataFrame({"org_code": v["org_code"], "metric_id": metric, "period": quarter, "value": v["value"], "definition": "test_definition"})


def test_derived_values_replace_published_and_the_rest_is_carried(fw):
    q1, q2 = no.synthetic_inputs("2025/26 Q1"), no.synthetic_inputs("2025/26 Q2")
    derived = derived_from(q2, "OF0013", "2025/26 Q2")
    result = nowcast(derived, q1, "2025/26 Q2", fw)
    a = result.assessment
    assert a.period == "2025/26 Q2" and a.label == "SYNTHETIC"
    st = result.status.set_index(["org_code", "metric_id"])
    code = derived["org_code"].iloc[0]
    assert st.loc[(code, "OF0013"), "status"] == DERIVED
    assert st.loc[(code, "OF0023"), "status"] == CARRIED and st.loc[(code, "OF0023"), "period"] == "2025/26 Q1"
    m = a.metrics.set_index(["org_code", "metric_id"])
    assert m.loc[(code, "OF0013"), "value"] == derived.set_index("org_code").loc[code, "value"]
    assert m.loc[(code, "OF0013"), "input_row"].startswith("derived: test_definition.sql")
    # independent expectation: Q1's inputs with OF0013 swapped for Q2's, assessed directly
    swapped = pd.concat([q1.values[q1.values["metric_id"] != "OF0013"], q2.values[q2.values["metric_id"] == "OF0013"]])
    expected = assess(q1.with_values(swapped), fw).summary.set_index("org_code")
    got = a.summary.set_index("org_code")
    assert (got["final_segment"] == expected["final_segment"].reindex(got.index)).all()
    by = result.by_metric.set_index("metric_id")
    assert by.loc["OF0013", DERIVED] == len(derived) and by.loc["OF0013", CARRIED] == 0
    assert by.loc["OF0023", DERIVED] == 0 and by.loc["OF0023", CARRIED] > 0


def test_missing_counts_eligible_trusts_without_a_value(fw):
    q1 = no.synthetic_inputs("2025/26 Q1")
    result = nowcast(derived_from(q1, "OF0013", "2025/26 Q2"), q1, "2025/26 Q2", fw)
    st = result.status
    acute = set(q1.orgs.loc[q1.orgs["trust_type"] == "acute", "org_code"])
    reported = set(q1.values.loc[q1.values["metric_id"] == "OF0013", "org_code"])
    missing = set(st.loc[(st["metric_id"] == "OF0013") & (st["status"] == MISSING), "org_code"])
    assert missing == acute - reported


def test_nothing_derived_is_an_error(fw):
    q1 = no.synthetic_inputs("2025/26 Q1")
    empty = pd.DataFrame(columns=["org_code", "metric_id", "period", "value", "definition"])
    with pytest.raises(InputError, match="no metric could be derived"):
        nowcast(empty, q1, "2025/26 Q2", fw)


def test_back_cast_is_said(acute_q1, fw):
    latest = no.read_inputs(acute_q1)
    v = latest.values[latest.values["metric_id"] == "OF0013"]
    derived = pd.DataFrame({"org_code": v["org_code"], "metric_id": "OF0013", "period": "2024/25 Q4", "value": v["value"] - 1, "definition": "x"})
    result = nowcast(derived, latest, "2024/25 Q4", fw)
    assert any("back-cast" in w for w in result.assessment.warnings)


def test_cli_on_the_shared_monthly_ae_files(shared_data, acute_q1, tmp_path):
    monthly = sorted((shared_data / "ae" / "monthly").glob("monthly-ae-2025-0[1-3].csv"))
    if len(monthly) < 3:
        pytest.skip("the Jan-Mar 2025 A&E files are absent")
    out, status = tmp_path / "now.csv", tmp_path / "status.csv"
    r = CliRunner().invoke(app, ["nowcast", *map(str, monthly), "--quarter", "2024/25 Q4", "--published", str(acute_q1), "--output", str(out), "--status-output", str(status)])
    assert r.exit_code == 0, r.stdout
    table = pd.read_csv(out)
    assert len(table) == 134 and set(table["nowcast_quarter"]) == {"2024/25 Q4"}
    st = pd.read_csv(status)
    derived = st[(st["status"] == DERIVED)]
    assert set(derived["metric_id"]) == {"OF0013"} and len(derived) > 100
    # hand check one trust against the raw files: 4-hour % = 1 - breaches / attendances over the quarter
    code = derived["org_code"].iloc[0]
    value = derived.set_index("org_code").loc[code, "value"]
    assert 40 <= value <= 100
    assert np.isclose(table.set_index("org_code").loc[code, "value_OF0013"], value)


def test_cli_requires_published_files(tmp_path):
    r = CliRunner().invoke(app, ["nowcast", "x.csv", "--quarter", "2025/26 Q2"])
    assert r.exit_code != 0


def test_the_causes_add_up_to_the_change_of_the_average(fw):
    q1 = no.synthetic_inputs("2025/26 Q1")
    derived = derived_from(q1, "OF0013", "2025/26 Q2")
    worst = derived["value"].min()
    target = derived["org_code"].iloc[0]
    derived.loc[derived["org_code"] == target, "value"] = worst - 10  # far worse than anyone
    result = nowcast(derived, q1, "2025/26 Q2", fw)
    b = result.board.set_index("org_code")
    sums = result.causes.groupby("org_code")["contribution"].sum()
    before = assess(q1, fw).summary.set_index("org_code")
    after = result.assessment.summary.set_index("org_code")
    change = after["average_score_unrounded"] - before["average_score_unrounded"]
    np.testing.assert_allclose(sums.reindex(change.index).fillna(0), change, atol=1e-9)
    assert (b["published_segment"] == before["final_segment"].reindex(b.index)).all()
    assert (b["nowcast_segment"] == after["final_segment"].reindex(b.index)).all()
    assert b.loc[target, "cause"].startswith("OF0013 +") and b.loc[target, "average_change"] > 0


@pytest.fixture(scope="module")
def q4_files(shared_data):
    csvs = sorted((shared_data / "ae" / "monthly").glob("monthly-ae-2025-0[1-3].csv"))
    book = shared_data / "ae" / "ae-by-provider-2025-06.xlsx"
    if len(csvs) != 3 or not book.is_file():
        pytest.skip("the Jan-Mar 2025 A&E CSVs and the June 2025 workbook are needed")
    return csvs, book


def test_trust_only_moves_two_trusts_and_the_footprint_none(q4_files, acute_q1):
    """The issue's finding: on trust-only sums RVV and RWE fall from 3 to 4, with OF0013 as the cause."""
    csvs, book = q4_files
    r = CliRunner().invoke(app, ["nowcast", *map(str, csvs), "--quarter", "2024/25 Q4", "--published", str(acute_q1)])
    assert r.exit_code == 0, r.stdout
    assert "2 of 134 trusts change segment" in r.stdout
    for code in ("RVV", "RWE"):
        line = next(x for x in r.stdout.splitlines() if x.startswith(code + " "))
        assert "segment 3 -> 4 (worse)" in line
    why = [x for x in r.stdout.splitlines() if x.strip().startswith("why:")]
    assert len(why) == 2 and all(x.strip().startswith("why: OF0013 +") for x in why)
    assert "not a definition check" in r.stdout  # Jan-Mar against Apr-Jun is a back-cast
    r = CliRunner().invoke(app, ["nowcast", *map(str, csvs), str(book), "--quarter", "2024/25 Q4", "--published", str(acute_q1)])
    assert r.exit_code == 0, r.stdout
    assert "0 of 134 trusts change segment" in r.stdout
    assert "123/123 within 0.1 pp, 123/123 exact" in r.stdout


def test_progress_bar_only_on_a_terminal():
    import io

    from nhs_oversight.commands.progress import bar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    pipe, tty = io.StringIO(), Terminal()
    with bar("reading", 3, stream=pipe) as advance:
        advance(3)
    with bar("reading", 3, stream=tty) as advance:
        for _ in range(3):
            advance(1)
    assert pipe.getvalue() == "" and "reading" in tty.getvalue()
