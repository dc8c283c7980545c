"""Reader for NHS England's NOF data CSV (the dashboard download, long format, UTF-8 with BOM).

Any number of per-type files (acute, mental health & community, ambulance) are joined into one
population for the quarter. Published derived figures (OF1xxx scores, OF4xxx domain results,
OF5xxx summary) are kept apart from the inputs, so the engine can never silently copy them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.errors import InputError
from nhs_oversight.frameworks.model import Framework
from nhs_oversight.frameworks.periods import Quarter
from nhs_oversight.sources.common import MissingReport, read_csv, require_columns, to_number

REQUIRED = ["Trust_code", "Trust_name", "Trust_type", "Metric_ID", "Value"]
_METRIC_ID = re.compile(r"^OF\d{4}$")
_QUARTER_TEXT = re.compile(r"Q[1-4]\s+\d{4}/\d{2}|\d{4}/\d{2}\s+Q[1-4]")


def looks_like_nof(df: pd.DataFrame) -> bool:
    """A long NOF file: trust codes plus metric rows (missing columns are then reported by name)."""
    cols = set(df.columns)
    return "Trust_code" in cols and "Average_score" not in cols and bool(cols & {"Metric_ID", "Metric_description", "Value"})


def _parse_quarter(text: str, path: str) -> str:
    try:
        return str(Quarter.parse(text))
    except Exception:
        raise InputError(f"cannot read the quarter {text!r}", file=path, column="Quarter") from None


def _quarter_of(df: pd.DataFrame, path: str) -> str | None:
    """The quarter of a one-quarter file without a Quarter column: the summary rows' reporting date."""
    summary = df[df["Metric_ID"].str.strip().str.startswith("OF5")]
    dates = summary["Reporting_date"] if "Reporting_date" in df.columns else pd.Series([], dtype=str)
    texts = {t.strip() for t in dates if _QUARTER_TEXT.fullmatch(t.strip() or "-")}
    quarters = {_parse_quarter(t, path) for t in texts}
    if len(quarters) > 1:
        raise InputError(f"one file holds several quarters: {', '.join(sorted(quarters))}", file=path, column="Reporting_date")
    return quarters.pop() if quarters else None


def select_quarter(df: pd.DataFrame, path: str, quarter: str | None) -> tuple[pd.DataFrame, str | None]:
    """The rows of one quarter, and that quarter.

    NHS England's later downloads carry every quarter to date in one file, with a ``Quarter``
    column: such a file is split by quarter and ``quarter`` (``--quarter``) chooses one. Row
    labels are kept, so errors still name the file's own line numbers.
    """
    wanted = str(Quarter.parse(quarter)) if quarter else None
    if "Quarter" not in df.columns:
        found = _quarter_of(df, path)
        if wanted and found and found != wanted:
            raise InputError(f"the file holds {found}, not {wanted}", file=path, column="Reporting_date")
        return df, found or wanted
    text = df["Quarter"].str.strip()
    labels = {t: _parse_quarter(t, path) for t in text.unique() if t}
    if "" in set(text):
        i = int(np.flatnonzero((text == "").to_numpy())[0])
        raise InputError("empty Quarter", file=path, row=int(df.index[i]) + 2, column="Quarter")
    quarters = sorted(set(labels.values()), key=Quarter.parse)
    if wanted is None:
        if len(quarters) > 1:
            raise InputError(
                f"the file holds several quarters ({', '.join(quarters)})",
                file=path,
                column="Quarter",
                hint="choose one with --quarter, e.g. --quarter '" + quarters[-1] + "'",
            )
        return df, quarters[0] if quarters else None
    if wanted not in quarters:
        raise InputError(f"the file holds {', '.join(quarters)}, not {wanted}", file=path, column="Quarter")
    return df[text.map(labels) == wanted], wanted


def read_nof_frame(
    df: pd.DataFrame, path: str, framework: Framework, missing: MissingReport, quarter: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, str | None]:
    """Validate one file's rows (of one quarter) and split them into orgs, values, published figures and flags."""
    require_columns(df, REQUIRED, path)
    df, period = select_quarter(df, path, quarter)
    rows = df.index.to_numpy() + 2
    ids = df["Metric_ID"].str.strip()
    codes = df["Trust_code"].str.strip()
    _check_keys(ids, codes, rows, path, framework)

    values = to_number(df["Value"], path, "Value", missing, rows=rows)
    _check_shares(ids, values, rows, path, framework)
    rank = to_number(df["Rank"], path, "Rank", rows=rows) if "Rank" in df.columns else np.full(len(df), np.nan)
    source = np.asarray([f"{Path(path).name}:row {r}" for r in rows], dtype=object)

    orgs = _organisations(df, codes, rows, path, framework)
    vals, published, is_raw = _split_rows(df, ids, codes, values, rank, source, framework)
    present = ~np.isnan(values)
    published = pd.concat([published, _quartiles(df, codes, ids, is_raw & present, list(source), path, rows)], ignore_index=True)
    flags = _flags(codes, ids, values, list(source), framework)
    return orgs, vals, published, flags, period


