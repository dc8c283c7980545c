"""`oversight funnel` shown honestly: no national rows, --where, --per, favourable sides apart."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from nhs_oversight.cli import main
from nhs_oversight.errors import OptionError
from nhs_oversight.render.funnel_chart import funnel_chart, positions
from nhs_oversight.stats.funnel import funnel, in_units, outlier_side
from nhs_oversight.stats.funnel_rows import Condition, apply_where, parse_where, total_rows

NUM, DEN, LABEL = "Attendances over 4hrs Type 1", "A&E attendances Type 1", "Org Code"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_where_and_apply_ignore_case_and_spaces():
    assert parse_where(["Parent Org=nhs england london", "Type != 3"]) == [
        Condition("Parent Org", "nhs england london"), Condition("Type", "3", equal=False)]
    df = pd.DataFrame({"Parent Org": ["NHS ENGLAND LONDON ", "NHS ENGLAND MIDLANDS", "nhs england london"], "Type": ["1", "3", "3"]})
    got = apply_where(df, parse_where(["Parent Org=NHS England London", "Type!=3"]))
    assert list(got.index) == [0]
    either = apply_where(df, parse_where(["Parent Org=nhs england midlands, NHS England London"]))
    assert list(either.index) == [0, 1, 2]
    with pytest.raises(OptionError, match="COLUMN=VALUE"):
        parse_where(["Parent Org"])
    with pytest.raises(OptionError, match="no column 'Region'"):
        apply_where(df, parse_where(["Region=X"]))
    with pytest.raises(OptionError, match="no row"):
        apply_where(df, parse_where(["Type=9"]))


def test_total_rows_are_the_total_and_national_rows_only():
    df = pd.DataFrame({"code": ["R1", "TOTAL", "ENG", "R2", "R3"], "name": ["A", "TOTAL", "x", "Totally fine", "England"],
                       "n": ["1", "2", "3", "4", "5"]})
    assert list(total_rows(df, "code")) == [False, True, False, False, False]
    assert list(total_rows(df, "name")) == [False, True, False, False, True]


def test_outlier_sides_follow_the_favourable_direction():
    bands = [0, 1, -1, 2, -2]
    assert outlier_side(bands) == ["inside", "high", "low", "high", "low"]
    assert outlier_side(bands, "higher") == ["inside", "favourable", "unfavourable", "favourable", "unfavourable"]
    assert outlier_side(bands, "lower") == ["inside", "unfavourable", "favourable", "unfavourable", "favourable"]
    names, colours = positions(bands, "lower")
    assert names == ["inside 95% limits", "worse (95%)", "better (95%)", "worse (99.8%)", "better (99.8%)"]
    # favourable and unfavourable never share a colour, and no red or green is used
    assert {colours[n] for n in names[2::2]}.isdisjoint({colours[n] for n in names[1::2]})
    assert not {"#DA291C", "#009639"} & set(colours.values())


def test_in_units_scales_values_and_limits_but_not_counts():
    r = funnel([12, 30, 45], [100, 250, 300], overdispersion="none")
    t = in_units(r.points, 1000)
    assert list(t["value"]) == pytest.approx([120, 120, 150])
    assert list(t["numerator"]) == [12, 30, 45]
    assert list(t["ucl95"]) == pytest.approx(list(r.points["ucl95"] * 1000))
    with pytest.raises(OptionError):
        in_units(r.points, 0)


@pytest.fixture(scope="module")
def ae(shared_data):
    path = shared_data / "ae/monthly/monthly-ae-2024-06.csv"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


def test_the_total_row_is_left_out_and_values_are_percentages_like_the_axis(capsys, ae):
    raw = pd.read_csv(ae, dtype=str, keep_default_na=False)
    assert "TOTAL" in set(raw[LABEL])  # the published file ends with England's total
    code, out, err = run(capsys, "funnel", ae, "--numerator", NUM, "--denominator", DEN, "--label", LABEL,
                         "--where", f"{DEN}!=0", "--format", "json")
    assert code == 0, err
    assert "left out 1 national or total row(s): TOTAL" in err
    payload = json.loads(out)
    rows = pd.DataFrame(payload["rows"])
    units = raw[(raw[LABEL] != "TOTAL") & (raw[DEN].astype(float) > 0)]
    assert set(rows["label"]) == set(units[LABEL])
    expect = (units[NUM].astype(float) / units[DEN].astype(float) * 100).to_numpy()
    got = rows.set_index("label").loc[units[LABEL], "value"].to_numpy()
    np.testing.assert_allclose(got, expect, rtol=1e-12)
    assert set(rows["unit"]) == {"%"} and payload["meta"]["unit"] == "%"
    pooled = units[NUM].astype(float).sum() / units[DEN].astype(float).sum() * 100
    assert rows["target"].iloc[0] == pytest.approx(pooled)


def test_where_keeps_one_region_and_per_sets_the_unit_of_table_and_axis(capsys, ae, tmp_path):
    raw = pd.read_csv(ae, dtype=str, keep_default_na=False)
    london = raw[raw["Parent Org"].str.strip() == "NHS ENGLAND LONDON"]
    london = london[london[DEN].astype(float) > 0]
    code, out, _ = run(capsys, "funnel", ae, "--numerator", NUM, "--denominator", DEN, "--label", LABEL,
                       "--where", "Parent Org=nhs england london", "--where", f"{DEN}!=0", "--per", "1000", "--format", "csv")
    assert code == 0
    t = pd.read_csv(io.StringIO(out))
    assert sorted(t["label"]) == sorted(london[LABEL])
    assert set(t["unit"]) == {"per 1,000"}
    first = london.iloc[0]
    assert t.set_index("label").loc[first[LABEL], "value"] == pytest.approx(float(first[NUM]) / float(first[DEN]) * 1000)
    r = funnel(t["numerator"], t["denominator"], labels=t["label"])
    spec = funnel_chart(r, per=1000).to_dict()
    assert "Rate per 1,000" in json.dumps(spec)


def test_a_bad_cell_names_its_row_of_the_file_after_filtering(capsys, tmp_path):
    src = tmp_path / "u.csv"
    src.write_text("unit,region,x,n\nA,N,1,10\nB,S,2,10\nC,N,abc,10\nD,N,3,10\nTOTAL,,6,40\n")
    code, _, err = run(capsys, "funnel", src, "--numerator", "x", "--denominator", "n", "--label", "unit", "--where", "region=N")
    assert code == 2
    assert "row 4" in err and "'abc' is not a number" in err and "Traceback" not in err
