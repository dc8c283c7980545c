"""Staff Survey results from any mix of files: the multi-year CSV and the yearly workbooks.

Sits above both readers (:mod:`.staff_survey` for the CSV, :mod:`.nss_workbook` for the
workbooks), so that neither needs the other.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nhs_oversight.errors import InputError
from nhs_oversight.sources.common import MissingReport
from nhs_oversight.sources.nss_workbook import culture_results, read_nss_workbook
from nhs_oversight.sources.staff_survey import StaffSurveyResults, read_staff_survey
from nhs_oversight.sources.workbook import is_workbook


def read_survey_files(paths) -> StaffSurveyResults:
    """Several results files as one: the multi-year CSV and/or yearly detailed workbooks (.xlsx).

    A year held by two files is an error: say which file to keep.
    """
    parts = [culture_results(read_nss_workbook(p)) if is_workbook(p) else read_staff_survey(p) for p in paths]
    if len(parts) == 1:
        return parts[0]
    seen: dict[int, str] = {}
    for part in parts:
        for y in part.years:
            if y in seen:
                raise InputError(f"survey year {y} is in two files ({Path(seen[y]).name} and {Path(part.path).name})", file=part.path)
            seen[y] = part.path
    missing = MissingReport()
    for part in parts:
        missing.cells.extend(part.missing.cells)
    return StaffSurveyResults(
        path=" + ".join(p.path for p in parts),
        organisations=pd.concat([p.organisations for p in parts], ignore_index=True),
        values=pd.concat([p.values for p in parts], ignore_index=True),
        missing=missing,
    )
