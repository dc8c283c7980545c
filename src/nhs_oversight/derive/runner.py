"""Run metric definitions on a DuckDB connection that holds the source tables.

The connection may be an in-memory one with tidy frames registered (``derive`` on files), a
history database with views over the current editions (``derive --db``), or a view over
record-level Parquet. The runner only adds small helper tables, runs each definition, then the
shared quarter step, and rounds values the NHS way (half up) from exact numerators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from nhs_oversight.derive.calendar import calendar_frame
from nhs_oversight.derive.catalog import REFERENCES, SOURCES, Definition, select, shared_sql
from nhs_oversight.derive.successors import successor_frame
from nhs_oversight.errors import OptionError
from nhs_oversight.frameworks.periods import Quarter

#: Months the calendar table covers; data outside are not placed in any quarter.
CALENDAR_SPAN = (date(1990, 4, 1), date(2060, 3, 1))

#: Columns of the derived long table.
OUTPUT_COLUMNS = ["org_code", "metric_id", "period", "value", "numerator", "denominator", "months", "definition", "basis"]

#: The ``basis`` of a value whose definition joins the type 3 mapping but had none to join.
TRUST_ONLY = "trust-only (no type 3 mapping)"


@dataclass
class Derived:
    """Derived quarterly metric values and what they rest on.

    Attributes
    ----------
    values : long rows with :data:`OUTPUT_COLUMNS`; ``period`` like ``2024/25 Q4``; ``value``
        rounded half up to the metric's published precision; ``numerator``/``denominator``
        exact; ``months`` = months of data behind the value (0 for an annual survey value, whose
        ``period`` is the survey year); ``definition`` = the SQL file stem; ``basis`` = what a
        definition with a reference rested on (``footprint (mapping Jun 2025)`` or
        :data:`TRUST_ONLY`), blank otherwise.
    coverage : definition key -> months (``YYYY-MM``) with data.
    notes : plain-language remarks (dropped partial quarters, replaced editions, ...).
    inputs : one dict per input file used (name, kind, months, edition), when known.
    """

    values: pd.DataFrame
    coverage: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)

    def meta(self) -> dict[str, Any]:
        return {"coverage": self.coverage, "notes": self.notes, "inputs": self.inputs}


def round_half_up(numerator: float, denominator: float, scale: float, decimals: int) -> float:
    """``scale * numerator / denominator`` rounded half up (as Excel's ROUND), computed exactly."""
    # counts times 2-dp proportions are exact decimals: drop the binary noise of the products first
    tiny = Decimal(1).scaleb(-9)
    exact = Decimal(numerator).quantize(tiny) * Decimal(scale) / Decimal(denominator).quantize(tiny)
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _monthly_sql(defs: list[Definition]) -> str:
    parts = []
    for d in defs:
        body = d.sql.strip().rstrip(";")
        mapping = "CAST(mapping_month AS DATE)" if d.reference else "CAST(NULL AS DATE)"
        parts.append(
            f"SELECT '{d.key}' AS definition, CAST(org_code AS STRING) AS org_code, "
            f"CAST(period AS DATE) AS period, CAST(numerator AS DOUBLE) AS numerator, "
            f"CAST(denominator AS DOUBLE) AS denominator, {mapping} AS mapping_month FROM (\n{body}\n) AS q"
        )
    return "\nUNION ALL\n".join(parts)


def run(
    con: Any,
    sources: set[str],
    quarter: str | Quarter | None = None,
    metrics: list[str] | None = None,
    successors: pd.DataFrame | None = None,
    allow_partial: bool = False,
    restrict_to: set[str] | None = None,
) -> Derived:
    """Derive quarterly values from the source tables on ``con``.

    Parameters
    ----------
    con : a DuckDB connection holding tables or views named after :data:`SOURCES` keys.
    sources : which of those tables exist.
    quarter : one quarter (``"2025/26 Q1"``) or None for every complete quarter in the data.
    metrics : metric ids to derive (all that the sources support by default).
    successors : ``org_successors`` table (see :func:`successor_frame`); built-in list if None.
    allow_partial : keep quarters with fewer months than the rule needs (flagged by ``months``).
    restrict_to : keep only these organisation codes (e.g. NHS trusts from the ODS etr).

    Raises
    ------
    OptionError
        Nothing derivable, or the quarter asked for is not in the data.
    """
    wanted = Quarter.parse(quarter) if isinstance(quarter, str) else quarter
    defs = select(metrics, sources)
    if not defs:
        given = ", ".join(sorted(sources)) or "none"
        raise OptionError(
            f"no metric can be derived from the inputs given (recognised: {given}); "
            f"derivations need one of: {', '.join(SOURCES)}"
        )
    coverage, notes = _monthly(con, defs, sources)
    _register_lookups(con, defs, successors)
    out = pd.concat([con.execute(shared_sql("_quarters.sql")).df(), _annual(con, defs, wanted)], ignore_index=True)
    out = out[_kept_rows(out, defs, coverage, wanted, allow_partial, notes)].copy()
    if restrict_to is not None:
        out = out[out["org_code"].isin(restrict_to)]

    for metric in sorted({d.metric_id for d in defs}):
        keys = sorted(set(out.loc[out["metric_id"].eq(metric), "definition"]))
        if len(keys) > 1:
            notes.append(f"{metric} is derived by {len(keys)} definitions ({', '.join(keys)}); the definition column tells the rows apart")
    by_key = {d.key: d for d in defs}
    out["value"] = [
        round_half_up(n, den, by_key[k].scale, by_key[k].decimals) if pd.notna(n) and pd.notna(den) and den > 0 else float("nan")
        for n, den, k in zip(out["numerator"], out["denominator"], out["definition"], strict=True)
    ]
    out["months"] = out["months"].astype("int64")
    out["basis"] = [_basis(by_key[k], first, last) for k, first, last in zip(out["definition"], out["mapping_first"], out["mapping_last"], strict=True)]
    notes.extend(_reference_notes(con, defs, sources))
    out = out[OUTPUT_COLUMNS].sort_values(["metric_id", "period", "org_code", "definition"]).reset_index(drop=True)
    cov_text = {k: [f"{p:%Y}" if by_key[k].quarter_rule == "annual" else f"{p:%Y-%m}" for p in v] for k, v in coverage.items()}
    return Derived(out, cov_text, notes)


def _monthly(con: Any, defs: list[Definition], sources: set[str]) -> tuple[dict[str, list[pd.Timestamp]], list[str]]:
    """Build the ``monthly`` table; return the months each definition covers, and notes on those with none."""
    cal = calendar_frame(*CALENDAR_SPAN)
    cal["month"] = cal["month"].dt.date
    con.register("calendar", cal)
    for ref in sorted({d.reference for d in defs if d.reference} - sources):
        con.register(ref, _empty_reference(ref))
    con.execute(f"CREATE OR REPLACE TEMP TABLE monthly AS {_monthly_sql(defs)}")
    cov = con.execute(
        "SELECT definition, period FROM monthly GROUP BY definition, period ORDER BY definition, period"
    ).df()
    coverage: dict[str, list[pd.Timestamp]] = {d.key: [] for d in defs}
    for key, period in zip(cov["definition"], pd.to_datetime(cov["period"]), strict=True):
        coverage[key].append(period)
    notes: list[str] = [
        f"{d.metric_id} ({d.key}): the {d.source} inputs hold no rows this definition uses"
        + (" (it needs an incomplete-pathways file)" if "incomplete" in d.key else "")
        for d in defs
        if not coverage[d.key]
    ]
    if cov.empty:
        raise OptionError("nothing to derive: " + "; ".join(notes))
    return coverage, notes


def _register_lookups(con: Any, defs: list[Definition], successors: pd.DataFrame | None) -> None:
    """The definitions and the organisation successors, as tables the quarterly SQL joins."""
    defs_frame = pd.DataFrame(
        [(d.key, d.metric_id, d.quarter_rule, d.scale) for d in defs],
        columns=["definition", "metric_id", "quarter_rule", "scale"],
    )
    succ = successor_frame() if successors is None else successors
    con.register("definitions", defs_frame)
    if succ.empty:
        succ = pd.DataFrame({"predecessor": pd.Series(dtype=object), "successor": pd.Series(dtype=object)})
    con.register("org_successors", succ)


def _kept_rows(out: pd.DataFrame, defs: list[Definition], coverage: dict[str, list[pd.Timestamp]], wanted: Quarter | None,
               allow_partial: bool, notes: list[str]) -> np.ndarray:
    """Rows of whole quarters (unless partial ones are allowed) in the quarter asked for; notes say what was left out."""
    complete = _complete_quarters(defs, coverage)
    whole = np.array([q in complete[k] for k, q in zip(out["definition"], out["period"], strict=True)], dtype=bool)
    keep = np.ones(len(out), dtype=bool) if allow_partial else whole
    if not allow_partial:
        for d in defs:
            partial = sorted(set(out.loc[out["definition"].eq(d.key).to_numpy() & ~whole, "period"]))
            if partial and (wanted is None or str(wanted) in partial):
                why = "the quarter lacks months" if d.quarter_rule == "sum" else "no data for the quarter's last month"
                notes.append(f"{d.metric_id} ({d.key}): left out {', '.join(partial)}: {why} (--allow-partial keeps them)")
    if wanted is not None:
        annual = out["definition"].isin([d.key for d in defs if d.quarter_rule == "annual"]).to_numpy()
        in_quarter = out["period"].eq(str(wanted)).to_numpy() | annual
        keep &= in_quarter
        have = set(out.loc[keep, "definition"])
        if not have:
            raise OptionError(
                f"no data for {wanted}: the inputs cover "
                + "; ".join(f"{d.metric_id} {_span(coverage[d.key])}" for d in defs)
            )
        for d in defs:
            if d.key not in have and not any(n.startswith(f"{d.metric_id} ({d.key})") for n in notes):
                notes.append(f"{d.metric_id} ({d.key}): no data for {wanted} (inputs cover {_span(coverage[d.key])})")
    return keep


def _complete_quarters(defs: list[Definition], coverage: dict[str, list[pd.Timestamp]]) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for d in defs:
        months = {p.date() for p in coverage[d.key]}
        if d.quarter_rule == "annual":
            result[d.key] = {str(m.year) for m in months}
            continue
        quarters = {Quarter.of_month(m) for m in months}
        if d.quarter_rule == "sum":
            ok = {str(q) for q in quarters if all(m in months for m in q.months)}
        else:
            ok = {str(q) for q in quarters if q.months[2] in months}
        result[d.key] = ok
    return result


def _span(months: list[pd.Timestamp]) -> str:
    if not months:
        return "no months"
    return f"{min(months):%b %Y}-{max(months):%b %Y}"


def _empty_reference(name: str) -> pd.DataFrame:
    cols = REFERENCES[name]
    return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "period" else "float64" if c == "proportion" else object) for c in cols})


