"""What the dashboard and the report show: an assessment plus the optional analyses around it.

A :class:`Site` holds the current quarter's assessment, optionally the previous quarter's and a
history database. It calls the library (explanations, uncertainty, method comparison, movement,
SPC, funnel plots) on demand and keeps each result, since the data never change while serving.
Nothing here scores or segments.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from nhs_oversight.engine import Assessment
from nhs_oversight.errors import OversightError
from nhs_oversight.uncertainty.defaults import UNCERTAINTY_DRAWS, UNCERTAINTY_SEED
from nhs_oversight.web import extras
from nhs_oversight.web.errors import NotFound
from nhs_oversight.web.extras import Unavailable

log = logging.getLogger("nhs_oversight.web")


@dataclass(frozen=True)
class SiteOptions:
    """Settings of the analyses run for the pages.

    draws, seed : Monte Carlo draws and random seed of the uncertainty simulation (the same
        defaults as the command line and the briefing, so every surface shows the same ranges).
    """

    draws: int = UNCERTAINTY_DRAWS
    seed: int = UNCERTAINTY_SEED


class Site:
    """The read-only data behind every page."""

    def __init__(
        self,
        assessment: Assessment,
        previous: Assessment | None = None,
        history_db: str | Path | None = None,
        options: SiteOptions | None = None,
    ) -> None:
        self.assessment = assessment
        self.previous = previous
        self.history_db = Path(history_db) if history_db else None
        self.options = options or SiteOptions()
        self._memo: dict[Any, Any] = {}
        self._locks: dict[Any, threading.Lock] = {}
        self._guard = threading.Lock()
        self._db_lock = threading.Lock()
        s = assessment.summary
        self.codes = {c.upper(): c for c in s["org_code"]}
        self.regions = sorted(r for r in s["region"].dropna().astype(str).unique() if r.strip())
        present = set(s["trust_type"].dropna())
        self.types = [t.id for t in assessment.framework.trust_types if t.id in present]
        self.icbs = sorted(c for c in s["icb_code"].fillna("").astype(str).unique() if c.strip()) if assessment.has_icbs() else []
        self.metric_ids = [m.id for m in assessment.framework.metrics if m.id in set(assessment.metrics["metric_id"])]

    # -- identity -----------------------------------------------------------------------------
    @property
    def framework(self):
        return self.assessment.framework

    @property
    def label(self) -> str | None:
        return self.assessment.label

    def org_code(self, code: str) -> str:
        """The organisation's ODS code as in the data; NotFound for any other text."""
        found = self.codes.get(code.strip().upper()) if len(code) <= 12 else None
        if found is None:
            where = self.assessment.period or "this data"
            raise NotFound(f"no organisation with ODS code {code!r} in {where}", f"no organisation with that ODS code in {where}")
        return found

    def metric_id(self, metric_id: str) -> str:
        key = metric_id.strip().upper()
        if key not in self.metric_ids:
            raise NotFound(f"no metric {metric_id!r} in this framework and data", "no metric with that id in this framework and data")
        return key

    # -- memo ---------------------------------------------------------------------------------
    def _once(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Compute a result once (one thread computes, the others wait), keep it."""
        if key in self._memo:
            return self._memo[key]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._memo:
                self._memo[key] = compute()
            return self._memo[key]

    @staticmethod
    def _guarded(what: str, compute: Callable[[], Any]) -> Any:
        """Run an optional analysis; a failure becomes a sentence on the page, not a 500."""
        try:
            return compute()
        except OversightError as exc:
            return Unavailable(f"{what} could not be produced: {exc}")
        except Exception:  # an optional module failing must not take the page down
            log.exception("%s failed", what)
            return Unavailable(f"{what} could not be produced because of an internal error (see the server log).")

    # -- optional analyses --------------------------------------------------------------------
    def explanation(self, code: str) -> dict[str, Any] | Unavailable:
        mod = extras.load("nhs_oversight.explain", "explain", "The explanation")
        if isinstance(mod, Unavailable):
            return mod

        def run() -> Any:
            from nhs_oversight.util.jsonable import to_jsonable

            return to_jsonable(mod.explain(self.assessment, code).to_dict())

        return self._once(("explain", code), lambda: self._guarded("The explanation", run))

    def uncertainty(self) -> Any:
        """The uncertainty simulation (its ``.table`` has one row per organisation)."""
        mod = extras.load("nhs_oversight.uncertainty", "simulate", "Uncertainty")
        if isinstance(mod, Unavailable):
            return mod

        def run() -> Any:
            return mod.simulate(self.assessment, draws=self.options.draws, seed=self.options.seed)

        return self._once("uncertainty", lambda: self._guarded("Uncertainty", run))

    def comparison_choices(self) -> dict[str, str]:
        """Alternative methods the comparison page offers: id -> words (a closed list)."""
        from nhs_oversight.frameworks import available_frameworks

        mod = extras.load("nhs_oversight.compare", "compare", "The method comparison")
        choices = {} if isinstance(mod, Unavailable) else {k: f"What if: {v}" for k, v in getattr(mod, "SWITCHES", {}).items()}
        for other in available_frameworks():
            if other != self.framework.id:
                choices[other] = f"Framework {other}"
        return choices

    def comparison(self, choice: str) -> Any:
        """The current method against another (a what-if switch or a shipped framework)."""
        mod = extras.load("nhs_oversight.compare", "compare", "The method comparison")
        if isinstance(mod, Unavailable):
            return mod

        def run() -> Any:
            a = self.assessment
            if choice in getattr(mod, "SWITCHES", {}):
                return mod.compare(a.inputs, a.framework, switches=[choice], options=a.options)
            return mod.compare(a.inputs, a.framework, choice, options=a.options)  # a shipped framework id

        return self._once(("compare", choice), lambda: self._guarded("The method comparison", run))

    def movement(self) -> Any:
        if self.previous is None:
            return Unavailable("Movement needs last quarter's files: start the dashboard with --previous FILES.")
        mod = extras.load("nhs_oversight.stats.movement", "transitions", "Movement since last quarter")
        if isinstance(mod, Unavailable):
            return mod
        return self._once("movement", lambda: self._guarded(
            "Movement since last quarter", lambda: mod.transitions(self.previous, self.assessment)))

    def previous_row(self, code: str) -> dict[str, Any] | None:
        """Last quarter's summary row of an organisation (read, not recomputed)."""
        if self.previous is None:
            return None
        rows = self.previous.summary[self.previous.summary["org_code"] == code]
        return None if rows.empty else rows.iloc[0].to_dict()

    def segment_history(self, code: str) -> list[dict[str, Any]]:
        """The organisation's final segment in each quarter this site has assessed, oldest first.

        Each quarter is the engine's own assessment of that quarter's files (``--previous`` and
        the current files), never a published segment copied through.
        """
        rows = []
        for a in (self.previous, self.assessment):
            if a is None:
                continue
            found = a.summary[a.summary["org_code"] == code]
            if found.empty:
                continue
            r = found.iloc[0]
            rows.append({"period": a.period, "final_segment": r["final_segment"], "average_score": r["average_score"],
                         "rank": r["rank"], "rank_of": r["rank_of"], "trust_type": r["trust_type"]})
        return rows

    # -- history: SPC and funnel plots ----------------------------------------------------------
    def trust_spc(self, code: str) -> pd.DataFrame | Unavailable:
        """Making Data Count summary of each of an organisation's metrics over quarters."""
        if self.history_db is None:
            return Unavailable("SPC icons need a history of earlier quarters: start the dashboard with --db PATH.")
        spc_mod = extras.load("nhs_oversight.stats.spc", "spc", "SPC")
        hist = extras.load("nhs_oversight.history", "org_history", "The history of earlier quarters")
        for mod in (spc_mod, hist):
            if isinstance(mod, Unavailable):
                return mod

        def run() -> Any:
            with self._db_lock:
                table, _notes = hist.org_history(code, self.history_db)
            table = table[table["metric_id"].isin(self.metric_ids)]
            if table.empty:
                return Unavailable(f"the history database holds no quarterly values for {code}.")
            directions = {m.id: ("increase" if m.higher_is_better else "decrease") for m in self.framework.metrics}
            table = table.assign(improvement=table["metric_id"].map(directions))
            table = table.drop_duplicates(["metric_id", "period"], keep="first")
            points = spc_mod.spc(table, date="period", value="value", group="metric_id", improvement_column="improvement")
            return spc_mod.spc_summary(points)

        return self._once(("spc", code), lambda: self._guarded("SPC", run))

    def derived_current(self) -> pd.DataFrame | Unavailable:
        """This quarter's metrics derived from raw statistics, with numerators and denominators."""
        if self.history_db is None:
            return Unavailable("A funnel plot needs each trust's numerator and denominator: start the dashboard with --db PATH (a history database of raw statistics).")
        hist = extras.load("nhs_oversight.history", "derive_from_db", "Derivation from raw statistics")
        if isinstance(hist, Unavailable):
            return hist

        def run() -> Any:
            with self._db_lock:
                return hist.derive_from_db(self.history_db, quarter=self.assessment.period, allow_partial=False).values

        return self._once("derived", lambda: self._guarded("Derived values", run))

    def funnel(self, metric_id: str) -> Any:
        """Funnel plot figures of a metric across trusts, where numerators and denominators exist."""
        derived = self.derived_current()
        if isinstance(derived, Unavailable):
            return derived
        mod = extras.load("nhs_oversight.stats.funnel", "funnel", "Funnel plots")
        if isinstance(mod, Unavailable):
            return mod
        rows = derived[(derived["metric_id"] == metric_id) & derived["denominator"].notna() & (derived["denominator"] > 0)]
        if rows.empty:
            return Unavailable(f"No numerators and denominators for {metric_id} in the history database.")
        return self._once(("funnel", metric_id), lambda: self._guarded(
            "The funnel plot", lambda: mod.funnel(rows["numerator"].to_numpy(), rows["denominator"].to_numpy(), labels=rows["org_code"].to_numpy())))

    def briefing(self) -> Any:
        """The plain-English briefing of the quarter (compared with the previous one when given)."""
        mod = extras.load("nhs_oversight.brief", "brief", "The briefing")
        if isinstance(mod, Unavailable):
            return mod

        def run() -> Any:
            unc = self.uncertainty()
            return mod.brief(self.assessment, self.previous, uncertainty=False if isinstance(unc, Unavailable) else unc)

        return self._once("briefing", lambda: self._guarded("The briefing", run))


def warm(site: Site, *also: Callable[[], Any]) -> threading.Thread:
    """Start the slow analyses (uncertainty, movement, the chart renderer, then ``also``) in the background.

    When they are done, what has been built is frozen out of the garbage collector's way
    (``gc.freeze``): the data never change while serving, and a full collection that walked them
    held every request up (98 ms at most under load, 17 ms frozen).
    """

    def run() -> None:
        try:
            site.uncertainty()
            site.movement()
            import vl_convert as vlc

            vlc.vegalite_to_svg({"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x", "type": "quantitative"}}})
            for prepare in also:
                prepare()
        except Exception:  # warming is an optimisation; pages report their own errors
            log.exception("warming the dashboard failed")
        gc.collect()
        gc.freeze()

    thread = threading.Thread(target=run, name="oversight-warm", daemon=True)
    thread.start()
    return thread
