"""The board view: one row per series with its latest point, icons and a sentence in words."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from nhs_oversight.errors import OptionError
from nhs_oversight.stats.spc.gaps import MIN_POINTS_FOR_ICONS
from nhs_oversight.stats.spc.icons import ASSURANCE_WORDS, VARIATION_WORDS

#: What is said instead of the icons' words when a series is too short for limits.
TOO_FEW = "Too few consecutive points for control limits: no icon"


def format_number(v: float) -> str:
    """Readable number: thousands separators for large values, 3 significant figures otherwise."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    if float(v).is_integer():
        return f"{int(v):,}"
    if abs(v) >= 100:
        return f"{v:,.1f}"
    return f"{v:.3g}"


def format_date(d: Any) -> str:
    """ISO date for timestamps, the value itself otherwise."""
    if isinstance(d, pd.Timestamp):
        return d.strftime("%Y-%m-%d")
    return str(d)


def _too_few(row: pd.Series, min_points: int) -> str:
    run = int(row["consecutive"])
    text = f"Latest value {format_number(row['latest_value'])} ({format_date(row['latest_date'])}). "
    text += (f"Only {run} consecutive point{'s' if run != 1 else ''}"
             + (f" since a gap (of {int(row['points_total'])} in all)" if row["gaps"] else "")
             + f": Making Data Count needs {min_points} for control limits, so the values are shown without "
             "variation or assurance icons.")
    return text


def _sentence(row: pd.Series) -> str:
    text = f"Latest value {format_number(row['latest_value'])} ({format_date(row['latest_date'])}): "
    text += VARIATION_WORDS[row["variation_icon"]][0].lower() + VARIATION_WORDS[row["variation_icon"]][1:]
    if row["special_cause"] != "Common Cause":
        text += f"; the latest point is {row['reason']}"
    text += ". "
    if row["assurance"] in ("no_target", "not_applicable"):
        text += ASSURANCE_WORDS[row["assurance"]] + "."
    else:
        text += f"Target {format_number(row['target'])}: {ASSURANCE_WORDS[row['assurance']].lower()}."
    if row["no_variation"]:
        text += " Every value is the same, so there is no variation to test."
    elif row["trial_limits"]:
        text += f" Trial limits: only {row['points']} points since the last rebase (13 or more advised)."
    return text


def spc_summary(points: pd.DataFrame, min_points: int = MIN_POINTS_FOR_ICONS) -> pd.DataFrame:
    """Summarise each series of an :func:`~nhs_oversight.stats.spc.spc` result by its latest point.

    Parameters
    ----------
    points : DataFrame
        The per-point output of ``spc()`` (its ``attrs["spc"]`` names the group and date columns).

    Returns
    -------
    DataFrame
        One row per series: group columns, ``latest_date``, ``latest_value``, ``points`` (in the
        latest period), ``mean``, ``lpl``, ``upl``, ``special_cause``, ``reason``,
        ``improvement``, ``variation_icon``, ``variation``, ``target``, ``assurance``,
        ``assurance_icon``, ``assurance_text``, ``trial_limits``, ``no_variation``,
        ``consecutive`` (points in the latest unbroken run), ``gaps`` (missing periods in the
        series), ``icons`` (whether the icons may be shown) and ``summary`` (one sentence).

        Icons are given only where the latest run has ``min_points`` consecutive points (the
        Making Data Count minimum, 13); otherwise the icon columns are empty and the sentence
        says why, so a page shows the plain values with that note.
    """
    meta = points.attrs.get("spc")
    if not meta:
        raise OptionError("spc_summary() needs the output of spc() (its attrs['spc'] is missing)")
    keys, date = meta["group"], meta["date"]
    last = points.groupby(keys, sort=False).tail(1) if keys else points.tail(1)
    out = last[keys].copy() if keys else pd.DataFrame(index=last.index)
    out["latest_date"] = last[date]
    out["latest_value"] = last["value"]
    for col in ("points", "mean", "lpl", "upl", "special_cause", "reason", "improvement", "variation_icon"):
        out[col] = last[col]
    out["variation"] = last["variation_icon"].map(VARIATION_WORDS)
    for col in ("target", "assurance", "assurance_icon"):
        out[col] = last[col]
    out["assurance_text"] = last["assurance"].map(ASSURANCE_WORDS)
    out["trial_limits"] = last["trial_limits"]
    out["no_variation"] = last["no_variation"]
    out["consecutive"] = last["consecutive"] if "consecutive" in last else last["points"]
    gaps = points.groupby(keys, sort=False)["gap_before"].sum() if keys and "gap_before" in points else None
    if gaps is not None:
        out["gaps"] = [int(gaps.loc[tuple(r) if len(keys) > 1 else r[0]]) for r in last[keys].itertuples(index=False, name=None)]
    else:
        out["gaps"] = int(points["gap_before"].sum()) if "gap_before" in points else 0
    out["points_total"] = (points.groupby(keys, sort=False).size().to_numpy() if keys else len(points))
    out["icons"] = out["consecutive"] >= min_points
    out["summary"] = [_sentence(r) if r["icons"] else _too_few(r, min_points) for _, r in out.iterrows()]
    for col in ("variation_icon", "assurance_icon"):
        out[col] = out[col].astype(object).where(out["icons"], None)
    out["variation"] = out["variation"].astype(object).where(out["icons"], TOO_FEW)
    out["assurance_text"] = out["assurance_text"].astype(object).where(out["icons"], TOO_FEW)
    out = out.reset_index(drop=True)
    out.attrs["spc"] = dict(meta)
    return out
