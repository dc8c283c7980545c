"""Download NHS England's current quarterly NOF files from the segmentation and league tables page.

The only module that goes online; everything else reads files a user already has.
"""

from __future__ import annotations

from pathlib import Path

from nhs_oversight.errors import OversightError

#: Published file names on NHS England's segmentation and league tables page.
NOF_FILES = {
    "acute": "nhs-oversight-framework-acute-trust-data.csv",
    "non-acute": "nhs-oversight-framework-non-acute-hospital-trust-data.csv",
    "ambulance": "nhs-oversight-framework-ambulance-trust-data.csv",
    "league-table": "nhs-oversight-framework-league-table.csv",
}
LANDING_PAGE = "https://www.england.nhs.uk/nhs-oversight-framework/segmentation-and-league-tables/"


class FetchError(OversightError):
    """Raised when the files cannot be downloaded (offline, moved, blocked)."""


def find_links(page_html: str) -> dict[str, str]:
    """Pick the CSV download links for each NOF file out of the landing page's HTML."""
    import re
    from urllib.parse import urljoin

    links: dict[str, str] = {}
    for href in re.findall(r'href="([^"]+\.csv)"', page_html, flags=re.I):
        name = href.rsplit("/", 1)[-1].lower()
        for key, stem in NOF_FILES.items():
            if name.startswith(stem.removesuffix(".csv")) and key not in links:
                links[key] = urljoin(LANDING_PAGE, href)
    return links


def fetch(dest: Path, timeout: float = 20.0) -> list[Path]:
    """Download the current files into ``dest``; raise :class:`FetchError` with a clear message."""
    import urllib.error
    import urllib.request

    from nhs_oversight.util.files import atomic_write_bytes

    def get(url: str) -> bytes:
        req = urllib.request.Request(url, headers={"User-Agent": "nhs-oversight"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.read()
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise FetchError(
                f"cannot reach {url} ({reason}). You appear to be offline: download the CSV files by "
                f"hand from {LANDING_PAGE} and pass them to the other commands."
            ) from None

    page = get(LANDING_PAGE).decode("utf-8", "replace")
    links = find_links(page)
    if not links:
        raise FetchError(f"no NOF CSV links found on {LANDING_PAGE}; the page layout may have changed")
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for _key, url in sorted(links.items()):
        target = dest / url.rsplit("/", 1)[-1]
        atomic_write_bytes(target, get(url))
        written.append(target)
    return written
