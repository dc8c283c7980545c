"""``spc()``: the public, DataFrame-in DataFrame-out SPC call for one or many series."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from nhs_oversight.errors import InputError, OptionError
from nhs_oversight.stats.spc import rules as R
from nhs_oversight.stats.spc.engine import run_spc
from nhs_oversight.stats.spc.gaps import consecutive_run, gap_before
from nhs_oversight.stats.spc.icons import ASSURANCE, ASSURANCE_ICONS, VARIATION_ICONS
from nhs_oversight.stats.spc.options import SpcOptions, direction_code
from nhs_oversight.stats.spc.point_type import POINT_TYPES

METHOD = "XmR chart, Making Data Count rules (NHSRplotthedots 0.2.x)"


def _group_list(group: str | Sequence[str] | None) -> list[str]:
    if group is None:
        return []
    return [group] if isinstance(group, str) else list(group)


def _group_codes(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Series number of each row, numbered in sorted order of the group keys."""
    if not keys:
        return np.zeros(len(frame), dtype=np.int64)
    if len(keys) == 1:
        codes, _ = pd.factorize(frame[keys[0]], sort=True, use_na_sentinel=False)
        return codes
    return frame.groupby(keys, sort=True, dropna=False).ngroup().to_numpy()


def _sort_key(col: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(col):
        return col.to_numpy(dtype="datetime64[ns]").view("int64")
    if pd.api.types.is_numeric_dtype(col):
        return col.to_numpy(dtype=float)
    return pd.factorize(col, sort=True)[0]


def _as_dates(values: Sequence[Any], like: pd.Series) -> set[Any]:
    if pd.api.types.is_datetime64_any_dtype(like):
        try:
            return set(pd.to_datetime(list(values)).to_numpy(dtype="datetime64[ns]").view("int64"))
        except (ValueError, TypeError) as exc:
            raise OptionError(f"rebase date not understood: {exc}") from None
    return set(values)


def _labelled(codes: np.ndarray, names: np.ndarray) -> pd.Categorical:
    """Text labels from integer codes without building one Python string per row.

    Names may repeat (two codes can share an icon), so the categories are the distinct names.
    """
    categories, inverse = np.unique(names.astype(str), return_inverse=True)
    return pd.Categorical.from_codes(inverse[np.asarray(codes, dtype=np.intp)], categories=categories, validate=False)


def _show(d: Any) -> str:
    """A date for a message: 2024-04-01 rather than 2024-04-01 00:00:00."""
    if isinstance(d, pd.Timestamp) and d == d.normalize():
        return d.strftime("%Y-%m-%d")
    return str(d)


def _key_of(row: tuple) -> Any:
    return row[0] if len(row) == 1 else row


def spc(
    data: pd.DataFrame,
    *,
    date: str,
    value: str,
    group: str | Sequence[str] | None = None,
    improvement: str = "increase",
    target: float | Mapping[Any, float] | None = None,
    rebase: Sequence[Any] | Mapping[Any, Sequence[Any]] | None = None,
    fix_after: int | None = None,
    rules: str = "ptd",
    screen_outliers: bool = True,
    run_length: int = 7,
    trend_length: int = 7,
    improvement_column: str | None = None,
    target_column: str | None = None,
    carry: Sequence[str] = (),
) -> pd.DataFrame:
    """Statistical process control (XmR) for every series of a table in one vectorised pass.

    Parameters
    ----------
    data : DataFrame
        One row per series and date. Values must be numeric; rows with a missing value are
        left out and listed in ``result.attrs["warnings"]``.
    date, value : str
        Column names. Dates may be datetimes, numbers or ISO-like text (sorted as text).
    group : str or list of str, optional
        Columns that identify a series (e.g. ``["org_code", "metric"]``).
    improvement : {"increase", "decrease", "neutral"}
        Which direction is better (``up``/``down`` accepted too).
    target : float or mapping, optional
        One target for all series, or a mapping from group key to target.
    rebase : sequence or mapping, optional
        Dates at which limits are recalculated (a point on that date starts the new period);
        a mapping gives dates per group key.
    fix_after : int, optional
        Compute limits from the first ``fix_after`` (>= 12) points of each period only.
    rules : {"ptd", "mdc2023"}
        Rule set version.
    screen_outliers : bool
        Screen large moving ranges before computing limits.
    run_length, trend_length : int
        Points needed for a shift and for a trend (default 7).
    improvement_column, target_column : str, optional
        Take the direction (constant within a series) or the target (from the latest row of a
        series) from a column instead.
    carry : sequence of str
        Further columns copied to the output unchanged (e.g. numerator and denominator).

    Returns
    -------
    DataFrame
        One row per point, sorted by series then date: the group and date columns, ``value``,
        ``improvement``, ``target``, ``rebase_group``, ``points``, ``mean``, ``amr``, ``lpl``,
        ``upl``, ``special_cause`` (the rule's label or ``"Common Cause"``), ``reason`` (the rule
        in words), ``point_type``, ``variation_icon`` and ``assurance``/``assurance_icon`` (for
        the series, from its latest point), ``trial_limits``, ``no_variation``, ``in_baseline``, ``gap_before`` (a missing
        period between this point and the last) and ``consecutive`` (points in the unbroken run
        up to this one).
        ``attrs["spc"]`` records the method and options.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"month": range(1, 19), "y": [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]})
    >>> out = spc(df, date="month", value="y")
    >>> round(float(out["upl"].iloc[0]), 2), out["special_cause"].iloc[4]
    (4.6, 'Above UCL')
    """
    options = SpcOptions(rules, screen_outliers, fix_after, run_length, trend_length)
    default_direction = direction_code(improvement)
    keys = _group_list(group)
    needed = [*keys, date, value, *(c for c in (improvement_column, target_column) if c), *carry]
    frame, y, warnings = _numeric_rows(data, keys, date, value, needed)
    frame, y, gcode, dkey = _in_series_order(frame, y, keys, date)
    same_series = _one_row_per_date(frame, gcode, dkey, keys, date)
    new_series = ~same_series
    series_first = np.flatnonzero(new_series)
    series_last = np.r_[series_first[1:] - 1, len(y) - 1] if len(y) else series_first
    new_rebase = _rebase_starts(rebase, frame, keys, date, dkey, series_first, series_last)
    direction = _directions(frame, improvement_column, default_direction, same_series, date)
    series_target = _series_targets(frame, target, target_column, keys, series_first, series_last)

    res = run_spc(y, new_series, new_rebase, direction, series_target, options)
    out = _result_table(frame, keys, date, value, carry, y, direction, series_target, res, options, new_series)
    out.attrs["spc"] = {
        "method": METHOD,
        **options.as_dict(),
        "group": keys,
        "date": date,
        "value": value,
        "series": len(series_first),
        "points": len(y),
    }
    out.attrs["warnings"] = warnings
    return out


def _numeric_rows(data: pd.DataFrame, keys: list[str], date: str, value: str, needed: list[str]):
    """The columns needed, without rows whose value is missing (counted in a warning); values must be numbers."""
    absent = [c for c in needed if c not in data.columns]
    if absent:
        raise OptionError(f"no column {absent[0]!r} in the data (columns: {', '.join(map(str, data.columns))})")
    if value in keys or date in keys:
        raise OptionError("the value and date columns cannot also be group columns")
    try:
        y_all = pd.to_numeric(data[value], errors="raise").to_numpy(dtype=float)
    except (ValueError, TypeError) as exc:
        raise InputError(f"values must be numbers ({exc})", column=value) from None
    warnings: list[str] = []
    keep = np.isfinite(y_all)
    if not keep.all():
        warnings.append(f"{int((~keep).sum())} row(s) with a missing value left out of the SPC")
    frame = data[[*dict.fromkeys(needed)]]
    if not keep.all():
        frame = frame.loc[keep]
    return frame, y_all[keep], warnings


def _in_series_order(frame: pd.DataFrame, y: np.ndarray, keys: list[str], date: str):
    """Rows sorted by series then date (left as they are when already so), with series codes and date keys."""
    gcode = _group_codes(frame, keys)
    dkey = _sort_key(frame[date])
    in_order = len(y) < 2 or bool(
        np.all((gcode[1:] > gcode[:-1]) | ((gcode[1:] == gcode[:-1]) & (dkey[1:] >= dkey[:-1])))
    )
    if in_order:
        return frame.reset_index(drop=True), y, gcode, dkey
    order = np.lexsort((dkey, gcode))
    return frame.iloc[order].reset_index(drop=True), y[order], gcode[order], dkey[order]


def _one_row_per_date(frame: pd.DataFrame, gcode: np.ndarray, dkey: np.ndarray, keys: list[str], date: str) -> np.ndarray:
    """Whether each row continues the series of the row before; two rows for one date of a series is an error."""
    same_series = np.r_[False, gcode[1:] == gcode[:-1]]
    dup = same_series & np.r_[False, dkey[1:] == dkey[:-1]]
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        where = ", ".join(f"{k}={frame.at[i, k]}" for k in keys)
        raise InputError(
            f"two rows for {date}={_show(frame.at[i, date])}{' in ' + where if where else ''}",
            column=date,
            hint="each series needs one value per date; add a --group column or sum the rows first",
        )
    return same_series


def _rebase_starts(rebase, frame: pd.DataFrame, keys: list[str], date: str, dkey: np.ndarray,
                   series_first: np.ndarray, series_last: np.ndarray) -> np.ndarray:
    """The points that start a new period of limits: the rebase dates, for all series or per group key."""
    new_rebase = np.zeros(len(dkey), dtype=bool)
    if rebase is None:
        return new_rebase
    if not isinstance(rebase, Mapping):
        return np.isin(dkey, list(_as_dates(rebase, frame[date])))
    key_rows = list(frame[keys].itertuples(index=False, name=None)) if keys else [()] * len(dkey)
    series_keys = [_key_of(key_rows[i]) for i in series_first]
    for s, k in enumerate(series_keys):
        if k in rebase:
            dates = _as_dates(rebase[k], frame[date])
            sl = slice(series_first[s], series_last[s] + 1)
            new_rebase[sl] = np.isin(dkey[sl], list(dates))
    return new_rebase


def _directions(frame: pd.DataFrame, improvement_column: str | None, default: int, same_series: np.ndarray, date: str) -> np.ndarray:
    """Each point's direction of improvement: from its column (constant within a series) or the default."""
    if not improvement_column:
        return np.full(len(frame), default, dtype=int)
    codes = frame[improvement_column].astype(str).str.strip().str.lower()
    uniq = {w: direction_code(w) for w in codes.unique()}
    direction = codes.map(uniq).to_numpy(dtype=int)
    mixed = np.r_[False, (direction[1:] != direction[:-1]) & same_series[1:]]
    if mixed.any():
        i = int(np.flatnonzero(mixed)[0])
        raise InputError("improvement direction changes within a series", column=improvement_column,
                         hint=f"at {date}={_show(frame.at[i, date])}")
    return direction


def _series_targets(frame: pd.DataFrame, target, target_column: str | None, keys: list[str],
                    series_first: np.ndarray, series_last: np.ndarray) -> np.ndarray:
    """Each series' target: from its latest row's target column, a mapping by group key, or one for all."""
    if target_column:
        try:
            t_all = pd.to_numeric(frame[target_column], errors="raise").to_numpy(dtype=float)
        except (ValueError, TypeError) as exc:
            raise InputError(f"targets must be numbers ({exc})", column=target_column) from None
        return t_all[series_last]
    if isinstance(target, Mapping):
        key_rows = list(frame[keys].iloc[series_first].itertuples(index=False, name=None)) if keys else [()]
        return np.array([float(target.get(_key_of(k), np.nan)) for k in key_rows], dtype=float)
    return np.full(len(series_first), np.nan if target is None else float(target))


def _result_table(frame, keys, date, value, carry, y, direction, series_target, res, options, new_series) -> pd.DataFrame:
    """One row per point: the limits, the rule that fired in label and words, icons and gaps."""
    series_of_point = res.series.ids
    labels = R.labels(options.run_length, options.trend_length)
    reasons = R.reasons(options.run_length, options.trend_length, options.rules == "mdc2023")
    out = frame[[*keys, date]].copy()
    out["value"] = y
    for col in carry:
        if col not in out.columns and col != value:
            out[col] = frame[col].to_numpy()
    out["improvement"] = _labelled(direction + 1, np.array(["decrease", "neutral", "increase"], dtype=object))
    out["target"] = series_target[series_of_point] if len(y) else np.empty(0)
    out["rebase_group"] = res.segments.ids - res.segments.ids[res.series.first]
    out["points"] = res.segment_points
    out["mean"] = res.mean
    out["amr"] = res.amr
    out["lpl"] = res.lpl
    out["upl"] = res.upl
    out["special_cause"] = _labelled(res.special_cause, labels)
    out["special_cause_flag"] = res.special_cause != R.COMMON
    out["reason"] = _labelled(res.special_cause, reasons)
    out["point_type"] = _labelled(res.point_type, POINT_TYPES)
    out["variation_icon"] = _labelled(res.variation_icon[series_of_point], VARIATION_ICONS)
    out["assurance"] = _labelled(res.assurance[series_of_point], ASSURANCE)
    out["assurance_icon"] = _labelled(res.assurance[series_of_point], ASSURANCE_ICONS)
    out["trial_limits"] = res.trial_limits
    out["no_variation"] = res.no_variation
    out["in_baseline"] = res.in_baseline
    gap = gap_before(out[date], new_series)
    out["gap_before"] = gap
    out["consecutive"] = consecutive_run(gap, new_series)
    return out
