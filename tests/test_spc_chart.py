"""The SPC renderers: icons on disk, chart specification, text alternative."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from nhs_oversight.errors import OptionError
from nhs_oversight.render.icons import (
    ASSURANCE_ICON_NAMES,
    VARIATION_ICON_NAMES,
    icon_data_uri,
    icon_svg,
)
from nhs_oversight.render.spc_chart import MAX_PANELS, spc_chart, summary_chart
from nhs_oversight.render.svg import accessible_svg
from nhs_oversight.stats.spc import spc, spc_summary
from nhs_oversight.stats.spc.icons import ASSURANCE_ICONS, VARIATION_ICONS

SVG = "{http://www.w3.org/2000/svg}"


def test_every_icon_the_engine_can_name_exists_and_has_a_title():
    assert set(VARIATION_ICONS) == set(VARIATION_ICON_NAMES)
    assert set(ASSURANCE_ICONS) <= set(ASSURANCE_ICON_NAMES)
    for name in (*VARIATION_ICON_NAMES, *ASSURANCE_ICON_NAMES):
        root = ET.fromstring(icon_svg(name))
        assert root.tag == f"{SVG}svg"
        assert root.find(f"{SVG}title").text
        assert icon_data_uri(name).startswith("data:image/svg+xml;base64,")
    with pytest.raises(KeyError):
        icon_svg("thumbs_up")


def test_icon_colours_follow_making_data_count():
    assert "#0072C6" in icon_svg("improvement_high") and ">H<" in icon_svg("improvement_high")
    assert "#FF6600" in icon_svg("concern_low") and ">L<" in icon_svg("concern_low")
    assert "#8000C0" in icon_svg("neutral_high")
    assert ">P<" in icon_svg("pass") and ">F<" in icon_svg("fail") and ">?<" in icon_svg("inconsistent")


def points(n_series: int = 2, target: float | None = 12.0) -> pd.DataFrame:
    rows = [
        {"org": f"R{s:02d}", "month": pd.Timestamp(2023, 1, 1) + pd.DateOffset(months=i), "y": 10 + (i % 3)}
        for s in range(n_series)
        for i in range(15)
    ]
    return spc(pd.DataFrame(rows), date="month", value="y", group="org", target=target)


def test_chart_spec_draws_limits_dashed_and_target_red():
    pts = points()
    spec = json.dumps(spc_chart(pts, spc_summary(pts), title="Waits").to_dict())
    assert '"strokeDash": [5, 4]' in spec  # process limits
    assert "#DE1B1B" in spec  # target line, the only red
    assert '"domain": ["common_cause", "special_cause_improvement"' in spec
    assert "Waits (XmR chart" in spec  # description for the text alternative


def test_no_target_means_no_red_line():
    pts = points(target=None)
    assert "#DE1B1B" not in json.dumps(spc_chart(pts).to_dict())


def test_too_many_panels_is_refused():
    with pytest.raises(OptionError, match="too many"):
        spc_chart(points(MAX_PANELS + 1))


def test_summary_chart_lists_every_series():
    pts = points(3)
    spec = json.dumps(summary_chart(spc_summary(pts), title="Board").to_dict())
    for org in ("R00", "R01", "R02"):
        assert org in spec


def test_renderers_need_spc_output():
    with pytest.raises(OptionError):
        spc_chart(pd.DataFrame({"a": [1]}))
    with pytest.raises(OptionError):
        summary_chart(pd.DataFrame({"a": [1]}))


def test_accessible_svg_escapes_text():
    out = accessible_svg('<svg width="1"><g/></svg>', "A & E", "breaches < 5%")
    assert out.startswith('<svg width="1" role="img" aria-label="A &amp; E. breaches &lt; 5%">')
    assert "<title>A &amp; E</title>" in out
    assert "breaches &lt; 5%" in out
    ET.fromstring(out)
