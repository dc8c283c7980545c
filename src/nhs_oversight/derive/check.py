"""Definition check: derived values against NHS England's published values.

A derived metric can be trusted as far as it reproduces what NHS England published for the same
period. :func:`check` compares them per trust where a period is present in both, and says so
plainly when it is not (a back-cast of an earlier quarter is not a check of the definition).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError, OptionError
from nhs_oversight.frameworks.periods import Quarter

SAME = "same period"
BACK_CAST = "back-cast"
AHEAD = "ahead"
ROW_COLUMNS = ["org_code", "metric_id", "derived_period", "published_period", "comparison", "derived", "published",
               "difference", "exact", "within", "definition", "basis", "published_file"]

_Q_YEAR = re.compile(r"^Q([1-4])\s+(\d{4})$")
_MONTH = re.compile(r"^([A-Za-z]{3})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def published_period(text: str) -> str:
    """A NOF ``Reporting_date`` in the derived table's terms.

    >>> [published_period(t) for t in ("Q1 2025", "Q1 2025/26", "Jun-25", "2024", "Jul 24 - Jun 25")]
    ['2025/26 Q1', '2025/26 Q1', '2025/26 Q1', '2024', 'Jul 24 - Jun 25']
    """
    from nhs_oversight.sources.layout import parse_month

    t = (text or "").strip()
    m = _Q_YEAR.match(t)
    if m:  # "Q1 2025": quarter 1 of the financial year starting in 2025
        return str(Quarter(int(m.group(2)), int(m.group(1))))
    if _MONTH.match(t) and parse_month(t):
        return str(Quarter.of_month(parse_month(t)))
    if _YEAR.match(t):
        return t
    try:
        return str(Quarter.parse(t))
    except OptionError:
        return t


def read_published(paths: Sequence[str | Path]) -> pd.DataFrame:
    """Published metric values from NOF data CSVs: ``org_code, metric_id, period, value, file``."""
    from nhs_oversight.sources.wide import read_table

    frames = []
    for p in paths:
        df = read_table(p)
        need = {"Trust_code", "Metric_ID", "Value", "Reporting_date"}
        if not need <= set(df.columns):
            raise InputError(f"not a published NOF data CSV: lacks {', '.join(sorted(need - set(df.columns)))}", file=str(p), row=1)
        v = pd.to_numeric(df["Value"].str.strip(), errors="coerce")
        part = pd.DataFrame({"org_code": df["Trust_code"].str.strip().str.upper(), "metric_id": df["Metric_ID"].str.strip(),
                             "period": df["Reporting_date"].map(published_period), "value": v, "file": Path(p).name})
        frames.append(part[part["value"].notna() & part["metric_id"].str.match(r"OF0\d{3}$")])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["org_code", "metric_id", "period", "value", "file"])


@dataclass(frozen=True)
class Check:
    """Per-trust comparisons (:data:`ROW_COLUMNS`) and one summary row per metric and period pair."""

    rows: pd.DataFrame
    summary: pd.DataFrame

    def lines(self) -> list[str]:
        return list(self.summary["line"])

    def rate(self, metric: str) -> str:
        """The summary line of a metric (or that it was not checked)."""
        s = self.summary[self.summary["metric_id"] == metric]
        return "; ".join(s["line"]) if len(s) else f"{metric}: no published value to check against"


def _order(period: str) -> tuple[int, int]:
    try:
        q = Quarter.parse(period)
        return (q.start_year, q.q) if hasattr(q, "start_year") else (q.months[0].year, q.months[0].month)
    except OptionError:
        return (int(period), 13) if period.isdigit() else (0, 0)


def _pairs(derived: set[str], published: set[str]) -> list[tuple[str, str, str]]:
    same = sorted(derived & published)
    if same:
        return [(p, p, SAME) for p in same]
    if not derived or not published:
        return []
    d = max(derived, key=_order)
    p = max(published, key=_order)
    return [(d, p, BACK_CAST if _order(d) < _order(p) else AHEAD)]


def check(derived: pd.DataFrame, published: pd.DataFrame, decimals: dict[str, int], units: dict[str, str] | None = None,
          months: dict[str, int] | None = None) -> Check:
    """Compare derived values (the ``derive`` table) with published ones (:func:`read_published`).

    For each metric: every period present in both is compared trust by trust; when none is
    shared, the latest derived period is set against the latest published one and marked as a
    back-cast (or ahead), never as agreement. ``within`` = no further apart than one unit of the
    published precision (0.1 pp for a 1 dp metric); ``exact`` = equal at that precision.
    ``months`` gives the months a whole period needs per metric: values resting on fewer (a
    partial quarter kept with ``--allow-partial``) are not compared.
    """
    units = units or {}
    months = months or {}
    rows, summary = [], []
    for metric in sorted(set(derived["metric_id"]) & set(decimals)):
        d = derived[derived["metric_id"] == metric]
        partial = 0
        if "months" in d.columns and months.get(metric):
            short = d["months"].to_numpy() < months[metric]
            partial, d = int(short.sum()), d[~short]
        p = published[published["metric_id"] == metric]
        if partial and d.empty and len(p):
            summary.append({"metric_id": metric, "comparison": "partial", "line": f"{metric}: not checked: only partial periods derived "
                            f"({partial} value(s)); a whole quarter is needed to compare with the published value"})
            continue
        step = 10.0 ** -decimals[metric]
        unit = " pp" if units.get(metric) == "percent" else ""
        for dp, pp, kind in _pairs(set(d["period"]), set(p["period"])):
            mine = d[d["period"] == dp].drop_duplicates("org_code").set_index("org_code")
            theirs = p[p["period"] == pp].drop_duplicates("org_code").set_index("org_code")
            pub = theirs["value"].to_numpy(float)
            got = mine["value"].reindex(theirs.index).to_numpy(float)
            diff = got - pub
            exact = np.abs(diff) < step / 2
            within = np.abs(diff) <= step * (1 + 1e-9)
            rows.append(pd.DataFrame({
                "org_code": theirs.index, "metric_id": metric, "derived_period": dp, "published_period": pp, "comparison": kind,
                "derived": got, "published": pub, "difference": np.round(diff, 6), "exact": exact, "within": within,
                "definition": mine["definition"].reindex(theirs.index).fillna("").to_numpy(),
                "basis": mine["basis"].reindex(theirs.index).fillna("").to_numpy() if "basis" in mine else "",
                "published_file": theirs["file"].to_numpy(),
            }))
            n, have = len(theirs), int(np.isfinite(got).sum())
            med = float(np.nanmedian(np.abs(diff))) if have else float("nan")
            big = float(np.nanmax(np.abs(diff))) if have else float("nan")
            tol = f"{step:.{decimals[metric]}f}{unit}"
            lacking = (f"; {n - have} not derived" if have < n else "") + (f"; {partial} partial-period value(s) not compared" if partial else "")
            if kind == SAME:
                line = f"{metric} ({pp}): {int(within.sum())}/{n} within {tol}, {int(exact.sum())}/{n} exact{lacking}"
            else:
                line = (f"{metric}: derived {dp} against published {pp}: different periods ({kind}), not a definition check; "
                        f"median difference {med:.{decimals[metric]}f}{unit}, largest {big:.{decimals[metric]}f}{unit}, "
                        f"{int(within.sum())}/{n} within {tol}{lacking}")
            summary.append({"metric_id": metric, "derived_period": dp, "published_period": pp, "comparison": kind,
                            "trusts": n, "derived": have, "exact": int(exact.sum()), "within": int(within.sum()),
                            "tolerance": step, "median_abs_difference": med, "max_abs_difference": big, "line": line})
    table = pd.concat(rows, ignore_index=True)[ROW_COLUMNS] if rows else pd.DataFrame(columns=ROW_COLUMNS)
    cols = ["metric_id", "derived_period", "published_period", "comparison", "trusts", "derived", "exact", "within",
            "tolerance", "median_abs_difference", "max_abs_difference", "line"]
    return Check(table, pd.DataFrame(summary, columns=cols))


def check_against(derived: pd.DataFrame, paths: Sequence[str | Path]) -> Check:
    """:func:`check` against published NOF files, with each definition's precision."""
    from nhs_oversight.derive.catalog import definitions

    nof = [d for d in definitions() if d.status == "nof"]
    decimals = {d.metric_id: d.decimals for d in nof}
    units = {d.metric_id: d.unit for d in nof}
    months = {d.metric_id: {"sum": 3, "last_month": 1}.get(d.quarter_rule, 0) for d in nof}
    return check(derived, read_published(paths), decimals, units, months)


