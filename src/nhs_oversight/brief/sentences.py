"""The headline, where and why sections: figures from ``facts`` put into careful sentences."""

from __future__ import annotations

from nhs_oversight.brief import facts
from nhs_oversight.brief import language as L
from nhs_oversight.brief.model import Paragraph, Section, Sentence, Table
from nhs_oversight.engine import Assessment
from nhs_oversight.engine.groupings import GROUPINGS
from nhs_oversight.engine.segments import QUARTILE_SEGMENTS, SEGMENTS

BOTTOM_TEXT = "segment 4 or 5"
TOP_TEXT = "segment 1"
SEGMENT_4_TEXT = "segment 4"
SEGMENT_3_4_TEXT = "segment 3 or 4"
#: Breakdowns whose group with the largest share in segment 4, and in 3 or 4, is named first,
#: as NHS England's commentary and the press do.
NAMED_FIRST = ("region", "trust_type")
_COLUMN_SEGMENTS = {"bottom": [4, 5], "top": [1], "segment_4": [4], "segment_3_4": [3, 4]}


def period_of(a: Assessment) -> str:
    return a.period or "the period of the input"


def source(a: Assessment, what: str) -> str:
    """Where a figure comes from: the assessment table and columns, the files and the quarter."""
    return f"{what}; {', '.join(facts.source_files(a)) or 'inputs given in Python'}; {period_of(a)}"


def _seg_figures(counts: dict[int, int], base: int, segments: tuple[int, ...]) -> dict[str, dict[str, float]]:
    return {str(k): {"count": counts[k], "percent": L.percent(counts[k], base)} for k in segments}


# -- headline ------------------------------------------------------------------------------------
def headline(a: Assessment, previous: Assessment | None) -> Section:
    counts = a.segment_totals()
    n = len(a.summary)
    src = source(a, "assessment summary: final_segment (OF5005)")
    parts = [f"{L.share(counts[k], n)} {'are ' if k == 1 else ''}in segment {k}" for k in QUARTILE_SEGMENTS]
    first = Sentence(
        f"In {period_of(a)}, {L.count(n, 'trust')} {'was' if n == 1 else 'were'} assessed: {L.join(parts)}.",
        {"period": period_of(a), "trusts": n, "segments": _seg_figures(counts, n, QUARTILE_SEGMENTS)},
        src,
    )
    sentences = [first, _segment_5(a, counts[5], n)]
    missing = facts.unsegmented(a.summary)
    if missing:
        sentences.append(
            Sentence(f"{L.capitalise(L.count(missing, 'trust'))} {'has' if missing == 1 else 'have'} no segment.", {"unsegmented": missing}, src)
        )
    if previous is not None:
        sentences.append(_against_previous(previous, counts))
    return Section("headline", "Headline", (Paragraph(tuple(sentences)),))


def _segment_5(a: Assessment, in5: int, n: int) -> Sentence:
    src = source(a, "assessment summary: final_segment (OF5005), adjusted_segment (OF5000), recovery_support (OF5007)")
    if in5 == 0:
        return Sentence("No trusts are in segment 5, the Recovery Support Programme.", {"segment": 5, "count": 0}, src)
    by_adjusted = facts.recovery_support(a)
    (k0, v0), *others = by_adjusted.items()
    if not others:
        who = "that trust" if in5 == 1 else "all of them"
        rest = f"{who} would otherwise be in segment {k0}"
    else:
        first = f"{L.number(v0)} of them would otherwise be in segment {k0}"
        rest = L.join([first, *(f"{L.number(v)} in segment {k}" for k, v in others)])
    return Sentence(
        f"A further {L.share(in5, n)} {'is' if in5 == 1 else 'are'} in segment 5, the Recovery Support Programme; {rest}.",
        {"segment": 5, "count": in5, "percent": L.percent(in5, n), "trusts": n, "otherwise_in_segment": {str(k): v for k, v in by_adjusted.items()}},
        src,
    )


