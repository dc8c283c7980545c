"""``oversight fetch``: download NHS England's current quarterly NOF files when online."""

from __future__ import annotations

from pathlib import Path

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit
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

    from nhs_oversight.render.output import atomic_write_bytes

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


def register(app: typer.Typer) -> None:
    @app.command("fetch")
    def fetch_command(
        dest: Path = typer.Option(Path("."), "--output", "-o", help="Folder to save the files in (default: the current folder)."),
        old_dest: Path = typer.Option(None, "--dest", hidden=True, help="Earlier name of --output."),
        timeout: float = typer.Option(20.0, help="Seconds to wait for each download."),
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Download NHS England's current quarterly NOF CSV files (needs internet access)."""
        for path in fetch(old_dest or dest, timeout=timeout):
            emit(None, path)
