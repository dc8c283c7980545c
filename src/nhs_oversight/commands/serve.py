"""``oversight serve``: the read-only dashboard of one quarter (FastAPI + uvicorn)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import site_from_options, warn

ALLOWED_HOST = typer.Option(None, "--allowed-host", help="A host name the dashboard answers to (repeat for several; default localhost, 127.0.0.1, ::1 and --host). Requests naming any other host get a 400 page.")
WORKERS = typer.Option(1, "--workers", help="Server processes answering on the port (several use several cores; each holds the data). Needs fork (Linux, macOS).")
BASE_URL = typer.Option("", "--base-url", help="The dashboard's public address (e.g. https://oversight.example.nhs.uk), used in redirects; default: paths on the same server.")


def check_base_url(base_url: str) -> str:
    """'' or an http(s) address without query or fragment (redirects start with it)."""
    from urllib.parse import urlsplit

    from nhs_oversight.errors import OptionError

    if not base_url:
        return ""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment or not base_url.isascii():
        raise OptionError(f"--base-url {base_url}: give an address such as https://oversight.example.nhs.uk (http or https, no query)")
    return base_url.rstrip("/")


def allowed_hosts(given: list[str] | None, host: str, base_url: str) -> list[str]:
    """The names to answer to: those given, or loopback names plus --host (and --base-url's host)."""
    from urllib.parse import urlsplit

    from nhs_oversight.web.hosts import LOOPBACK

    if given:
        return list(given)
    names = [*LOOPBACK, host]
    if base_url:
        names.append(urlsplit(base_url).hostname or "")
    return [n for n in names if n]


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        files: list[Path] = opt.FILES,
        previous: list[Path] = opt.SITE_PREVIOUS,
        db: Path = opt.SITE_DB,
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this computer only)."),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
        framework: str = opt.FRAMEWORK,
        cutpoints: str = opt.CUTPOINTS,
        recompute_all: bool = opt.RECOMPUTE_ALL,
        synthetic: bool = opt.SYNTHETIC,
        quarter: str = opt.QUARTER_SYNTH,
        organisations: list[Path] = opt.ORGANISATIONS,
        draws: int = opt.DRAWS,
        seed: int = opt.SEED,
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
        allowed_host: list[str] = ALLOWED_HOST,
        base_url: str = BASE_URL,
        workers: int = WORKERS,
    ) -> None:
        """Serve the dashboard: overview, league table, trust, metric and comparison pages.

        Read-only: the data are read once at start. Every page is also JSON, at the same path
        under /api/ or with ?format=json. Stop with Ctrl+C.
        """
        from nhs_oversight.web import views
        from nhs_oversight.web.app import create_app
        from nhs_oversight.web.server import listening_socket, resolve, run
        from nhs_oversight.web.site import warm
        from nhs_oversight.web.workers import check_workers, serve_workers

        base_url = check_base_url(base_url)
        check_workers(workers)
        resolve(host, port)  # a bad address is an option error before the data are read
        site = site_from_options(files, previous, db, framework, cutpoints, recompute_all, synthetic, quarter, draws, seed, organisations)
        warn(site.assessment.warnings)
        sock = listening_socket(host, port)  # an address in use: an option error, not a traceback
        label = f"{site.label} " if site.label else ""
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"Serving {label}{site.framework.name}, {site.assessment.period}: "
                   f"{len(site.assessment.summary)} organisations at http://{shown}:{port}/"
                   f"{f' with {workers} workers' if workers > 1 else ''} (Ctrl+C to stop)", err=True)
        if host not in ("127.0.0.1", "localhost", "::1"):
            warn([f"listening on {host}: anyone who can reach this address can read the dashboard (it has no log-in)"])
        hosts = allowed_hosts(allowed_host, host, base_url)

        def start() -> Any:
            warm(site, lambda: views.prepare_league(site))
            return create_app(site, allowed_hosts=hosts, base_url=base_url)

        if workers == 1:
            run(start(), sock)
        elif failure := serve_workers(start, run, sock, workers):
            typer.echo(f"error: the dashboard stopped: {failure}", err=True)
            raise typer.Exit(1)
