"""Making Data Count style icons as SVG files: seven variation icons and four assurance icons.

``variation``: common_cause, improvement_high/low, concern_high/low, neutral_high/low.
``assurance``: pass, fail, inconsistent, none (no target, or a neutral measure).
"""

from __future__ import annotations

import base64
from functools import cache
from importlib import resources

from nhs_oversight.stats.spc.icons import ASSURANCE_ICONS, VARIATION_ICONS

VARIATION_ICON_NAMES = tuple(VARIATION_ICONS)
ASSURANCE_ICON_NAMES = tuple(dict.fromkeys(("pass", "fail", "inconsistent", *ASSURANCE_ICONS)))


@cache
def icon_svg(name: str) -> str:
    """The SVG text of an icon."""
    if name not in VARIATION_ICON_NAMES + ASSURANCE_ICON_NAMES:
        raise KeyError(f"no icon named {name!r}")
    return resources.files(__package__).joinpath(f"{name}.svg").read_text(encoding="utf-8")


def icon_data_uri(name: str) -> str:
    """The icon as a ``data:`` URI, for embedding in a chart without any file or network."""
    return "data:image/svg+xml;base64," + base64.b64encode(icon_svg(name).encode()).decode()
