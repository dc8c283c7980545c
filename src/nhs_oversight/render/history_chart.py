"""A trust's final segment quarter by quarter, as one small chart (the table beside it holds the figures)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from nhs_oversight.engine.segments import SEGMENTS
from nhs_oversight.render.charts import SEGMENT_NAMES, Figure, _segment_scale, to_svg
from nhs_oversight.render.palette import NHS_DARK_GREY


def segment_history(rows: list[dict[str, Any]], org_name: str, width: int = 480) -> Figure:
    """Points for each quarter's final segment (1 at the top), joined in quarter order."""
    import altair as alt

    df = pd.DataFrame(rows).dropna(subset=["final_segment"])
    df["segment"] = [SEGMENT_NAMES[int(k)] for k in df["final_segment"]]
    order = list(df["period"])
    x = alt.X("period:O", title="Quarter", sort=order, axis=alt.Axis(labelAngle=0))
    y = alt.Y("final_segment:Q", title="Final segment", scale=alt.Scale(domain=[5, 1]), axis=alt.Axis(values=list(SEGMENTS), format="d"))
    line = alt.Chart(df).mark_line(color=NHS_DARK_GREY, strokeWidth=1.5).encode(x=x, y=y)
    present = sorted({int(k) for k in df["final_segment"]})
    dots = alt.Chart(df).mark_point(filled=True, size=220, stroke=NHS_DARK_GREY, strokeWidth=1, opacity=1).encode(
        x=x, y=y, color=alt.Color("segment:N", title="Final segment", scale=_segment_scale(present)))
    chart = alt.layer(line, dots).properties(width=width, height=160)
    steps = "; ".join(f"{r['period']}: segment {int(r['final_segment'])}" for r in df.to_dict("records"))
    return to_svg(chart, f"Final segment of {org_name} in each quarter assessed: {steps}.")
