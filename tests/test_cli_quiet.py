"""Quiet by default: one summary line of stand-ins and cut points, details with --verbose."""

from __future__ import annotations

import json

import pandas as pd
from typer.testing import CliRunner

from nhs_oversight.cli import app
from nhs_oversight.commands.verbosity import summarise

runner = CliRunner()

STAND_IN = ("{m} (Some metric): the national scoring population is not in the input, so NHS England's published "
            "scores stand in for 3 trust(s), marked 'published'")
CUTS = ("segment cut points are quartiles of the national distribution, which the input does not hold: using the cut "
        "points implied by the published segments, 2.065 / 2.325 / 2.605, pinned to (2.05, 2.08] (fix them with --cutpoints)")


def test_summary_counts_distinct_metrics_and_names_the_cut_points():
    messages = [
        "the input does not hold the whole nation (no Ambulance trust)",
        STAND_IN.format(m="OF0005"), STAND_IN.format(m="OF0017"), STAND_IN.format(m="OF0005"),
        CUTS, "3 organisation(s) are not in the ODS organisation reference",
    ]
    line, rest = summarise(messages)
    assert line == ("the input is not the whole nation: NHS England's published scores stand in for 2 metrics; "
                    "cut points 2.065 / 2.325 / 2.605 implied by the published segments (details with --verbose)")
    assert rest == ["3 organisation(s) are not in the ODS organisation reference"]


def test_summary_of_nothing_to_fold_is_none_and_keeps_other_warnings():
    assert summarise([]) == (None, [])
    assert summarise(["a one-off warning"]) == (None, ["a one-off warning"])
    line, _ = summarise(["segment cut points are quartiles of the 8 trusts in the input, not of the national distribution"])
    assert line == "notes on the input: cut points are quartiles of the 8 trusts given (details with --verbose)"


def _published_metrics(table: pd.DataFrame) -> int:
    """Metrics where some trust's score is a published stand-in, counted from the output table."""
    cols = [c for c in table.columns if c.startswith("source_")]
    return sum(bool((table[c] == "published").any()) for c in cols)


def test_default_is_one_note_line_verbose_all_quiet_none(acute_q1, tmp_path):
    out = tmp_path / "league.csv"
    r = runner.invoke(app, ["segment", str(acute_q1), "-o", str(out)])
    assert r.exit_code == 0, r.output
    notes = [x for x in r.stderr.splitlines() if x.startswith(("note:", "warning:"))]
    assert len(notes) == 1
    n = _published_metrics(pd.read_csv(out))
    assert n == 8
    assert f"published scores stand in for {n} metrics" in notes[0]
    assert "2.065 / 2.325 / 2.605" in notes[0]
    assert f"wrote {out}" in r.stderr

    r = runner.invoke(app, ["segment", str(acute_q1), "-o", str(out), "--verbose"])
    warnings = [x for x in r.stderr.splitlines() if x.startswith("warning:")]
    assert len(warnings) == 1 + n + 1  # the nation, each stand-in, the cut points
    assert any("does not hold the whole nation" in w for w in warnings)

    for args in (["segment", str(acute_q1), "-o", str(out), "--quiet"], ["--quiet", "segment", str(acute_q1), "-o", str(out)]):
        r = runner.invoke(app, args)
        assert r.exit_code == 0
        assert r.stderr.strip() == f"wrote {out}"


def test_json_output_carries_every_note_in_full(acute_q1):
    r = runner.invoke(app, ["segment", str(acute_q1), "--format", "json", "--quiet"])
    meta = json.loads(r.stdout)["meta"]
    assert len(meta["warnings"]) == 10
    assert any("implied by the published segments, 2.065 / 2.325 / 2.605" in w for w in meta["warnings"])