def _annual(con: Any, defs: list[Definition], wanted: Quarter | None) -> pd.DataFrame:
    """Survey-year values: one row per organisation and year, ``period`` = the year, 0 months.

    With a quarter asked for, only the survey year the NOF uses in that quarter is kept.
    """
    from nhs_oversight.derive.catalog import survey_serves

    keys = [d.key for d in defs if d.quarter_rule == "annual"]
    if not keys:
        return pd.DataFrame()
    listing = ", ".join(f"'{k}'" for k in keys)
    rows = con.execute(
        "SELECT m.definition, d.metric_id, m.org_code, m.period, m.numerator, m.denominator "
        f"FROM monthly AS m JOIN definitions AS d ON d.definition = m.definition WHERE m.definition IN ({listing})"
    ).df()
    years = pd.to_datetime(rows["period"]).dt.year
    if wanted is not None:
        keep = np.array([survey_serves(int(y), wanted) for y in years], dtype=bool)
        rows, years = rows[keep], years[keep]
    return pd.DataFrame({
        "org_code": rows["org_code"], "metric_id": rows["metric_id"], "period": years.astype(str),
        "value": np.nan, "numerator": rows["numerator"], "denominator": rows["denominator"], "months": 0,
        "definition": rows["definition"], "mapping_first": pd.NaT, "mapping_last": pd.NaT,
    })


