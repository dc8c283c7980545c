"""Reader for the NHS Staff Survey detailed spreadsheets, organisational results (one year).

Every sheet after ``Notes`` has the same shape: row 1 names each question (``Q14a - In the last
12 months ...``) above its block of columns, row 5 names the columns (``ODS code``, ...,
``Weighting``, then per question ``% <response option>`` ... ``Base (number of responses)``).
The last two sheets hold the People Promise elements and the themes with their sub-scores
(``PP3_2 - Raising concerns``: ``score`` and base), out of 10.

:func:`read_nss_workbook` reads every sheet; :func:`read_nss_scores` only the scores (what the
NOF metrics OF0061 and OF0084 need); :func:`culture_results` turns the question sheets into the
measures ``oversight culture`` analyses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.sources.common import MissingReport
from nhs_oversight.sources.staff_survey import TRUST_GROUPS, StaffSurveyResults
from nhs_oversight.sources.workbook import Sheet, numeric, open_workbook, sheet_names, texts

SCORE_SHEETS = ("PEOPLE PROMISE ELEMENTS", "THEMES")
ID_LABELS = {"ODS code": "org_code", "Organisation name": "org_name", "Benchmarking group": "benchmarking_group",
             "Region": "region", "ICS": "ics", "Weighting": "weighting"}
SCORE_COLUMNS = ["period", "survey_year", "org_code", "measure", "measure_name", "score", "base", "sheet", "file", "line"]
_YEAR = re.compile(r"NHS Staff Survey (\d{4})")


@dataclass
class NSSWorkbook:
    """One survey year, tidied.

    Attributes
    ----------
    organisations : ``org_code``, ``org_name``, ``benchmarking_group``, ``region``, ``ics``,
        ``weighting`` and ``is_trust``.
    questions : ``question`` (``Q14a``), ``text`` and ``sheet``.
    responses : long table ``org_code``, ``question``, ``option`` (``Never``, ``Agree`` ...),
        ``percent`` (weighted, 0-100), ``base`` (responses), ``sheet``, ``line``.
    scores : :data:`SCORE_COLUMNS`; ``measure`` is the element or theme id (``PP3_2``,
        ``Staff Engagement``), ``score`` out of 10.
    """

    path: str
    year: int
    organisations: pd.DataFrame
    questions: pd.DataFrame
    responses: pd.DataFrame
    scores: pd.DataFrame
    missing: MissingReport = field(default_factory=MissingReport)


def looks_like_nss_workbook(path: str | Path) -> bool:
    names = set(sheet_names(path))
    return all(s in names for s in SCORE_SHEETS)


def _year(sheet: Sheet) -> int:
    for row in sheet.rows[:3]:
        for cell in row:
            m = _YEAR.search(str(cell or ""))
            if m:
                return int(m.group(1))
    raise InputError("cannot find the survey year ('NHS Staff Survey YYYY') in the title", file=sheet.where, row=1)


def _blocks(sheet: Sheet, header: int) -> list[tuple[str, str, int, int]]:
    """(id, text, first column, end column) of each question block, from the title row."""
    top = sheet.rows[0]
    starts = [(j, str(c).strip()) for j, c in enumerate(top) if j >= len(ID_LABELS) and c not in (None, "")]
    width = len(sheet.rows[header])
    out = []
    for k, (j, text) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else width
        qid, _, rest = text.partition(" - ")
        out.append((qid.strip(), rest.strip() or qid.strip(), j, end))
    if not out:
        raise InputError("no question or score columns in row 1", file=sheet.where, row=1)
    return out


def _sheet(sheet: Sheet, missing: MissingReport) -> tuple[pd.DataFrame, list[tuple[int, list]], list[tuple[str, str, int, int]]]:
    h = sheet.header(("ODS code", "Benchmarking group"))
    labels = [str(c or "").strip() for c in sheet.rows[h]]
    code = labels.index("ODS code")
    rows = sheet.body(h, code)
    if not rows:
        raise InputError("no organisation rows below the header", file=sheet.where, row=h + 1)
    orgs = pd.DataFrame({name: texts(rows, labels.index(lab)).to_numpy() if lab in labels else ""
                         for lab, name in ID_LABELS.items()})
    orgs["org_code"] = orgs["org_code"].str.upper()
    orgs["line"] = [line for line, _ in rows]
    dup = orgs["org_code"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(f"organisation {orgs['org_code'].iloc[i]} appears twice", file=sheet.where, row=int(orgs["line"].iloc[i]), column="ODS code")
    return orgs, rows, _blocks(sheet, h)


def _base_column(labels: list[str], start: int, end: int, where: str, qid: str) -> int:
    for j in range(start, end):
        if labels[j].lower().startswith("base"):
            return j
    raise InputError(f"{qid} has no 'Base (number of responses)' column", file=where)


def _scores(sheet: Sheet, year: int, missing: MissingReport) -> pd.DataFrame:
    orgs, rows, blocks = _sheet(sheet, missing)
    labels = [str(c or "").strip() for c in sheet.rows[sheet.header(("ODS code", "Benchmarking group"))]]
    frames = []
    for qid, text, start, end in blocks:
        score = next((j for j in range(start, end) if labels[j].lower().endswith("score")), None)
        if score is None:
            raise InputError(f"{qid} has no score column", file=sheet.where)
        base = _base_column(labels, start, end, sheet.where, qid)
        frames.append(pd.DataFrame({
            "period": pd.Timestamp(year, 1, 1), "survey_year": year, "org_code": orgs["org_code"],
            "measure": qid, "measure_name": text,
            "score": numeric(rows, score, sheet.where, labels[score], missing),
            "base": numeric(rows, base, sheet.where, f"{qid} {labels[base]}", missing),
            "sheet": sheet.name, "file": Path(sheet.path).name, "line": orgs["line"],
        }))
    out = pd.concat(frames, ignore_index=True)
    bad = (out["score"] < 0) | (out["score"] > 10)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"score {out['score'].iloc[i]:g} is not between 0 and 10", file=sheet.where,
                         row=int(out["line"].iloc[i]), column=f"{out['measure'].iloc[i]} - score")
    return out[SCORE_COLUMNS]


def _responses(sheet: Sheet, missing: MissingReport) -> tuple[pd.DataFrame, pd.DataFrame]:
    orgs, rows, blocks = _sheet(sheet, missing)
    labels = [str(c or "").strip() for c in sheet.rows[sheet.header(("ODS code", "Benchmarking group"))]]
    frames, questions = [], []
    for qid, text, start, end in blocks:
        base = _base_column(labels, start, end, sheet.where, qid)
        b = numeric(rows, base, sheet.where, f"{qid} {labels[base]}", missing)
        questions.append((qid, text, sheet.name))
        for j in range(start, end):
            if not labels[j].startswith("%"):
                continue
            pct = numeric(rows, j, sheet.where, f"{qid} {labels[j]}", missing)
            with np.errstate(invalid="ignore"):
                off = (pct < -1e-9) | (pct > 100 + 1e-9)
            if off.any():
                i = int(np.flatnonzero(off)[0])
                raise InputError(f"{pct[i]:g} is not a percentage", file=sheet.where, row=rows[i][0], column=f"{qid} {labels[j]}")
            frames.append(pd.DataFrame({"org_code": orgs["org_code"], "question": qid, "option": labels[j][1:].strip(),
                                        "percent": pct, "base": b, "sheet": sheet.name, "line": orgs["line"]}))
    return pd.concat(frames, ignore_index=True), pd.DataFrame(questions, columns=["question", "text", "sheet"])


def _open(path: str | Path, only_scores: bool) -> tuple[int, dict[str, Sheet]]:
    wb = open_workbook(path)
    try:
        missing_sheets = [s for s in SCORE_SHEETS if s not in wb.sheetnames]
        if missing_sheets:
            raise InputError(f"no sheet {missing_sheets[0]!r}: not the NHS Staff Survey detailed organisational results", file=str(path))
        names = list(SCORE_SHEETS) if only_scores else [n for n in wb.sheetnames if n.lower() != "notes"]
        sheets = {n: Sheet.read(wb, path, n) for n in names}
    finally:
        wb.close()
    return _year(sheets[SCORE_SHEETS[0]]), sheets


def read_nss_scores(path: str | Path, missing: MissingReport | None = None) -> pd.DataFrame:
    """The People Promise element and theme scores, long (:data:`SCORE_COLUMNS`)."""
    missing = missing if missing is not None else MissingReport()
    year, sheets = _open(path, only_scores=True)
    out = pd.concat([_scores(sheets[n], year, missing) for n in SCORE_SHEETS], ignore_index=True)
    out.attrs["survey_year"] = year
    return out


def read_nss_workbook(path: str | Path) -> NSSWorkbook:
    """Every sheet: organisations, questions, response options with bases, and scores."""
    missing = MissingReport()
    year, sheets = _open(path, only_scores=False)
    scores = pd.concat([_scores(sheets[n], year, missing) for n in SCORE_SHEETS], ignore_index=True)
    parts = [_responses(s, missing) for n, s in sheets.items() if n not in SCORE_SHEETS]
    responses = pd.concat([p[0] for p in parts], ignore_index=True)
    questions = pd.concat([p[1] for p in parts], ignore_index=True)
    orgs, _, _ = _sheet(sheets[SCORE_SHEETS[0]], missing)
    orgs["is_trust"] = orgs["benchmarking_group"].isin(TRUST_GROUPS)
    return NSSWorkbook(str(path), year, orgs, questions, responses, scores, missing)


#: Culture measures from the 2024 questionnaire: key -> (question, response options counted).
#: "At least once" for violence and harassment (all but Never), Yes for discrimination and stress,
#: Often + Always for burnout, Agree + Strongly agree for staffing statements.
CULTURE_QUESTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Physical_public": ("Q13a", ("1 to 2", "3 to 5", "6 to 10", "More than 10")),
    "Physical_manager": ("Q13b", ("1 to 2", "3 to 5", "6 to 10", "More than 10")),
    "Physical_colleagues": ("Q13c", ("1 to 2", "3 to 5", "6 to 10", "More than 10")),
    "Emotional_public": ("Q14a", ("1 to 2", "3 to 5", "6 to 10", "More than 10")),
    "Emotional_manager": ("Q14b", ("1 to 2", "3 to 5", "6 to 10", "More than 10")),
    "Emotional_colleagues": ("Q14c", ("1 to 2", "3 to 5", "6 to 10", "More than 10")),
    "Discrimination_public": ("Q16a", ("Yes",)),
    "Discrimination_internal": ("Q16b", ("Yes",)),
    "Burned_out": ("Q12b", ("Often", "Always")),
    "Stress": ("Q11c", ("Yes",)),
    "Enough_staff": ("Q3i", ("Agree", "Strongly agree")),
    "Time_demands_meet": ("Q3g", ("Agree", "Strongly agree")),
}


def culture_results(book: NSSWorkbook) -> StaffSurveyResults:
    """The workbook as :class:`~nhs_oversight.sources.staff_survey.StaffSurveyResults` for one year."""
    r = book.responses
    frames = []
    for key, (qid, options) in CULTURE_QUESTIONS.items():
        part = r[(r["question"] == qid) & r["option"].isin(options)]
        if part.empty:
            continue
        need = len(options)
        g = part.groupby("org_code", sort=False).agg(percent=("percent", lambda s, n=need: s.sum(min_count=n)),
                                                     base=("base", "first"), row=("line", "first")).reset_index()
        g["measure"], g["year"] = key, book.year
        frames.append(g)
    values = pd.concat(frames, ignore_index=True)[["org_code", "year", "measure", "base", "percent", "row"]]
    o = book.organisations
    orgs = pd.DataFrame({"org_code": o["org_code"], "year": book.year, "org_name": o["org_name"],
                         "benchmarking_group": o["benchmarking_group"], "region": o["region"].replace("-", ""),
                         "ics": o["ics"].replace("-", ""), "weighting": o["weighting"], "respondents": np.nan,
                         "row": o["line"], "is_trust": o["is_trust"]})
    return StaffSurveyResults(path=book.path, organisations=orgs, values=values, missing=book.missing)
