"""Render an explanation as plain text (terminal) or Markdown (briefings). Nothing is computed here.

Both renderers walk the same list of blocks (headings, paragraphs, numbered lists, tables), so
the two formats always say the same thing.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from nhs_oversight.explain.formatting import cut_text, is_missing, score_text
from nhs_oversight.util.labels import label_prefix

if TYPE_CHECKING:
    from nhs_oversight.explain.model import ExplanationRecord

Block = tuple  # ("h", level, text) | ("p", text) | ("ol", [text]) | ("ul", [text]) | ("table", headers, rows)


def _num(x, fmt: str = "{:.2f}") -> str:
    return "" if is_missing(x) else fmt.format(x)


def _signed(x) -> str:
    if is_missing(x):
        return ""
    return f"{x:+.3f}" if abs(x) >= 0.0005 else "0.000"


def blocks(e: ExplanationRecord) -> list[Block]:
    """The explanation as a document: answer first, then the steps, the figures and the moves."""
    prov = e.provenance
    label = label_prefix(prov.get("dataset"))
    out: list[Block] = [
        ("h", 1, f"{e.org_code} {e.org_name}: segment {e.final_segment if e.final_segment is not None else '-'}"),
        ("p", f"{label}{prov.get('framework_name', prov.get('framework'))}, {prov.get('period') or 'period not stated'}; "
              f"{e.trust_type_label}."),
        ("p", e.headline),
        ("h", 2, "How the segment was reached"),
        ("ol", [s.text for s in e.steps]),
        ("h", 2, "What would change it"),
    ]
    out += _move_blocks(e)
    out += _metric_blocks(e)
    out += _standing_blocks(e)
    out += _source_blocks(prov)
    return out


def _move_blocks(e: ExplanationRecord) -> list[Block]:
    """What would change the segment: each adjacent segment's distance, moves and plan."""
    out: list[Block] = []
    for d in e.distance:
        if d.target_segment is not None:
            title = ("Up to" if d.direction == "better" else "Down to") + f" segment {d.target_segment}"
        else:
            title = "Up" if d.direction == "better" else "Down"
        out.append(("h", 3, title))
        out.append(("p", d.text))
        if d.moves:
            out.append(("ol", [m.text + (f", rank {m.resulting_rank}" if m.resulting_rank is not None else "") for m in d.moves]))
        plan = next((p for p in e.plans if p.direction == d.direction and p.target_segment == d.target_segment), None)
        if plan is not None:
            out.extend(plan_blocks(plan))
    if e.not_offered:
        by_reason: dict[str, list[str]] = {}
        for n in e.not_offered:
            by_reason.setdefault(n["reason"], []).append(f"{n['metric_id']} {n['short_name']}")
        out.append(("p", "Not offered as moves: " + "; ".join(f"{', '.join(ms)} ({why})" for why, ms in by_reason.items()) + "."))
    out.append(("p", "Moves hold every other trust's values and the cut points fixed; the financial override and "
                     "Recovery Support Programme flags are inputs and do not change. Effort is the change as a share of "
                     "the spread of the scoring group's values."))
    return out


def _metric_blocks(e: ExplanationRecord) -> list[Block]:
    """Each metric's score and pull on the average, against its peers, and how it was scored."""
    out: list[Block] = []
    out.append(("h", 2, "Metrics"))
    out.append(("p", "Contribution: how much worse (+) or better (-) than the trust's own average each metric pulls it "
                     "(weight x (score - average) / total weight; they sum to zero). Share: weight x score / total "
                     "weight (they sum to the average)."))
    rows = []
    for m in e.metrics:
        rows.append([
            m.metric_id, m.short_name, m.value_text, score_text(m.score), _num(m.weight, "{:.3g}") if m.in_average else "not averaged",
            _signed(m.contribution), _num(m.share, "{:.3f}"),
        ])
    out.append(("table", ["Metric", "Name", "Value", "Score", "Weight", "Contribution", "Share"], rows))
    if e.against_peers:
        out.append(("h", 2, "Against peers"))
        out.append(("p", "Each metric's value beside its group's median and quartiles: NHS England's where the file gives "
                         "them (published), computed over the scoring group otherwise. Quartile 1 is the best quarter of the group."))
        out.append(("table", ["Metric", "Name", "Value", "Lower quartile", "Median", "Upper quartile", "Quartile", "Group", "Source"], [
            [v.metric_id, v.short_name, v.value_text, _num(v.lower_quartile, "{:g}"), _num(v.median, "{:g}"),
             _num(v.upper_quartile, "{:g}"), "" if v.quarter is None else str(v.quarter), f"{v.group_size} {v.group}", v.source]
            for v in e.against_peers
        ]))
    out.append(("p", "How each metric was scored, and the input row it came from:"))
    out.append(("ul", [f"{m.metric_id} {m.short_name}: {m.rule_text} [{m.input_row}]" for m in e.metrics]))
    return out


