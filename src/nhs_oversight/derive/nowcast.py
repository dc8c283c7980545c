"""Nowcast: next quarter's likely segments before NHS England publishes them.

Metrics that can be derived from raw monthly statistics (``nhs_oversight.derive``) take their
derived value for the quarter; every other metric, the financial and Recovery Support Programme
flags, and the evidence for the national cut points are carried forward from the latest published
quarter, each marked as such. The result goes through the same engine as everything else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from nhs_oversight.engine import Assessment, AssessOptions, assess
from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.engine.rules import rule_for
from nhs_oversight.errors import InputError
from nhs_oversight.frameworks.model import Framework

DERIVED = "derived"
CARRIED = "carried forward"
MISSING = "missing"


@dataclass(frozen=True)
class Nowcast:
    """The nowcast assessment and, per organisation x metric, where each value came from.

    Attributes
    ----------
    assessment : the engine's result for the nowcast quarter.
    status : one row per organisation x metric: ``status`` (derived / carried forward / missing),
        ``period`` of the value, ``value`` and ``source`` (definition or published file row).
    by_metric : per metric, how many organisations have a derived, carried or missing value.
    notes : plain-language remarks from the derivation (dropped partial quarters, editions ...).
    published : the engine's result for the published quarter, as published.
    board : per trust the published and nowcast segments, the change and its cause
        (:data:`nhs_oversight.derive.nowcast_board.BOARD_COLUMNS`).
    causes : per trust x metric the contribution to the change of the average score.
    """

    assessment: Assessment
    status: pd.DataFrame
    by_metric: pd.DataFrame
    notes: tuple[str, ...]
    published: Assessment | None = None
    board: pd.DataFrame | None = None
    causes: pd.DataFrame | None = None


def build_inputs(derived: pd.DataFrame, latest: OversightInputs, quarter: str, framework: Framework) -> tuple[OversightInputs, pd.DataFrame, list[str]]:
    """Engine inputs for ``quarter``: derived values first, the latest published values otherwise."""
    notes: list[str] = []
    known = set(framework.metric_ids)
    d = derived[_serves(derived["period"], quarter) & derived["metric_id"].isin(known)].copy()
    orgs = set(latest.orgs["org_code"])
    outside = sorted(set(d["org_code"]) - orgs)
    if outside:
        notes.append(
            f"{len(outside)} provider(s) with derived values are not in the published files and are left out "
            f"(e.g. {', '.join(outside[:5])}): the nowcast covers the organisations NHS England segments"
        )
    d = d[d["org_code"].isin(orgs)]
    derived_rows = pd.DataFrame(
        {
            "org_code": d["org_code"].to_numpy(dtype=object),
            "metric_id": d["metric_id"].to_numpy(dtype=object),
            "value": d["value"].to_numpy(dtype=float),
            "unit": "",
            "tie_rank": np.nan,
            "source": ("derived: " + d["definition"].astype(str) + ".sql, " + d["period"].astype(str)).to_numpy(dtype=object),
        }
    )
    have = set(zip(derived_rows["org_code"], derived_rows["metric_id"], strict=True))
    carried = latest.values[[(o, m) not in have for o, m in zip(latest.values["org_code"], latest.values["metric_id"], strict=True)]].copy()
    from_period = latest.period or "the latest published quarter"
    if latest.period:
        from nhs_oversight.frameworks.periods import Quarter

        if Quarter.parse(latest.period) > Quarter.parse(quarter):
            notes.append(f"the published values carried into {quarter} come from a later quarter ({latest.period}): this is a back-cast")
    carried["source"] = f"carried forward from {from_period}: " + carried["source"].astype(str)
    # a derived value replaces the published one, so the published rank no longer orders it
    values = pd.concat([derived_rows, carried], ignore_index=True)
    status = pd.concat(
        [
            derived_rows.assign(status=DERIVED, period=d["period"].to_numpy(dtype=object)),
            carried.assign(status=CARRIED, period=from_period),
        ],
        ignore_index=True,
    )[["org_code", "metric_id", "status", "period", "value", "source"]]
    inputs = replace(latest, values=values.reset_index(drop=True), period=quarter, notes=(*latest.notes, *notes))
    return inputs, status, notes


def nowcast(derived: pd.DataFrame, latest: OversightInputs, quarter: str, framework: Framework, options: AssessOptions | None = None, derive_notes: tuple[str, ...] = ()) -> Nowcast:
    """Assess ``quarter`` from derived metric values plus the latest published quarter.

    Parameters
    ----------
    derived : long rows from :func:`nhs_oversight.derive.derive_files` (``org_code, metric_id, period,
        value, definition``).
    latest : the latest published NOF files, read with :func:`nhs_oversight.read_inputs`.
    quarter : the quarter to nowcast, e.g. ``2025/26 Q2``.
    """
    inputs, status, _ = build_inputs(derived, latest, quarter, framework)
    if not (status["status"] == DERIVED).any():
        raise InputError(
            f"no metric could be derived for {quarter} from the raw files given",
            hint="check that the files cover the quarter's three months (oversight derive shows what they hold)",
        )
    a = assess(inputs, framework, options)
    full = _with_missing(status, a, framework)
    from nhs_oversight.derive.nowcast_board import board

    before = assess(latest, framework, options)
    table, why = board(before, a, full)
    by_metric = (
        full.pivot_table(index="metric_id", columns="status", values="org_code", aggfunc="count", fill_value=0)
        .reindex(columns=[DERIVED, CARRIED, MISSING], fill_value=0)
        .reset_index()
    )
    by_metric.columns.name = None
    return Nowcast(assessment=a, status=full, by_metric=by_metric, notes=tuple(derive_notes), published=before, board=table, causes=why)


def _serves(periods: pd.Series, quarter: str) -> np.ndarray:
    """Rows for ``quarter``: its own quarterly values, and the survey year the NOF uses in it."""
    from nhs_oversight.derive.catalog import survey_serves
    from nhs_oversight.frameworks.periods import Quarter

    q = Quarter.parse(quarter)
    text = periods.astype(str)
    return np.array([t == quarter or (t.isdigit() and len(t) == 4 and survey_serves(int(t), q)) for t in text], dtype=bool)


def _with_missing(status: pd.DataFrame, a: Assessment, framework: Framework) -> pd.DataFrame:
    """Add a 'missing' row for each metric an organisation of an eligible type has no value for."""
    rows = []
    have = set(zip(status["org_code"], status["metric_id"], strict=True))
    combined_ids = {m.id for m in framework.metrics if rule_for(m.scoring).inputs}
    for code, type_id in zip(a.summary["org_code"], a.summary["trust_type"], strict=True):
        for m in framework.metrics:
            if m.id in combined_ids or type_id not in m.trust_types or (code, m.id) in have:
                continue
            rows.append({"org_code": code, "metric_id": m.id, "status": MISSING, "period": a.period, "value": np.nan, "source": ""})
    return pd.concat([status, pd.DataFrame(rows)], ignore_index=True) if rows else status
