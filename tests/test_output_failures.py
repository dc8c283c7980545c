"""Outputs fail cleanly: a full disk, /dev/full, a kill mid-write, a bug, a formula in a name.

Exit codes: 0 success, 2 the user's problem (one line), 1 an internal fault (one line and a hint
to report it; the traceback only with ``--debug``). A failed write leaves the previous file as
it was and no temporary file behind.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from nhs_oversight.cli import main
from nhs_oversight.errors import OutputError
from nhs_oversight.render.output import csv_text, neutralise_formulas
from nhs_oversight.util.files import atomic_write, atomic_write_text

SRC = Path(__file__).resolve().parents[1] / "src"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def enospc(*_a, **_k):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_atomic_write_failure_keeps_the_previous_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("previous\n")

    def half_then_fail(p: Path) -> None:
        p.write_text("half a fi")
        enospc()

    with pytest.raises(OutputError, match=r"cannot write .*out\.csv: No space left on device"):
        atomic_write(target, half_then_fail)
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_cli_full_disk_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    target = tmp_path / "segments.csv"
    target.write_text("previous\n")
    monkeypatch.setattr(Path, "write_text", enospc)
    code, _, err = run(capsys, "segment", "--synthetic", "-o", target)
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[-1].startswith("error: cannot write") and "segments.csv" in lines[-1] and "No space left" in lines[-1]
    assert "Traceback" not in err
    monkeypatch.undo()
    assert target.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["segments.csv"]


def test_output_naming_a_directory_is_exit_2_before_any_work(tmp_path, capsys):
    code, _, err = run(capsys, "segment", "--synthetic", "-o", tmp_path)
    assert code == 2
    assert err.startswith("error: output") and "is a directory" in err
    assert list(tmp_path.iterdir()) == []


def test_stdout_to_dev_full_is_one_line(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("/dev/full is absent on this system")
    env = dict(os.environ, PYTHONPATH=str(SRC))
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "nhs_oversight.cli", "segment", "--synthetic", "--format", "csv"],
                           stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=120, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip().splitlines()[-1] == "error: cannot write the output: No space left on device"
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr


def test_kill_during_a_write_leaves_old_or_complete_file(tmp_path):
    """SIGKILL at several moments: the output is the previous file or the whole new one, never a part."""
    target = tmp_path / "segments.csv"
    env = dict(os.environ, PYTHONPATH=str(SRC))
    for delay in (0.5, 1.5, 3.0):
        target.write_text("previous\n")
        p = subprocess.Popen([sys.executable, "-m", "nhs_oversight.cli", "segment", "--synthetic", "-o", str(target)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        text = target.read_text()
        if text != "previous\n":
            df = pd.read_csv(target)
            assert len(df) == 205 and df["final_segment"].notna().all()
        for left in tmp_path.glob(".segments.csv.*.tmp"):  # a killed writer cannot tidy up; it is hidden
            left.unlink()


def test_tiny_tmpfs_full(tmp_path, capsys):
    """A real full disk, when a tiny tmpfs can be mounted here (root in a container); else skipped."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        (mnt / "segments.csv").write_text("previous\n")
        code, _, err = run(capsys, "segment", "--synthetic", "--format", "csv", "-o", mnt / "segments.csv")
        assert code == 2 and "No space left" in err
        assert (mnt / "segments.csv").read_text() == "previous\n"
        assert sorted(p.name for p in mnt.iterdir()) == ["segments.csv"]
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_internal_fault_is_exit_1_with_a_hint(capsys, monkeypatch):
    import nhs_oversight.api as api

    def broken(*_a, **_k):
        raise KeyError("an impossible key")

    monkeypatch.setattr(api, "synthetic_inputs", broken)
    code, _, err = run(capsys, "segment", "--synthetic")
    assert code == 1
    assert err.strip().splitlines() == [
        "internal error: KeyError: 'an impossible key' (this is a bug: please report it with the command you ran;"
        " add --debug before the command for the traceback)"
    ]
    with pytest.raises(KeyError):
        main(["--debug", "segment", "--synthetic"])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["segment", "--synthetic", "--synthetic-quarter", "garbage"], "garbage"),
        (["culture", "--departments", "x.csv", "--draws", "0"], "--draws 0"),
        (["culture", "--departments", "x.csv", "--draws", "-5"], "--draws -5"),
        (["spc", "x.csv", "--date", "d", "--value", "v", "--per", "nan"], "--per nan"),
        (["spc", "x.csv", "--date", "d", "--value", "v", "--columns", "0"], "--columns 0"),
    ],
)
def test_bad_option_values_are_exit_2(args, words, capsys):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and words in err and len(err.strip().splitlines()) == 1


def test_csv_cells_that_would_run_as_formulas_are_neutralised():
    df = pd.DataFrame({
        "org_name": ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "+44 20", "-cmd", "Plain Trust", "-1.5", None],
        "value": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0],
    })
    got = neutralise_formulas(df)
    assert got["org_name"].tolist()[:6] == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'+44 20", "'-cmd", "Plain Trust", "-1.5"]
    assert pd.isna(got["org_name"].iloc[6])
    assert got["value"].tolist() == df["value"].tolist()  # numbers are never touched
    assert df["org_name"].iloc[0].startswith("=")  # the caller's frame is unchanged
    lines = csv_text(df).splitlines()
    assert lines[1] == "\"'=HYPERLINK(\"\"http://x\"\")\",-1.5"


def test_segment_csv_neutralises_a_formula_in_a_trust_name(tmp_path, capsys, acute_q1):
    rows = pd.read_csv(acute_q1, dtype=str, keep_default_na=False)
    code_r0a = rows["Trust_code"] == "R0A"
    rows.loc[code_r0a, "Trust_name"] = "=1+2"
    f = tmp_path / "nof.csv"
    rows.to_csv(f, index=False)
    code, out, _ = run(capsys, "segment", f, "--format", "csv")
    assert code == 0
    table = pd.read_csv(pd.io.common.StringIO(out), dtype=str)
    assert table.loc[table["org_code"] == "R0A", "org_name"].tolist() == ["'=1+2"]


def test_atomic_write_text_replaces_whole(tmp_path):
    target = tmp_path / "a.txt"
    atomic_write_text(target, "one\n")
    atomic_write_text(target, "two\n")
    assert target.read_text() == "two\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_funnel_names_units_left_out_for_a_zero_denominator(tmp_path, capsys):
    f = tmp_path / "units.csv"
    f.write_text("unit,cases,deaths\nA,0,0\nB,100,5\nC,200,9\nD,150,7\n")
    code, out, err = run(capsys, "funnel", f, "--numerator", "deaths", "--denominator", "cases", "--label", "unit", "--format", "csv")
    assert code == 0
    assert "warning: 1 unit(s) with a zero cases are left out: A" in err.splitlines()
    assert pd.read_csv(pd.io.common.StringIO(out))["label"].tolist() == ["B", "C", "D"]
