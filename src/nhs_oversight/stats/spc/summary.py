"""The board view: one row per series with its latest point, icons and a sentence in words."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from nhs_oversight.errors import OptionError
from nhs_oversight.stats.spc.icons import ASSURANCE_WORDS, VARIATION_WORDS


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


def spc_summary(points: pd.DataFrame) -> pd.DataFrame:
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
        ``assurance_icon``, ``assurance_text``, ``trial_limits``, ``no_variation`` and
        ``summary`` (one sentence).
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
    out["summary"] = [_sentence(r) for _, r in out.iterrows()]
    out = out.reset_index(drop=True)
    out.attrs["spc"] = dict(meta)
    return out