def _against_previous(previous: Assessment, counts: dict[int, int]) -> Sentence:
    before = previous.segment_totals()
    m = len(previous.summary)
    parts = []
    for k in SEGMENTS:
        d = counts[k] - before[k]
        if d > 0:
            change = L.count(d, "more trust", "more trusts")
        elif d < 0:
            change = L.count(-d, "fewer trust", "fewer trusts")
        else:
            change = ""
        has = "has " if k == 1 else ""
        if change:
            parts.append(f"segment {k} {has}{change} ({L.number(counts[k])} against {L.number(before[k])})")
        else:
            parts.append(f"segment {k} {has}the same number ({L.number(counts[k])})")
    return Sentence(
        f"Against {period_of(previous)}, when {L.count(m, 'trust')} {'was' if m == 1 else 'were'} assessed, {L.join(parts)}.",
        {
            "previous_period": period_of(previous),
            "previous_trusts": m,
            "segments": {str(k): _change(counts[k], before[k]) for k in SEGMENTS},
        },
        source(previous, "assessment summary of the previous quarter: final_segment (OF5005)"),
    )


def _change(now: int, before: int) -> dict[str, int]:
    d = now - before
    return {"now": now, "before": before, **({"more": d} if d > 0 else {"fewer": -d} if d < 0 else {"same": 0})}


# -- where ----------------------------------------------------------------------------------------
_PREPOSITION = {"region": "in", "icb": "in", "trust_type": "among"}
_TITLE = {"region": "Region", "icb": "ICB", "trust_type": "Trust type"}


def _display(by: str, name: str) -> str:
    """How a group is named mid-sentence: regions and ICBs as published, trust types in the plural."""
    return f"{name[:1].lower()}{name[1:]}s" if by == "trust_type" else name


def where(a: Assessment, by: tuple[str, ...]) -> tuple[Section, dict[str, list[dict]]]:
    blocks: list = []
    breakdowns: dict[str, list[dict]] = {}
    summary = facts.labelled(a)
    for key in by:
        noun = GROUPINGS[key].noun
        src = source(a, f"assessment summary: final_segment (OF5005) by {GROUPINGS[key].name_column}")
        if not facts.available(summary, key):
            blocks.append(Paragraph((Sentence(f"The input does not name each trust's {noun}, so there is no breakdown by {noun}.", {}, src),)))
            continue
        table = facts.group_table(summary, key)
        breakdowns[key] = [
            {"group": r.group, "code": r.code, "trusts": int(r.trusts), "segment_counts": {str(k): int(getattr(r, f"segment_{k}")) for k in SEGMENTS}}
            for r in table.itertuples(index=False)
        ]
        blocks.append(Paragraph(tuple(_where_sentences(key, noun, table, src))))
        blocks.append(_group_table(a, key, table, src))
    return Section("where", "Where", tuple(blocks)), breakdowns


def _where_sentences(key: str, noun: str, table, src: str) -> list[Sentence]:
    named = table[table["group"] != "not given"]
    if len(named) == 1:
        g = named.iloc[0]
        who = f"All {L.count(int(g.trusts), 'trust')}" + (f" with a {noun} given" if len(table) > 1 else "")
        where = f"are {_display(key, g.group)}" if key == "trust_type" else f"are in one {noun}, {g.group}"
        return [Sentence(f"{who} {where}, so there is no comparison by {noun}.", {"trusts": int(g.trusts), "group": g.group, "groups": 1}, src)]
    out = []
    compared = table[(table["group"] != "not given")]
    comp = facts.largest_share(compared, "bottom")
    if comp.compared < 2:
        out.append(Sentence(f"Fewer than two {L.plural(2, noun)} have three or more trusts, so there is no comparison by {noun}.", {"groups": 2, "min_group": facts.MIN_GROUP}, src))
    else:
        if key in NAMED_FIRST:
            compared = compared.assign(segment_3_4=compared["segment_3"] + compared["segment_4"])
            for column, label in (("segment_4", SEGMENT_4_TEXT), ("segment_3_4", SEGMENT_3_4_TEXT)):
                out.append(_named(key, noun, facts.largest_share(compared, column), label, column, src))
        for first, (column, label) in enumerate((("bottom", BOTTOM_TEXT), ("top", TOP_TEXT))):
            lead = first == 0 and key not in NAMED_FIRST
            out.append(_largest(key, noun, facts.largest_share(compared, column), label, column, src, lead=lead))
    small = compared[compared["small"]]
    if len(small):
        names = [f"{r.group} ({L.count(int(r.trusts), 'trust')})" for r in small.itertuples(index=False)]
        out.append(Sentence(
            f"{L.capitalise(L.count(len(small), noun))} with fewer than three trusts {'is' if len(small) == 1 else 'are'} left out of "
            f"{'this comparison' if comp.compared < 2 else 'these comparisons'}: {L.join(names)}.",
            {"groups": len(small), "min_group": facts.MIN_GROUP, "small_groups": {r.group: int(r.trusts) for r in small.itertuples(index=False)}},
            src,
        ))
    unnamed = table[table["group"] == "not given"]
    if len(unnamed):
        k = int(unnamed.iloc[0].trusts)
        out.append(Sentence(f"{L.capitalise(L.count(k, 'trust'))} with no {noun} in the input {'is' if k == 1 else 'are'} left out of the comparison by {noun}.", {"trusts": k}, src))
    return out


