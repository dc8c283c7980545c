"""SVG charts as one labelled image: the text alternative screen readers announce.

vl-convert drops a chart's description from its SVG, so it is put back here. No ``id`` attributes
are added, so several charts can share one page.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')


def accessible_svg(svg: str, title: str, description: str = "") -> str:
    """Give an SVG ``role="img"``, an ``aria-label`` and a ``<title>``/``<desc>`` pair."""
    start = svg.find("<svg")
    if start < 0:
        return svg
    end = svg.index(">", start)
    opening = _ARIA.sub("", svg[start:end])
    if not description or description.startswith(title):
        label = description or title
    else:
        label = f"{title}. {description}"
    return (
        svg[:start]
        + f"{opening} role=\"img\" aria-label={quoteattr(label)}>"
        + f"<title>{escape(title)}</title>"
        + (f"<desc>{escape(description)}</desc>" if description else "")
        + svg[end + 1 :]
    )
