"""Static files, read once from the installed package into memory.

Requests name a file from a fixed list; no part of a request path is ever joined to a
filesystem path.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

#: Served name -> media type. axe-core is vendored for the accessibility tests, not served.
FILES = {
    "vendor/nhsuk-frontend/nhsuk-frontend.min.css": "text/css; charset=utf-8",
    "vendor/htmx/htmx.min.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
}
GENERATED = {"segments.css": "text/css; charset=utf-8"}


@cache
def assets() -> dict[str, tuple[bytes, str]]:
    """Every static file the dashboard serves: name -> (content, media type)."""
    from nhs_oversight.render.html import segment_css

    root = resources.files("nhs_oversight.web").joinpath("static")
    out = {name: (root.joinpath(*name.split("/")).read_bytes(), media) for name, media in FILES.items()}
    out["segments.css"] = (segment_css().encode(), GENERATED["segments.css"])
    return out


def vendor_file(name: str) -> bytes:
    """A vendored file that is not served (e.g. axe-core for the tests)."""
    return resources.files("nhs_oversight.web").joinpath("static", "vendor", *name.split("/")).read_bytes()
