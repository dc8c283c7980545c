"""Reading CSVs for ``oversight spc``: dates, numbers, rates, filters and clear errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nhs_oversight.errors import InputError, OptionError
from nhs_oversight.sources.spc_input import format_dates, parse_date, read_series_csv


def write(tmp_path, text: str, name: str = "in.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("cells", "kind", "first", "written"),
    [
        (["2024-04-01", "2024-05-01"], "date", "2024-04-01", ["2024-04-01", "2024-05-01"]),
        (["01/04/2024", "01/05/2024"], "date", "2024-04-01", ["2024-04-01", "2024-05-01"]),
        (["2024-04", "2024-05"], "month", "2024-04-01", ["2024-04", "2024-05"]),
        (["Apr 2024", "May 2024"], "month", "2024-04-01", ["2024-04", "2024-05"]),
        (["April 2024", "May 2024"], "month", "2024-04-01", ["2024-04", "2024-05"]),
        (["2024/25 Q1", "2024/25 Q2"], "quarter", "2024-04-01", ["2024/25 Q1", "2024/25 Q2"]),
        (["2021", "2022"], "year", "2021-01-01", ["2021", "2022"]),
    ],
)
def test_date_formats(tmp_path, cells, kind, first, written):
    p = write(tmp_path, "when,y\n" + "".join(f"{c},1\n" for c in cells))
    t = read_series_csv(p, date="when", value="y")
    assert t.date_kind == kind
    assert t.data["when"].iloc[0] == pd.Timestamp(first)
    assert format_dates(t.data["when"], kind).tolist() == written


def test_quarters_written_back_the_nhs_way(tmp_path):
    p = write(tmp_path, "q,y\n2024/25 Q4,1\n2025/26 Q1,2\n")
    t = read_series_csv(p, date="q", value="y")
    assert t.data["q"].tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-04-01")]
    assert format_dates(t.data["q"], "quarter").tolist() == ["2024/25 Q4", "2025/26 Q1"]


def test_bad_date_names_the_row(tmp_path):
    p = write(tmp_path, "when,y\n2024-04-01,1\n2024-13-01,2\n")
    with pytest.raises(InputError) as err:
        read_series_csv(p, date="when", value="y")
    assert err.value.row == 3 and err.value.column == "when"
    assert "'2024-13-01' is not a date like the first row's" in str(err.value)


def test_first_cell_not_a_date(tmp_path):
    p = write(tmp_path, "when,y\nsoon,1\n")
    with pytest.raises(InputError, match="'soon' is not a date") as err:
        read_series_csv(p, date="when", value="y")
    assert err.value.row == 2


def test_parse_date_option():
    assert parse_date("2017-12-01") == pd.Timestamp("2017-12-01")
    assert parse_date("Dec 2017") == pd.Timestamp("2017-12-01")
    with pytest.raises(OptionError, match="not understood"):
        parse_date("Christmas")


def test_non_numeric_value_names_the_file_row_even_after_filtering(tmp_path):
    p = write(tmp_path, "org,when,y\nA,2024-04,1\nB,2024-04,oops\nA,2024-05,x7\n")
    with pytest.raises(InputError) as err:
        read_series_csv(p, date="when", value="y", group=["org"], where=["org=A"])
    assert (err.value.row, err.value.column) == (4, "y")
    assert "'x7' is not a number" in str(err.value)


def test_suppressed_cells_are_missing_and_reported(tmp_path):
    p = write(tmp_path, "when,y\n2024-04,1\n2024-05,*\n2024-06,\n2024-07,4\n")
    t = read_series_csv(p, date="when", value="y")
    assert np.isnan(t.data["y"].iloc[1]) and np.isnan(t.data["y"].iloc[2])
    assert [c[1] for c in t.missing.cells] == [3, 4]
    assert "2 suppressed or blank value(s)" in t.missing.summary()


def test_rates_sum_rows_sharing_group_and_date(tmp_path):
    p = write(
        tmp_path,
        "org,type,when,num,den\nA,1,2024-04,10,100\nA,2,2024-04,5,50\nA,1,2024-05,3,100\nA,2,2024-05,*,40\nB,1,2024-04,1,0\n",
    )
    t = read_series_csv(p, date="when", group=["org"], numerator="num", denominator="den", per=100)
    d = t.data.set_index(["org", "when"])
    assert t.value == "rate"
    assert d.loc[("A", pd.Timestamp("2024-04-01")), "rate"] == pytest.approx(100 * 15 / 150)
    # a suppressed part makes the whole sum missing, never an undercount
    assert np.isnan(d.loc[("A", pd.Timestamp("2024-05-01")), "rate"])
    assert np.isnan(d.loc[("B", pd.Timestamp("2024-04-01")), "rate"])
    assert t.notes == ["1 series-date(s) with a zero den have no rate"]


def test_duplicates_need_sum_or_group(tmp_path):
    p = write(tmp_path, "org,when,y\nA,2024-04,1\nA,2024-04,2\n")
    with pytest.raises(InputError, match="two rows for org=A, when=2024-04-01") as err:
        read_series_csv(p, date="when", value="y", group=["org"])
    assert err.value.row == 2 and "also at row 3" in str(err.value)
    t = read_series_csv(p, date="when", value="y", group=["org"], sum_rows=True)
    assert t.data["y"].tolist() == [3.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": "nope"}, "missing column 'nope'"),
        ({"value": "y", "where": ["org"]}, "not of the form"),
        ({"value": "y", "where": ["org=Z"]}, "no rows left after the --where filters"),
        ({}, "give either --value"),
        ({"numerator": "y"}, "go together"),
    ],
)
def test_reader_errors(tmp_path, kwargs, message):
    p = write(tmp_path, "org,when,y\nA,2024-04,1\n")
    with pytest.raises((InputError, OptionError), match=message):
        read_series_csv(p, date="when", **kwargs)


def test_empty_file(tmp_path):
    with pytest.raises(InputError, match="file is empty"):
        read_series_csv(write(tmp_path, ""), date="when", value="y")
    with pytest.raises(InputError, match="no data rows"):
        read_series_csv(write(tmp_path, "when,y\n", "h.csv"), date="when", value="y")
