"""Charts of the pages (Vega-Lite via Altair, rendered offline to SVG by vl-convert).

Each function draws what a page's data dict holds and returns a :class:`Figure`: SVG text ready to
inline in HTML, with a text alternative. Pages show the data table before the picture, so the
SVG's own per-mark labels are removed and the picture is one image with one description.
Segments use the blue sequence of :mod:`.palette` (an ordinal scale, not a target).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from nhs_oversight.render.palette import (
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_MID_GREY,
    NHS_WARM_YELLOW,
    SEGMENT_COLOURS,
)

FONT = "Arial, Helvetica, sans-serif"
TEXT = "#212B32"
SEGMENT_NAMES = {k: ("Segment 5 (RSP)" if k == 5 else f"Segment {k}") for k in SEGMENT_COLOURS}


@dataclass(frozen=True)
class Figure:
    """An inline SVG chart and its text alternative."""

    svg: str
    description: str


def _config(chart: Any) -> Any:
    return chart.configure(font=FONT).configure_axis(labelColor=TEXT, titleColor=TEXT, labelFontSize=12, titleFontSize=12).configure_legend(
        labelColor=TEXT, titleColor=TEXT, labelFontSize=12, titleFontSize=12, orient="bottom").configure_view(stroke=None)


_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')


def to_svg(chart: Any, description: str) -> Figure:
    """Render offline; make the SVG one labelled image (the page carries the data table)."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(_config(chart).to_json())
    svg = _ARIA.sub("", svg)
    label = html.escape(description, quote=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
    return Figure(svg=svg, description=description)


def _segment_scale(segments: list[int]):
    import altair as alt

    names = [SEGMENT_NAMES[k] for k in segments]
    return alt.Scale(domain=names, range=[SEGMENT_COLOURS[k] for k in segments])


def segment_shares(rows: list[dict[str, Any]], group_title: str, width: int = 560) -> Figure:
    """Stacked bars: the share of each group's trusts in each final segment."""
    import altair as alt

    long = []
    for r in rows:
        for k in SEGMENT_COLOURS:
            long.append({"group": r["label"] or r["group"], "segment": SEGMENT_NAMES[k], "order": k,
                         "share": r[f"share_{k}"], "count": r[f"segment_{k}"]})
    df = pd.DataFrame(long)
    order = [r["label"] or r["group"] for r in rows]
    chart = alt.Chart(df).mark_bar(stroke=NHS_DARK_GREY, strokeWidth=0.6).encode(
        y=alt.Y("group:N", title=None, sort=order),
        x=alt.X("share:Q", title="Share of trusts", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("segment:N", title="Final segment", scale=_segment_scale(list(SEGMENT_COLOURS))),
        order=alt.Order("order:Q"),
    ).properties(width=width, height=max(60, 24 * len(rows)))
    parts = []
    for r in rows:
        shares = ", ".join(f"segment {k} {round(100 * r[f'share_{k}'])}%" for k in SEGMENT_COLOURS if r[f"segment_{k}"])
        parts.append(f"{r['label'] or r['group']}: {shares}")
    desc = f"Stacked bar chart of the share of trusts in each final segment by {group_title.lower()}. " + "; ".join(parts) + "."
    return to_svg(chart, desc)


def position(peers: list[dict[str, Any]], code: str, cutpoints: list[float], type_label: str, width: int = 560) -> Figure:
    """Every trust of a type on the average-score scale, one highlighted, with the cut points."""
    import altair as alt

    df = pd.DataFrame(peers).dropna(subset=["average_score"])
    df["who"] = ["This trust" if c == code else "Other trusts" for c in df["org_code"]]
    base = alt.Chart(df)
    dots = base.mark_tick(thickness=2, size=28).encode(
        x=alt.X("average_score:Q", title="Average metric score (1 best, 4 worst)", scale=alt.Scale(zero=False)),
        color=alt.Color("who:N", title=None, scale=alt.Scale(domain=["Other trusts", "This trust"], range=[NHS_MID_GREY, NHS_BLUE])),
        size=alt.condition(alt.datum.who == "This trust", alt.value(44), alt.value(24)),
        strokeWidth=alt.condition(alt.datum.who == "This trust", alt.value(4), alt.value(1.5)),
    )
    rules = alt.Chart(pd.DataFrame({"cut": cutpoints, "name": [f"cut {i + 1}/{i + 2}" for i in range(len(cutpoints))]})).mark_rule(
        color=NHS_DARK_GREY, strokeDash=[4, 3]).encode(x="cut:Q")
    mine = df[df["org_code"] == code]
    label = alt.Chart(mine).mark_text(dy=-22, color=NHS_BLUE, fontWeight="bold").encode(
        x="average_score:Q", text=alt.Text("average_score:Q", format=".2f"))
    chart = alt.layer(rules, dots, label).properties(width=width, height=60)
    score = float(mine["average_score"].iloc[0]) if len(mine) else float("nan")
    desc = (f"Strip chart of the average scores of {len(df)} {type_label.lower()}s, from "
            f"{df['average_score'].min():.2f} to {df['average_score'].max():.2f}, with segment cut points at "
            f"{', '.join(f'{c:.2f}' for c in cutpoints)}. This trust scores {score:.2f} (highlighted).")
    return to_svg(chart, desc)


def distribution(rows: list[dict[str, Any]], metric_name: str, unit: str, type_labels: dict[str, str], width: int = 560) -> Figure:
    """Histogram of the trusts' values on a metric, one panel per trust type, stacked by score."""
    import altair as alt

    df = pd.DataFrame(rows).dropna(subset=["value"])
    df["type"] = df["trust_type"].map(type_labels).fillna(df["trust_type"])
    bands = ["1.00-1.49", "1.50-2.49", "2.50-3.49", "3.50-4.00", "not scored"]
    df["score band"] = pd.cut(df["score_2dp"], [0, 1.495, 2.495, 3.495, 4.01], labels=bands[:4]).astype(object).fillna("not scored")
    colours = [SEGMENT_COLOURS[1], SEGMENT_COLOURS[2], SEGMENT_COLOURS[3], SEGMENT_COLOURS[4], NHS_WARM_YELLOW]
    types = list(dict.fromkeys(df["type"]))
    hist = alt.Chart(df).mark_bar(stroke=NHS_DARK_GREY, strokeWidth=0.6).encode(
        x=alt.X("value:Q", bin=alt.Bin(maxbins=30), title=f"{metric_name} ({unit})"),
        y=alt.Y("count():Q", title="Trusts"),
        color=alt.Color("score band:N", title="Metric score", scale=alt.Scale(domain=bands, range=colours)),
        order=alt.Order("score band:N"),
    ).properties(width=width, height=110)
    chart = hist.facet(row=alt.Row("type:N", title=None, sort=types, header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelFontSize=13, labelColor=TEXT))) if len(types) > 1 else hist
    parts = []
    for t, g in df.groupby("type", sort=False):
        v = g["value"]
        parts.append(f"{t}: {len(v)} trusts, values from {v.min():g} to {v.max():g}")
    desc = f"Histogram of {metric_name} across trusts, by trust type, coloured by metric score. " + "; ".join(parts) + "."
    return to_svg(chart, desc)


def funnel(result: Any, title: str) -> Figure:
    """The funnel plot of :mod:`nhs_oversight.render.funnel_chart`, as an inline figure."""
    from nhs_oversight.render.funnel_chart import funnel_chart

    chart = funnel_chart(result, title=title, width=560, height=340)
    return to_svg(chart, chart.description)
