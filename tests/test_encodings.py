"""Harmless variants of a file read exactly as the clean file, for every CSV reader.

NHS files reach analysts as UTF-8 with or without a BOM, Excel's UTF-16 "Unicode text",
Windows-1252, with CRLF or CR line ends, every cell quoted or none, padded cells, ``+`` signs,
thousands separators and percent signs. Each variant below is made from a few rows of the real
published file (or the shipped example) and must give a result identical to the clean file's:
same frames, same numbers, same row numbers in sources. A decimal comma must never be read as a
thousands separator.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import REPO, shared_file

from nhs_oversight.errors import InputError


def rows_of(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def to_csv(rows: list[list[str]], quote_all: bool = False, end: str = "\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=end, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL).writerows(rows)
    return buf.getvalue()


def numeric_cells(rows: list[list[str]], columns: list[str], change) -> list[list[str]]:
    """Apply ``change`` to the plain numeric cells of the named columns."""
    idx = [rows[0].index(c) for c in columns]
    out = [list(rows[0])]
    for r in rows[1:]:
        r = list(r)
        for j in idx:
            try:
                float(r[j])
            except ValueError:
                continue
            r[j] = change(r[j].strip())
        out.append(r)
    return out


def thousands(cell: str) -> str:
    whole, _, frac = cell.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-') or 0):,}" + (f".{frac}" if frac else "")


def variants(rows: list[list[str]], numbers: list[str], percent: list[str] | None = None) -> dict[str, bytes]:
    """Every harmless variant of a small table, as file bytes."""
    clean = to_csv(rows)
    out = {
        "utf8-bom": b"\xef\xbb\xbf" + clean.encode(),
        "utf16le": b"\xff\xfe" + clean.encode("utf-16-le"),
        "utf16be": b"\xfe\xff" + clean.encode("utf-16-be"),
        "crlf": to_csv(rows, end="\r\n").encode(),
        "cr": to_csv(rows, end="\r").encode(),
        "quoted": to_csv(rows, quote_all=True).encode(),
        "padded": to_csv([[f"  {c} " if c else c for c in r] for r in rows]).encode(),
        "plus": to_csv(numeric_cells(rows, numbers, lambda c: c if c.startswith("-") else "+" + c)).encode(),
        "thousands": to_csv(numeric_cells(rows, numbers, thousands), quote_all=True).encode(),
    }
    if percent:
        out["percent"] = to_csv(numeric_cells(rows, percent, lambda c: c + "%")).encode()
    with contextlib.suppress(UnicodeEncodeError):
        out["cp1252"] = clean.encode("cp1252")
    return out


def same(a, b, where: str = "") -> None:
    """Deep equality of reader results: frames, arrays, dataclasses, mappings, scalars."""
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where or "frame")
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, obj=where or "series")
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            same(a[k], b[k], f"{where}[{k}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and np.isnan(a):
        assert isinstance(b, float) and np.isnan(b), where
    else:
        assert a == b, (where, a, b)


# ---- one small real table per reader, the columns that hold numbers, and how to read it ------

def _nof(shared):
    rows = rows_of(shared_file(shared, "nof/nof-2025-26-q1-acute.csv"))
    code = rows[0].index("Trust_code")
    keep = sorted({r[code] for r in rows[1:]})[:3]
    rows = [rows[0], *(r for r in rows[1:] if r[code] in keep)]
    rows[1][rows[0].index("Trust_name")] = "Hôpital Général NHS Trust"  # an accent cp1252 can carry

    def read(p):
        from nhs_oversight.api import read_inputs

        return read_inputs([p], "nof-2025-26", organisations=False)

    units = rows[0].index("Units")
    metric = rows[0].index("Metric_ID")
    percent_rows = [r for r in rows[1:] if r[units] == "percent" and r[metric].startswith("OF00")]
    assert percent_rows
    return rows, ["Value", "Rank"], ["Value"], read


def _wide(shared):
    nof, *_ = _nof(shared)
    h = nof[0]
    c, t, m, v = (h.index(x) for x in ("Trust_code", "Trust_type", "Metric_ID", "Value"))
    metrics = sorted({r[m] for r in nof[1:] if r[m].startswith("OF00") and r[v]})
    orgs = sorted({r[c] for r in nof[1:]})
    cell = {(r[c], r[m]): r[v] for r in nof[1:]}
    kind = {r[c]: r[t] for r in nof[1:]}
    rows = [["org_code", "trust_type", *metrics]] + [[o, kind[o], *(cell.get((o, x), "") for x in metrics)] for o in orgs]

    def read(p):
        from nhs_oversight.api import read_inputs

        return read_inputs([p], "nof-2025-26", organisations=False)

    return rows, metrics, None, read


def _ae(shared):
    rows = rows_of(shared_file(shared, "ae/monthly/monthly-ae-2024-06.csv"))
    rows = [rows[0], *(r for r in rows[1:] if r[1].startswith("R"))][:15]
    from nhs_oversight.sources.ae_monthly import read_ae_monthly

    return rows, rows[0][4:], None, read_ae_monthly


def _rtt(shared):
    rows = rows_of(shared_file(shared, "rtt/rtt-completed-admitted-provider-2025-09.csv"))[:10]
    from nhs_oversight.sources.rtt import read_rtt

    return rows, rows[0][5:], None, read_rtt


def _cancer(shared):
    rows = rows_of(shared_file(shared, "cancer/cwt-provider-2023-04-to-2023-09.csv"))[:25]
    from nhs_oversight.sources.cancer import read_cwt

    return rows, ["TOTAL TREATED", "WITHIN STANDARD", "BREACHES"], None, read_cwt


def _beds(shared):
    rows = rows_of(shared_file(shared, "beds/beds-sitrep-2025-09.csv"))
    rows = [rows[0], *(r for r in rows[1:] if r[1] == "Provider")][:30]
    from nhs_oversight.sources.beds import read_beds

    return rows, ["Value"], None, read_beds


def _ods(shared):
    rows = rows_of(shared_file(shared, "reference/ods-etr-trusts-2025-11.csv"))[:20]
    rows[1][1] = "NORTH LONDÔN NHS FOUNDATION TRUST"
    from nhs_oversight.sources.ods import read_ods_etr

    return rows, [], None, read_ods_etr


def _survey(shared):
    rows = rows_of(shared_file(shared, "staff-survey/nss-organisation-results-2021-2023.csv"))
    code = rows[0].index("ODS code")
    keep = sorted({r[code] for r in rows[1:] if r[code].startswith("R")})[:6]
    rows = [rows[0], *(r for r in rows[1:] if r[code] in keep)]
    from nhs_oversight.sources.staff_survey import read_staff_survey

    rates = [c for c in rows[0] if c.endswith("_rate")][:6]
    bases = [c for c in rows[0] if c.endswith("_base")][:6]
    return rows, [*rates, *bases], rates, read_staff_survey


def _series(shared):
    rows = rows_of(shared_file(shared, "ae/ae-attendances-2016-2019.csv"))
    rows = [rows[0], *(r for r in rows[1:] if r[1] in ("RF4", "RJ1") and r[2] == "1")]
    from nhs_oversight.sources.spc_input import read_series_csv

    def read(p):
        return read_series_csv(p, date="period", numerator="breaches", denominator="attendances", per=100, group=["org_code"])

    return rows, ["attendances", "breaches", "admissions"], None, read


def _funnel(shared):
    rows = rows_of(shared_file(shared, "ae/ae-attendances-2016-2019.csv"))
    rows = [rows[0], *(r for r in rows[1:] if r[0] == "2019-03-01" and r[2] == "1")][:25]
    from nhs_oversight.sources.funnel_input import read_funnel_input

    def read(p):
        return read_funnel_input(p, "breaches", "attendances", None, "org_code")

    return rows, ["attendances", "breaches"], None, read


def _counts(shared):
    ae = rows_of(shared_file(shared, "ae/ae-attendances-2016-2019.csv"))
    month = [r for r in ae[1:] if r[0] == "2019-03-01" and r[2] == "1"][:20]
    rows = [["org_code", "metric_id", "numerator", "denominator"]] + [
        [r[1], "OF0013", str(int(r[3]) - int(r[4])), r[3]] for r in month
    ]
    from nhs_oversight.sources.counts import read_counts

    return rows, ["numerator", "denominator"], None, read_counts


def _departments(shared):
    rows = rows_of(REPO / "src" / "nhs_oversight" / "data" / "examples" / "culture-departments-synthetic.csv")
    from nhs_oversight.sources.culture_detail import read_culture_detail

    return rows, ["respondents", "harassment_public_yes", "harassment_staff_yes", "headcount"], None, read_culture_detail


READERS = {
    "nof": _nof, "wide": _wide, "ae-monthly": _ae, "rtt": _rtt, "cancer": _cancer, "beds": _beds,
    "ods": _ods, "staff-survey": _survey, "spc-input": _series, "funnel-input": _funnel,
    "counts": _counts, "culture-departments": _departments,
}


NAMES = {"ae-monthly": "monthly-ae-2024-06.csv", "rtt": "rtt-completed-admitted-provider-2025-09.csv"}


@pytest.mark.parametrize("reader", list(READERS))
def test_every_variant_reads_as_the_clean_file(reader, shared_data, tmp_path, capsys):
    rows, numbers, percent, read = READERS[reader](shared_data)
    name = NAMES.get(reader, f"{reader}.csv")  # some readers take the month or kind from the name

    def place(label: str, data: bytes) -> Path:
        folder = tmp_path / label
        folder.mkdir()
        p = folder / name
        p.write_bytes(data)
        return p

    clean_path = place("clean", to_csv(rows).encode())
    expected = read(clean_path)
    made = variants(rows, numbers, percent)
    assert len(made) >= 10
    for label, data in made.items():
        got = read(place(label, data))
        same(_relocated(got, label), _relocated(expected, "clean"), f"{reader} {label}")
    err = capsys.readouterr().err
    if "cp1252" in made and any(ord(ch) > 127 for r in rows for c in r for ch in c):
        assert "Windows-1252" in err  # said so, once per file read as cp1252


def _relocated(result, label: str):
    """Results that carry the file's path: the folder differs between variants, nothing else."""
    def fix(x):
        if isinstance(x, str):
            return x.replace(f"/{label}/", "/X/")
        if isinstance(x, pd.DataFrame):
            return x.map(fix) if len(x) else x
        if isinstance(x, pd.Series):
            return x.map(fix)
        if isinstance(x, np.ndarray) and x.dtype == object:
            return np.array([fix(v) for v in x], dtype=object)
        if dataclasses.is_dataclass(x) and not isinstance(x, type):
            return dataclasses.replace(x, **{f.name: fix(getattr(x, f.name)) for f in dataclasses.fields(x) if f.init})
        if isinstance(x, dict):
            return {k: fix(v) for k, v in x.items()}
        if isinstance(x, list | tuple):
            return type(x)(fix(v) for v in x)
        return x

    return fix(result)