def _standing_blocks(e: ExplanationRecord) -> list[Block]:
    """The domains and the neighbours in the league table, when the explanation holds them."""
    out: list[Block] = []
    if e.domains:
        out.append(("h", 2, "Domains"))
        out.append(("table", ["Domain", "Metrics", "Score", "Segment", "Rank", "Cut points"], [
            [d.name, str(d.n_metrics), _num(d.score_2dp), "" if d.segment is None else str(d.segment),
             "" if d.rank is None else f"{d.rank} of {d.rank_of}",
             " / ".join(cut_text(c) for c in d.cut_points) if d.cut_points else ""]
            for d in e.domains
        ]))
    if e.peers:
        out.append(("h", 2, f"Neighbours in the {e.trust_type_label.lower()} league table"))
        you = ["", e.org_code, e.org_name, _num(e.average_score), str(e.final_segment), str(e.rank)]
        above = [p for p in e.peers if p.position == "above"]
        below = [p for p in e.peers if p.position == "below"]

        def row(p):
            return ["", p.org_code, p.org_name, _num(p.average_score), str(p.final_segment), str(p.rank)]

        table = [row(p) for p in above] + [["this trust", *you[1:]]] + [row(p) for p in below]
        out.append(("table", ["", "ODS", "Trust", "Average", "Segment", "Rank"], table))
    return out


def _source_blocks(prov: dict) -> list[Block]:
    """Where the figures came from: framework, period, files, cut points, dataset."""
    out: list[Block] = []
    files = ", ".join(prov.get("source_files") or []) or "not recorded"
    cut = prov.get("cutpoints", {}).get("overall", {})
    out.append(("h", 2, "Source"))
    out.append(("ul", [
        f"Framework: {prov.get('framework')} ({prov.get('framework_status')})",
        f"Period: {prov.get('period') or 'not stated'}",
        f"Files: {files}",
        f"Cut points: {' / '.join(cut_text(c) for c in cut.get('values', []))} ({cut.get('method', '')})",
        *( [f"Dataset: {prov['dataset']}"] if prov.get("dataset") else [] ),
    ]))
    return out


def plan_blocks(plan) -> list[Block]:
    """A plan: its steps or its changes as a list, the result, and the single metric closing most of the gap."""
    out: list[Block] = []
    if not plan.found:
        out.append(("p", f"Plan: {plan.text}"))
    elif len(plan.steps) > 1 or plan.steps[0].name == "finance":
        out.append(("p", f"Plan to segment {plan.target_segment}, in {len(plan.steps)} step{'s' if len(plan.steps) > 1 else ''} "
                         "(checked by re-running the engine on every change together):"))
        out.append(("ol", [s.text for s in plan.steps]))
    else:
        n = plan.n_changes
        out.append(("p", f"Least-effort plan to segment {plan.target_segment}, {n} metric{'s' if n != 1 else ''} (effort "
                         f"{plan.effort:.2f}; checked by re-running the engine): segment {plan.resulting_segment}, average "
                         f"{plan.resulting_average:.2f}" + (f", rank {plan.resulting_rank}" if plan.resulting_rank is not None else "") + "."))
        out.append(("ol", [c.text for c in plan.steps[0].changes]))
    if plan.largest_single_text:
        out.append(("p", plan.largest_single_text))
    return out


def explanation_text(e: ExplanationRecord, width: int = 100) -> str:
    """Plain text for a terminal: wrapped paragraphs and fixed-width tables."""
    lines: list[str] = []
    for b in blocks(e):
        kind = b[0]
        if kind == "h":
            _, level, text = b
            if lines:
                lines.append("")
            lines.append(text)
            lines.append(("=" if level == 1 else "-" if level == 2 else "~") * min(len(text), width))
        elif kind == "p":
            lines.extend(textwrap.wrap(b[1], width) or [""])
        elif kind in ("ol", "ul"):
            for i, item in enumerate(b[1], 1):
                bullet = f"{i}. " if kind == "ol" else "- "
                lines.extend(textwrap.wrap(item, width, initial_indent=bullet, subsequent_indent=" " * len(bullet)))
        elif kind == "table":
            _, headers, rows = b
            lines.extend(_fixed_width(headers, rows))
    return "\n".join(lines) + "\n"


def _fixed_width(headers: list[str], rows: list[list[str]], max_col: int = 60) -> list[str]:
    cells = [[str(h) for h in headers]] + [[str(c) if len(str(c)) <= max_col else str(c)[: max_col - 1] + "…" for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*cells[0]).rstrip(), "  ".join("-" * w for w in widths)]
    out += [fmt.format(*r).rstrip() for r in cells[1:]]
    return out


def explanation_markdown(e: ExplanationRecord) -> str:
    """Markdown for a briefing or a pull request: the same content as the text, with pipe tables."""
    lines: list[str] = []
    for b in blocks(e):
        kind = b[0]
        if kind == "h":
            lines += ["#" * b[1] + " " + _md(b[2]), ""]
        elif kind == "p":
            lines += [_md(b[1]), ""]
        elif kind in ("ol", "ul"):
            for i, item in enumerate(b[1], 1):
                lines.append((f"{i}. " if kind == "ol" else "- ") + _md(item))
            lines.append("")
        elif kind == "table":
            _, headers, rows = b
            lines.append("| " + " | ".join(_cell(h) for h in headers) + " |")
            lines.append("|" + "|".join("---" for _ in headers) + "|")
            lines += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
            lines.append("")
    if e.warnings:
        lines += ["## Notes", ""] + [f"- {_md(w)}" for w in e.warnings] + [""]
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    return str(text).replace("*", "\\*").replace("_", "\\_")


def _cell(text: str) -> str:
    return _md(text).replace("|", "\\|").replace("\n", " ")