def _share_figures(comp: facts.Largest, column: str) -> dict:
    """The figures behind a largest-share sentence: the segments counted and each winning group's share."""
    return {
        "segments": _COLUMN_SEGMENTS[column],
        "groups_compared": comp.compared,
        "groups": {r.group: {"count": int(getattr(r, column)), "trusts": int(r.trusts), "percent": L.percent(int(getattr(r, column)), int(r.trusts))}
                   for r in comp.winners.itertuples(index=False)},
    }


def _none_compared(noun: str, comp: facts.Largest, label: str, figures: dict, src: str) -> Sentence:
    return Sentence(f"None of the {L.number(comp.compared)} {L.plural(comp.compared, noun)} compared has a trust in {label}.", figures, src)


def _named(key: str, noun: str, comp: facts.Largest, label: str, column: str, src: str) -> Sentence:
    """"The region with the largest share of its trusts in segment 4 is ...": the question asked first."""
    w = comp.winners
    figures = _share_figures(comp, column)
    if comp.share == 0:
        return _none_compared(noun, comp, label, figures, src)
    names = [_display(key, r.group) for r in w.itertuples(index=False)]
    shares = [L.of(int(getattr(r, column)), int(r.trusts)) for r in w.itertuples(index=False)]
    pct = L.percent(int(getattr(w.iloc[0], column)), int(w.iloc[0].trusts))
    if len(w) == 1:
        return Sentence(f"The {noun} with the largest share of its trusts in {label} is {names[0]}: {pct}% ({shares[0]}).", figures, src)
    return Sentence(
        f"The {L.plural(2, noun)} with the largest share of their trusts in {label} are {L.join(names)}: {pct}% in each ({L.join(shares)}).",
        figures, src,
    )


def _largest(key: str, noun: str, comp: facts.Largest, label: str, column: str, src: str, lead: bool) -> Sentence:
    w = comp.winners
    figures = _share_figures(comp, column)
    if comp.share == 0:
        return _none_compared(noun, comp, label, figures, src)
    names = [_display(key, r.group) for r in w.itertuples(index=False)]
    prep = _PREPOSITION[key]
    shares = [L.of(int(getattr(r, column)), int(r.trusts)) for r in w.itertuples(index=False)]
    pct = L.percent(int(getattr(w.iloc[0], column)), int(w.iloc[0].trusts))
    tail = f"{pct}% ({shares[0]})" if len(w) == 1 else f"{pct}% in each ({L.join(shares)})"
    start = f"By {noun}, the largest share of trusts in {label}" if lead else f"The largest share in {label}"
    return Sentence(f"{start} is {prep} {L.join(names)}: {tail}.", figures, src)


def _group_table(a: Assessment, key: str, table, src: str) -> Table:
    def pct(n: int, d: int) -> str:
        return f"{L.percent(n, d)}% ({n} of {d})"

    rows = tuple(
        (
            r.group + (" (fewer than three trusts)" if r.small and r.group != "not given" else ""),
            *((r.code or "",) if key == "icb" else ()),
            str(r.trusts),
            *(str(getattr(r, f"segment_{k}")) for k in SEGMENTS),
            pct(int(r.bottom), int(r.trusts)),
            pct(int(r.top), int(r.trusts)),
        )
        for r in table.itertuples(index=False)
    )
    columns = (_TITLE[key], *(("ICB code",) if key == "icb" else ()), "Trusts", *(f"Segment {k}" for k in SEGMENTS), "In segment 4 or 5", "In segment 1")
    return Table(f"Final segment by {GROUPINGS[key].noun}, {period_of(a)}", columns, rows, src)


