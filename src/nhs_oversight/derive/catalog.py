"""The metric definitions: one SQL file each, described by its own comment header.

A definition file starts with ``-- key: value`` lines (metric, name, source, quarter, unit,
decimals, status, variant_of), then free comments (the NOF definition, choices and evidence),
then one ``SELECT`` returning ``org_code, period, numerator, denominator`` per month. Files whose
name starts with ``_`` are shared steps, not metrics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from nhs_oversight.errors import OptionError
from nhs_oversight.sources.kinds import RAW_KINDS

#: Tables a definition may read, with the reader that fills each (from the registry of raw kinds).
SOURCES = {k.name: k.derive_words for k in RAW_KINDS if k.derives == "source"}
#: Reference tables a definition may join to (``-- reference:``), with their columns. An absent
#: reference is registered empty, and the definition says what it falls back to.
REFERENCES = {k.name: list(k.columns) for k in RAW_KINDS if k.derives == "reference"}
#: ``annual`` values (a survey year) are not placed in quarters; see :func:`survey_serves`.
QUARTER_RULES = ("sum", "last_month", "annual")
STATUSES = ("nof", "variant", "local")
_FIELD = re.compile(r"^--\s*([a-z_]+):\s*(.+?)\s*$")
_REQUIRED = ("metric", "name", "source", "quarter", "unit", "decimals", "status")


@dataclass(frozen=True)
class Definition:
    """One metric definition file.

    Attributes
    ----------
    key : the file stem, e.g. ``of0013_ae_4h`` (several keys may define one metric from different
        sources).
    metric_id : ``OF0013`` for NOF metrics; a descriptive id (``RTT-COMPLETED-18W``) otherwise.
    status : ``nof`` (the NOF definition), ``variant`` (a differently defined relative of a NOF
        metric, ``variant_of``), or ``local`` (context, not in the NOF).
    """

    key: str
    metric_id: str
    name: str
    source: str
    quarter_rule: str
    unit: str
    decimals: int
    status: str
    variant_of: str | None
    sql: str
    reference: str | None = None

    @property
    def scale(self) -> float:
        return 100.0 if self.unit == "percent" else 1.0

    @property
    def filename(self) -> str:
        return f"{self.key}.sql"


def _sql_dir():
    return resources.files("nhs_oversight.derive").joinpath("sql")


def parse_definition(key: str, text: str) -> Definition:
    """Read a definition file's header; raise ``ValueError`` naming what is wrong."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        m = _FIELD.match(line)
        if m and m.group(1) not in fields:
            fields[m.group(1)] = m.group(2)
    missing = [f for f in _REQUIRED if f not in fields]
    if missing:
        raise ValueError(f"{key}.sql: header lacks {', '.join(missing)}")
    if fields["source"] not in SOURCES:
        raise ValueError(f"{key}.sql: unknown source {fields['source']!r}")
    if fields["quarter"] not in QUARTER_RULES:
        raise ValueError(f"{key}.sql: unknown quarter rule {fields['quarter']!r}")
    if fields["status"] not in STATUSES:
        raise ValueError(f"{key}.sql: unknown status {fields['status']!r}")
    if fields.get("reference", "") not in ("", *REFERENCES):
        raise ValueError(f"{key}.sql: unknown reference {fields['reference']!r}")
    if fields["status"] == "variant" and "variant_of" not in fields:
        raise ValueError(f"{key}.sql: a variant must name variant_of")
    return Definition(
        key=key,
        metric_id=fields["metric"],
        name=fields["name"],
        source=fields["source"],
        quarter_rule=fields["quarter"],
        unit=fields["unit"],
        decimals=int(fields["decimals"]),
        status=fields["status"],
        variant_of=fields.get("variant_of"),
        sql=text,
        reference=fields.get("reference"),
    )


@cache
def definitions() -> tuple[Definition, ...]:
    """Every metric definition shipped with the package, sorted by metric id then key."""
    out = []
    for entry in _sql_dir().iterdir():
        name = entry.name
        if name.endswith(".sql") and not name.startswith("_"):
            out.append(parse_definition(name[:-4], entry.read_text(encoding="utf-8")))
    return tuple(sorted(out, key=lambda d: (d.metric_id, d.key)))


def survey_serves(year: int, quarter) -> bool:
    """Whether the survey of ``year`` is the one the NOF uses in ``quarter``.

    Fieldwork runs in the autumn and results come out the next March, so the 2024 survey serves
    2024/25 Q4 and 2025/26 Q1-Q3 (the NOF files label it Reporting_date "2024").

    >>> from nhs_oversight.frameworks.periods import Quarter
    >>> [survey_serves(2024, Quarter.parse(q)) for q in ("2024/25 Q3", "2024/25 Q4", "2025/26 Q3", "2025/26 Q4")]
    [False, True, True, False]
    """
    first = quarter.months[0]
    return (first.year, first.month) in {(year + 1, 1), (year + 1, 4), (year + 1, 7), (year + 1, 10)}


def shared_sql(name: str) -> str:
    """A shared step such as ``_quarters.sql``."""
    return _sql_dir().joinpath(name).read_text(encoding="utf-8")


def metric_ids() -> list[str]:
    return sorted({d.metric_id for d in definitions()})


def select(metrics: list[str] | None = None, sources: set[str] | None = None) -> list[Definition]:
    """Definitions for the metrics asked for (all by default) that the available sources support.

    Raises
    ------
    OptionError
        An unknown metric id, or a metric none of whose sources is available.
    """
    chosen = list(definitions())
    if metrics:
        wanted = {m.strip().upper() for m in metrics}
        known = {d.metric_id.upper() for d in chosen}
        unknown = sorted(wanted - known)
        if unknown:
            raise OptionError(f"unknown metric {unknown[0]!r}; derivable metrics: {', '.join(metric_ids())}")
        chosen = [d for d in chosen if d.metric_id.upper() in wanted]
    if sources is not None:
        usable = [d for d in chosen if d.source in sources]
        if metrics:
            for m in sorted({d.metric_id for d in chosen} - {d.metric_id for d in usable}):
                needs = sorted({d.source for d in chosen if d.metric_id == m})
                raise OptionError(
                    f"{m} needs {' or '.join(SOURCES[s] for s in needs)}, and none was given"
                )
        chosen = usable
    return chosen
