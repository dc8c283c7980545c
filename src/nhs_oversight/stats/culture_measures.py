"""The staff-survey measures the culture signals read: names, which way is worse, family."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Measure:
    """A staff-survey measure: what it is called, which way is worse, and its family."""

    key: str
    label: str
    higher_is_worse: bool
    family: str


#: Organisation-level measures of the NHS Staff Survey file, by the file's column stem.
#: Question numbers follow the 2021-2023 questionnaires as far as known (not verified against
#: each year's published question list).
SURVEY_MEASURES: dict[str, Measure] = {m.key: m for m in (
    Measure("Emotional_public", "Harassment, bullying or abuse from patients/public", True, "harassment"),
    Measure("Emotional_manager", "Harassment, bullying or abuse from managers", True, "harassment"),
    Measure("Emotional_colleagues", "Harassment, bullying or abuse from other colleagues", True, "harassment"),
    Measure("Physical_public", "Physical violence from patients/public", True, "violence"),
    Measure("Physical_manager", "Physical violence from managers", True, "violence"),
    Measure("Physical_colleagues", "Physical violence from other colleagues", True, "violence"),
    Measure("Discrimination_public", "Discrimination from patients/public", True, "discrimination"),
    Measure("Discrimination_internal", "Discrimination from a manager or colleagues", True, "discrimination"),
    Measure("Burned_out", "Often or always burnt out because of work", True, "wellbeing"),
    Measure("Stress", "Unwell from work-related stress", True, "wellbeing"),
    Measure("Enough_staff", "Enough staff to do my job properly", False, "staffing"),
    Measure("Time_demands_meet", "Able to meet conflicting demands on my time", False, "staffing"),
    Measure("Autonomy", "Autonomy and control (engagement-like)", False, "engagement"),
    Measure("Membership", "Feel a valued member of the team (engagement-like)", False, "engagement"),
    Measure("Mastery_meaning", "Meaningful work / mastery (engagement-like)", False, "engagement"),
)}

#: Department-file measures (columns ``<key>_yes``), with the WRES indicator they correspond to.
DEPARTMENT_MEASURES: dict[str, Measure] = {m.key: m for m in (
    Measure("harassment_public", "Harassment, bullying or abuse from patients/public (WRES 5)", True, "harassment"),
    Measure("harassment_staff", "Harassment, bullying or abuse from staff (WRES 6)", True, "harassment"),
    Measure("career_progression", "Believe the organisation gives equal opportunities for career progression (WRES 7)", False, "equality"),
    Measure("discrimination_staff", "Discrimination from a manager or colleagues (WRES 8)", True, "discrimination"),
)}

COMPARE_WITHIN = ("benchmarking_group", "national")
TREND_NOTE = (
    "{n} annual point(s): SPC needs at least 13 points, so annual values are shown with 95%"
    " intervals and the latest change is tested instead"
)


def measure_of(key: str, catalogue: dict[str, Measure]) -> Measure:
    """A measure of the catalogue, or one named after its key (counted as higher is worse)."""
    if key in catalogue:
        return catalogue[key]
    return Measure(key, key.replace("_", " "), True, "other")


def band_words(code: int) -> str:
    """A funnel band in words, for the reasons of the watch list."""
    return {2: "above the 99.8% limit", 1: "above the 95% limit", -1: "below the 95% limit",
            -2: "below the 99.8% limit", 0: "inside the 95% limits"}[int(code)]


def concern(code: np.ndarray, higher_is_worse: np.ndarray) -> np.ndarray:
    """Severity of a concerning result: 2 beyond 99.8 %, 1 beyond 95 %, 0 otherwise."""
    oriented = np.where(higher_is_worse, code, -code)
    return np.clip(oriented, 0, 2)
