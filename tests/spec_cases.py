"""One table of hand-built cases for the metric definitions, run on every engine.

Each case gives a few rows of source tables and the rows the definition must return, worked out
by hand in the comment above it. tests/test_spark_spec.py runs every case on DuckDB and on Spark;
the "Definitions by worked case" table of docs/derive.md is generated from these same cases:

    PYTHONPATH=src python tests/spec_cases.py --write docs/derive.md

(tests/test_spark_spec.py fails when the doc and the cases differ.)

Cases that run together on an engine use distinct organisation codes; a case whose tables would
change other cases' results (a type 3 mapping applies to every A&E row) has a ``batch`` of its own.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

Q1 = "2025/26 Q1"
APR, MAY, JUN = "2025-04-01", "2025-05-01", "2025-06-01"
TRUST_ONLY = "trust-only (no type 3 mapping)"

#: Count columns of the tidy monthly A&E table (sources.ae_monthly.COUNTS); unset counts are 0.
AE_COUNTS = [
    "att_type1", "att_type2", "att_type3", "att_booked_type1", "att_booked_type2", "att_booked_type3",
    "over4h_type1", "over4h_type2", "over4h_type3", "over4h_booked_type1", "over4h_booked_type2", "over4h_booked_type3",
]  # fmt: skip
#: Column order of each source table (as the readers write them).
COLUMNS = {
    "ae_monthly": ["period", "org_code", *AE_COUNTS],
    "ae_type3_mapping": ["period", "org_code", "acute_code", "proportion"],
    "ecds": ["org_code", "arrival_time", "duration_minutes", "department_type"],
    "cwt": ["period", "org_code", "standard", "cut", "total", "within_standard"],
    "rtt": ["period", "org_code", "pathway", "is_total_function", "week_from", "week_to", "patients"],
    "beds": ["period", "org_code", "level", "measure", "value"],
    "nss_scores": ["period", "org_code", "measure", "score"],
}
DATETIME = {"period", "arrival_time"}


@dataclass(frozen=True, order=True)
class Row:
    """One expected output row (the engine's ``value`` is rounded half up from these)."""

    org_code: str
    period: str
    numerator: float
    denominator: float
    value: float
    months: int
    basis: str = ""


@dataclass(frozen=True)
class Case:
    """A definition, a rule it follows, the source rows and the rows it must return."""

    name: str
    definition: str
    says: str
    tables: dict[str, list[dict[str, Any]]]
    expected: list[Row]
    orgs: tuple[str, ...] = ()  # organisations that must have no row besides the expected ones
    quarter: str = Q1
    batch: str = "main"

    @property
    def all_orgs(self) -> set[str]:
        return {r.org_code for r in self.expected} | set(self.orgs)


def ae(month: str, org: str, **counts: float | None) -> dict[str, Any]:
    return {"period": month, "org_code": org, **dict.fromkeys(AE_COUNTS, 0.0), **counts}


def rtt(month: str, org: str, pathway: str, bands: list[tuple[float | None, float | None, float | None]], total: bool = True) -> list[dict[str, Any]]:
    return [{"period": month, "org_code": org, "pathway": pathway, "is_total_function": total,
             "week_from": lo, "week_to": hi, "patients": n} for lo, hi, n in bands]


def cwt(month: str, org: str, standard: str, cut: str, total: float, within: float) -> dict[str, Any]:
    return {"period": month, "org_code": org, "standard": standard, "cut": cut, "total": total, "within_standard": within}


def beds(month: str, org: str, level: str = "Provider", **measures: float) -> list[dict[str, Any]]:
    return [{"period": month, "org_code": org, "level": level, "measure": m, "value": v} for m, v in measures.items()]


def visit(org: str, arrival: str, minutes: int, dept: int) -> dict[str, Any]:
    return {"org_code": org, "arrival_time": arrival, "duration_minutes": minutes, "department_type": dept}


CASES: list[Case] = [
    # Apr: 100 type 1 (30 over), 50 type 3 (2 over), 10 booked type 1 (1 over); May: 200 type 1
    # (90 over); Jun: 40 type 2 (4 over). Quarter: 400 attended, 127 over: 273/400 = 68.25% ->
    # 68.3 half up (the mean of monthly percentages, 74.7, is not the rule).
    Case("ae_all_types", "of0013_ae_4h", "All types, booked included; the quarter sums counts, not monthly percentages",
         {"ae_monthly": [ae(APR, "AE1", att_type1=100, over4h_type1=30, att_type3=50, over4h_type3=2, att_booked_type1=10, over4h_booked_type1=1),
                         ae(MAY, "AE1", att_type1=200, over4h_type1=90), ae(JUN, "AE1", att_type2=40, over4h_type2=4)]},
         [Row("AE1", Q1, 273, 400, 68.3, 3, TRUST_ONLY)]),
    # 100 type 1 a month, 10 over; May's type 2 is suppressed, so May is unknown and adds nothing:
    # 180/200 = 90.0, still 3 months reported.
    Case("ae_suppressed", "of0013_ae_4h", "A suppressed count makes the month unknown, never zero",
         {"ae_monthly": [ae(APR, "AE2", att_type1=100, over4h_type1=10), ae(MAY, "AE2", att_type1=100, over4h_type1=10, att_type2=None),
                         ae(JUN, "AE2", att_type1=100, over4h_type1=10)]},
         [Row("AE2", Q1, 180, 200, 90.0, 3, TRUST_ONLY)]),
    # AE3: Apr 100 (10 over), May 100 (30 over), no June: 160/200 = 80.0 over 2 months. The
    # quarter is complete for the definition because AE4 reported June (50, 5 over: 45/50 = 90.0).
    Case("ae_missing_month", "of0013_ae_4h", "An organisation lacking a month reports what it has; months says how many",
         {"ae_monthly": [ae(APR, "AE3", att_type1=100, over4h_type1=10), ae(MAY, "AE3", att_type1=100, over4h_type1=30),
                         ae(JUN, "AE4", att_type1=50, over4h_type1=5)]},
         [Row("AE3", Q1, 160, 200, 80.0, 2, TRUST_ONLY), Row("AE4", Q1, 45, 50, 90.0, 1, TRUST_ONLY)]),
    # Each month RAP 100 (10 over) and RAL 300 (90 over); RAP merged into RAL: 1200 attended,
    # 300 over: 900/1200 = 75.0 under RAL, no RAP row.
    Case("ae_merger", "of0013_ae_4h", "A merged trust's activity counts under its successor (RAP under RAL)",
         {"ae_monthly": [r for m in (APR, MAY, JUN) for r in (ae(m, "RAP", att_type1=100, over4h_type1=10), ae(m, "RAL", att_type1=300, over4h_type1=90))]},
         [Row("RAL", Q1, 900, 1200, 75.0, 3, TRUST_ONLY)], orgs=("RAP",)),
    # Mapping (Apr 2025): UT1's type 3 activity goes 0.4 to AC1 and 0.6 to AC2. Each month AC1 100
    # (20 over), AC2 200 (50 over), UT1 50 type 3 (5 over). AC1: 3 x (100 + 20) = 360 attended,
    # 3 x (20 + 2) = 66 over: 294/360 = 81.67 -> 81.7. AC2: 3 x 230 = 690, 3 x 53 = 159:
    # 531/690 = 76.96 -> 77.0. UT1 has no row of its own.
    Case("ae_footprint", "of0013_ae_4h", "Type 3 activity goes to acute trusts in the mapping's proportions (the footprint)",
         {"ae_monthly": [r for m in (APR, MAY, JUN) for r in (ae(m, "AC1", att_type1=100, over4h_type1=20), ae(m, "AC2", att_type1=200, over4h_type1=50),
                                                               ae(m, "UT1", att_type3=50, over4h_type3=5))],
          "ae_type3_mapping": [{"period": APR, "org_code": o, "acute_code": a, "proportion": p}
                               for o, a, p in (("UT1", "AC1", 0.4), ("UT1", "AC2", 0.6), ("AC1", "AC1", 1.0), ("AC2", "AC2", 1.0))]},
         [Row("AC1", Q1, 294, 360, 81.7, 3, "footprint (mapping Apr 2025)"), Row("AC2", Q1, 531, 690, 77.0, 3, "footprint (mapping Apr 2025)")],
         orgs=("UT1",), batch="footprint"),
    # Q1 arrivals: 240 min (within), 241 (over), 30 (within), 600 (over); the 1 July arrival is Q2.
    # 2/4 = 50.0; the arrival month places the 23:59 one in April.
    Case("ecds_4h", "of0013_ecds_4h", "Record level: within 4 hours means 240 minutes or less; the arrival month places the visit",
         {"ecds": [visit("EC1", "2025-04-03 10:00", 240, 1), visit("EC1", "2025-04-30 23:59", 241, 1), visit("EC1", "2025-05-15 08:00", 30, 2),
                   visit("EC1", "2025-06-30 23:00", 600, 3), visit("EC1", "2025-07-01 00:30", 10, 1)]},
         [Row("EC1", Q1, 2, 4, 50.0, 3)]),
    # Type 1 visits of 720 (not over), 721 and 1000 minutes (over); the type 3 visit of 2000
    # minutes does not count: 2/3 = 66.67%.
    Case("ecds_12h", "of0014_ecds_12h", "Type 1 departments only; over 12 hours means more than 720 minutes",
         {"ecds": [visit("EC2", "2025-04-10 12:00", 720, 1), visit("EC2", "2025-05-10 12:00", 721, 1), visit("EC2", "2025-05-11 12:00", 2000, 3),
                   visit("EC2", "2025-06-10 12:00", 1000, 1)]},
         [Row("EC2", Q1, 2, 3, 66.67, 3)]),
    # FDS: 8/10, 15/20, 9/10 -> 32/40 = 80.00; the 62-day row does not count.
    Case("cancer_fds", "of0010_cancer_fds", "The 28-day standard's months summed",
         {"cwt": [cwt(APR, "CA1", "FDS28", "fds", 10, 8), cwt(MAY, "CA1", "FDS28", "fds", 20, 15), cwt(JUN, "CA1", "FDS28", "fds", 10, 9),
                  cwt(APR, "CA1", "D62", "by_cancer_type", 100, 0)]},
         [Row("CA1", Q1, 32, 40, 80.0, 3)]),
    # Each month 7.5 of 10.5 by cancer type (halves: shared patients); the by-modality cut holds
    # the same patients and is not added: 22.5/31.5 = 71.43%.
    Case("cancer_62d", "of0011_cancer_62d", "One cut only (by cancer type), shared patients as halves",
         {"cwt": [c for m in (APR, MAY, JUN) for c in (cwt(m, "CA2", "D62", "by_cancer_type", 10.5, 7.5), cwt(m, "CA2", "D62", "by_modality", 10.5, 7.5))]},
         [Row("CA2", Q1, 22.5, 31.5, 71.43, 3)]),
    # 31-day: 19/20, 20/20, 8/10 -> 47/50 = 94.00.
    Case("cancer_31d", "cancer_31d", "The 31-day standard by cancer type, months summed",
         {"cwt": [cwt(APR, "CA3", "D31", "by_cancer_type", 20, 19), cwt(MAY, "CA3", "D31", "by_cancer_type", 20, 20),
                  cwt(JUN, "CA3", "D31", "by_cancer_type", 10, 8)]},
         [Row("CA3", Q1, 47, 50, 94.0, 3)]),
    # June's waiting list only: 0-18 weeks 60 of 60 + 30 + 10 known clock starts = 60/100 =
    # 60.00; unknown clock starts (25), another function, admitted pathways and April do not count.
    Case("rtt_18w_incomplete", "of0023_rtt_18w_incomplete", "The quarter's last month of the waiting list; unknown clock starts left out",
         {"rtt": [*rtt(APR, "RT1", "incomplete", [(0, 18, 50), (18, 52, 50)]),
                  *rtt(JUN, "RT1", "incomplete", [(0, 18, 60), (18, 52, 30), (52, None, 10), (None, None, 25)]),
                  *rtt(JUN, "RT1", "incomplete", [(0, 18, 1000)], total=False), *rtt(JUN, "RT1", "admitted", [(0, 18, 500)])]},
         [Row("RT1", Q1, 60, 100, 60.0, 1)]),
    # June: 10 of 70 + 20 + 10 known waited 52+ weeks: 10/100 = 10.00; May's 99 do not count, nor
    # does the band whose count is missing ("-" in the file: no patients).
    Case("rtt_52w_incomplete", "of0003_rtt_52w_incomplete", "Waiting 52 weeks or more, at the quarter's last month",
         {"rtt": [*rtt(MAY, "RT2", "incomplete", [(52, None, 99)]),
                  *rtt(JUN, "RT2", "incomplete", [(0, 18, 70), (18, 52, 20), (52, 65, 10), (65, None, None), (None, None, 5)])]},
         [Row("RT2", Q1, 10, 100, 10.0, 1)]),
    # Completed (admitted + non-admitted), summed: Apr 30 of 40, May 40 of 60, Jun 10 of 10 known
    # (50 unknown left out) -> 80/110 = 72.73%; the waiting list does not count.
    Case("rtt_completed_18w", "rtt_completed_18w", "Completed pathways, admitted and non-admitted, summed over the quarter",
         {"rtt": [*rtt(APR, "RT3", "admitted", [(0, 18, 30), (18, 52, 10)]), *rtt(MAY, "RT3", "non_admitted", [(0, 18, 40), (52, None, 20)]),
                  *rtt(JUN, "RT3", "admitted", [(0, 18, 10), (None, None, 50)]), *rtt(JUN, "RT3", "incomplete", [(0, 18, 999)])]},
         [Row("RT3", Q1, 80, 110, 72.73, 3)]),
    # Completed over 52 weeks: 10 of 100 (Apr) + 0 of 50 (May) + 10 of 50 (Jun) = 20/200 = 10.00.
    Case("rtt_completed_52w", "rtt_completed_52w", "Completed pathways that had waited 52 weeks or more",
         {"rtt": [*rtt(APR, "RT4", "admitted", [(0, 18, 90), (52, None, 10)]), *rtt(MAY, "RT4", "non_admitted", [(18, 52, 50)]),
                  *rtt(JUN, "RT4", "admitted", [(0, 18, 40), (52, None, 10)])]},
         [Row("RT4", Q1, 20, 200, 10.0, 3)]),
    # Occupied 90 + 95 + 92 of 3 x 100 available = 277/300 = 92.33% -> 92.3; the ICB row of BDQ is
    # not a provider.
    Case("beds_occupancy", "beds_ga_occupancy", "Provider rows only; occupied over available beds, months summed",
         {"beds": [b for m, occ in ((APR, 90), (MAY, 95), (JUN, 92)) for b in beds(m, "BD1", ga_beds_available=100, ga_beds_occupied=occ)]
                  + beds(APR, "BDQ", "ICB", ga_beds_available=1000, ga_beds_occupied=10)},
         [Row("BD1", Q1, 277, 300, 92.3, 3)], orgs=("BDQ",)),
    # 20 + 30 + 25 occupied 21+ days of 3 x 200 occupied: 75/600 = 12.5%.
    Case("beds_long_stay", "beds_ga_long_stay", "Beds occupied by patients staying 21 days or more, of occupied beds",
         {"beds": [b for m, long in ((APR, 20), (MAY, 30), (JUN, 25)) for b in beds(m, "BD2", ga_beds_occupied=200, ga_beds_occupied_los_21plus=long)]},
         [Row("BD2", Q1, 75, 600, 12.5, 3)]),
    # Score 6.875 -> 6.88 half up; the 2023 survey (5.0) does not serve 2025/26 Q1, the 2024 one does.
    Case("nss_raising_concerns", "of0061_nss_raising_concerns", "A survey year's score as published (the 2024 survey serves 2025/26 Q1)",
         {"nss_scores": [{"period": "2024-01-01", "org_code": "NS1", "measure": "PP3_2", "score": 6.875},
                         {"period": "2023-01-01", "org_code": "NS1", "measure": "PP3_2", "score": 5.0}]},
         [Row("NS1", "2024", 6.875, 1, 6.88, 0)]),
    # 7.125 -> 7.13 half up (banker's rounding would give 7.12).
    Case("nss_engagement", "of0084_nss_engagement", "The staff engagement theme score, rounded half up",
         {"nss_scores": [{"period": "2024-01-01", "org_code": "NS2", "measure": "Staff Engagement", "score": 7.125},
                         {"period": "2024-01-01", "org_code": "NS2", "measure": "PP3_2", "score": 9.0}]},
         [Row("NS2", "2024", 7.125, 1, 7.13, 0)]),
]


def frame(source: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as the reader's tidy table: its columns in order, dates as datetimes, NaN for None."""
    df = pd.DataFrame(rows, columns=COLUMNS[source])
    for c in DATETIME & set(df.columns):
        df[c] = pd.to_datetime(df[c])
    return df


def tables_of(cases: list[Case]) -> dict[str, pd.DataFrame]:
    """The source tables of several cases stacked (their organisations are distinct)."""
    stacked: dict[str, list[dict[str, Any]]] = {}
    for case in cases:
        for source, rows in case.tables.items():
            stacked.setdefault(source, []).extend(rows)
    return {s: frame(s, rows) for s, rows in stacked.items()}


def batches() -> dict[tuple[str, str], list[Case]]:
    """Cases that run together: same batch name and quarter."""
    out: dict[tuple[str, str], list[Case]] = {}
    for case in CASES:
        out.setdefault((case.batch, case.quarter), []).append(case)
    return out


# -- the docs table ------------------------------------------------------------------------------

START = "<!-- spec-cases:start (generated by tests/spec_cases.py; do not edit) -->"
END = "<!-- spec-cases:end -->"


def _number(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float | int) and not isinstance(x, bool) else str(x)


def _input_line(source: str, row: dict[str, Any]) -> str:
    head = []
    if "period" in row:
        p = pd.Timestamp(row["period"])
        head.append(f"{p:%Y}" if source == "nss_scores" else f"{p:%b %Y}")
    head.append(row["org_code"])
    if "arrival_time" in row:
        head.append(f"arrival {row['arrival_time']}")
    rest = []
    for k, v in row.items():
        if k in ("period", "org_code", "arrival_time"):
            continue
        if v is None:
            rest.append(f"{k} missing")
        elif source == "ae_monthly" and v == 0:
            continue
        elif isinstance(v, bool):
            rest.append(k if v else f"not {k}")
        else:
            rest.append(f"{k} {_number(v)}")
    return " ".join(head) + ": " + ", ".join(rest)


def markdown() -> str:
    """The definitions table of docs/derive.md: one line per case, from the cases themselves."""
    from nhs_oversight.derive.catalog import definitions

    defs = {d.key: d for d in definitions()}
    lines = [
        START,
        "| metric | definition | rule shown | source rows | result |",
        "|---|---|---|---|---|",
    ]
    for case in sorted(CASES, key=lambda c: (defs[c.definition].metric_id, c.definition, c.name)):
        d = defs[case.definition]
        inputs = "<br>".join(f"`{s}` {_input_line(s, r)}" for s, rows in case.tables.items() for r in rows)
        result = "<br>".join(
            f"{r.org_code} {r.period}: {_number(r.numerator)} / {_number(r.denominator)} = **{r.value:.{d.decimals}f}**"
            + (f" ({r.months} months)" if r.months not in (0, 3) else "") + (f", {r.basis}" if r.basis else "")
            for r in case.expected
        )
        if case.orgs:
            result += "<br>no row for " + ", ".join(case.orgs)
        lines.append(f"| {d.metric_id} | `{d.key}.sql` ({d.quarter_rule}) | {case.says} | {inputs} | {result} |")
    lines.append(END)
    return "\n".join(lines)


def replace_section(text: str, table: str) -> str:
    """``text`` with its generated section replaced by ``table`` (ValueError when absent)."""
    if START not in text or END not in text:
        raise ValueError("the document has no generated spec-cases section")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + table + tail


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Print or write the docs table of definitions made from the spec cases.")
    p.add_argument("--write", type=Path, help="Markdown file whose spec-cases section to rewrite (docs/derive.md)")
    args = p.parse_args(argv)
    if args.write is None:
        print(markdown())
        return 0
    text = args.write.read_text(encoding="utf-8")
    args.write.write_text(replace_section(text, markdown()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
