"""`oversight history ORG` reads as words: metric names beside codes, blanks rather than NaN."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from nhs_oversight.cli import main
from nhs_oversight.commands.derive import nothing_derived
from nhs_oversight.history.names import for_screen, metric_names, named

REPO = Path(__file__).resolve().parents[1]
HEADER = ("Period,Org Code,Parent Org,Org name,A&E attendances Type 1,A&E attendances Type 2,"
          "A&E attendances Other A&E Department,Attendances over 4hrs Type 1,Attendances over 4hrs Type 2,"
          "Attendances over 4hrs Other Department")


def _framework_yaml() -> dict:
    return yaml.safe_load((REPO / "src/nhs_oversight/frameworks/nof-2025-26.yaml").read_text(encoding="utf-8"))


def test_names_come_from_the_framework_file():
    import nhs_oversight as no

    raw = _framework_yaml()
    names = metric_names(no.load_framework("nof-2025-26"))
    for m in raw["metrics"]:
        assert names[m["id"]] == m["short_name"]
        assert names[m["score_id"]] == f"{m['short_name']} (score)"
    assert names["OF5005"].startswith("Final segment") and names["OF5002"] == "Average metric score"


def test_named_and_for_screen():
    t = pd.DataFrame({"metric_id": ["OF0013", "LOCAL-X"], "value": [90.0, 1.5], "numerator": [270.0, float("nan")]})
    out = for_screen(named(t, {"OF0013": "A&E 4-hour"}))
    assert list(out.columns) == ["metric_id", "metric", "value", "numerator"]
    assert out["metric"].tolist() == ["A&E 4-hour", ""]
    assert out["numerator"].tolist() == ["270", ""]
    assert not re.search(r"\bnan\b", out.to_string(), re.IGNORECASE)


def test_history_table_on_published_and_derived_values(tmp_path, capsys, acute_q1):
    months = {"04": "APRIL", "05": "MAY", "06": "JUNE"}
    files = []
    for mm, word in months.items():
        p = tmp_path / f"ae-2025-{mm}.csv"
        p.write_text(f"{HEADER}\nMSitAE-{word}-2025,RWY,NHS ENGLAND NORTH EAST AND YORKSHIRE,X TRUST,100,0,0,10,0,0\n")
        files.append(p)
    db = tmp_path / "h.duckdb"
    assert main(["ingest", *map(str, files), str(acute_q1), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["history", "--org", "rwy", "--db", str(db), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert not re.search(r"\bnan\b", out, re.IGNORECASE)
    lines = out.splitlines()
    assert lines[0].split() == ["org_code", "metric_id", "metric", "period", "value", "numerator", "denominator", "source"]
    derived = next(x for x in lines if "OF0013" in x and "derived" in x)
    assert "A&E 4-hour" in derived and "270" in derived and "300" in derived
    final = next(x for x in lines if "OF5005" in x)
    assert "Final segment" in final
    # the argument and --org agree, or it is an error
    assert main(["history", "RWY", "--org", "RXX", "--db", str(db)]) == 2


def test_empty_derivation_is_a_sentence(tmp_path, capsys):
    p = tmp_path / "ae-2025-04.csv"
    p.write_text(f"{HEADER}\nMSitAE-APRIL-2025,RXX,NHS ENGLAND LONDON,X TRUST,100,0,0,10,0,0\n")
    assert main(["derive", str(p)]) == 0
    out = capsys.readouterr().out
    assert "Empty DataFrame" not in out
    assert out.startswith("No quarterly values were derived from the files given: the quarters the files cover lack months")
    assert "nothing for 2024/25 Q1" in nothing_derived([], "2024/25 Q1")
