"""``oversight verify``: recompute and compare with the published figures in the same files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import typer

from nhs_oversight.commands import options as opt
from nhs_oversight.commands.common import emit, warn

#: The exit code of a check that ran and did not pass (1 is kept for internal faults, 2 for bad input).
CHECK_FAILED = 3


def register(app: typer.Typer) -> None:
    @app.command("verify")
    def verify_command(
        files: list[Path] = opt.FILES,
        framework: str = opt.FRAMEWORK,
        cutpoints: str = opt.CUTPOINTS,
        recompute_all: bool = opt.RECOMPUTE_ALL,
        fmt: str = typer.Option("table", "--format", help="table or json."),
        output: Path = opt.OUTPUT,
        show: int = typer.Option(20, "--show", help="Mismatches to list in the table (all are in JSON)."),
        quarter: str = opt.QUARTER,
        organisations: list[Path] = opt.ORGANISATIONS,
        verbose: bool = opt.VERBOSE,
        quiet: bool = opt.QUIET,
    ) -> None:
        """Conformance: recompute every published figure and report match rates.

        Published scores, averages, segments and ranks are removed from the input first (except the
        scores of pooled metrics whose national population is not in the files, and the cut points
        the published segments imply). Also reports the run with every published metric score
        removed. Exits 3 when a match rate is below its target (the check ran; it did not pass).
        """
        from nhs_oversight import api
        from nhs_oversight.compare.verify import verify
        from nhs_oversight.engine import AssessOptions
        from nhs_oversight.engine.options import parse_cutpoints
        from nhs_oversight.errors import OptionError
        from nhs_oversight.util.files import atomic_write_text
        from nhs_oversight.util.jsonable import to_jsonable

        if fmt not in ("table", "json"):
            raise OptionError(f"--format {fmt!r}: choose table or json")
        if not files:
            raise OptionError("no input files: give NHS England's published NOF CSV files")
        fw = api.load_framework(framework)
        data = api.read_inputs(files, fw, quarter, organisations)
        if data.published.empty:
            raise OptionError("the files hold no published scores or segments to compare with")
        options = AssessOptions(cutpoints=parse_cutpoints(cutpoints), recompute_all=recompute_all)
        report, a = verify(data, fw, options)
        bare, _ = verify(data, fw, options, stand_ins=False)
        warn(a.warnings)
        if fmt == "json":
            payload = report.to_dict()
            payload["without_published_metric_scores"] = {"fields": bare.to_dict()["fields"], "metrics": bare.to_dict()["metrics"]}
            text = json.dumps(to_jsonable(payload), indent=2) + "\n"
        else:
            text = _table(report, bare, show)
        if output:
            atomic_write_text(output, text)
            text = None
        emit(text, output)
        if not report.passed:
            raise typer.Exit(CHECK_FAILED)


def _table(report, bare, show: int) -> str:
    f = report.fields.copy()
    f["exact"] = [f"{m}/{c}" for m, c in zip(f["matched"], f["compared"], strict=True)]
    f["rate"] = (f["match_rate"] * 100).map(lambda v: f"{v:.1f}%")
    f["within 0.01"] = [("" if np.isnan(w) else f"{int(w)}/{c}") for w, c in zip(f["within_0_01"], f["compared"], strict=True)]
    f["target"] = f["target"].map(lambda t: "" if t != t else f">= {t * 100:.1f}%")
    f["ok"] = f["meets_target"].map({True: "yes", False: "NO"})
    b = bare.fields.set_index("field")
    f["exact without stand-ins"] = f["field"].map(lambda k: f"{b.loc[k, 'matched']}/{b.loc[k, 'compared']}" if k in b.index else "")
    meta = report.meta
    cut = meta["cutpoints"]["overall"]
    lines = [
        f"Conformance of {meta['framework']} on {', '.join(Path(p).name for p in meta['source_files'])} ({meta['period']})",
        f"Cut points: {cut['method']} {' / '.join(f'{v:.3f}' for v in cut['values'])}{'; ' + cut['detail'] if cut['detail'] else ''}",
        "Exact: equal segments and ranks, scores equal at 2 dp. 'within 0.01' counts scores within a hundredth; they are not matches.",
        "",
        f[["field", "what", "exact", "rate", "within 0.01", "target", "ok", "exact without stand-ins"]].to_string(index=False),
        "",
        "By trust type (exact):",
        report.by_type.to_string(index=False),
        "",
    ]
    if len(report.stand_ins):
        lines.append("Published scores standing in (their scoring population is not in the input):")
        for r in report.stand_ins.itertuples():
            size = r.unrounded_with_national_group
            n = f"; unrounded with the implied national group of {int(size)}" if size is not None and size == size else ""
            lines.append(f"  {r.metric_id} {r.metric}: {r.trusts} trust(s); needs {r.population_missing}{n}")
        lines.append("")
    lines += [
        "Per metric (scores equal to the published 2-dp score):",
        report.metrics[["score_id", "metric", "population", "computed", "published", "input", "compared", "matched"]].to_string(index=False),
        "",
    ]
    mm = report.mismatches
    if len(mm):
        lines.append(f"{len(mm)} mismatch(es){' (first ' + str(show) + ')' if len(mm) > show else ''}:")
        lines.append(mm.head(show).to_string(index=False))
    else:
        lines.append("No mismatches: every recomputed figure equals the published one.")
    lines.append(f"\nResult: {'PASS' if report.passed else 'FAIL'} (targets: {', '.join(f'{k} {v:.3g}' for k, v in meta['targets'].items())})")
    return "\n".join(lines) + "\n"
