#!/usr/bin/env python3
"""Build tests/corpus/: small bad (and harmlessly odd) inputs cut from the real shared NHS files.

Each case is a command line, the exit code it must give and the words its message must hold.
Inputs are a few rows of the real publications (never whole files), damaged one way each, so
the corpus stays small and every case names one problem. Run from the repository root:

    python scripts/make-corpus.py [--shared ../shared/data]

The manifest (tests/corpus/manifest.json) is rewritten; files no case uses are removed.
Arguments in a case use ``{corpus}`` for this folder, ``{package}`` for the installed package's folder
(its shipped data), ``{tmp}`` for a fresh temporary folder,
``{out}`` for an output file in it, ``{db}`` for a database path in it, and ``{special:NAME}``
for inputs made when the test runs (a FIFO, a device, a line longer than the limit).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
CUT = "2.0,2.3,2.6"  # fixed cut points: a handful of trusts cannot set them


def rows_of(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding=encoding), newline="")))


def to_csv(rows: list[list[str]], quote_all: bool = False) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    w.writerows(rows)
    return buf.getvalue()


class Builder:
    def __init__(self, shared: Path) -> None:
        self.shared = shared
        self.cases: list[dict] = []
        self.files: dict[str, bytes] = {}

    def file(self, name: str, data: str | bytes) -> str:
        self.files[name] = data.encode("utf-8") if isinstance(data, str) else data
        return "{corpus}/files/" + name

    def case(self, cid: str, category: str, args: list[str], exit: int, words: list[str] | None = None,
             note: str = "", output: str | None = None) -> None:
        assert all(c["id"] != cid for c in self.cases), cid
        self.cases.append({"id": cid, "category": category, "args": args, "exit": exit,
                           "words": words or [], "note": note, "output": output})


def nof_base(shared: Path, n_trusts: int = 3) -> list[list[str]]:
    rows = rows_of(shared / "nof" / "nof-2025-26-q1-acute.csv")
    head, body = rows[0], rows[1:]
    code = head.index("Trust_code")
    keep = sorted({r[code] for r in body})[:n_trusts]
    return [head] + [r for r in body if r[code] in keep]


def mhc_base(shared: Path, n_trusts: int = 2) -> list[list[str]]:
    rows = rows_of(shared / "nof" / "nof-2025-26-q1-mental-health-community.csv")
    head, body = rows[0], rows[1:]
    code = head.index("Trust_code")
    keep = sorted({r[code] for r in body})[:n_trusts]
    return [head] + [r for r in body if r[code] in keep]


def first_rows(path: Path, n: int, encoding: str = "utf-8-sig", where=None) -> list[list[str]]:
    rows = rows_of(path, encoding)
    body = [r for r in rows[1:] if where is None or where(rows[0], r)]
    return [rows[0], *body[:n]]


def col(rows: list[list[str]], name: str) -> int:
    return rows[0].index(name)


def setcell(rows: list[list[str]], r: int, name: str, value: str) -> list[list[str]]:
    out = [list(x) for x in rows]
    out[r][col(rows, name)] = value
    return out


def value_row(rows: list[list[str]], metric_prefix: str = "OF00", unit: str | None = None) -> int:
    """Index of the first raw-metric row (optionally of a given unit) with a numeric value."""
    m, v, u = col(rows, "Metric_ID"), col(rows, "Value"), col(rows, "Units")
    for i, r in enumerate(rows[1:], start=1):
        if r[m].startswith(metric_prefix) and r[v] and (unit is None or r[u].lower() == unit):
            try:
                float(r[v])
            except ValueError:
                continue
            return i
    raise LookupError(metric_prefix)


def build(shared: Path) -> Builder:
    b = Builder(shared)
    nof = nof_base(shared)
    clean = to_csv(nof)
    nof_file = b.file("nof-acute-clean.csv", "\ufeff" + clean)
    seg = lambda f, *extra: ["segment", f, "--cutpoints", CUT, *extra]  # noqa: E731

    # ---- harmless variants: same answer as the clean file ---------------------------------
    variants = {
        "no-bom": clean.encode("utf-8"),
        "utf16le": b"\xff\xfe" + clean.encode("utf-16-le"),
        "utf16be": b"\xfe\xff" + clean.encode("utf-16-be"),
        "cp1252": clean.encode("cp1252", errors="replace"),
        "crlf": clean.replace("\n", "\r\n").encode(),
        "cr": clean.replace("\n", "\r").encode(),
        "quoted": to_csv(nof, quote_all=True).encode(),
        "padded": to_csv([[f" {c} " if c else c for c in r] for r in nof]).encode(),
    }
    for name, data in variants.items():
        f = b.file(f"nof-acute-{name}.csv", data)
        b.case(f"variant-nof-{name}", "variant", seg(f, "--format", "csv"), 0)
    i = value_row(nof)
    v = nof[i][col(nof, "Value")]
    for name, cell in (("plus", "+" + v), ("percent", v + "%")):
        f = b.file(f"nof-acute-{name}.csv", to_csv(setcell(nof, i, "Value", cell)))
        b.case(f"variant-nof-{name}", "variant", seg(f, "--format", "csv"), 0)
    f = b.file("nof-acute-cp1252-name.csv", to_csv(setcell(nof, 1, "Trust_name", "Hôpital Trust")).encode("cp1252"))
    b.case("variant-nof-cp1252-name", "variant", seg(f), 0, ["cp1252"], "said so on stderr")
    mhc = mhc_base(shared)
    f = b.file("nof-mhc-padded-quarter.csv", to_csv([[f"  {c}  " if c else c for c in r] for r in mhc]))
    b.case("variant-mhc-padded-quarter", "variant", seg(f), 0, [], "padded quarter still read")
    b.case("variant-mhc-padded-ingest", "variant", ["ingest", f, "--db", "{db}"], 0)

    # ---- truncation and damage to the NOF file ----------------------------------------------
    n = len(nof)  # file line of the last row is n (header is line 1)
    text = clean
    cut_mid_row = text.rstrip("\n")
    last = cut_mid_row.rfind("\n")
    tail = cut_mid_row[last + 1 :]
    cut_points = {
        "last-row-half": cut_mid_row[: last + 1 + len(tail) // 2],
        "last-row-after-name": cut_mid_row[: last + 1 + tail.find(",", tail.find("NHS")) ],
        "last-row-one-field": cut_mid_row[: last + 1 + tail.find(",")],
        "last-row-no-value": cut_mid_row[: last + 1 + tail.rfind(",", 0, tail.rfind(",", 0, tail.rfind(",")))],
    }
    for name, t in cut_points.items():
        f = b.file(f"nof-trunc-{name}.csv", t)
        b.case(f"trunc-nof-{name}", "truncation", seg(f, "-o", "{out}"), 2, ["nof-trunc-" + name, f"row {n}"], output="{out}")
    f = b.file("nof-trunc-value-digits.csv", cut_mid_row[: len(cut_mid_row) - len(tail) + tail.rfind(",", 0, tail.rfind(",", 0, tail.rfind(",", 0, tail.rfind(","))))] + ",4.")
    b.case("trunc-nof-value-digits", "truncation", seg(f), 2, [f"row {n}"])
    f = b.file("nof-open-quote.csv", text + 'North West,Acute trust,Acute - Teaching,R0A,"Manchester Univ')
    b.case("trunc-nof-open-quote", "truncation", seg(f), 2, ["nof-open-quote.csv", f"row {n + 1}"])
    mid = setcell(nof, 5, "Trust_name", 'Broken "quote')
    f = b.file("nof-open-quote-mid.csv", to_csv(mid).replace('"Broken ""quote"', '"Broken quote'))
    b.case("trunc-nof-open-quote-mid", "truncation", seg(f), 2, ["nof-open-quote-mid.csv", "fields"])
    extra = [list(r) for r in nof]
    extra[7] = extra[7] + ["surplus"]
    f = b.file("nof-extra-field.csv", to_csv(extra))
    b.case("damage-nof-extra-field", "damage", seg(f), 2, ["nof-extra-field.csv", "row 8"])
    short = [list(r) for r in nof]
    short[9] = short[9][:-3]
    f = b.file("nof-short-row.csv", to_csv(short))
    b.case("damage-nof-short-row", "damage", seg(f), 2, ["nof-short-row.csv", "row 10"])
    short_last = [list(r) for r in nof]
    short_last[-1] = short_last[-1][:-1]
    f = b.file("nof-short-last.csv", to_csv(short_last))
    b.case("damage-nof-short-last-row", "damage", seg(f), 2, ["nof-short-last.csv", f"row {n}"])

    # ---- numbers that are wrong or impossible -----------------------------------------------
    pct = value_row(nof, unit="percent")
    bad_values = {
        "decimal-comma": ("71,1", ["'71,1'", "decimal comma"]),
        "comma-and-point": ("7,1.1", ["'7,1.1'"]),
        "nan": ("NaN", ["'NaN'"]),
        "inf": ("inf", ["'inf'"]),
        "neg-inf": ("-Infinity", ["'-Infinity'"]),
        "huge": ("1e300", ["'1e300'"]),
        "pct-over-100": ("171.1", ["171.1", "percent"]),
        "pct-negative": ("-71.1", ["-71.1"]),
        "word": ("seventy", ["'seventy'"]),
        "two-points": ("7.1.1", ["'7.1.1'"]),
        "hex": ("0x1F", ["'0x1F'"]),
    }
    for name, (cell, words) in bad_values.items():
        f = b.file(f"nof-value-{name}.csv", to_csv(setcell(nof, pct, "Value", cell)))
        b.case(f"value-nof-{name}", "impossible", seg(f, "-o", "{out}"), 2,
               [f"nof-value-{name}.csv", f"row {pct + 1}", "'Value'", *words], output="{out}")
    f = b.file("nof-rank-word.csv", to_csv(setcell(nof, pct, "Rank", "first")))
    b.case("value-nof-rank-word", "impossible", seg(f), 2, [f"row {pct + 1}", "'Rank'", "'first'"])

    # ---- structure of the NOF file ------------------------------------------------------------
    f = b.file("nof-no-metric-id.csv", to_csv([["Metric" if c == "Metric_ID" else c for c in nof[0]], *nof[1:]]))
    b.case("struct-nof-missing-column", "structure", seg(f), 2, ["row 1", "'Metric_ID'"])
    f = b.file("nof-unknown-metric.csv", to_csv(setcell(nof, 3, "Metric_ID", "OF0999")))
    b.case("struct-nof-unknown-metric", "structure", seg(f), 2, ["row 4", "OF0999"])
    f = b.file("nof-blank-code.csv", to_csv(setcell(nof, 3, "Trust_code", "")))
    b.case("struct-nof-blank-code", "structure", seg(f), 2, ["row 4", "'Trust_code'"])
    dup = [list(r) for r in nof] + [list(nof[2])]
    f = b.file("nof-duplicate.csv", to_csv(dup))
    b.case("struct-nof-duplicate", "structure", seg(f), 2, ["row 3", f"row {n + 1}"])
    f = b.file("nof-bad-type.csv", to_csv(setcell(nof, 2, "Trust_type", "Hospice")))
    b.case("struct-nof-bad-type", "structure", seg(f), 2, ["row 3", "Hospice"])
    f = b.file("nof-header-only.csv", to_csv(nof[:1]))
    b.case("struct-nof-header-only", "structure", seg(f), 2, ["nof-header-only.csv"])
    f = b.file("empty.csv", b"")
    b.case("struct-empty", "structure", seg(f), 2, ["empty.csv", "empty"])
    f = b.file("bom-only.csv", b"\xef\xbb\xbf\r\n")
    b.case("struct-bom-only", "structure", seg(f), 2, ["bom-only.csv", "empty"])
    f = b.file("binary.csv", bytes(range(256)) * 4)
    b.case("struct-binary", "structure", seg(f), 2, ["binary.csv"])
    f = b.file("workbook-named-csv.csv", b"PK\x03\x04" + b"\x00" * 200)
    b.case("struct-xlsx-as-csv", "structure", seg(f), 2, ["workbook-named-csv.csv"])
    f = b.file("not-nof.csv", "a,b,c\n1,2,3\n")
    b.case("struct-not-nof", "structure", seg(f), 2, ["not-nof.csv"])
    b.case("struct-missing-file", "structure", seg("{corpus}/files/no-such-file.csv"), 2, ["no-such-file.csv", "not found"])
    b.case("struct-directory", "structure", seg("{corpus}/files"), 2, ["files", "directory"])

    # ---- files that are not regular files, and lines too long --------------------------------
    b.case("special-fifo", "special", seg("{special:fifo}"), 2, ["not a regular file"])
    b.case("special-device", "special", seg("/dev/zero"), 2, ["/dev/zero", "not a regular file"])
    b.case("special-long-line", "special", seg("{special:long_line}"), 2, ["row 1", "longer than"])
    b.case("special-long-line-derive", "special", ["derive", "{special:long_line}"], 2, ["row 1", "longer than"])

    # ---- every engine command on a bad NOF file ----------------------------------------------
    dc = "{corpus}/files/nof-value-decimal-comma.csv"
    tr = "{corpus}/files/nof-trunc-last-row-half.csv"
    q2 = "{package}/data/synthetic/synthetic-nof-2025-26-q2-acute.csv"
    for cmd, extra in (("verify", []), ("explain", ["R0A"]), ("compare", ["--no-financial-override"]),
                       ("uncertainty", ["--draws", "20"]), ("brief", ["--no-uncertainty"]),
                       ("movement", [q2, "--previous"]), ("report", ["-o", "{tmp}/r.html"])):
        cp = ["--cutpoints", CUT] if cmd not in ("verify",) else []
        b.case(f"cmd-{cmd}-decimal-comma", "impossible", [cmd, *extra, dc, *cp], 2, ["nof-value-decimal-comma.csv", "'Value'", "'71,1'"])
        b.case(f"cmd-{cmd}-truncated", "truncation", [cmd, *extra, tr, *cp], 2, ["nof-trunc-last-row-half.csv", f"row {n}"])
    b.case("cmd-ingest-decimal-comma", "impossible", ["ingest", dc, "--db", "{db}"], 2, ["'71,1'"], output="{db}")
    b.case("cmd-ingest-truncated", "truncation", ["ingest", tr, "--db", "{db}"], 2, [f"row {n}"], output="{db}")
    b.case("cmd-ingest-bad-format", "options", ["ingest", nof_file, "--db", "{db}", "--format", "yaml"], 2, ["yaml"], output="{db}")
    b.case("cmd-ingest-empty", "structure", ["ingest", "{corpus}/files/empty.csv", "--db", "{db}"], 2, ["empty"], output="{db}")
    b.case("cmd-ingest-binary", "structure", ["ingest", "{corpus}/files/binary.csv", "--db", "{db}"], 2, ["binary.csv"], output="{db}")
    b.case("cmd-ingest-fifo", "special", ["ingest", "{special:fifo}", "--db", "{db}"], 2, ["not a regular file"], output="{db}")
    b.case("cmd-ingest-good-then-bad", "truncation", ["ingest", nof_file, tr, "--db", "{db}"], 2, [f"row {n}"], output="{db}")

    # ---- A&E monthly ---------------------------------------------------------------------------
    ae_path = shared / "ae" / "monthly" / "monthly-ae-2024-06.csv"
    ae = rows_of(ae_path)
    ae = [ae[0], *[r for r in ae[1:] if r[1].startswith("R")][:12]]
    ae_clean = to_csv(ae)
    af = lambda name, data: b.file(f"monthly-ae-2024-06-{name}.csv", data)  # noqa: E731
    base_ae = af("clean", ae_clean)
    ae_variants = {
        "bom": "\ufeff" + ae_clean,
        "utf16le": b"\xff\xfe" + ae_clean.encode("utf-16-le"),
        "utf16be": b"\xfe\xff" + ae_clean.encode("utf-16-be"),
        "crlf": ae_clean.replace("\n", "\r\n"),
        "quoted": to_csv(ae, quote_all=True),
        "padded": to_csv([[f" {c} " if c else c for c in r] for r in ae]),
        "thousands": to_csv([r if k == 0 else [f"{int(c):,}" if c.isdigit() else c for c in r] for k, r in enumerate(ae)], quote_all=True),
    }
    for name, data in ae_variants.items():
        b.case(f"variant-ae-{name}", "variant", ["derive", af(name, data), "--allow-partial", "--format", "csv"], 0)
    att = "A&E attendances Type 1"
    brc = "Attendances over 4hrs Type 1"
    ae_bad = {
        "decimal-comma": (setcell(ae, 3, att, "1234,5"), ["row 4", att]),
        "nan": (setcell(ae, 3, att, "NaN"), ["row 4", att, "'NaN'"]),
        "inf": (setcell(ae, 3, brc, "inf"), ["row 4", brc]),
        "huge": (setcell(ae, 3, att, "1e300"), ["row 4", att, "1e300"]),
        "negative": (setcell(ae, 3, att, "-5"), ["row 4", att]),
        "word": (setcell(ae, 3, att, "many"), ["row 4", att, "'many'"]),
        "breaches-over-attendances": (setcell(setcell(ae, 4, att, "100"), 4, brc, "250"), ["row 5", brc, "250"]),
    }
    for name, (rows, words) in ae_bad.items():
        f = af(name, to_csv(rows))
        b.case(f"value-ae-{name}", "impossible", ["derive", f, "--allow-partial", "-o", "{out}"], 2, [f"monthly-ae-2024-06-{name}.csv", *words], output="{out}")
        b.case(f"value-ae-{name}-ingest", "impossible", ["ingest", f, "--db", "{db}"], 2, [f"monthly-ae-2024-06-{name}.csv", *words], output="{db}")
    t = ae_clean.rstrip("\n")
    f = af("trunc-half", t[: t.rfind("\n") + (len(t) - t.rfind("\n")) // 2])
    b.case("trunc-ae-last-row", "truncation", ["derive", f, "--allow-partial"], 2, ["monthly-ae-2024-06-trunc-half.csv", f"row {len(ae)}"])
    b.case("trunc-ae-last-row-ingest", "truncation", ["ingest", f, "--db", "{db}"], 2, [f"row {len(ae)}"], output="{db}")
    f = af("open-quote", ae_clean + '"MSitAE-JUNE-2024,"RXX')
    b.case("trunc-ae-open-quote", "truncation", ["derive", f, "--allow-partial"], 2, ["monthly-ae-2024-06-open-quote.csv", f"row {len(ae) + 1}"])
    extra = [list(r) for r in ae]
    extra[5] = extra[5] + ["9", "9"]
    f = af("extra-fields", to_csv(extra))
    b.case("damage-ae-extra-fields", "damage", ["derive", f, "--allow-partial"], 2, ["monthly-ae-2024-06-extra-fields.csv", "row 6"])
    short = [list(r) for r in ae]
    short[6] = short[6][:8]
    f = af("short-row", to_csv(short))
    b.case("damage-ae-short-row", "damage", ["derive", f, "--allow-partial"], 2, ["monthly-ae-2024-06-short-row.csv", "row 7"])
    f = af("no-header", to_csv(ae[1:]))
    b.case("struct-ae-no-header", "structure", ["derive", f], 2, ["monthly-ae-2024-06-no-header.csv"])
    f = af("missing-att", to_csv([[("X" if c == att else c) for c in ae[0]], *ae[1:]]))
    b.case("struct-ae-missing-column", "structure", ["derive", f, "--allow-partial"], 2, ["monthly-ae-2024-06-missing-att.csv", "missing"])
    f = af("dup", to_csv([*ae, ae[3]]))
    b.case("struct-ae-duplicate", "structure", ["derive", f, "--allow-partial"], 2, ["duplicate", "row 4"])
    b.case("options-derive-bad-quarter", "options", ["derive", base_ae, "--quarter", "garbage"], 2, ["garbage"])
    b.case("options-derive-bad-metric", "options", ["derive", base_ae, "--metric", "OF9999"], 2, ["OF9999"])
    b.case("options-derive-bad-format", "options", ["derive", base_ae, "--allow-partial", "--format", "yaml"], 2, ["yaml"])
    b.case("options-derive-out-dir", "options", ["derive", base_ae, "--allow-partial", "-o", "{tmp}"], 2, ["directory"])
    b.case("options-derive-out-missing-folder", "options", ["derive", base_ae, "--allow-partial", "-o", "{tmp}/nope/x.csv"], 2, ["does not exist"])

    # ---- RTT -----------------------------------------------------------------------------------
    rtt_path = shared / "rtt" / "rtt-completed-admitted-provider-2025-09.csv"
    rtt = first_rows(rtt_path, 8)
    rtt_clean = to_csv(rtt)
    rf = lambda name, data: b.file(f"rtt-completed-admitted-provider-2025-09-{name}.csv", data)  # noqa: E731
    for name, data in {"nobom": rtt_clean, "utf16le": b"\xff\xfe" + rtt_clean.encode("utf-16-le"),
                       "crlf": rtt_clean.replace("\n", "\r\n"), "quoted": to_csv(rtt, quote_all=True)}.items():
        b.case(f"variant-rtt-{name}", "variant", ["ingest", rf(name, data), "--db", "{db}", "--format", "csv"], 0)
    band = rtt[0][5]
    for name, cell, words in (("decimal-comma", "12,5", ["'12,5'", band]), ("nan", "nan", ["'nan'", band]), ("huge", "1e300", ["1e300", band]),
                              ("negative", "-3", ["-3", band]), ("word", "lots", ["'lots'", band])):
        f = rf(name, to_csv(setcell(rtt, 2, band, cell)))
        b.case(f"value-rtt-{name}", "impossible", ["derive", f, "--allow-partial"], 2, ["row 3", *words])
    t = rtt_clean.rstrip("\n")
    f = rf("trunc", t[: t.rfind("\n") + 40])
    b.case("trunc-rtt-last-row", "truncation", ["derive", f, "--allow-partial"], 2, [f"row {len(rtt)}"])
    b.case("trunc-rtt-last-row-ingest", "truncation", ["ingest", f, "--db", "{db}"], 2, [f"row {len(rtt)}"], output="{db}")
    short = [list(r) for r in rtt]
    short[4] = short[4][:20]
    f = rf("short-row", to_csv(short))
    b.case("damage-rtt-short-row", "damage", ["derive", f, "--allow-partial"], 2, ["row 5"])

    # ---- cancer waiting times --------------------------------------------------------------------
    cwt_path = shared / "cancer" / "cwt-provider-2023-04-to-2023-09.csv"
    cwt = first_rows(cwt_path, 20)
    cwt_clean = to_csv(cwt)
    cf = lambda name, data: b.file(f"cwt-provider-2023-04-{name}.csv", data)  # noqa: E731
    for name, data in {"bom": "\ufeff" + cwt_clean, "utf16be": b"\xfe\xff" + cwt_clean.encode("utf-16-be"),
                       "cr": cwt_clean.replace("\n", "\r"), "padded": to_csv([[f" {c} " if c else c for c in r] for r in cwt])}.items():
        b.case(f"variant-cwt-{name}", "variant", ["derive", cf(name, data), "--allow-partial", "--format", "csv"], 0)
    for name, rows, words in (
        ("decimal-comma", setcell(cwt, 3, "TOTAL TREATED", "47,5"), ["row 4", "TOTAL TREATED", "'47,5'"]),
        ("nan", setcell(cwt, 3, "WITHIN STANDARD", "NaN"), ["row 4", "WITHIN STANDARD"]),
        ("within-over-total", setcell(setcell(cwt, 3, "TOTAL TREATED", "10"), 3, "WITHIN STANDARD", "30"), ["row 4", "TOTAL TREATED"]),
        ("huge", setcell(cwt, 3, "TOTAL TREATED", "1e300"), ["row 4", "TOTAL TREATED"]),
    ):
        f = cf(name, to_csv(rows))
        b.case(f"value-cwt-{name}", "impossible", ["derive", f, "--allow-partial"], 2, [f"cwt-provider-2023-04-{name}.csv", *words])
    t = cwt_clean.rstrip("\n")
    f = cf("trunc", t[: t.rfind("\n") + 30])
    b.case("trunc-cwt-last-row", "truncation", ["derive", f, "--allow-partial"], 2, [f"row {len(cwt)}"])

    # ---- beds sitrep -----------------------------------------------------------------------------
    beds_path = shared / "beds" / "beds-sitrep-2025-09.csv"
    beds = first_rows(beds_path, 30, where=lambda h, r: r[1] == "Provider")
    beds_clean = to_csv(beds)
    bf = lambda name, data: b.file(f"beds-sitrep-2025-09-{name}.csv", data)  # noqa: E731
    for name, data in {"bom": "\ufeff" + beds_clean, "utf16le": b"\xff\xfe" + beds_clean.encode("utf-16-le"),
                       "crlf": beds_clean.replace("\n", "\r\n"), "quoted": to_csv(beds, quote_all=True)}.items():
        b.case(f"variant-beds-{name}", "variant", ["derive", bf(name, data), "--allow-partial", "--format", "csv"], 0)
    for name, cell, words in (("decimal-comma", "512,5", ["'512,5'"]), ("nan", "NaN", ["'NaN'"]), ("huge", "1e300", ["1e300"]),
                              ("negative", "-1", ["-1"])):
        f = bf(name, to_csv(setcell(beds, 2, "Value", cell)))
        b.case(f"value-beds-{name}", "impossible", ["derive", f, "--allow-partial"], 2, ["row 3", "Value", *words])
    t = beds_clean.rstrip("\n")
    f = bf("trunc", t[: t.rfind("\n") + 25])
    b.case("trunc-beds-last-row", "truncation", ["derive", f, "--allow-partial"], 2, [f"row {len(beds)}"])

    # ---- ODS etr (no header) -------------------------------------------------------------------
    ods_path = shared / "reference" / "ods-etr-trusts-2025-11.csv"
    ods = rows_of(ods_path)[:15]
    ods_clean = to_csv(ods, quote_all=True)
    of = lambda name, data: b.file(f"ods-etr-{name}.csv", data)  # noqa: E731
    for name, data in {"bom": "\ufeff" + ods_clean, "utf16le": b"\xff\xfe" + ods_clean.encode("utf-16-le"),
                       "unquoted": to_csv(ods), "cp1252": to_csv(setcell([["x"] * len(ods[0]), *ods], 1, "x", ods[0][0])[1:]).replace("NORTH LONDON", "NORTH LONDÔN").encode("cp1252")}.items():
        b.case(f"variant-ods-{name}", "variant", ["segment", nof_file, "--cutpoints", CUT, "--organisations", of(name, data), "--format", "csv"], 0)
    t = ods_clean.rstrip("\n")
    f = of("trunc", t[: t.rfind("\n") + 12])
    b.case("trunc-ods-last-row", "truncation", ["segment", nof_file, "--cutpoints", CUT, "--organisations", f], 2, ["ods-etr-trunc.csv", f"row {len(ods)}"])
    b.case("trunc-ods-ingest", "truncation", ["ingest", f, "--db", "{db}"], 2, [f"row {len(ods)}"], output="{db}")
    f = of("open-quote", ods_clean + '"RZZ","UNFINISHED TRUST')
    b.case("trunc-ods-open-quote", "truncation", ["segment", nof_file, "--cutpoints", CUT, "--organisations", f], 2, ["ods-etr-open-quote.csv"])

    # ---- staff survey (culture) ------------------------------------------------------------------
    nss_path = shared / "staff-survey" / "nss-organisation-results-2021-2023.csv"
    nss_all = rows_of(nss_path)
    code_i = nss_all[0].index("ODS code")
    orgs = sorted({r[code_i] for r in nss_all[1:] if r[code_i].startswith("R")})[:8]
    nss = [nss_all[0]] + [r for r in nss_all[1:] if r[code_i] in orgs]
    nss_clean = to_csv(nss)
    sf = lambda name, data: b.file(f"nss-{name}.csv", data)  # noqa: E731
    measure = "Emotional_colleagues"
    cul = lambda f, *x: ["culture", f, "--measure", measure, "--format", "csv", *x]  # noqa: E731
    for name, data in {"bom": "\ufeff" + nss_clean, "utf16le": b"\xff\xfe" + nss_clean.encode("utf-16-le"),
                       "utf16be": b"\xfe\xff" + nss_clean.encode("utf-16-be"), "crlf": nss_clean.replace("\n", "\r\n"),
                       "padded": to_csv([[f" {c} " if c else c for c in r] for r in nss]),
                       "quoted": to_csv(nss, quote_all=True)}.items():
        b.case(f"variant-nss-{name}", "variant", cul(sf(name, data)), 0)
    rate = f"{measure}_rate"
    base = f"{measure}_base"
    r = next(k for k, row in enumerate(nss) if k and row[col(nss, rate)] not in ("", "-"))
    for name, c, cell, words in (
        ("decimal-comma", rate, "27,5", ["'27,5'"]), ("rate-over-100", rate, "171.1", ["171.1"]),
        ("rate-negative", rate, "-7.1", ["-7.1"]), ("nan", rate, "NaN", ["'NaN'"]), ("inf", base, "inf", ["'inf'"]),
        ("huge-base", base, "1e300", ["1e300"]), ("word", rate, "high", ["'high'"]),
    ):
        f = sf(name, to_csv(setcell(nss, r, c, cell)))
        b.case(f"value-nss-{name}", "impossible", cul(f, "-o", "{out}"), 2, [f"nss-{name}.csv", f"row {r + 1}", c, *words], output="{out}")
    t = nss_clean.rstrip("\n")
    f = sf("trunc", t[: t.rfind("\n") + (len(t) - t.rfind("\n")) // 2])
    b.case("trunc-nss-last-row", "truncation", cul(f), 2, ["nss-trunc.csv", f"row {len(nss)}"])
    f = sf("open-quote", nss_clean + 'RZZ,2023,"Unfinished')
    b.case("trunc-nss-open-quote", "truncation", cul(f), 2, ["nss-open-quote.csv"])
    short = [list(x) for x in nss]
    short[3] = short[3][:10]
    f = sf("short-row", to_csv(short))
    b.case("damage-nss-short-row", "damage", cul(f), 2, ["nss-short-row.csv", "row 4"])
    nss_file = sf("clean", nss_clean)
    dept = "{package}/data/examples/culture-departments-synthetic.csv"
    for draws in ("0", "-5"):
        b.case(f"options-culture-draws-{draws}", "options", ["culture", "--departments", dept, "--draws", draws, "--format", "csv"], 2, ["draws"])
    b.case("options-culture-year", "options", ["culture", nss_file, "--year", "1999"], 2, ["1999"])
    b.case("options-culture-view", "options", ["culture", nss_file, "--view", "nonsense"], 2, ["nonsense"])
    b.case("options-culture-measure", "options", ["culture", nss_file, "--measure", "Nope"], 2, ["Nope"])
    b.case("options-culture-out-dir", "options", ["culture", nss_file, "--measure", measure, "-o", "{tmp}"], 2, ["directory"])

    # ---- SPC input (long A&E series) -------------------------------------------------------------
    spc_path = shared / "ae" / "ae-attendances-2016-2019.csv"
    spc_all = rows_of(spc_path)
    spc = [spc_all[0], *sorted((r for r in spc_all[1:] if r[1] in ("RF4", "RJ1") and r[2] == "1"), key=lambda r: (r[1], r[0]))]
    spc_clean = to_csv(spc)
    pf = lambda name, data: b.file(f"ae-series-{name}.csv", data)  # noqa: E731
    sp = lambda f, *x: ["spc", f, "--date", "period", "--numerator", "breaches", "--denominator", "attendances",  # noqa: E731
                        "--per", "100", "--group", "org_code", "--improvement", "down", *x]
    spc_file = pf("clean", spc_clean)
    for name, data in {"bom": "\ufeff" + spc_clean, "utf16le": b"\xff\xfe" + spc_clean.encode("utf-16-le"),
                       "utf16be": b"\xfe\xff" + spc_clean.encode("utf-16-be"), "crlf": spc_clean.replace("\n", "\r\n"),
                       "cr": spc_clean.replace("\n", "\r"), "padded": to_csv([[f" {c} " for c in r] for r in spc]),
                       "quoted": to_csv(spc, quote_all=True),
                       "plus": to_csv([r if k == 0 else [*r[:3], "+" + r[3], *r[4:]] for k, r in enumerate(spc)])}.items():
        b.case(f"variant-spc-{name}", "variant", sp(pf(name, data), "--format", "csv"), 0)
    for name, c, cell, words in (
        ("decimal-comma", "attendances", "21289,5", ["'21289,5'"]), ("nan", "breaches", "NaN", ["'NaN'"]),
        ("inf", "attendances", "inf", ["'inf'"]), ("huge", "attendances", "1e300", ["1e300"]),
        ("breaches-over-attendances", "breaches", "999999", ["999999"]), ("word", "breaches", "few", ["'few'"]),
    ):
        f = pf(name, to_csv(setcell(spc, 5, c, cell)))
        b.case(f"value-spc-{name}", "impossible", sp(f, "-o", "{out}"), 2, [f"ae-series-{name}.csv", "row 6", c, *words], output="{out}")
    f = pf("bad-date", to_csv(setcell(spc, 5, "period", "sometime")))
    b.case("value-spc-bad-date", "impossible", sp(f), 2, ["row 6", "period", "sometime"])
    t = spc_clean.rstrip("\n")
    f = pf("trunc", t[: t.rfind("\n") + 14])
    b.case("trunc-spc-last-row", "truncation", sp(f), 2, ["ae-series-trunc.csv", f"row {len(spc)}"])
    f = pf("open-quote", spc_clean + '2019-03-01,"RJ1')
    b.case("trunc-spc-open-quote", "truncation", sp(f), 2, ["ae-series-open-quote.csv"])
    extra = [list(x) for x in spc]
    extra[4] = extra[4] + ["7"]
    f = pf("extra-field", to_csv(extra))
    b.case("damage-spc-extra-field", "damage", sp(f), 2, ["ae-series-extra-field.csv", "row 5"])
    short = [list(x) for x in spc]
    short[4] = short[4][:4]
    f = pf("short-row", to_csv(short))
    b.case("damage-spc-short-row", "damage", sp(f), 2, ["ae-series-short-row.csv", "row 5"])
    v = ["spc", spc_file, "--date", "period", "--value", "attendances", "--group", "org_code"]
    b.case("options-spc-per-nan", "options", [*sp(spc_file)[:8], "--per", "nan"], 2, ["--per"])
    b.case("options-spc-per-inf", "options", [*sp(spc_file)[:8], "--per", "inf"], 2, ["--per"])
    b.case("options-spc-per-zero", "options", [*sp(spc_file)[:8], "--per", "0"], 2, ["--per"])
    b.case("options-spc-per-word", "options", [*sp(spc_file)[:8], "--per", "lots"], 2, ["--per"])
    b.case("options-spc-columns-0", "options", [*v, "--format", "svg", "--columns", "0", "-o", "{tmp}/c.svg"], 2, ["--columns"])
    b.case("options-spc-columns-neg", "options", [*v, "--format", "svg", "--columns", "-2", "-o", "{tmp}/c.svg"], 2, ["--columns"])
    b.case("options-spc-target-nan", "options", [*v, "--target", "nan"], 2, ["--target"])
    b.case("options-spc-improvement", "options", [*v, "--improvement", "sideways"], 2, ["sideways"])
    b.case("options-spc-rules", "options", [*v, "--rules", "western-electric"], 2, ["western-electric"])
    b.case("options-spc-fix-after", "options", [*v, "--fix-after", "3"], 2, ["fix-after"])
    b.case("options-spc-run-length", "options", [*v, "--run-length", "0"], 2, ["run length"])
    b.case("options-spc-missing-column", "options", [*v[:5], "nope"], 2, ["nope"])
    b.case("options-spc-bad-format", "options", [*v, "--format", "yaml"], 2, ["yaml"])
    b.case("options-spc-out-dir", "options", [*v, "-o", "{tmp}"], 2, ["directory"])
    b.case("options-spc-rebase", "options", [*v, "--rebase", "never"], 2, ["never"])

    # ---- funnel (one month of the A&E series per trust) ------------------------------------------
    month = [spc_all[0], *[r for r in spc_all[1:] if r[0] == "2019-03-01" and r[2] == "1"][:25]]
    month_clean = to_csv(month)
    ff = lambda name, data: b.file(f"ae-month-{name}.csv", data)  # noqa: E731
    fu = lambda f, *x: ["funnel", f, "--numerator", "breaches", "--denominator", "attendances", "--label", "org_code", *x]  # noqa: E731
    funnel_file = ff("clean", month_clean)
    for name, data in {"bom": "\ufeff" + month_clean, "utf16le": b"\xff\xfe" + month_clean.encode("utf-16-le"),
                       "cp1252": month_clean.encode("cp1252"), "crlf": month_clean.replace("\n", "\r\n"),
                       "padded": to_csv([[f" {c} " for c in r] for r in month]),
                       "thousands": to_csv([r if k == 0 else [*r[:3], f"{int(r[3]):,}", *r[4:]] for k, r in enumerate(month)])}.items():
        b.case(f"variant-funnel-{name}", "variant", fu(ff(name, data), "--format", "csv"), 0)
    for name, c, cell, words in (
        ("decimal-comma", "attendances", "12345,6", ["'12345,6'"]), ("nan", "breaches", "NaN", ["'NaN'"]),
        ("inf", "attendances", "inf", ["'inf'"]), ("huge", "attendances", "1e300", ["1e300"]),
        ("over", "breaches", "999999", ["larger than"]), ("negative", "breaches", "-4", ["negative"]),
    ):
        f = ff(name, to_csv(setcell(month, 4, c, cell)))
        b.case(f"value-funnel-{name}", "impossible", fu(f, "-o", "{out}"), 2, [f"ae-month-{name}.csv", "row 5", c, *words], output="{out}")
    t = month_clean.rstrip("\n")
    f = ff("trunc", t[: t.rfind("\n") + 16])
    b.case("trunc-funnel-last-row", "truncation", fu(f), 2, ["ae-month-trunc.csv", f"row {len(month)}"])
    b.case("options-funnel-overdispersion", "options", fu(funnel_file, "--overdispersion", "lots"), 2, ["lots"])
    b.case("options-funnel-limits", "options", fu(funnel_file, "--limits", "wide"), 2, ["wide"])
    b.case("options-funnel-target-nan", "options", fu(funnel_file, "--target", "nan"), 2, ["target"])
    b.case("options-funnel-target-over", "options", fu(funnel_file, "--target", "1.5"), 2, ["target"])
    b.case("options-funnel-out-dir", "options", fu(funnel_file, "-o", "{tmp}"), 2, ["directory"])
    b.case("options-funnel-missing-label", "options", ["funnel", funnel_file, "--numerator", "breaches", "--denominator", "attendances", "--label", "unit"], 2, ["'unit'"])

    # ---- options of the engine commands ----------------------------------------------------------
    b.case("options-synthetic-quarter-garbage", "options", ["segment", "--synthetic", "--synthetic-quarter", "garbage"], 2, ["garbage"])
    b.case("options-synthetic-quarter-q9", "options", ["segment", "--synthetic", "--synthetic-quarter", "2025/26 Q9"], 2, ["Q9"])
    b.case("options-quarter-not-in-file", "options", seg(nof_file, "--quarter", "2024/25 Q1"), 2, ["2024/25 Q1"])
    b.case("options-cutpoints-garbage", "options", ["segment", nof_file, "--cutpoints", "a,b,c"], 2, ["cut"])
    b.case("options-cutpoints-nan", "options", ["segment", nof_file, "--cutpoints", "nan,2,3"], 2, ["cut"])
    b.case("options-cutpoints-order", "options", ["segment", nof_file, "--cutpoints", "3,2,1"], 2, ["cut"])
    b.case("options-framework", "options", seg(nof_file, "--framework", "nof-1999"), 2, ["nof-1999"])
    b.case("options-segment-format", "options", seg(nof_file, "--format", "yaml"), 2, ["yaml"])
    b.case("options-segment-out-dir", "options", seg(nof_file, "-o", "{tmp}"), 2, ["directory"])
    b.case("options-segment-out-missing-folder", "options", seg(nof_file, "-o", "{tmp}/no/such/x.csv"), 2, ["does not exist"])
    b.case("options-segment-xlsx-stdout", "options", seg(nof_file, "--format", "xlsx"), 2, ["xlsx"])
    b.case("options-synthetic-and-files", "options", ["segment", nof_file, "--synthetic"], 2, ["not both"])
    b.case("options-no-files", "options", ["segment"], 2, ["no input files"])
    b.case("options-explain-unknown-org", "options", ["explain", "ZZZ", nof_file, "--cutpoints", CUT], 2, ["ZZZ"])
    b.case("options-explain-moves", "options", ["explain", "R0A", nof_file, "--cutpoints", CUT, "--moves", "-1"], 2, ["--moves"])
    b.case("options-explain-out-dir", "options", ["explain", "R0A", nof_file, "--cutpoints", CUT, "-o", "{tmp}"], 2, ["directory"])
    b.case("options-uncertainty-draws-0", "options", ["uncertainty", nof_file, "--cutpoints", CUT, "--draws", "0"], 2, ["draws"])
    b.case("options-uncertainty-draws-neg", "options", ["uncertainty", nof_file, "--cutpoints", CUT, "--draws", "-5"], 2, ["draws"])
    b.case("options-uncertainty-stable", "options", ["uncertainty", nof_file, "--cutpoints", CUT, "--stable", "1.5"], 2, ["stable"])
    b.case("options-verify-format", "options", ["verify", nof_file, "--format", "yaml"], 2, ["yaml"])
    b.case("options-compare-nothing", "options", ["compare", nof_file, "--cutpoints", CUT], 2, ["framework"])
    b.case("options-nowcast-quarter", "options", ["nowcast", base_ae, "--quarter", "garbage"], 2, ["garbage"])
    b.case("options-nowcast-no-quarter", "options", ["nowcast", base_ae], 2, ["--quarter"])
    b.case("cmd-nowcast-decimal-comma", "impossible", ["nowcast", "{corpus}/files/monthly-ae-2024-06-decimal-comma.csv", "--quarter", "2024/25 Q1", "--published", nof_file], 2, ["row 4", att])
    b.case("cmd-nowcast-truncated", "truncation", ["nowcast", "{corpus}/files/monthly-ae-2024-06-trunc-half.csv", "--quarter", "2024/25 Q1", "--published", nof_file], 2, [f"row {len(ae)}"])
    b.case("options-history-format", "options", ["history", "R0A", "--db", "{db}", "--format", "yaml"], 2, ["yaml"], output="{db}")
    b.case("options-history-no-db", "options", ["history", "R0A", "--db", "{db}"], 2, ["database"], output="{db}")
    b.case("options-unknown-command", "options", ["segmnt"], 2, ["segmnt"])
    b.case("options-unknown-option", "options", ["segment", "--frobnicate"], 2, ["--frobnicate"])
    return b


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data", help="the shared real NHS files")
    args = ap.parse_args()
    b = build(args.shared)
    files = CORPUS / "files"
    if files.exists():
        shutil.rmtree(files)
    files.mkdir(parents=True)
    for name, data in sorted(b.files.items()):
        (files / name).write_bytes(data)
    (CORPUS / "manifest.json").write_text(json.dumps({"cases": b.cases}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in files.iterdir())
    cats: dict[str, int] = {}
    for c in b.cases:
        cats[c["category"]] = cats.get(c["category"], 0) + 1
    print(f"{len(b.cases)} cases, {len(b.files)} files, {size / 1e6:.2f} MB: "
          + ", ".join(f"{k} {v}" for k, v in sorted(cats.items())))


if __name__ == "__main__":
    main()
