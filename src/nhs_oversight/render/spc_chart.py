"""SPC charts in the Making Data Count style, drawn with Altair (Vega-Lite) and rendered offline.

Grey common-cause points, blue improvement, orange concern, purple neutral; solid mean, dashed
process limits, a red dashed target (red only ever means the target); the variation and
assurance icons beside each chart, only where the latest run has enough consecutive points for
limits (otherwise the plain values and a note); a missing period breaks the line, so a gap is
drawn as a gap; a text alternative built from the summary wording.
The renderer draws columns computed by :mod:`nhs_oversight.stats.spc`; it computes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nhs_oversight.errors import OptionError
from nhs_oversight.render.icons import icon_data_uri
from nhs_oversight.render.svg import accessible_svg
from nhs_oversight.stats.spc.gaps import MIN_POINTS_FOR_ICONS

#: Point colours (NHSRplotthedots / Making Data Count defaults).
POINT_COLOURS = {
    "common_cause": "#A6A6A6",
    "special_cause_improvement": "#00B0F0",
    "special_cause_concern": "#E46C0A",
    "special_cause_neutral_high": "#490092",
    "special_cause_neutral_low": "#490092",
}
POINT_NAMES = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Improvement",
    "special_cause_concern": "Concern",
    "special_cause_neutral_high": "Neither (higher)",
    "special_cause_neutral_low": "Neither (lower)",
}
MEAN_COLOUR = "#000000"
LIMIT_COLOUR = "#6E6E6E"
TARGET_COLOUR = "#DE1B1B"
LINE_COLOUR = "#A6A6A6"
FONT = "Arial, Helvetica, sans-serif"

#: Charts with more panels than this are refused: filter the file first.
MAX_PANELS = 60
CHART_FORMATS = ("svg", "png")


def series_label(row: pd.Series | dict[str, Any], keys: list[str]) -> str:
    """The title of a series: its group values joined, or "Series" when there is one."""
    return " · ".join(str(row[k]) for k in keys) if keys else "Series"


def _x_encoding(alt: Any, date: str, dtype: Any, title: str) -> Any:
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return alt.X(f"{date}:T", title=title, axis=alt.Axis(format="%b %Y", labelAngle=-40, grid=False))
    if pd.api.types.is_numeric_dtype(dtype):
        return alt.X(f"{date}:Q", title=title, axis=alt.Axis(grid=False))
    return alt.X(f"{date}:O", title=title, axis=alt.Axis(labelAngle=-40))


def _tooltip(alt: Any, pts: pd.DataFrame, date: str) -> list[Any]:
    """What hovering over a point shows: date, value, the rule in code and in words, mean and limits."""
    return [
        alt.Tooltip(f"{date}:{'T' if pd.api.types.is_datetime64_any_dtype(pts[date].dtype) else 'N'}", title=date),
        alt.Tooltip("value:Q", format=",.4~g"),
        alt.Tooltip("special_cause:N", title="rule"),
        alt.Tooltip("reason_text:N", title="in words"),
        alt.Tooltip("mean:Q", format=",.4~g"),
        alt.Tooltip("lpl:Q", title="lower limit", format=",.4~g"),
        alt.Tooltip("upl:Q", title="upper limit", format=",.4~g"),
    ]


def _panel(alt: Any, pts: pd.DataFrame, date: str, title: str, subtitle: str, value_title: str,
           width: int, height: int) -> Any:
    """One series: values joined within unbroken runs, mean, limits, target, coloured points, icons."""
    reason = pts["reason"].astype(str)
    gap = pts["gap_before"].to_numpy(dtype=bool) if "gap_before" in pts else np.zeros(len(pts), dtype=bool)
    run = np.cumsum(gap)  # lines join points only within an unbroken run: a gap is drawn as a gap
    data = pts.assign(
        run=run,
        piece=[f"{g}-{r}" for g, r in zip(pts["rebase_group"], run, strict=True)],
        point_type=pts["point_type"].astype(str),
        point_name=pts["point_type"].astype(str).map(POINT_NAMES),
        reason_text=reason.where(reason != "", "common cause"),
        special_cause=pts["special_cause"].astype(str),
    )
    base = alt.Chart(data)
    x = _x_encoding(alt, date, pts[date].dtype, date)
    y_scale = alt.Scale(zero=False)
    colour = alt.Color(
        "point_type:N",
        scale=alt.Scale(domain=list(POINT_COLOURS), range=list(POINT_COLOURS.values())),
        legend=None,
    )
    tooltip = _tooltip(alt, pts, date)
    layers = [
        base.mark_line(color=LINE_COLOUR, strokeWidth=1.5).encode(
            x=x, y=alt.Y("value:Q", title=value_title, scale=y_scale), detail="run:N"),
        base.mark_line(color=MEAN_COLOUR, strokeWidth=1.2).encode(x=x, y="mean:Q", detail="piece:N"),
    ]
    enough = int(pts["consecutive"].iloc[-1]) >= MIN_POINTS_FOR_ICONS if "consecutive" in pts else True
    has_limits = enough and not pts["no_variation"].all()
    if has_limits:
        for col in ("lpl", "upl"):
            layers.append(
                base.mark_line(color=LIMIT_COLOUR, strokeDash=[5, 4], strokeWidth=1.2).encode(
                    x=x, y=f"{col}:Q", detail="piece:N"
                )
            )
    if pts["target"].notna().any():
        layers.append(base.mark_line(color=TARGET_COLOUR, strokeDash=[8, 4], strokeWidth=1.5).encode(x=x, y="target:Q"))
    layers.append(
        base.mark_circle(size=48, opacity=1, stroke="#FFFFFF", strokeWidth=0.5).encode(x=x, y="value:Q", color=colour, tooltip=tooltip)
    )
    chart = alt.layer(*layers).properties(
        width=width,
        height=height,
        title=alt.Title(title, subtitle=subtitle, anchor="start", fontSize=13, subtitleFontSize=10,
                        subtitleColor="#425563"),
    )
    return alt.hconcat(chart, _icons_column(alt, pts, enough), spacing=4)


def _icons_column(alt: Any, pts: pd.DataFrame, enough: bool) -> Any:
    """The series' variation and assurance icons beside the chart, or why there are none."""
    if not enough:
        note = alt.Chart(pd.DataFrame({"text": ["No icons:", "too few", "consecutive", "points"], "slot": range(4)})).mark_text(
            align="left", fontSize=10, color="#425563", font=FONT).encode(y=alt.Y("slot:O", axis=None), text="text:N")
        return note.properties(width=70, height=110)
    icons = pd.DataFrame(
        {
            "slot": [0, 1],
            "icon": [pts["variation_icon"].iloc[-1], pts["assurance_icon"].iloc[-1]],
            "label": ["variation", "assurance"],
        }
    )
    icons["url"] = icons["icon"].map(icon_data_uri)
    return (
        alt.Chart(icons)
        .mark_image(width=44, height=44)
        .encode(
            y=alt.Y("slot:O", axis=None),
            url="url:N",
            tooltip=[alt.Tooltip("label:N", title="icon"), alt.Tooltip("icon:N", title="shows")],
        )
        .properties(width=50, height=110)
    )


