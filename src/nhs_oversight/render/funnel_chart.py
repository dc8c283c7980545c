"""Funnel plot charts (Vega-Lite via Altair, rendered offline to SVG or PNG by vl-convert).

The renderer only draws what :class:`~nhs_oversight.stats.funnel.FunnelResult` holds, with the
axis in the same unit as the table (``per``: percentages for proportions by default). Colours
avoid red and green (a funnel has no target to pass or fail): grey inside the 95 % limits; units
outside them in blues on the favourable side and in warm yellow and purple on the unfavourable
side, the darker colour beyond 99.8 %. Without a favourable direction the sides are just low
(blues) and high (yellow, purple). Limits in NHS blue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from nhs_oversight.errors import OptionError
from nhs_oversight.render.palette import (
    NHS_BLUE,
    NHS_DARK_BLUE,
    NHS_DARK_GREY,
    NHS_LIGHT_BLUE,
    NHS_MID_GREY,
    NHS_PURPLE,
    NHS_WARM_YELLOW,
)
from nhs_oversight.render.svg import accessible_svg

INSIDE = "inside 95% limits"


def positions(band_codes: Any, better: str | None) -> tuple[list[str], dict[str, str]]:
    """Each point's legend entry and the colour of every entry, favourable apart from unfavourable."""
    from nhs_oversight.stats.funnel import outlier_side

    sides = outlier_side(band_codes, better)
    good, bad = ("favourable", "unfavourable") if better else ("low", "high")
    words = {"favourable": "better", "unfavourable": "worse", "low": "below", "high": "above"}
    colours = {
        INSIDE: NHS_MID_GREY,
        f"{words[good]} (95%)": NHS_LIGHT_BLUE,
        f"{words[good]} (99.8%)": NHS_DARK_BLUE,
        f"{words[bad]} (95%)": NHS_WARM_YELLOW,
        f"{words[bad]} (99.8%)": NHS_PURPLE,
    }
    out = []
    for side, b in zip(sides, band_codes, strict=True):
        out.append(INSIDE if side == "inside" else f"{words[side]} ({'99.8' if abs(int(b)) == 2 else '95'}%)")
    return out, colours


def funnel_chart(
    result: Any,
    *,
    title: str = "Funnel plot",
    value_label: str | None = None,
    precision_label: str | None = None,
    percent: bool | None = None,
    per: float | None = None,
    better: str | None = None,
    label_outliers: bool = True,
    width: int = 640,
    height: int = 400,
) -> Any:
    """An Altair chart of a funnel plot, with a text alternative in its description.

    Parameters
    ----------
    result : FunnelResult
    per : the unit of the value axis (100: percentages, the default for proportions; 1 for ratios).
    percent : earlier switch for ``per=100`` (True) or ``per=1`` (False).
    better : ``higher`` or ``lower`` when one direction is favourable; outliers are coloured by side.
    label_outliers : write the labels of units beyond the 95 % limits.
    """
    import altair as alt

    from nhs_oversight.stats.funnel import default_per, unit_words

    meta = result.meta
    kind = meta["kind"]
    if per is None:
        per = default_per(kind) if percent is None else (100.0 if percent else 1.0)
    k = float(per)
    unit = unit_words(kind, k)
    prec_col = "denominator" if kind == "proportion" else "expected"
    value_label, precision_label = _axis_titles(kind, unit, value_label, precision_label)

    pts = result.points.copy()
    pts["shown_value"] = pts["value"] * k
    pts["severity"], colours = positions(pts["band_code"], better)
    lines_df = _limit_lines(result.limits, k)
    target = meta["target"] * k

    layers = [
        *_limit_layers(lines_df, target, precision_label, value_label),
        _point_layer(pts, colours, prec_col, precision_label, value_label),
    ]
    outl = pts[pts["band_code"] != 0]
    if label_outliers and not outl.empty:
        layers.append(alt.Chart(outl).mark_text(align="left", dx=6, dy=-4, fontSize=10, color=NHS_DARK_GREY).encode(
            x=f"{prec_col}:Q", y="shown_value:Q", text="label:N"))
    description = _description(title, pts, outl, target, unit, per, better, meta["method"])
    subtitle = f"{meta['method']}; phi = {result.phi:.3g}, tau\u00b2 = {result.tau2:.3g}"
    return alt.layer(*layers).properties(
        width=width, height=height,
        title=alt.TitleParams(title, subtitle=[subtitle], anchor="start", color="#212B32", subtitleColor=NHS_DARK_GREY),
        description=description,
    )


