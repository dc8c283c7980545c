"""Query parameters, checked against closed lists: anything else is a 400, never an error page.

Messages name the parameter and what it accepts, never the value given (nothing sent is echoed).

Free text (the league-table search) is only ever compared with names and codes in memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from nhs_oversight.web.errors import BadRequest

FORMATS = ("html", "json")
MAX_SEARCH = 80

#: League-table sort keys -> summary column.
SORTS = {
    "rank": "rank",
    "code": "org_code",
    "name": "org_name",
    "region": "region",
    "type": "trust_type",
    "average": "average_score",
    "segment": "final_segment",
    "metrics": "n_metrics",
}
ORDERS = ("asc", "desc")


def single(params: Mapping[str, Sequence[str]], name: str) -> str:
    """The one value of a parameter ('' when absent); repeated parameters are refused."""
    values = params.get(name, [])
    if len(values) > 1:
        raise BadRequest(f"parameter {name!r} is given {len(values)} times; give it once")
    return values[0].strip() if values else ""


def check_names(params: Mapping[str, Sequence[str]], allowed: Sequence[str]) -> None:
    unknown = sorted(set(params) - {*allowed, "format"})
    if unknown:
        raise BadRequest(f"this page does not take one of the parameters given; it accepts {', '.join([*allowed, 'format'])}")


def output_format(params: Mapping[str, Sequence[str]]) -> str:
    fmt = single(params, "format") or "html"
    if fmt not in FORMATS:
        raise BadRequest("format must be html or json")
    return fmt


@dataclass(frozen=True)
class LeagueQuery:
    """Filters, search and order of the league table. Empty strings mean 'all'."""

    region: str = ""
    type: str = ""
    icb: str = ""
    segment: int | None = None
    q: str = ""
    sort: str = "rank"
    order: str = "asc"

    PARAMS = ("region", "type", "icb", "segment", "q", "sort", "order")

    @classmethod
    def parse(cls, params: Mapping[str, Sequence[str]], regions: Sequence[str], types: Sequence[str], icbs: Sequence[str]) -> LeagueQuery:
        check_names(params, cls.PARAMS)
        region, type_, icb = single(params, "region"), single(params, "type"), single(params, "icb")
        for name, value, allowed in (("region", region, regions), ("type", type_, types), ("icb", icb, icbs)):
            if value and value not in allowed:
                raise BadRequest(f"the {name} given is not in the data; choose one from the list on the league page")
        seg_text = single(params, "segment")
        segment = None
        if seg_text:
            if seg_text not in {"1", "2", "3", "4", "5"}:
                raise BadRequest("segment must be a number from 1 to 5")
            segment = int(seg_text)
        q = single(params, "q")
        if len(q) > MAX_SEARCH:
            raise BadRequest(f"search text is longer than {MAX_SEARCH} characters")
        sort = single(params, "sort") or "rank"
        if sort not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}")
        order = single(params, "order") or "asc"
        if order not in ORDERS:
            raise BadRequest("order must be asc or desc")
        return cls(region, type_, icb, segment, q, sort, order)

    def params(self, **changes: object) -> dict[str, str]:
        """The non-default parameters, with some changed (for links that keep the filters)."""
        values = {
            "region": self.region, "type": self.type, "icb": self.icb,
            "segment": "" if self.segment is None else str(self.segment),
            "q": self.q, "sort": self.sort, "order": self.order,
        }
        values.update({k: "" if v is None else str(v) for k, v in changes.items()})
        defaults = {"sort": "rank", "order": "asc"}
        return {k: v for k, v in values.items() if v and defaults.get(k) != v}

    def query_string(self, **changes: object) -> str:
        p = self.params(**changes)
        return ("?" + urlencode(p)) if p else ""

    @property
    def filtered(self) -> bool:
        return bool(self.region or self.type or self.icb or self.segment or self.q)