@pytest.mark.parametrize(
    ("cell", "words"),
    [("71,1", "decimal comma"), ("7,1.1", "not a number"), ("1.234,5", "decimal comma"), ("12,34", "decimal comma")],
)
def test_decimal_comma_is_an_error_never_a_thousands_separator(cell, words, tmp_path):
    from nhs_oversight.sources.common import to_number

    with pytest.raises(InputError, match=words) as info:
        to_number(pd.Series(["1.5", cell]), tmp_path / "f.csv", "Value")
    assert info.value.row == 3 and info.value.column == "Value"


@pytest.mark.parametrize(("cell", "value"), [("1,234", 1234.0), ("12,345.6", 12345.6), ("+7.1", 7.1), ("71.1%", 71.1), (" 3 ", 3.0), ("-1,000", -1000.0)])
def test_harmless_number_spellings(cell, value, tmp_path):
    from nhs_oversight.sources.common import to_number

    assert to_number(pd.Series([cell]), tmp_path / "f.csv", "Value")[0] == value


@pytest.mark.parametrize("cell", ["NaN", "nan", "inf", "-Infinity", "1e300", "-1e16"])
def test_non_finite_and_absurd_numbers_are_errors(cell, tmp_path):
    from nhs_oversight.sources.common import to_number
    from nhs_oversight.sources.layout import numbers

    with pytest.raises(InputError) as info:
        to_number(pd.Series(["2", cell]), tmp_path / "f.csv", "Value")
    assert info.value.row == 3 and cell in str(info.value)
    df = pd.DataFrame({"n": ["2", cell], "line": [5, 6]})
    with pytest.raises(InputError) as info:
        numbers(df, ["n"], "f.csv", {"n": "Count"}, allow_negative=True)
    assert info.value.row == 6 and info.value.column == "Count"


def test_short_row_is_an_error_but_an_unnamed_trailing_column_may_be_missing(tmp_path):
    from nhs_oversight.sources.common import read_csv

    p = tmp_path / "t.csv"
    p.write_text("a,b,c,\n1,2,3\n4,5,6\n")  # Excel's trailing comma on the header only
    assert read_csv(p)[["a", "b", "c"]].to_numpy().tolist() == [["1", "2", "3"], ["4", "5", "6"]]
    p.write_text("a,b,c\n1,2,3\n4,5")
    with pytest.raises(InputError, match=r"2 fields where the header has 3 \(the file ends without a line break") as info:
        read_csv(p)
    assert info.value.row == 3 and info.value.column == "c"