def _check_keys(ids: pd.Series, codes: pd.Series, rows: np.ndarray, path: str, framework: Framework) -> None:
    """Each row names a known metric and a trust, once: a bad key would silently mis-score."""
    bad = ~ids.str.match(_METRIC_ID.pattern)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{ids.iloc[i]!r} is not a Metric_ID like OF0013", file=path, row=int(rows[i]), column="Metric_ID")
    unknown = ~ids.isin(framework.known_ids)
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(
            f"unknown Metric_ID {ids.iloc[i]!r}",
            file=path,
            row=int(rows[i]),
            column="Metric_ID",
            hint=f"not part of framework {framework.id}",
        )
    blank = codes == ""
    if blank.any():
        i = int(np.flatnonzero(blank.to_numpy())[0])
        raise InputError("empty Trust_code", file=path, row=int(rows[i]), column="Trust_code")

    key = codes + "|" + ids
    dup = key.duplicated(keep=False)
    if dup.any():
        where = np.flatnonzero(dup.to_numpy())
        first = where[0]
        again = [w for w in where if key.iloc[w] == key.iloc[first]][1]
        raise InputError(
            f"duplicate row for {codes.iloc[first]} {ids.iloc[first]} (also at row {rows[again]})",
            file=path,
            row=int(rows[first]),
            column="Metric_ID",
        )


def _organisations(df: pd.DataFrame, codes: pd.Series, rows: np.ndarray, path: str, framework: Framework) -> pd.DataFrame:
    """One row per trust, with a known type: segmentation is done within a trust type."""
    types = df["Trust_type"].str.strip()
    type_ids = types.map({t: framework.trust_type_id(t) for t in types.unique()})
    if type_ids.isna().any():
        i = int(np.flatnonzero(type_ids.isna().to_numpy())[0])
        raise InputError(
            f"unknown Trust_type {types.iloc[i]!r}",
            file=path,
            row=int(rows[i]),
            column="Trust_type",
            hint="expected one of " + ", ".join(t.label for t in framework.trust_types),
        )
    orgs = pd.DataFrame(
        {
            "org_code": codes,
            "org_name": df["Trust_name"].str.strip(),
            "trust_type": type_ids,
            "trust_subtype": df["Trust_subtype"].str.strip() if "Trust_subtype" in df.columns else "",
            "region": df["Region"].str.strip() if "Region" in df.columns else "",
            "icb_code": df["ICB_code"].str.strip() if "ICB_code" in df.columns else "",
            "icb_name": df["ICB_name"].str.strip() if "ICB_name" in df.columns else "",
        }
    )
    conflicting = orgs.groupby("org_code")["trust_type"].nunique()
    if (conflicting > 1).any():
        code = conflicting[conflicting > 1].index[0]
        raise InputError(f"trust {code} is listed under more than one Trust_type", file=path, column="Trust_type")
    return orgs.drop_duplicates("org_code").reset_index(drop=True)


