"""Segment movement between two quarters, read from two assessments.

Nothing is scored here: segments, averages, ranks and metric scores are read from each quarter's
:class:`~nhs_oversight.engine.Assessment`; this module only lines the two quarters up, counts
transitions and lists the metric score changes behind each move.

>>> import nhs_oversight as no
>>> from nhs_oversight.stats.movement import transitions
>>> m = transitions(no.assess(no.synthetic_inputs("2025/26 Q1")), no.assess(no.synthetic_inputs("2025/26 Q2")))
>>> int(m.matrix.loc[[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]].to_numpy().sum()) == len(m.movers)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nhs_oversight.engine import Assessment
from nhs_oversight.engine.segments import SEGMENTS
from nhs_oversight.errors import OptionError

#: How many metric score changes are listed for each trust.
DRIVERS = 3

MOVER_COLUMNS = [
    "org_code",
    "org_name",
    "trust_type",
    "region",
    "segment_before",
    "segment_after",
    "direction",
    "average_before",
    "average_after",
    "rank_before",
    "rank_after",
    "rank_of_before",
    "rank_of_after",
    "unadjusted_before",
    "unadjusted_after",
    "flag_before",
    "flag_after",
    "override_before",
    "override_after",
    "recovery_support_before",
    "recovery_support_after",
    "reason",
    "metric_changes",
]

CHANGE_COLUMNS = ["org_code", "metric_id", "score_id", "short_name", "score_before", "score_after", "change", "status"]


@dataclass(frozen=True)
class Movement:
    """How trusts moved between two quarters' final segments (5 = Recovery Support Programme).

    Attributes
    ----------
    previous_period, current_period : the two quarters, e.g. ``2025/26 Q1`` and ``2025/26 Q2``.
    matrix : counts of trusts by final segment before (rows 1-5, then ``entered``: trusts only in
        the current quarter) and after (columns 1-5, then ``left``: trusts only in the previous
        quarter).
    movers : one row per trust in both quarters (``MOVER_COLUMNS``); ``direction`` is ``up``
        (a better, lower-numbered segment), ``down`` or ``same``; ``reason`` names the step of the
        method whose result changed; ``metric_changes`` lists the largest score changes in the
        direction of the move.
    metric_changes : one row per trust x scored metric in either quarter (``CHANGE_COLUMNS``):
        ``status`` is ``changed``, ``same``, ``new`` (scored now, not before) or ``dropped``.
    drivers : the metric changes listed for each trust (at most ``DRIVERS`` each), in order.
    entered, left : trusts in only one of the two quarters, with their final segment.
    """

    previous_period: str | None
    current_period: str | None
    matrix: pd.DataFrame
    movers: pd.DataFrame
    metric_changes: pd.DataFrame
    drivers: pd.DataFrame
    entered: pd.DataFrame
    left: pd.DataFrame
    provenance: dict[str, Any]
    label: str | None = None

    @property
    def moved(self) -> pd.DataFrame:
        """Only the trusts whose final segment changed."""
        return self.movers[self.movers["direction"].isin(["up", "down"])].reset_index(drop=True)

    def drivers_of(self, org_code: str) -> pd.DataFrame:
        return self.drivers[self.drivers["org_code"] == org_code].reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the matrix as nested counts, and each mover with its metric changes."""
        from nhs_oversight.util.jsonable import dataframe_records, to_jsonable

        by_org = {code: dataframe_records(g.drop(columns="org_code")) for code, g in self.drivers.groupby("org_code", sort=False)}
        movers = []
        for row in dataframe_records(self.movers):
            row["drivers"] = by_org.get(row["org_code"], [])
            movers.append(row)
        matrix = {str(r): {str(c): int(self.matrix.loc[r, c]) for c in self.matrix.columns} for r in self.matrix.index}
        return {
            "dataset": self.label,
            "previous_period": self.previous_period,
            "current_period": self.current_period,
            "meta": to_jsonable(self.provenance),
            "matrix": matrix,
            "counts": {d: int((self.movers["direction"] == d).sum()) for d in ("up", "down", "same")},
            "movers": movers,
            "entered": dataframe_records(self.entered),
            "left": dataframe_records(self.left),
        }