def _basis(d: Definition, first: Any, last: Any) -> str:
    if not d.reference:
        return ""
    if first is None or pd.isna(first):
        return TRUST_ONLY
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    if first == last:
        return f"footprint (mapping {first:%b %Y})"
    return f"footprint (mappings {first:%b %Y}-{last:%b %Y})"


def _reference_notes(con: Any, defs: list[Definition], sources: set[str]) -> list[str]:
    """Which mapping served which months, and organisations the mapping does not name."""
    notes = []
    for d in (d for d in defs if d.reference):
        if d.reference not in sources:
            notes.append(f"{d.metric_id} ({d.key}): no type 3 mapping among the inputs, so every value is {TRUST_ONLY}; "
                         "give NHS England's monthly A&E workbook by provider (sheet Acute Trust Mapping) for the acute trust footprint")
            continue
        used = con.execute(
            f"SELECT period, MAX(mapping_month) AS mapping_month FROM monthly WHERE definition = '{d.key}' GROUP BY period ORDER BY period"
        ).df()
        editions = con.execute(f"SELECT DISTINCT period, file FROM {d.reference}").df() if _has_file(con, d.reference) else pd.DataFrame()
        files = {pd.Timestamp(p): f for p, f in zip(editions.get("period", []), editions.get("file", []), strict=True)}
        for mapping, part in used.groupby("mapping_month", sort=True):
            months = pd.to_datetime(part["period"])
            m = pd.Timestamp(mapping)
            name = f"type 3 mapping of {m:%b %Y}" + (f" ({files[m]})" if m in files else "")
            later, earlier = months[months >= m], months[months < m]
            if len(later):
                notes.append(f"{d.metric_id} ({d.key}): {name} used for {_months_text(later)}")
            if len(earlier):
                notes.append(f"{d.metric_id} ({d.key}): {name} also used for {_months_text(earlier)}, "
                             "earlier than any mapping given (the earliest mapping serves them)")
        lone = con.execute(
            f"SELECT a.org_code FROM {d.source} AS a LEFT JOIN (SELECT DISTINCT org_code FROM {d.reference}) AS r "
            "ON r.org_code = a.org_code WHERE r.org_code IS NULL GROUP BY a.org_code "
            "HAVING SUM(COALESCE(att_type1, 0) + COALESCE(att_type2, 0) + COALESCE(att_type3, 0)) > 0 ORDER BY a.org_code"
        ).fetchall()
        if lone:
            codes = [r[0] for r in lone]
            notes.append(f"{d.metric_id} ({d.key}): {len(codes)} organisation(s) with attendances are not in the mapping and report as "
                         f"themselves: {', '.join(codes[:8])}{' ...' if len(codes) > 8 else ''}")
    return notes


def _has_file(con: Any, table: str) -> bool:
    return "file" in {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}


def _months_text(months: pd.Series) -> str:
    if len(months) == 1:
        return f"{months.min():%b %Y}"
    return f"{months.min():%b %Y}-{months.max():%b %Y} ({len(months)} months)"
