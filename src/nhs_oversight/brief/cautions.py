"""The caution and sources sections: what the figures cannot say, and where they come from."""

from __future__ import annotations

import math
from typing import Any

from nhs_oversight.brief import facts
from nhs_oversight.brief import language as L
from nhs_oversight.brief.model import Paragraph, Section, Sentence, Table
from nhs_oversight.brief.sentences import period_of, source
from nhs_oversight.engine import Assessment

_CUT_METHOD = {
    "national quartiles": "the quartiles of the national distribution of average scores",
    "implied by published segments": "those implied by NHS England's published segments",
    "fixed": "fixed by the user",
    "framework thresholds": "the framework's fixed thresholds",
    "quartiles of the input": "the quartiles of the input's average scores only",
}


def cut_text(values: tuple[float, ...] | list[float]) -> str:
    """Cut points as published-style decimals (up to three places, no trailing zeros)."""
    return L.join([f"{v:.3f}".rstrip("0").rstrip(".") for v in values])


def caution(a: Assessment, previous: Assessment | None, uncertainty: Any) -> Section:
    first, unsure = _uncertainty(a, uncertainty)
    out = [first]
    summary_src = source(a, "assessment summary")
    if a.framework.recovery_support is not None:
        seg = a.framework.recovery_support.segment
        out.append(Sentence(
            f"Segment {seg} is not a score: it records that the trust is in the Recovery Support Programme, a programme decision "
            "that the input gives as a flag.",
            {"segment": seg},
            source(a, "assessment summary: recovery_support (OF5007)"),
        ))
    if a.framework.financial_override is not None:
        out.append(Sentence(
            "Whether a trust is in deficit or receiving deficit support is taken from the flag in the input; this briefing does not "
            "infer it from the finance metrics.",
            {},
            source(a, "assessment summary: financial_flag (OF5004)"),
        ))
    out.append(_population(a))
    if previous is not None:
        out.extend(_between_quarters(a, previous))
    out.append(Sentence(
        "Segments describe scores on the framework's metrics; neither they nor the differences between regions, ICBs and trust "
        "types show what causes a trust's results.",
        {},
        summary_src,
    ))
    if a.framework.is_provisional:
        out.append(Sentence(
            f"The method version {a.framework.id} is provisional in parts, so its segments may change when the rules are confirmed.",
            {"framework": a.framework.id},
            summary_src,
        ))
    labels = sorted({x.label for x in (a, previous) if x is not None and x.label})
    for label in labels:
        out.append(Sentence(
            f"These are {label} data about fictional trusts, for demonstration only; they say nothing about real NHS trusts."
            if label == "SYNTHETIC"
            else f"The data are labelled {label}.",
            {"dataset": label},
            summary_src,
        ))
    blocks: list = [Paragraph(tuple(out), bullets=True)]
    if unsure is not None:
        blocks.append(unsure)
    return Section("caution", "Caution", tuple(blocks))


def _uncertainty(a: Assessment, uncertainty: Any) -> tuple[Sentence, Table | None]:
    """How sure each segment is, from the uncertainty module's labels (read, not recomputed)."""
    src = source(a, "segment uncertainty (nhs_oversight.uncertainty.simulate): label, p_same, rank_low, rank_high")
    if isinstance(uncertainty, str):
        text = (
            f"How certain each trust's segment is {uncertainty}, so small differences in average score near a cut point "
            "should not be read as real differences."
        )
        return Sentence(text, {}, src), None
    table = uncertainty.table
    meta = uncertainty.meta
    n = len(table)
    labels = table["label"].value_counts()
    counts = {k: int(labels.get(k, 0)) for k in ("stable", "probable", "uncertain")}
    limit = round(100 * float(meta["labels"]["probable"]))
    draws = int(meta["draws"])
    text = (
        f"In {L.number(draws)} simulations of each trust's metric scores ({meta['method']}, seed {meta['seed']}), the segment from "
        f"scores is uncertain for {L.share(counts['uncertain'], n)} of trusts (the same in fewer than {limit}% of simulations); "
        f"{L.number(counts['probable'])} {'is' if counts['probable'] == 1 else 'are'} probable and {L.number(counts['stable'])} stable."
    )
    figures = {
        **counts,
        "trusts": n,
        "percent": L.percent(counts["uncertain"], n),
        "draws": draws,
        "seed": meta["seed"],
        "method": meta["method"],
        "uncertain_below_percent": limit,
    }
    unsure = table[table["label"] == "uncertain"].sort_values(["p_same", "org_code"])
    if unsure.empty:
        return Sentence(text, figures, src), None
    rows = tuple(
        (
            str(r.org_name),
            str(r.org_code),
            str(r.final_segment),
            str(r.segment),
            f"{math.floor(1000 * float(r.p_same)) / 10:.1f}%",
            f"{r.rank_low} to {r.rank_high} of {r.rank_of}",
        )
        for r in unsure.itertuples(index=False)
    )
    columns = ("Trust", "ODS code", "Final segment", "Segment from scores", "Same segment in simulations", "Likely rank")
    return Sentence(text, figures, src), Table(f"Trusts whose segment is uncertain, {period_of(a)}", columns, rows, src)


