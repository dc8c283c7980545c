"""Every table of a page as a CSV or JSON download, taken from the page's own data.

A download is the same dict the page renders (:mod:`nhs_oversight.web.views`), cut down to one
table: the figures are the page's figures, never recomputed. CSV text cells that a spreadsheet
would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) get a
leading apostrophe, so a trust name can never become a formula on someone's computer.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from nhs_oversight.web.errors import NotFound

Getter = Callable[[dict[str, Any]], Any]


def _at(*keys: str) -> Getter:
    """Read ``page[k1][k2]...``; None when a step is missing or the section is unavailable."""

    def get(page: dict[str, Any]) -> Any:
        value: Any = page
        for k in keys:
            if not isinstance(value, dict) or k not in value:
                return None
            if isinstance(value, dict) and value.get("available") is False:
                return None
            value = value[k]
        return value

    return get


def _national(page: dict[str, Any]) -> Any:
    return [page["national"]]


#: Page name -> table name -> where the table is in the page's data. Names are URL words.
TABLES: dict[str, dict[str, Getter]] = {
    "overview": {
        "segments": _national,
        "by-region": _at("groups", "region", "rows"),
        "by-trust-type": _at("groups", "trust_type", "rows"),
        "by-icb": _at("groups", "icb_code", "rows"),
        "movers": _at("movement", "moved"),
        "movement-matrix": _at("movement", "matrix"),
    },
    "league": {"league": _at("rows")},
    "trust": {
        "metrics": _at("metrics"),
        "domains": _at("domains"),
        "peers": _at("peers"),
        "segment-history": _at("segment_history"),
    },
    "region": {"segments": lambda page: [page["mix"]], "by-icb": _at("icbs"), "trusts": _at("trusts")},
    "icb": {"segments": lambda page: [page["mix"]], "trusts": _at("trusts")},
    "metrics": {"metrics": _at("metrics")},
    "metric": {
        "scores": _at("rows"),
        "best": _at("best"),
        "worst": _at("worst"),
        "funnel": _at("funnel", "points"),
    },
    "compare": {"who-moves": _at("result", "who_moves"), "transition": _at("result", "transition")},
    "method": {"cutpoints": _at("cutpoints"), "metrics": _at("metrics")},
    "briefing": {},  # its tables are named after their sections: see briefing_tables
}
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def briefing_tables(page: dict[str, Any]) -> dict[str, Getter]:
    """The briefing's tables, named ``{section}-{n}`` (``where-1``, ``movers-1``...), as worded there."""
    out: dict[str, Getter] = {}
    b = page.get("briefing") or {}
    for sec in b.get("sections", []) if b.get("available") else []:
        n = 0
        for block in sec["blocks"]:
            if block.get("type") == "table":
                n += 1
                out[f"{sec['id']}-{n}"] = (lambda blk: lambda _page: {"columns": blk["columns"], "rows": blk["rows"]})(block)
    return out


def tables_of(page: dict[str, Any]) -> dict[str, Getter]:
    """Every table a page offers for download: name -> where it is in the page's data."""
    if page["page"] == "briefing":
        return briefing_tables(page)
    return TABLES.get(page["page"], {})


def table_of(page: dict[str, Any], name: str) -> tuple[list[str], list[list[Any]]]:
    """The columns and rows of one table of a page; NotFound when the page has no such table."""
    getter = tables_of(page).get(name)
    data = getter(page) if getter else None
    if data is None:
        offered = [n for n, g in tables_of(page).items() if g(page) is not None]
        raise NotFound(f"this page has no table {name!r}; it offers {', '.join(offered) or 'none'}")
    if isinstance(data, dict) and "columns" in data and "rows" in data:
        return list(data["columns"]), [list(r) for r in data["rows"]]
    columns: list[str] = []
    for record in data:
        columns.extend(k for k in record if k not in columns)
    rows = [[record.get(c) for c in columns] for record in data]
    return _spread_lists(columns, rows)


def _spread_lists(columns: list[str], rows: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """A column of equal-length lists (e.g. the three cut points) becomes one column per item."""
    out_cols: list[str] = []
    pieces: list[tuple[int, int]] = []
    for j, c in enumerate(columns):
        values = [r[j] for r in rows]
        sizes = {len(v) if isinstance(v, list) and all(not isinstance(x, dict | list) for x in v) else -1 for v in values}
        width = sizes.pop() if len(sizes) == 1 and rows else -1
        if width > 0:
            out_cols.extend(f"{c}_{i + 1}" for i in range(width))
        else:
            out_cols.append(c)
        pieces.append((j, width))
    out_rows = []
    for r in rows:
        row: list[Any] = []
        for j, width in pieces:
            row.extend(r[j] if width > 0 else [r[j]])
        out_rows.append(row)
    return out_cols, out_rows


def neutralise(value: Any) -> Any:
    """A CSV cell that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return neutralise(json.dumps(value, ensure_ascii=False))
    return neutralise(value) if isinstance(value, str) else value


def to_csv(columns: list[str], rows: list[list[Any]]) -> str:
    """CSV text (numbers at full precision, blanks for missing values)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def to_json(page: dict[str, Any], name: str, columns: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    """The table as records, with what every page states (period, dataset, method, sources)."""
    meta = page["meta"]
    keep = ("dataset", "period", "framework", "provisional", "provenance")
    return {"table": name, "page": page["page"], "meta": {k: meta[k] for k in keep if k in meta},
            "columns": columns, "rows": [dict(zip(columns, r, strict=True)) for r in rows]}


def filename(page: dict[str, Any], name: str, fmt: str) -> str:
    """``league-2025-26-Q2.csv``: the table and the period, safe in any file system."""
    period = (page["meta"].get("period") or "").replace("/", "-").replace(" ", "-")
    place = {"region": lambda: page["region"], "icb": lambda: page["icb"]["code"]}.get(page["page"])
    first = page["anchor"] if page["page"] in ("trust", "metric") else page["page"] + ("-" + place() if place else "")
    stem = "-".join(x for x in (first, name, period) if x)
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in stem) + "." + fmt


def path_of(page: dict[str, Any]) -> str | None:
    """The download path of a page (without the table), or None for pages without tables."""
    kind = page["page"]
    if kind not in TABLES:
        return None
    if kind == "trust":
        return "/download/trust/" + page["org"]["org_code"]
    if kind == "metric":
        return "/download/metric/" + page["metric"]["id"]
    if kind == "region":
        return "/download/region/" + quote(page["region"], safe="")
    if kind == "icb":
        return "/download/icb/" + page["icb"]["code"]
    return "/download/" + kind


def page_kind(path: str) -> str:
    """The page name behind a dashboard path (``/`` is the overview)."""
    return {"/": "overview"}.get(path, path.strip("/").split("/")[0])