def spc_chart(
    points: pd.DataFrame,
    summary: pd.DataFrame | None = None,
    *,
    title: str | None = None,
    value_title: str = "value",
    columns: int = 2,
    width: int = 420,
    height: int = 220,
) -> Any:
    """One Making Data Count chart per series, in a grid of small multiples.

    Parameters
    ----------
    points : DataFrame
        Output of :func:`nhs_oversight.stats.spc.spc`.
    summary : DataFrame, optional
        Output of :func:`nhs_oversight.stats.spc.spc_summary` for the same points; its sentence
        becomes each panel's subtitle and part of the text alternative.
    title, value_title : str
        Overall title and y-axis title.
    columns : int
        Panels per row.

    Returns
    -------
    altair chart (call :func:`chart_bytes` to render it)
    """
    import altair as alt

    meta = points.attrs.get("spc")
    if not meta:
        raise OptionError("spc_chart() needs the output of spc()")
    keys, date = meta["group"], meta["date"]
    groups = list(points.groupby(keys, sort=False)) if keys else [((), points)]
    if len(groups) > MAX_PANELS:
        raise OptionError(
            f"{len(groups)} series is too many for one chart (at most {MAX_PANELS}); "
            "chart fewer series (oversight spc --where COLUMN=VALUE,...) or use --summary",
        )
    sentences: dict[str, str] = {}
    if summary is not None and len(summary):
        for _, row in summary.iterrows():
            sentences[series_label(row, keys)] = row["summary"]
    panels = []
    for _key, pts in groups:
        label = series_label(pts.iloc[0], keys)
        sentence = sentences.get(label, "")
        panels.append(_panel(alt, pts, date, label, _shorten(sentence), value_title, width, height))
    rows = [alt.hconcat(*panels[i : i + columns], spacing=24) for i in range(0, len(panels), columns)]
    chart = alt.vconcat(*rows, spacing=28) if len(rows) > 1 else rows[0]
    title = title or f"Statistical process control: {value_title}"
    description = f"{title} ({meta['method']}, rules {meta['rules']})."
    if sentences:
        description += " " + " ".join(f"{k}: {v}" for k, v in sentences.items())
    return chart.properties(
        title=alt.Title(title, fontSize=16, anchor="start"),
        description=description,
    ).configure(font=FONT).configure_view(stroke=None)


