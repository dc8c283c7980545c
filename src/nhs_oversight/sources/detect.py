"""Read any mix of input files: NOF data CSVs, league-table CSVs and wide metric files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.errors import InputError
from nhs_oversight.frameworks.model import Framework
from nhs_oversight.frameworks.periods import Quarter
from nhs_oversight.sources.common import MissingReport
from nhs_oversight.sources.league_table import looks_like_league_table, read_league_table
from nhs_oversight.sources.nof import (
    combine_nof_parts,
    dataset_labels,
    looks_like_nof,
    read_nof_frame,
)
from nhs_oversight.sources.wide import looks_like_wide, read_table, read_wide


def read_oversight_files(paths: Sequence[str | Path], framework: Framework, quarter: str | None = None) -> OversightInputs:
    """Read and join input files for one quarter (regions and ICBs as the files state them).

    :func:`nhs_oversight.api.read_inputs` calls this, then attaches the organisation reference.

    NOF data CSVs (any number of per-type files) and wide metric files give metric values;
    league-table CSVs add published averages, ranks, likely ranges and the deficit flag. A NOF
    file holding several quarters is split by quarter and ``quarter`` chooses one.
    """
    if not paths:
        raise InputError("no input files given")
    missing = MissingReport()
    nof_parts, wide_parts, league_parts = [], [], []
    labels: set[str] = set()
    for p in paths:
        p = str(p)
        df = read_table(p)
        if looks_like_nof(df):
            labels |= dataset_labels(df)
            nof_parts.append((p, *read_nof_frame(df, p, framework, missing, quarter)))
        elif looks_like_league_table(df):
            league_parts.append((p, *read_league_table(p, framework)))
        elif looks_like_wide(df):
            part = read_wide(p, framework, df)
            if quarter and part.period and part.period != str(Quarter.parse(quarter)):
                raise InputError(f"the file holds {part.period}, not {Quarter.parse(quarter)}", file=p, column="quarter")
            wide_parts.append(part)
        else:
            raise InputError(
                "not a NOF data CSV (Trust_code, Metric_ID, Value), a league-table CSV (Trust_code, Average_score, "
                "Segment, Rank) or a wide metric file (org_code, trust_type, OF0013, ...)",
                file=p,
                row=1,
            )
    parts: list[OversightInputs] = []
    if nof_parts:
        parts.append(combine_nof_parts(nof_parts, framework, missing, label=" + ".join(sorted(labels)) or None))
    parts.extend(wide_parts)
    if not parts:
        raise InputError("league-table CSVs hold no metric values: give the NOF data CSV (or a wide metric file) as well")
    data = _merge(parts)
    for p, orgs, published, flags in league_parts:
        data = _add_league_table(data, p, orgs, published, flags)
    return data


def _merge(parts: list[OversightInputs]) -> OversightInputs:
    if len(parts) == 1:
        return parts[0]
    periods = {p.period for p in parts if p.period}
    if len(periods) > 1:
        raise InputError(f"files from different quarters cannot be assessed together ({', '.join(sorted(periods))})")
    seen: dict[str, str] = {}
    for part in parts:
        for code in part.orgs["org_code"]:
            if code in seen:
                raise InputError(f"organisation {code} appears in two inputs ({Path(seen[code]).name} and {Path(part.files[0]).name})")
            seen[code] = part.files[0]
    labels = sorted({p.label for p in parts if p.label})
    return OversightInputs(
        orgs=pd.concat([p.orgs for p in parts], ignore_index=True),
        values=pd.concat([p.values for p in parts], ignore_index=True),
        published=pd.concat([p.published for p in parts], ignore_index=True),
        flags=pd.concat([p.flags for p in parts], ignore_index=True),
        period=periods.pop() if periods else None,
        files=tuple(f for p in parts for f in p.files),
        label=" + ".join(labels) or None,
        notes=tuple(n for p in parts for n in p.notes),
    )


def _add_league_table(data: OversightInputs, path: str, orgs: pd.DataFrame, published: pd.DataFrame, flags: pd.DataFrame) -> OversightInputs:
    known = set(data.orgs["org_code"])
    extra = sorted(set(orgs["org_code"]) - known)
    notes = list(data.notes)
    if extra:
        notes.append(f"{Path(path).name}: {len(extra)} trust(s) in the league table have no metric values and are left out ({', '.join(extra[:5])}{'...' if len(extra) > 5 else ''})")
    published = published[published["org_code"].isin(known)]
    have = set(zip(data.published["org_code"], data.published["field"], strict=True))
    new = published[[(o, f) not in have for o, f in zip(published["org_code"], published["field"], strict=True)]]
    fl = data.flags.copy()
    if "financial_flag" in flags.columns and len(fl):
        lookup = dict(zip(flags["org_code"], flags["financial_flag"], strict=True))
        srcs = dict(zip(flags["org_code"], flags["financial_source"], strict=True))
        fill = fl["financial_flag"].isna().to_numpy() & fl["org_code"].isin(lookup).to_numpy()
        fl.loc[fill, "financial_flag"] = fl.loc[fill, "org_code"].map(lookup).to_numpy(dtype=float)
        fl.loc[fill, "financial_source"] = fl.loc[fill, "org_code"].map(srcs).to_numpy(dtype=object)
        both = fl["org_code"].map(lookup)
        disagree = (~np.isnan(fl["financial_flag"].to_numpy(float))) & both.notna().to_numpy() & (fl["financial_flag"].to_numpy(float) != both.to_numpy(float))
        if disagree.any():
            notes.append(f"{Path(path).name}: the deficit flag disagrees with OF5004 for {int(disagree.sum())} trust(s); OF5004 is used")
    return replace(
        data,
        published=pd.concat([data.published, new], ignore_index=True),
        flags=fl,
        files=(*data.files, path),
        notes=tuple(notes),
    )
