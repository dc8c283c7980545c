"""The movers section: who changed segment since the previous quarter, and the metric score
changes that came with each move (read from :mod:`nhs_oversight.stats.movement`)."""

from __future__ import annotations

from nhs_oversight.brief import language as L
from nhs_oversight.brief.model import Paragraph, Section, Sentence, Table
from nhs_oversight.brief.sentences import period_of, source
from nhs_oversight.engine import Assessment
from nhs_oversight.stats.movement import Movement

#: Order and wording of the step of the method whose result changed.
_REASONS = (
    ("financial override now applies", "financial override no longer applies"),
    ("entered the Recovery Support Programme", "left the Recovery Support Programme"),
    ("average score changed",),
    ("cut points changed",),
)


def movers(current: Assessment, previous: Assessment | None, movement: Movement | None) -> Section:
    if previous is None or movement is None:
        text = "No previous quarter was given, so this briefing does not show movement between quarters."
        return Section("movers", "Movers", (Paragraph((Sentence(text, {}, source(current, "no previous quarter")),)),))
    src = _source(current, previous)
    now, before = period_of(current), period_of(previous)
    mv = movement.movers
    n_up, n_down = int((mv["direction"] == "up").sum()), int((mv["direction"] == "down").sum())
    n_same = int((mv["direction"] == "same").sum())
    periods = {"period": now, "previous_period": before}
    lead = [
        Sentence(
            f"Of the {L.count(len(mv), 'trust')} assessed in both {before} and {now}, {L.number(n_up)} moved up, "
            f"{L.number(n_down)} moved down and {L.number(n_same)} stayed in the same segment.",
            {**periods, "trusts": len(mv), "up": n_up, "down": n_down, "same": n_same},
            src,
        )
    ]
    n_in, n_out = len(movement.entered), len(movement.left)
    if n_in or n_out:
        lead.append(Sentence(
            f"{L.capitalise(L.count(n_in, 'trust'))} {'is' if n_in == 1 else 'are'} only in {now} and "
            f"{'none' if n_out == 0 else L.number(n_out)} only in {before}.",
            {**periods, "only_now": n_in, "only_before": n_out},
            src,
        ))
    if n_up + n_down:
        lead.append(_reasons(movement, n_up + n_down, src))
        lead.append(Sentence(
            "Scores run from 1, the best, to 4, the worst, so a fall in a metric score is an improvement.",
            {"best_score": 1, "worst_score": 4},
            src,
        ))
    blocks: list = [Paragraph(tuple(lead)), _matrix_table(movement, before, now, src)]
    for direction, heading in (("up", "Moved up"), ("down", "Moved down")):
        rows = mv[mv["direction"] == direction].sort_values(["segment_before", "segment_after", "org_name"])
        if rows.empty:
            continue
        blocks.append(Paragraph((Sentence(f"{heading}:", {}, src),)))
        blocks.append(Paragraph(tuple(_mover(r, movement, src) for r in rows.itertuples(index=False)), bullets=True))
    return Section("movers", f"Movers since {before}", tuple(blocks))


def _source(current: Assessment, previous: Assessment) -> str:
    return (
        "segment movement (nhs_oversight.stats.movement) from both quarters' assessment summaries (final_segment, average_score, "
        f"financial_override, recovery_support) and metrics (score_2dp); {source(previous, 'previous')}; {source(current, 'current')}"
    )


def _reasons(movement: Movement, moves: int, src: str) -> Sentence:
    reasons = movement.moved["reason"].value_counts()
    groups = [int(sum(reasons.get(r, 0) for r in names)) for names in _REASONS]
    texts = [
        "the trust's financial flag changed and the override started or stopped applying",
        "the trust entered or left the Recovery Support Programme",
        "the average score crossed a cut point",
        "the cut points moved while the average score stayed the same",
    ]
    parts = [f"in {'none' if g == 0 else L.number(g)} {t}" for g, t in zip(groups, texts, strict=True) if g]
    return Sentence(
        f"Of these {L.number(moves)} moves, {'; '.join(parts)}.",
        {"moves": moves, "override": groups[0], "recovery_support": groups[1], "average_score": groups[2], "cut_points": groups[3]},
        src,
    )


def _matrix_table(movement: Movement, before: str, now: str, src: str) -> Table:
    m = movement.matrix
    label = {"entered": f"Only in {now}", "left": f"Only in {before}", "none": "No segment"}
    columns = (f"{before} \\ {now}", *(label.get(c, f"Segment {c}") if not isinstance(c, int) else f"Segment {c}" for c in m.columns))
    rows = tuple(
        (label.get(r, f"Segment {r}") if not isinstance(r, int) else f"Segment {r}", *(str(int(m.loc[r, c])) for c in m.columns))
        for r in m.index
    )
    return Table(f"Trusts by final segment in {before} (rows) and {now} (columns)", columns, rows, src)


def _mover(r, movement: Movement, src: str) -> Sentence:
    drivers = movement.drivers_of(r.org_code)
    figures = {
        "org_code": r.org_code,
        "org_name": r.org_name,
        "segment_before": int(r.segment_before),
        "segment_after": int(r.segment_after),
        "average_before": float(r.average_before),
        "average_after": float(r.average_after),
        "metric_changes": [
            {"metric": d.short_name, "score_id": d.score_id, "before": float(d.score_before), "after": float(d.score_after)}
            for d in drivers.itertuples(index=False)
        ],
    }
    text = f"{r.org_name} ({r.org_code}) moved {r.direction} from segment {int(r.segment_before)} to segment {int(r.segment_after)}; "
    if r.reason == "cut points changed":
        text += f"its average score stayed at {L.score(r.average_after)} but the cut points moved"
    else:
        if L.score(r.average_before) == L.score(r.average_after):
            text += f"its average score stayed at {L.score(r.average_after)}"
        else:
            text += f"its average score went from {L.score(r.average_before)} to {L.score(r.average_after)}"
        if "Recovery Support Programme" in r.reason:
            text += f", and it {r.reason}"
        elif r.override_before != r.override_after:
            status = "now applies" if r.override_after else "no longer applies"
            flagged = _flag_change(r)
            text += f", and the financial override {status}{flagged}"
    if len(drivers):
        verb = "improved" if r.direction == "up" else "worsened"
        changes = [f"{d.short_name} ({L.score(d.score_before)} to {L.score(d.score_after)})" for d in drivers.itertuples(index=False)]
        text += f"; the metric score{'s' if len(changes) > 1 else ''} that {verb} most {'were' if len(changes) > 1 else 'was'} {L.join(changes)}"
    return Sentence(text + ".", figures, src)



def _flag_change(r) -> str:
    """Say so only when the input's flag itself changed between the quarters."""
    import pandas as pd

    before = None if pd.isna(r.flag_before) else int(r.flag_before)
    after = None if pd.isna(r.flag_after) else int(r.flag_after)
    if before == after or after is None:
        return ""
    return " (it is now flagged as in deficit or receiving deficit support)" if after == 1 else " (it is no longer flagged as in deficit or receiving deficit support)"
