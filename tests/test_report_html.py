"""`oversight report --output report.html`: one self-contained file from the dashboard's templates."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from nhs_oversight.cli import app, main
from web_support import field, synthetic_assessments, text_of


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    r = CliRunner().invoke(app, ["report", "--synthetic", "--output", str(out), "--org", "Z00", "--org", "z0c", "--draws", "50"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert f"wrote {out}" in r.output
    return out.read_text(encoding="utf-8")


def test_report_is_self_contained(report):
    assert report.startswith("<!DOCTYPE html>")
    assert "<script" not in report and "<link" not in report and "<iframe" not in report
    for url in re.findall(r'(?:src|href|action)\s*=\s*["\']?([^"\' >]+)', report):
        assert url.startswith(("#", "data:")), url
    assert not re.search(r"url\((?!data:)", report)  # stylesheet references nothing outside
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'' in report
    assert "<style>" in report and ".nhsuk-table" in report  # the NHS.UK stylesheet is inlined


def test_report_links_resolve_within_the_file(report):
    ids = set(re.findall(r'id="([^"]+)"', report))
    targets = set(re.findall(r'href="#([^"]+)"', report))
    assert targets and targets <= ids, targets - ids


def test_report_is_labelled_and_states_its_sources(report):
    a, _ = synthetic_assessments()
    assert "SYNTHETIC DATA." in report and "[SYNTHETIC]" in report
    text = text_of(report)
    assert "2025/26 Q2" in text and "nof-2025-26" in text
    for f in a.inputs.files:
        assert f.rsplit("/", 1)[-1] in text


def test_report_sections_and_figures_match_the_engine(report):
    a, previous = synthetic_assessments()
    for anchor in ("overview", "league", "metrics", "metric-OF0013", "trust-Z00", "trust-Z0C", "method"):
        assert f'<section class="oversight-report-section" id="{anchor}"' in report
    league = report.split('id="league"')[1].split("</section>")[0]
    assert league.count('<tr data-org=') == len(a.summary)
    trust = report.split('id="trust-Z00"')[1].split("</section>")[0]
    assert field(trust, "average_score") == f"{a.org('Z00')['average_score']:.2f}"
    assert 'href="#trust-Z00"' in league and 'href="#trust-Z01"' not in league  # only trusts in the file are links
    assert "Movement since last quarter" in report and previous.period in report  # synthetic Q1 is the previous quarter
    assert report.count('role="img"') >= 3  # charts inline as labelled SVG


def test_report_errors_leave_no_file(tmp_path, capsys):
    bad = tmp_path / "report.pdf"
    assert main(["report", "--synthetic", "--output", str(bad)]) == 2
    assert "give a .html or .xlsx file" in capsys.readouterr().err
    out = tmp_path / "r.html"
    assert main(["report", "--synthetic", "--output", str(out), "--org", "NOPE", "--draws", "20"]) == 2
    err = capsys.readouterr().err
    assert "NOPE" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert main(["report", "--output", str(out)]) == 2
    assert main(["report", "--synthetic", "--output", str(tmp_path / "missing" / "r.html")]) == 2


def test_report_opens_on_a_cover(report):
    a, _ = synthetic_assessments()
    main_part = report.split('id="maincontent"')[1]
    cover = main_part.split('class="oversight-cover"')[1].split("</nav>")[0]
    assert main_part.index('class="oversight-cover"') < main_part.index("Contents of this report") < main_part.index('id="overview"')
    assert field(cover, "period") == "2025/26 Q2" and field(cover, "data_to") == "September 2025"
    assert field(cover, "organisations") == str(len(a.summary))
    for k in range(1, 6):
        m = re.search(rf'data-field="segment_{k}">(\d+)<', cover)
        assert m and int(m.group(1)) == int((a.summary["final_segment"] == k).sum())
    regions = a.summary.groupby("region")["final_segment"].apply(lambda s: (s == 4).mean())
    assert f"{regions.idxmax()} has the largest share of trusts in segment 4" in text_of(cover)
    assert 'href="#trust-Z00"' in cover and 'href="#trust-Z0C"' in cover


def test_report_prints_a4_landscape(report):
    assert re.search(r"@media print\s*\{\s*@page\s*\{\s*size:\s*A4 landscape", report)
    assert "thead { display: table-header-group; }" in report  # table headers repeat on each printed page


def test_report_has_no_search_or_downloads(report):
    assert "/search" not in report and "/download/" not in report and 'id="site-search"' not in report


def test_trust_option_is_now_org(tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", "--synthetic", "--output", str(out), "--trust", "Z00", "--draws", "20"]) == 2
    assert not out.exists()
