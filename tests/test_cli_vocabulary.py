"""One option vocabulary at run time: -o/--output everywhere, "wrote PATH" after every write."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhs_oversight.cli import app

runner = CliRunner()
FUNNEL = "unit,x,n\n" + "".join(f"U{i},{o},{n}\n" for i, (o, n) in enumerate([(12, 100), (30, 250), (45, 300), (8, 120), (60, 400)]))
SERIES = "month,y\n" + "".join(f"2024-{m:02d}-01,{v}\n" for m, v in zip(range(1, 13), [3, 4, 3, 5, 4, 3, 4, 5, 3, 4, 6, 4], strict=True))


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["segment", "--synthetic"], "league.csv"),
        (["uncertainty", "--synthetic", "--draws", "50"], "u.json"),
        (["brief", "--synthetic", "--no-uncertainty"], "brief.md"),
        (["movement", "--synthetic"], "moves.csv"),
        (["funnel", "{funnel}", "--numerator", "x", "--denominator", "n", "--label", "unit"], "funnel.svg"),
        (["spc", "{series}", "--date", "month", "--value", "y"], "spc.csv"),
        (["synth-ecds", "--rows", "500", "--providers", "2", "--months", "1"], "ecds.parquet"),
    ],
)
def test_every_write_says_wrote_path(tmp_path: Path, args: list[str], name: str):
    (tmp_path / "f.csv").write_text(FUNNEL)
    (tmp_path / "s.csv").write_text(SERIES)
    args = [a.format(funnel=tmp_path / "f.csv", series=tmp_path / "s.csv") for a in args]
    out = tmp_path / name
    r = runner.invoke(app, [*args, "-o", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    assert out.is_file() and out.stat().st_size > 0
    assert f"wrote {out}" in r.output


def test_explain_takes_table_as_its_terminal_format_and_text_as_an_alias():
    from nhs_oversight import api
    from nhs_oversight.engine import assess

    a = assess(api.synthetic_inputs("2025/26 Q2", api.load_framework("nof-2025-26")), api.load_framework("nof-2025-26"))
    code = a.summary["org_code"].iloc[0]
    table = runner.invoke(app, ["explain", code, "--synthetic", "--format", "table", "--moves", "0", "--quiet"])
    text = runner.invoke(app, ["explain", code, "--synthetic", "--format", "text", "--moves", "0", "--quiet"])
    assert table.exit_code == 0 and table.stdout == text.stdout and code in table.stdout


def test_demo_and_fetch_take_output_folders_and_keep_their_earlier_names(tmp_path: Path, monkeypatch):
    from nhs_oversight.commands import fetch as fetch_module

    seen = []
    monkeypatch.setattr(fetch_module, "fetch", lambda dest, timeout=20.0: seen.append(dest) or [dest / "a.csv"])
    for option in ("-o", "--output", "--dest"):
        r = runner.invoke(app, ["fetch", option, str(tmp_path / option.strip("-"))])
        assert r.exit_code == 0, r.output
        assert f"wrote {tmp_path / option.strip('-') / 'a.csv'}" in r.output
    assert seen == [tmp_path / "o", tmp_path / "output", tmp_path / "dest"]


def test_every_command_that_reads_inputs_takes_verbose_and_quiet():
    import typer

    from nhs_oversight.cli import app

    commands = typer.main.get_command(app).commands
    lacking = [name for name, cmd in commands.items()
               if any("--framework" in p.opts for p in cmd.params)
               and not {"--verbose", "--quiet"} <= {o for p in cmd.params for o in p.opts}]
    assert lacking == []