def _axis_titles(kind: str, unit: str, value_label: str | None, precision_label: str | None) -> tuple[str, str]:
    """The axis titles asked for, or ones that name the value's unit and what the precision counts."""
    default_label = {"%": "Percentage", "proportion": "Proportion", "ratio": "Observed / expected"}.get(unit, f"Rate {unit}")
    return (
        value_label or default_label,
        precision_label or ("Denominator" if kind == "proportion" else "Expected count"),
    )


def _limit_layers(lines_df: pd.DataFrame, target: float, precision_label: str, value_label: str) -> list:
    """The 95 % and 99.8 % limit lines and the target they funnel towards."""
    import altair as alt

    x = alt.X("precision:Q", title=precision_label)
    limit_layer = alt.Chart(lines_df).mark_line(color=NHS_BLUE, strokeWidth=1.5).encode(
        x=x, y=alt.Y("limit:Q", title=value_label), detail="line:N",
        strokeDash=alt.StrokeDash("kind:N", title="Control limits",
                                  scale=alt.Scale(domain=["95% limits", "99.8% limits"], range=[[6, 4], [1, 0]])),
    )
    target_layer = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color=NHS_DARK_GREY, strokeWidth=1).encode(y="target:Q")
    return [limit_layer, target_layer]


def _point_layer(pts: pd.DataFrame, colours: dict, prec_col: str, precision_label: str, value_label: str) -> Any:
    """One dot per unit, coloured by its position against the limits, with a tooltip of its figures."""
    import altair as alt

    domain = [d for d in colours if d == INSIDE or d in set(pts["severity"])]
    return alt.Chart(pts).mark_circle(size=60, opacity=0.9, stroke=NHS_DARK_GREY, strokeWidth=0.5).encode(
        x=alt.X(f"{prec_col}:Q", title=precision_label),
        y=alt.Y("shown_value:Q", title=value_label),
        color=alt.Color("severity:N", title="Position", scale=alt.Scale(domain=domain, range=[colours[d] for d in domain])),
        tooltip=[alt.Tooltip("label:N", title="Unit"), alt.Tooltip("shown_value:Q", title=value_label, format=".3g"),
                 alt.Tooltip(f"{prec_col}:Q", title=precision_label, format=",.0f"), alt.Tooltip("band:N", title="Band"),
                 alt.Tooltip("z_adjusted:Q", title="z (adjusted)", format=".2f")],
    )


def _limit_lines(lim: pd.DataFrame, k: float) -> pd.DataFrame:
    """The four limit lines as one long table (value axis in units of ``k``), dashed for 95 %."""
    lines = []
    for col, name, dash in (("lcl95", "95% limits", [6, 4]), ("ucl95", "95% limits", [6, 4]),
                            ("lcl998", "99.8% limits", []), ("ucl998", "99.8% limits", [])):
        lines.append(pd.DataFrame({"precision": lim["precision"], "limit": lim[col] * k,
                                   "line": f"{name} ({col[:1]})", "kind": name, "dash": str(dash)}))
    return pd.concat(lines, ignore_index=True)


def _description(title: str, pts: pd.DataFrame, outl: pd.DataFrame, target: float, unit: str, per: float,
                 better: str | None, method: str) -> str:
    """The chart's text alternative: units, target, how many lie outside each limit and which, the method."""
    n_out = int((pts["band_code"] != 0).sum())
    n_998 = int((pts["band_code"].abs() == 2).sum())
    return (
        f"{title}. Funnel plot of {len(pts)} units, target {target:.3g}{'%' if unit == '%' else '' if per == 1 else ' ' + unit}. "
        f"{n_out} outside the 95% limits, {n_998} outside the 99.8% limits"
        + (f": {', '.join(map(str, outl['label'].head(10)))}" if n_out else "")
        + (f". Of those, {sum(x.startswith('better') for x in pts['severity'])} on the favourable side" if better and n_out else "")
        + f". Method: {method}."
    )


def save_chart(chart: Any, fmt: str, output: str | Path | None) -> str | None:
    """Render to SVG or PNG offline; write atomically, or return SVG text when no output path."""
    import vl_convert as vlc

    from nhs_oversight.util.files import atomic_write_bytes, atomic_write_text

    spec = chart.to_json()
    if fmt == "svg":
        title = chart.title.text if hasattr(chart.title, "text") else str(chart.title or "")
        svg = accessible_svg(vlc.vegalite_to_svg(spec), str(title), str(chart.description or ""))
        if output:
            atomic_write_text(output, svg)
            return None
        return svg
    if fmt == "png":
        if not output:
            raise OptionError("--format png needs --output PATH")
        atomic_write_bytes(output, vlc.vegalite_to_png(spec, scale=2))
        return None
    raise OptionError(f"unknown chart format {fmt!r}; choose svg or png")