def _split_rows(
    df: pd.DataFrame,
    ids: pd.Series,
    codes: pd.Series,
    values: np.ndarray,
    rank: np.ndarray,
    source: np.ndarray,
    framework: Framework,
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Metric values the engine scores, and published figures kept only to verify against."""
    published_score_ids = {m.score_id: m.id for m in framework.metrics if m.scoring.score_is_input}
    units = df["Units"].str.strip().str.lower() if "Units" in df.columns else pd.Series([""] * len(df))
    is_raw = ids.isin(set(framework.metric_ids)).to_numpy()
    is_score_input = ids.isin(published_score_ids.keys()).to_numpy()
    present = ~np.isnan(values)

    take = (is_raw | is_score_input) & present
    vals = pd.DataFrame(
        {
            "org_code": codes[take].to_numpy(),
            "metric_id": ids[take].map(lambda i: published_score_ids.get(i, i)).to_numpy(),
            "value": values[take],
            "unit": units[take].to_numpy(),
            "tie_rank": rank[take],
            "source": source[take],
        }
    )
    # score-only inputs are also published figures (kept for verification)
    pub_masks = [~is_raw & ~is_score_input & present, is_score_input & present]
    published = pd.concat(
        [
            pd.DataFrame(
                {
                    "org_code": codes[mask].to_numpy(),
                    "field": ids[mask].to_numpy(),
                    "value": values[mask],
                    "rank": rank[mask],
                    "source": source[mask],
                }
            )
            for mask in pub_masks
        ],
        ignore_index=True,
    )
    return vals, published, is_raw


def share_metric_ids(framework: Framework) -> set[str]:
    """Metrics that are a percentage of a whole ("Percentage of ...", unit percent): 0 to 100.

    Other metrics in percent (a planned deficit, a change) may be negative or above 100.
    """
    return {
        m.id for m in framework.metrics
        if m.unit in ("percent", "%") and m.name.lower().startswith(("percentage of", "proportion of"))
    }


def _check_shares(ids: pd.Series, values: np.ndarray, rows: np.ndarray, path: str, framework: Framework) -> None:
    """A share outside 0-100 is damage (171.1% of attendances seen in 4 hours), not data."""
    shares = ids.isin(share_metric_ids(framework)).to_numpy()
    with np.errstate(invalid="ignore"):
        bad = shares & ((values < 0) | (values > 100))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{values[i]:g} is not a percentage between 0 and 100 ({ids.iloc[i]} is a percentage of a whole)",
            file=path, row=int(rows[i]), column="Value",
        )


#: NHS England's summary of each metric's values across the file's trusts, kept as published fields
#: named ``Median_value:OF0013`` (read by the explanation's comparison with peers)
QUARTILE_COLUMNS = ("Lower_quartile", "Median_value", "Upper_quartile")


def _quartiles(df: pd.DataFrame, codes: pd.Series, ids: pd.Series, raw: np.ndarray, source: list[str], path: str, rows) -> pd.DataFrame:
    parts = []
    for col in QUARTILE_COLUMNS:
        if col not in df.columns:
            continue
        q = to_number(df[col], path, col, rows=rows)
        m = raw & ~np.isnan(q)
        parts.append(
            pd.DataFrame(
                {
                    "org_code": codes[m].to_numpy(),
                    "field": (col + ":" + ids[m]).to_numpy(dtype=object),
                    "value": q[m],
                    "rank": np.nan,
                    "source": np.asarray(source, dtype=object)[m],
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["org_code", "field", "value", "rank", "source"])


def _flags(codes: pd.Series, ids: pd.Series, values: np.ndarray, source: list[str], framework: Framework) -> pd.DataFrame:
    out = pd.DataFrame({"org_code": pd.unique(codes)})
    for col, spec in (("financial", framework.financial_override), ("rsp", framework.recovery_support)):
        flag = np.full(len(out), np.nan)
        src = np.full(len(out), None, dtype=object)
        if spec is not None:
            m = (ids == spec.flag).to_numpy()
            lookup = dict(zip(codes[m], values[m], strict=True))
            srcs = dict(zip(codes[m], np.asarray(source, dtype=object)[m], strict=True))
            flag = out["org_code"].map(lookup).to_numpy(dtype=float)
            src = out["org_code"].map(srcs).to_numpy(dtype=object)
        out[f"{col}_flag"] = flag
        out[f"{col}_source"] = src
    return out


def read_nof(paths: Sequence[str | Path], framework: Framework, quarter: str | None = None) -> OversightInputs:
    """Read one or more NOF data CSVs for the same quarter into one national population."""
    missing = MissingReport()
    parts = []
    labels = set()
    for p in paths:
        df = read_csv(p)
        labels |= dataset_labels(df)
        parts.append((str(p), *read_nof_frame(df, str(p), framework, missing, quarter)))
    return combine_nof_parts(parts, framework, missing, label=" + ".join(sorted(labels)) or None)


def dataset_labels(df: pd.DataFrame) -> set[str]:
    """Labels such as SYNTHETIC carried in an optional ``Dataset`` column."""
    if "Dataset" not in df.columns:
        return set()
    return {v.strip() for v in df["Dataset"].unique() if v.strip()}


def combine_nof_parts(parts: list, framework: Framework, missing: MissingReport, label: str | None = None) -> OversightInputs:
    quarters = {q for *_, q in parts if q}
    if len(quarters) > 1:
        detail = "; ".join(f"{Path(p).name}: {q}" for p, *_, q in parts if q)
        raise InputError(f"files from different quarters cannot be assessed together ({detail})")
    seen: dict[str, str] = {}
    for p, orgs, *_ in parts:
        for code in orgs["org_code"]:
            if code in seen:
                raise InputError(f"trust {code} appears in two files ({Path(seen[code]).name} and {Path(p).name})", file=p, column="Trust_code")
            seen[code] = p
    notes = (missing.summary(),) if len(missing) else ()
    return OversightInputs(
        orgs=pd.concat([o for _, o, *_ in parts], ignore_index=True),
        values=pd.concat([v for _, _, v, *_ in parts], ignore_index=True),
        published=pd.concat([x[3] for x in parts], ignore_index=True),
        flags=pd.concat([x[4] for x in parts], ignore_index=True),
        period=quarters.pop() if quarters else None,
        files=tuple(p for p, *_ in parts),
        label=label,
        notes=notes,
    )