def _shorten(sentence: str, limit: int = 110) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + " …"


def summary_chart(summary: pd.DataFrame, *, title: str | None = None) -> Any:
    """The board view as a grid of icons: one row per series, variation and assurance columns."""
    import altair as alt

    meta = summary.attrs.get("spc")
    if not meta:
        raise OptionError("summary_chart() needs the output of spc_summary()")
    keys = meta["group"]
    if len(summary) > 4 * MAX_PANELS:
        raise OptionError(f"{len(summary)} series is too many for one icon grid (at most {4 * MAX_PANELS})")
    rows = []
    for _, r in summary.iterrows():
        label = series_label(r, keys)
        rows.append({"series": label, "column": "Variation", "icon": r["variation_icon"], "text": r["variation"], "summary": r["summary"]})
        rows.append({"series": label, "column": "Assurance", "icon": r["assurance_icon"], "text": r["assurance_text"], "summary": r["summary"]})
    data = pd.DataFrame(rows)
    data["url"] = data["icon"].map(icon_data_uri)
    order = list(dict.fromkeys(data["series"]))
    latest = summary.assign(series=[series_label(r, keys) for _, r in summary.iterrows()])
    latest["latest"] = [f"{v:,.4g}" for v in latest["latest_value"]]
    y = alt.Y("series:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelFontSize=11))
    icons = (
        alt.Chart(data)
        .mark_image(width=30, height=30)
        .encode(
            x=alt.X("column:N", sort=["Variation", "Assurance"], title=None, axis=alt.Axis(orient="top", labelAngle=0)),
            y=y,
            url="url:N",
            tooltip=["series:N", "text:N", "summary:N"],
        )
        .properties(width=130, height=alt.Step(36))
    )
    values = (
        alt.Chart(latest)
        .mark_text(align="right", fontSize=11)
        .encode(y=alt.Y("series:N", sort=order, axis=None), text="latest:N", tooltip=["summary:N"])
        .properties(width=70, height=alt.Step(36), title=alt.Title("Latest", fontSize=11, anchor="end"))
    )
    title = title or "SPC summary: variation and assurance"
    description = f"{title}: icons for {len(summary)} series. "
    description += " ".join(f"{series_label(r, keys)}: {r['summary']}" for _, r in summary.iterrows())
    return (
        alt.hconcat(icons, values, spacing=6)
        .properties(title=alt.Title(title, fontSize=15, anchor="start"), description=description)
        .configure(font=FONT)
        .configure_view(stroke=None)
    )


def chart_bytes(chart: Any, fmt: str) -> bytes:
    """Render a chart to SVG or PNG without a browser or network (vl-convert).

    SVG output carries the chart's title and description as its text alternative.
    """
    import vl_convert as vlc

    spec = chart.to_json()
    if fmt == "svg":
        info = chart.to_dict()
        title = info.get("title", {})
        title = title.get("text", "") if isinstance(title, dict) else str(title or "")
        svg = vlc.vegalite_to_svg(spec)
        return accessible_svg(svg, title or "Chart", info.get("description", "")).encode("utf-8")
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=2)
    raise OptionError(f"unknown chart format {fmt!r}; choose one of {', '.join(CHART_FORMATS)}")


def write_chart(chart: Any, fmt: str, output: str | Path | None) -> str | None:
    """Write a chart atomically; with no output path return SVG text (PNG needs a path)."""
    from nhs_oversight.util.files import atomic_write_bytes

    if fmt == "png" and not output:
        raise OptionError("--format png needs --output PATH")
    data = chart_bytes(chart, fmt)
    if output:
        atomic_write_bytes(output, data)
        return None
    return data.decode("utf-8")
