"""``compare``: the same inputs through two methods; who moves, by how much, and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nhs_oversight.compare.reasons import reason
from nhs_oversight.compare.variants import SWITCHES, apply_switches
from nhs_oversight.engine import Assessment, AssessOptions, assess
from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.engine.segments import QUARTILE_SEGMENTS
from nhs_oversight.errors import OptionError
from nhs_oversight.frameworks import Framework, load_framework
from nhs_oversight.frameworks.loader import DEFAULT_FRAMEWORK

COLUMNS = [
    "org_code",
    "org_name",
    "trust_type",
    "segment_a",
    "segment_b",
    "change",
    "rank_a",
    "rank_b",
    "average_a",
    "average_b",
    "reason",
    "unadjusted_a",
    "unadjusted_b",
    "override_a",
    "override_b",
    "final_segment_a",
    "final_segment_b",
]


@dataclass(frozen=True)
class Comparison:
    """Two assessments of the same inputs, side by side.

    ``segment_*`` is the adjusted segment 1-4 (after the financial override): what the method
    decides. Segment 5 (Recovery Support Programme) is a programme decision and is shown apart
    (``final_segment_*``). ``change`` = segment B - segment A: negative is better.
    """

    a: Assessment
    b: Assessment
    table: pd.DataFrame
    switches: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def who_moves(self) -> pd.DataFrame:
        """Organisations whose segment differs (or that only one method assesses), biggest moves first."""
        t = self.table
        out = t[(t["change"].fillna(99) != 0).to_numpy(bool)]
        out = out.assign(_size=out["change"].abs().fillna(99), _t=out["trust_type"].map(self._type_order()))
        return out.sort_values(["_t", "_size", "org_code"], ascending=[True, False, True]).drop(columns=["_size", "_t"]).reset_index(drop=True)

    @property
    def transition(self) -> pd.DataFrame:
        """Counts of organisations by segment under A (rows) and B (columns)."""
        return self._transition(self.table)

    def transitions_by_type(self) -> dict[str, pd.DataFrame]:
        return {t: self._transition(g) for t, g in self.table.groupby("trust_type", sort=False)}

    @property
    def is_provisional(self) -> bool:
        return self.a.framework.is_provisional or self.b.framework.is_provisional

    def counts(self) -> dict[str, int]:
        both = self.table.dropna(subset=["change"])
        return {
            "organisations": len(self.table),
            "assessed_by_both": len(both),
            "same_segment": int((both["change"] == 0).sum()),
            "better_under_b": int((both["change"] < 0).sum()),
            "worse_under_b": int((both["change"] > 0).sum()),
            "rank_changed": int((both["rank_a"] != both["rank_b"]).sum()),
        }

    def provenance(self) -> dict[str, Any]:
        """Both methods (with PROVISIONAL status where it applies), the data, and the switches."""

        def side(x: Assessment) -> dict[str, Any]:
            fw = x.framework
            return {
                "framework": fw.id,
                "framework_name": fw.name,
                "status": "PROVISIONAL" if fw.is_provisional else fw.status,
                "cutpoints": x.cutpoints["overall"].describe(),
                **({"provisional_rules": list(fw.provisional)} if fw.provisional else {}),
            }

        meta: dict[str, Any] = {
            "a": side(self.a),
            "b": side(self.b),
            "period": self.a.period,
            "source_files": [str(f) for f in self.a.inputs.files],
            "provisional": self.is_provisional,
            "segments": "adjusted segment 1-4; segment 5 (Recovery Support Programme) is a programme decision, shown as final_segment",
        }
        if self.a.label:
            meta["dataset"] = self.a.label
        if self.switches:
            meta["switches"] = {s: SWITCHES[s] for s in self.switches}
        meta["counts"] = self.counts()
        meta["notes"] = list(self.notes)
        return meta

    def to_dict(self) -> dict[str, Any]:
        tr = self.transition
        return {
            "meta": self.provenance(),
            "transition": {"rows": "segment under A", "columns": "segment under B", "segments": list(QUARTILE_SEGMENTS), "counts": tr.to_numpy().tolist()},
            "who_moves": self.who_moves.to_dict(orient="records"),
        }

    # -- helpers ------------------------------------------------------------------------------
    def _type_order(self) -> dict[str, int]:
        order = [t.id for t in self.a.framework.trust_types] + [t.id for t in self.b.framework.trust_types]
        return {t: i for i, t in reversed(list(enumerate(order)))}

    @staticmethod
    def _transition(t: pd.DataFrame) -> pd.DataFrame:
        both = t.dropna(subset=["segment_a", "segment_b"])
        tab = pd.crosstab(both["segment_a"].astype(int), both["segment_b"].astype(int))
        tab = tab.reindex(index=list(QUARTILE_SEGMENTS), columns=list(QUARTILE_SEGMENTS), fill_value=0)
        tab.index.name, tab.columns.name = "segment A", "segment B"
        return tab


def compare(
    inputs: OversightInputs,
    framework_a: str | Path | Framework = DEFAULT_FRAMEWORK,
    framework_b: str | Path | Framework | None = None,
    options: AssessOptions | None = None,
    switches: Sequence[str] = (),
) -> Comparison:
    """Run the inputs through method A and method B and line the results up.

    Parameters
    ----------
    inputs : one quarter's inputs.
    framework_a : the baseline method.
    framework_b : the other method; or leave it out and give ``switches``, which derive B from A
        (``no-financial-override``, ``domain-weighted``, ``cutpoints-within-type``).
    options : how both are run (fixed cut points, recomputation), the same for A and B.
    """
    fa = load_framework(framework_a)
    if framework_b is not None and switches:
        raise OptionError("give a second framework or switches, not both")
    fb = apply_switches(fa, list(switches)) if framework_b is None else load_framework(framework_b)
    options = options or AssessOptions()
    data_a, absent_a = _restrict(inputs, fa)
    data_b, absent_b = _restrict(inputs, fb)
    a, b = assess(data_a, fa, options), assess(data_b, fb, options)
    notes = [*absent_a, *absent_b, *_cutpoint_notes(a, b)]
    return Comparison(a=a, b=b, table=_table(a, b), switches=tuple(switches), notes=tuple(notes))


def _restrict(inputs: OversightInputs, framework: Framework) -> tuple[OversightInputs, list[str]]:
    """Leave out organisations of a type the framework does not segment (e.g. ICBs before 2026/27)."""
    known = {t.id for t in framework.trust_types}
    keep = inputs.orgs["trust_type"].isin(known)
    if keep.all():
        return inputs, []
    codes = set(inputs.orgs.loc[keep, "org_code"])
    left_out = sorted(set(inputs.orgs["trust_type"][~keep]))
    note = f"{int((~keep).sum())} organisation(s) of type {', '.join(left_out)} are not segmented by {framework.id} and are left out of it"
    if not keep.any():
        raise OptionError(f"{framework.id} segments none of the organisations in the input ({', '.join(left_out)})")
    data = replace(
        inputs,
        orgs=inputs.orgs[keep].reset_index(drop=True),
        values=inputs.values[inputs.values["org_code"].isin(codes)].reset_index(drop=True),
        published=inputs.published[inputs.published["org_code"].isin(codes)].reset_index(drop=True),
        flags=inputs.flags[inputs.flags["org_code"].isin(codes)].reset_index(drop=True),
    )
    return data, [note]


def _cutpoint_notes(a: Assessment, b: Assessment) -> list[str]:
    """Warn where cut points implied by published segments meet averages that differ from the published ones."""
    notes = []
    for name, x in (("A", a), ("B", b)):
        if x.cutpoints["overall"].method != "implied by published segments":
            continue
        pub = x.inputs.published
        pub = pub[pub["field"] == x.framework.summary_ids.average_score].drop_duplicates("org_code")
        ours = x.summary.set_index("org_code")["average_score"].astype(float)
        theirs = pub.set_index("org_code")["value"].reindex(ours.index)
        differ = int(((ours - theirs).abs() > 0.005).sum())
        if differ:
            notes.append(
                f"{name} segments with the cut points implied by NHS England's published segments, which were set on the "
                f"published averages; {differ} of its averages differ from the published ones, so treat its segments as approximate"
            )
    return notes


def _side(x: Assessment, suffix: str) -> pd.DataFrame:
    s = x.summary
    return pd.DataFrame(
        {
            "org_code": s["org_code"],
            "org_name": s["org_name"],
            "trust_type": s["trust_type"],
            f"segment_{suffix}": s["adjusted_segment"],
            f"rank_{suffix}": s["rank"],
            f"average_{suffix}": s["average_score"],
            f"unadjusted_{suffix}": s["unadjusted_segment"],
            f"override_{suffix}": s["financial_override"],
            f"final_segment_{suffix}": s["final_segment"],
        }
    )


def _table(a: Assessment, b: Assessment) -> pd.DataFrame:
    t = _side(a, "a").merge(_side(b, "b"), on=["org_code", "org_name", "trust_type"], how="outer", indicator=True)
    t["in_a"] = t["_merge"].isin(["both", "left_only"])
    t["in_b"] = t["_merge"].isin(["both", "right_only"])
    t["change"] = (t["segment_b"].astype("Int64") - t["segment_a"].astype("Int64")).astype("Int64")
    cut_a = _org_cuts(a, t)
    cut_b = _org_cuts(b, t)
    why_a = f"{a.framework.id} does not segment this type"
    why_b = f"{b.framework.id} does not segment this type"
    rows = t.to_dict(orient="records")
    t["reason"] = [reason(r, cut_a[i], cut_b[i], why_a, why_b) for i, r in enumerate(rows)]
    t = t.drop(columns=["_merge", "in_a", "in_b"])
    return t[COLUMNS].reset_index(drop=True)


def _org_cuts(x: Assessment, t: pd.DataFrame) -> np.ndarray:
    """The cut points that applied to each row's organisation under one method (NaN if not assessed)."""
    return x.cutpoints["overall"].for_groups(t["trust_type"].to_numpy(dtype=object))