# -- why -------------------------------------------------------------------------------------------
def why(a: Assessment) -> Section:
    blocks = [Paragraph(tuple(_override_sentences(a)))]
    worst = facts.worst_metrics(a)
    if worst:
        src = source(a, "assessment metrics: score_2dp where in_average, by final_segment")
        intro = Sentence(
            "The metrics that most often give a trust its worst score, by segment (scores run from 1, the best, to 4, the worst; "
            "a trust with several metrics tied at its worst counts for each):",
            {"best_score": 1, "worst_score": 4},
            src,
        )
        blocks.append(Paragraph((intro,)))
        blocks.append(Paragraph(tuple(_worst_sentence(w, src) for w in worst), bullets=True))
    return Section("why", "Why", tuple(blocks))


def _override_sentences(a: Assessment) -> list[Sentence]:
    src = source(a, "assessment summary: financial_flag (OF5004), financial_override, unadjusted_segment (OF5003), adjusted_segment (OF5000)")
    fo = a.framework.financial_override
    if fo is None:
        return [Sentence(f"The method ({a.framework.id}) has no financial override.", {"framework": a.framework.id}, src)]
    o = facts.override(a)
    cap = fo.cap
    flag_words = "flagged in the input as in deficit or receiving deficit support"
    out = []
    if o.moved == 0:
        out.append(Sentence(
            f"The financial override moved no trusts into segment {cap}: none of the {L.count(o.flagged, 'trust')} {flag_words} "
            f"was in segment {L.join([str(k) for k in fo.segments], 'or')}.",
            {"cap": cap, "moved": 0, "flagged": o.flagged, "override_segments": list(fo.segments)},
            src,
        ))
    else:
        sources = {k: v for k, v in o.moved_from.items() if v}
        if len(sources) == 1:
            whence = f" from segment {next(iter(sources))}"
        else:
            whence = f" ({L.join([f'{L.number(v)} from segment {k}' for k, v in sources.items()])})"
        out.append(Sentence(
            f"The financial override moved {L.count(o.moved, 'trust')} into segment {cap}{whence}; "
            f"{'it is' if o.moved == 1 else 'each is'} {flag_words}.",
            {"cap": cap, "moved": o.moved, "moved_from_segment": {str(k): v for k, v in o.moved_from.items() if v}},
            src,
        ))
        if o.moved_now_in_5:
            out.append(Sentence(
                f"Of the {L.count(o.moved, 'trust')} moved, {L.number(o.moved_now_in_5)} {'is' if o.moved_now_in_5 == 1 else 'are'} now in segment 5, the Recovery Support Programme.",
                {"count": o.moved_now_in_5, "moved": o.moved, "segment": 5},
                src,
            ))
        first, *rest = fo.segments
        before = [f"segment {first} had {L.count(o.unadjusted[first], 'trust')}", *(f"segment {k} had {L.number(o.unadjusted[k])}" for k in rest)]
        after = [L.number(o.adjusted[k]) for k in fo.segments]
        out.append(Sentence(
            f"Before the override, {L.join(before)}; after it, {L.join(after)}.",
            {"segments": list(fo.segments), "before": [o.unadjusted[k] for k in fo.segments], "after": [o.adjusted[k] for k in fo.segments]},
            src,
        ))
    if o.flagged_unaffected and o.moved:
        other = [k for k in QUARTILE_SEGMENTS if k not in fo.segments]
        out.append(Sentence(
            f"A further {L.count(o.flagged_unaffected, 'flagged trust')} {'was' if o.flagged_unaffected == 1 else 'were'} already in "
            f"segment {L.join([str(k) for k in other], 'or')}, where the override changes nothing.",
            {"count": o.flagged_unaffected, "flagged": o.flagged, "segments": other},
            src,
        ))
    if o.flag_missing:
        out.append(Sentence(
            f"The input has no financial flag for {L.count(o.flag_missing, 'trust')}, so the override was not applied to {'it' if o.flag_missing == 1 else 'them'}.",
            {"count": o.flag_missing},
            src,
        ))
    return out


def _worst_sentence(w: facts.WorstMetrics, src: str) -> Sentence:
    names = [n for _, n in w.metrics]
    verb = "is the worst (or joint worst) score" if len(names) == 1 else "are each the worst (or joint worst) score"
    small = f" (a segment of only {L.count(w.trusts, 'trust')})" if w.trusts < facts.MIN_GROUP else ""
    return Sentence(
        f"Segment {w.segment}{small}: {L.join(names)} {verb} of {L.of(w.times, w.trusts)} {L.plural(w.trusts, 'trust')}.",
        {"segment": w.segment, "trusts": w.trusts, "times": w.times, "metrics": {sid: name for sid, name in w.metrics}},
        src,
    )