def transitions(previous: Assessment, current: Assessment, drivers: int = DRIVERS) -> Movement:
    """Line up two quarters' assessments and describe how each trust's final segment moved.

    Parameters
    ----------
    previous, current : assessments of the earlier and the later quarter.
    drivers : how many metric score changes to list for each trust.
    """
    _check_order(previous, current)
    before = _side(previous, "before")
    after = _side(current, "after")
    both = before.merge(after, on="org_code", how="inner")
    both["org_name"] = both["org_name_after"]
    for col in ("trust_type", "region"):
        both[col] = both[f"{col}_after"]
    both["direction"] = _direction(both["segment_before"], both["segment_after"])
    both["reason"] = [_reason(r) for r in both.itertuples(index=False)]

    changes = _metric_changes(previous, current, set(both["org_code"]))
    chosen = _choose_drivers(changes, both[["org_code", "direction"]], drivers)
    texts = _driver_text(chosen)
    both["metric_changes"] = [texts.get(c, "") for c in both["org_code"]]
    movers = both[MOVER_COLUMNS].sort_values(["segment_after", "segment_before", "org_code"], na_position="last").reset_index(drop=True)

    entered = after[~after["org_code"].isin(before["org_code"])]
    left = before[~before["org_code"].isin(after["org_code"])]
    entered = entered.rename(columns={"org_name_after": "org_name", "trust_type_after": "trust_type", "region_after": "region"})
    left = left.rename(columns={"org_name_before": "org_name", "trust_type_before": "trust_type", "region_before": "region"})
    return Movement(
        previous_period=previous.period,
        current_period=current.period,
        matrix=_matrix(movers, entered, left),
        movers=movers,
        metric_changes=changes,
        drivers=chosen,
        entered=entered[["org_code", "org_name", "trust_type", "region", "segment_after"]].sort_values("org_code").reset_index(drop=True),
        left=left[["org_code", "org_name", "trust_type", "region", "segment_before"]].sort_values("org_code").reset_index(drop=True),
        provenance={"previous": previous.provenance(), "current": current.provenance()},
        label=current.label or previous.label,
    )


def _check_order(previous: Assessment, current: Assessment) -> None:
    from nhs_oversight.frameworks.periods import Quarter

    if not (previous.period and current.period):
        return
    p, c = Quarter.parse(previous.period), Quarter.parse(current.period)
    if p == c:
        raise OptionError(f"both sets of files are for {c}: give an earlier quarter with --previous")
    if p > c:
        raise OptionError(f"the previous files ({p}) are later than the current ones ({c}): swap them")


def _side(a: Assessment, suffix: str) -> pd.DataFrame:
    """The summary columns movement needs, renamed ``*_before`` or ``*_after``."""
    s = a.summary
    return pd.DataFrame(
        {
            "org_code": s["org_code"],
            f"org_name_{suffix}": s["org_name"],
            f"trust_type_{suffix}": s["trust_type"],
            f"region_{suffix}": s["region"],
            f"segment_{suffix}": s["final_segment"],
            f"average_{suffix}": s["average_score"],
            f"rank_{suffix}": s["rank"],
            f"rank_of_{suffix}": s["rank_of"],
            f"unadjusted_{suffix}": s["unadjusted_segment"],
            f"adjusted_{suffix}": s["adjusted_segment"],
            f"flag_{suffix}": s["financial_flag"],
            f"override_{suffix}": s["financial_override"].astype(bool),
            f"recovery_support_{suffix}": s["recovery_support"].fillna(0).astype(int).astype(bool),
        }
    )


def _direction(before: pd.Series, after: pd.Series) -> np.ndarray:
    b = before.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    a = after.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    out = np.where(a < b, "up", np.where(a > b, "down", "same")).astype(object)
    out[np.isnan(a) | np.isnan(b)] = "not segmented"
    return out


def _reason(r: Any) -> str:
    """Which input or step of the method changed the final segment: the programme flag, the
    financial flag (through the override), the cut points (same average), or the average score."""
    if r.direction not in ("up", "down"):
        return ""
    if r.recovery_support_before != r.recovery_support_after and 5 in (r.segment_before, r.segment_after):
        return "entered the Recovery Support Programme" if r.recovery_support_after else "left the Recovery Support Programme"
    flag_changed = not (pd.isna(r.flag_before) and pd.isna(r.flag_after)) and (
        pd.isna(r.flag_before) or pd.isna(r.flag_after) or int(r.flag_before) != int(r.flag_after)
    )
    if flag_changed and r.override_before != r.override_after:
        return "financial override now applies" if r.override_after else "financial override no longer applies"
    if r.average_before == r.average_after and r.unadjusted_before != r.unadjusted_after:
        return "cut points changed"
    return "average score changed"