def _population(a: Assessment) -> Sentence:
    cut = a.cutpoints["overall"]
    how = _CUT_METHOD.get(cut.method, cut.method)
    figures = {"cutpoints": list(cut.values), "method": cut.method, "trusts": len(a.summary)}
    src = source(a, "assessment cut points (overall) and national flag")
    if a.national:
        return Sentence(f"The segment cut points ({cut_text(cut.values)}) are {how}.", figures, src)
    types = [a.framework.trust_type_label(t) for t in a.inputs.trust_types]
    figures["trust_types"] = types
    return Sentence(
        f"The input holds {L.count(len(a.summary), 'trust')} ({L.join([t[:1].lower() + t[1:] + 's' for t in types])} only), not the national "
        f"population, so the segment cut points ({cut_text(cut.values)}) are {how}.",
        figures,
        src,
    )


def _between_quarters(a: Assessment, previous: Assessment) -> list[Sentence]:
    out = []
    now, before = a.cutpoints["overall"].values, previous.cutpoints["overall"].values
    src = f"{source(previous, 'assessment cut points (overall)')}; {source(a, 'assessment cut points (overall)')}"
    if tuple(now) != tuple(before):
        out.append(Sentence(
            f"The cut points were {cut_text(before)} in {period_of(previous)} and {cut_text(now)} in {period_of(a)}, so a trust "
            "can change segment with the same average score.",
            {"previous_period": period_of(previous), "period": period_of(a), "previous_cutpoints": list(before), "cutpoints": list(now)},
            src,
        ))
    now_codes, before_codes = set(a.summary["org_code"]), set(previous.summary["org_code"])
    only_now, only_before = len(now_codes - before_codes), len(before_codes - now_codes)
    if only_now or only_before:
        out.append(Sentence(
            f"The quarters do not cover the same trusts ({L.number(only_now)} only in {period_of(a)}, "
            f"{L.number(only_before)} only in {period_of(previous)}), so the change in each segment's count is not like for like.",
            {"previous_period": period_of(previous), "period": period_of(a), "only_now": only_now, "only_before": only_before},
            src,
        ))
    if a.framework.id != previous.framework.id:
        out.append(Sentence(
            f"The quarters were assessed with different method versions ({previous.framework.id} and {a.framework.id}), whose "
            "metrics and rules may differ.",
            {"previous_framework": previous.framework.id, "framework": a.framework.id},
            src,
        ))
    return out


def sources(a: Assessment, previous: Assessment | None) -> Section:
    blocks = []
    for x, when in ((a, "this quarter"), (previous, "the previous quarter")):
        if x is None:
            continue
        fw = x.framework
        files = facts.source_files(x)
        status = "provisional" if fw.is_provisional else fw.status
        cut = x.cutpoints["overall"]
        sentences = [
            Sentence(
                f"Figures for {period_of(x)} ({when}) come from {L.join(files) or 'inputs given in Python'}, assessed with the "
                f"{fw.name} method ({fw.id}, {status}).",
                {"period": period_of(x), "files": files, "framework": fw.id, "framework_name": fw.name, "status": status},
                source(x, "assessment provenance"),
            ),
            Sentence(
                f"Segment cut points: {cut_text(cut.values)} ({cut.method}{'; ' + cut.detail if cut.detail else ''}).",
                {"cutpoints": list(cut.values), "method": cut.method, "detail": cut.detail},
                source(x, "assessment cut points (overall)"),
            ),
        ]
        if x.label:
            sentences.append(Sentence(f"Dataset: {x.label}.", {"dataset": x.label}, source(x, "assessment inputs label")))
        blocks.append(Paragraph(tuple(sentences)))
        if x.warnings:
            blocks.append(Paragraph((Sentence(f"Notes from the assessment of {period_of(x)}:", {"period": period_of(x)}, source(x, "assessment warnings")),)))
            blocks.append(Paragraph(tuple(Sentence(w, {"note": w}, source(x, "assessment warnings")) for w in x.warnings), bullets=True))
    return Section("sources", "About these figures", tuple(blocks))
