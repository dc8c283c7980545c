"""`oversight fetch`: finds the CSV links on NHS England's page; fails clearly when offline."""

from __future__ import annotations

import urllib.request

from typer.testing import CliRunner

from nhs_oversight.cli import app
from nhs_oversight.sources.fetch import find_links

PAGE = """
<a href="https://www.england.nhs.uk/wp-content/uploads/2025/12/nhs-oversight-framework-acute-trust-data-q2-25-26.csv">Acute</a>
<a href="/wp-content/uploads/2025/12/nhs-oversight-framework-ambulance-trust-data.csv">Ambulance</a>
<a href="https://www.england.nhs.uk/wp-content/uploads/2025/12/nhs-oversight-framework-league-table.csv">League</a>
<a href="https://www.england.nhs.uk/wp-content/uploads/2025/12/other.csv">Other</a>
"""


def test_find_links_picks_each_nof_file():
    links = find_links(PAGE)
    assert set(links) == {"acute", "ambulance", "league-table"}
    assert links["ambulance"] == "https://www.england.nhs.uk/wp-content/uploads/2025/12/nhs-oversight-framework-ambulance-trust-data.csv"


def test_offline_fetch_fails_with_a_clear_message(monkeypatch, tmp_path):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    from nhs_oversight.cli import main

    code = main(["fetch", "--dest", str(tmp_path)])
    assert code == 2
    assert list(tmp_path.iterdir()) == []


def test_version_and_bare_command():
    runner = CliRunner()
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.strip() == "0.1.0"
    r = runner.invoke(app, [])
    assert "segment" in r.stdout