def _metric_changes(previous: Assessment, current: Assessment, codes: set[str]) -> pd.DataFrame:
    cols = ["org_code", "metric_id", "score_id", "score_2dp"]
    pm = previous.metrics
    cm = current.metrics
    pm = pm.loc[pm["in_average"].astype(bool) & pm["org_code"].isin(codes), cols]
    cm = cm.loc[cm["in_average"].astype(bool) & cm["org_code"].isin(codes), cols]
    m = pm.merge(cm, on=["org_code", "score_id"], how="outer", suffixes=("_before", "_after"))
    m["metric_id"] = m["metric_id_after"].fillna(m["metric_id_before"])
    m = m.rename(columns={"score_2dp_before": "score_before", "score_2dp_after": "score_after"})
    m["change"] = (m["score_after"] - m["score_before"]).round(2)
    m["status"] = np.select(
        [m["score_before"].isna(), m["score_after"].isna(), m["change"] == 0],
        ["new", "dropped", "same"],
        "changed",
    )
    names = {x.score_id: x.short_name for fw in (previous.framework, current.framework) for x in fw.metrics}
    order = {x.score_id: i for i, x in enumerate(current.framework.metrics)}
    m["short_name"] = m["score_id"].map(names).fillna(m["score_id"])
    m["_o"] = m["score_id"].map(order).fillna(len(order))
    return m.sort_values(["org_code", "_o"])[CHANGE_COLUMNS].reset_index(drop=True)


def _choose_drivers(changes: pd.DataFrame, directions: pd.DataFrame, k: int) -> pd.DataFrame:
    """The largest score changes in the direction of the move (worse scores are higher):
    falls for a move up, rises for a move down, and either way for a trust that stayed."""
    c = changes[changes["status"] == "changed"].merge(directions, on="org_code")
    sign = np.select([c["direction"] == "up", c["direction"] == "down"], [-1.0, 1.0], 0.0)
    c["_size"] = np.where(sign == 0, c["change"].abs(), c["change"] * sign)
    c = c[c["_size"] > 0].reset_index(drop=True)
    c = c.sort_values(["org_code", "_size"], ascending=[True, False], kind="stable")
    return c.groupby("org_code", sort=False).head(k)[CHANGE_COLUMNS[:-1]].reset_index(drop=True)


def _driver_text(chosen: pd.DataFrame) -> dict[str, str]:
    if chosen.empty:
        return {}
    text = chosen["short_name"] + " " + chosen["score_before"].map("{:.2f}".format) + " to " + chosen["score_after"].map("{:.2f}".format)
    return text.groupby(chosen["org_code"], sort=False).agg("; ".join).to_dict()


def _matrix(movers: pd.DataFrame, entered: pd.DataFrame, left: pd.DataFrame) -> pd.DataFrame:
    rows: list[Any] = [*SEGMENTS, "entered"]
    cols: list[Any] = [*SEGMENTS, "left"]
    unsegmented = movers["segment_before"].isna().any() or movers["segment_after"].isna().any()
    if unsegmented:
        rows.insert(5, "none")
        cols.insert(5, "none")
    out = pd.DataFrame(0, index=pd.Index(rows, dtype=object, name="segment_before"), columns=pd.Index(cols, dtype=object, name="segment_after"))

    def key(v: Any) -> Any:
        return "none" if pd.isna(v) else int(v)

    for b, a in zip(movers["segment_before"], movers["segment_after"], strict=True):
        out.loc[key(b), key(a)] += 1
    for a in entered["segment_after"]:
        out.loc["entered", key(a)] += 1
    for b in left["segment_before"]:
        out.loc[key(b), "left"] += 1
    return out


def movement_text(m: Movement, width: int = 48) -> str:
    """Plain text for the terminal: the matrix, then every trust that moved, up then down."""
    before, now = m.previous_period or "previous", m.current_period or "current"
    mv = m.movers
    counts = {d: int((mv["direction"] == d).sum()) for d in ("up", "down", "same")}
    label = f"[{m.label} DATA] " if m.label else ""
    parts = [
        f"{label}Segment movement, {before} to {now}: {len(mv)} trusts in both quarters; "
        f"{counts['up']} up, {counts['down']} down, {counts['same']} same\n",
        f"\nFinal segment in {before} (rows) and {now} (columns); 5 = Recovery Support Programme\n",
        m.matrix.to_string() + "\n",
    ]
    columns = {
        "org_code": "ODS", "org_name": "Trust", "segment_before": "Before", "segment_after": "After",
        "average_before": "Avg before", "average_after": "Avg after", "reason": "Step", "metric_changes": "Largest metric score changes",
    }
    for direction in ("up", "down"):
        rows = mv[mv["direction"] == direction]
        parts.append(f"\nMoved {direction} ({len(rows)})\n")
        if len(rows):
            view = rows[list(columns)].rename(columns=columns)
            view["Trust"] = view["Trust"].str.slice(0, width)
            parts.append(view.to_string(index=False, formatters={"Avg before": "{:.2f}".format, "Avg after": "{:.2f}".format}) + "\n")
    return "".join(parts)
