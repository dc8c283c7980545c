"""``assess``: score, average, segment, override and rank, in that order, with nothing hidden.

Pure: no file is read and nothing is printed. Notes for the user are returned in
``Assessment.warnings``. Work is done on numpy arrays and the result tables are built once at
the end, so a national quarter takes milliseconds.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

from nhs_oversight.engine.aggregate import aggregate
from nhs_oversight.engine.assessment import Assessment
from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.engine.metric_scores import score_all
from nhs_oversight.engine.options import AssessOptions
from nhs_oversight.engine.published import PublishedIndex
from nhs_oversight.engine.ties import tie_note
from nhs_oversight.errors import InputError
from nhs_oversight.frameworks.model import Framework


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector: the engine makes thousands of short-lived arrays and no
    reference cycles, and collections triggered by those allocations cost a third of its time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def assess(inputs: OversightInputs, framework: Framework, options: AssessOptions | None = None) -> Assessment:
    """Run the framework's method on the inputs and keep every intermediate.

    Parameters
    ----------
    inputs : metric values, organisations and flags for one quarter.
    framework : the method version (see :func:`nhs_oversight.load_framework`).
    options : fixed cut points, recomputation of pooled metrics.

    Returns
    -------
    Assessment
    """
    with _collector_paused():
        return _assess(inputs, framework, options)


def _assess(inputs: OversightInputs, framework: Framework, options: AssessOptions | None) -> Assessment:
    """The steps of :func:`assess`."""
    options = options or AssessOptions()
    warnings: list[str] = list(inputs.notes)
    orgs = inputs.orgs.reset_index(drop=True)
    if len(orgs) == 0:
        raise InputError("the input holds no organisations")
    codes = orgs["org_code"].to_numpy(dtype=object)
    types = orgs["trust_type"].to_numpy(dtype=object)
    present_types = set(types)
    national = present_types >= {t.id for t in framework.trust_types}
    if not national:
        absent = [t.label for t in framework.trust_types if t.id not in present_types]
        missing = {t.id for t in framework.trust_types} - present_types
        seg = framework.segmentation
        needs = []
        if any(m.is_pooled and set(m.trust_types) & missing for m in framework.metrics):
            needs.append("metrics scored over every trust type")
        if seg.method == "quartiles" and seg.population == "national":
            needs.append("the segment cut points")
        why = f": {' and '.join(needs)} need the national population" if needs else ""
        warnings.append(f"the input does not hold the whole nation (no {', '.join(absent)}){why}")
    published = PublishedIndex(inputs.published)
    metrics, metric_pos = score_all(inputs, framework, options, codes, types, present_types, published, warnings)
    notes = [tie_note(metrics, dict(zip(codes, types, strict=True)), inputs.values)]
    summary, domains, cutpoints = aggregate(inputs, framework, options, orgs, metrics, metric_pos, national, published, warnings)
    return Assessment(
        framework=framework,
        options=options,
        inputs=inputs,
        metrics=metrics,
        domains=domains,
        summary=summary,
        cutpoints=cutpoints,
        national=national,
        warnings=tuple(dict.fromkeys(w for w in warnings if w)),
        notes=tuple(n for n in notes if n),
    )