def footprint_check(paths: Sequence[str | Path]) -> Check:
    """OF0013 for each A&E workbook's month, derived from the workbook's own provider rows and
    mapping by the shipped definition, against the workbook's "Acute Trust Footprint Data".

    This is NHS England's footprint figure for one month, so it checks the definition (the
    mapping, the attendance types counted, the rounding) even when no published quarter is at hand.
    """
    from nhs_oversight.derive import derive_tables
    from nhs_oversight.derive.runner import round_half_up
    from nhs_oversight.sources.ae_workbook import looks_like_ae_workbook, read_ae_workbook
    from nhs_oversight.sources.workbook import is_workbook

    derived, published = [], []
    for p in paths:
        if Path(p).is_dir() or not is_workbook(p) or not looks_like_ae_workbook(p):
            continue
        book = read_ae_workbook(p)
        label = f"{book.month:%b %Y}"
        r = derive_tables({"ae_monthly": book.monthly, "ae_type3_mapping": book.mapping}, metrics=["OF0013"], allow_partial=True)
        derived.append(r.values.assign(period=label))
        fp = book.footprint
        values = [round_half_up(a - o, a, 100, 1) if a > 0 else np.nan for a, o in zip(fp["attendances"], fp["over4h"], strict=True)]
        published.append(pd.DataFrame({"org_code": fp["org_code"], "metric_id": "OF0013", "period": label, "value": values,
                                       "file": f"{Path(p).name} [Acute Trust Footprint Data]"}))
    if not derived:
        return Check(pd.DataFrame(columns=ROW_COLUMNS), pd.DataFrame(columns=["metric_id", "line"]))
    c = check(pd.concat(derived, ignore_index=True), pd.concat(published, ignore_index=True), {"OF0013": 1}, {"OF0013": "percent"})
    summary = c.summary.copy()
    summary["line"] = summary["line"].str.replace(r"^OF0013 \((.*?)\)", r"OF0013 (\1, one month, against the workbook's Acute Trust Footprint Data)", regex=True)
    return Check(c.rows, summary)


def combined(*checks: Check) -> Check:
    rows = [c.rows for c in checks if len(c.rows)]
    summary = [c.summary for c in checks if len(c.summary)]
    return Check(pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=ROW_COLUMNS),
                 pd.concat(summary, ignore_index=True) if summary else pd.DataFrame(columns=["metric_id", "line"]))
