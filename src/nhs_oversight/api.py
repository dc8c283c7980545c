"""The Python API: the same operations as the command line, returning pandas DataFrames.

>>> import nhs_oversight as no
>>> a = no.assess(no.synthetic_inputs())
>>> a.label
'SYNTHETIC'
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nhs_oversight.engine import Assessment, AssessOptions
from nhs_oversight.engine import assess as _assess
from nhs_oversight.engine.inputs import OversightInputs
from nhs_oversight.frameworks import Framework
from nhs_oversight.frameworks import load_framework as _load_framework
from nhs_oversight.frameworks.loader import DEFAULT_FRAMEWORK


def load_framework(name_or_path: str | Path | Framework = DEFAULT_FRAMEWORK) -> Framework:
    """A shipped framework by id (``nof-2025-26``, ``nof-2026-27``) or a YAML file by path."""
    return _load_framework(name_or_path)


def read_inputs(
    paths: Sequence[str | Path] | str | Path,
    framework: str | Framework = DEFAULT_FRAMEWORK,
    quarter: str | None = None,
    organisations: Sequence[str | Path] | bool | None = None,
) -> OversightInputs:
    """Read NOF data CSVs, league-table CSVs and wide metric files for one quarter.

    ``quarter`` (e.g. ``"2025/26 Q1"``) chooses the quarter from files that hold several.
    ``organisations`` gives each trust its region and ICB: by default the shipped ODS snapshot;
    paths of newer ODS etr exports instead; ``False`` for none. Synthetic data keep their own.
    """
    from nhs_oversight.sources.detect import read_oversight_files

    if isinstance(paths, str | Path):
        paths = [paths]
    data = read_oversight_files(list(paths), _load_framework(framework), quarter)
    return with_organisations(data, organisations)


def with_organisations(data: OversightInputs, organisations: Sequence[str | Path] | bool | None = None) -> OversightInputs:
    """Attach regions and ICBs from an organisation reference (see :func:`read_inputs`)."""
    from nhs_oversight.sources import organisations as ref

    if organisations is False or "SYNTHETIC" in (data.label or ""):
        return data
    reference = ref.read_organisations(list(organisations)) if organisations and organisations is not True else ref.shipped()
    return ref.attach(data, reference)


def synthetic_inputs(quarter: str = "2025/26 Q2", framework: str | Framework = DEFAULT_FRAMEWORK) -> OversightInputs:
    """The shipped SYNTHETIC national dataset (205 fictional trusts) for one quarter."""
    from nhs_oversight.errors import OptionError
    from nhs_oversight.frameworks.periods import Quarter
    from nhs_oversight.synthetic import nof as synthetic

    try:
        quarter = str(Quarter.parse(quarter))
    except Exception:
        raise OptionError(f"--synthetic-quarter {quarter!r} is not a quarter; the synthetic dataset has {' and '.join(synthetic.QUARTERS)}") from None
    if quarter not in synthetic.QUARTERS:
        raise OptionError(f"--synthetic-quarter {quarter!r}: the synthetic dataset has {' and '.join(synthetic.QUARTERS)} only")
    return read_inputs(synthetic.files(quarter), framework)


def assess(
    inputs: OversightInputs | Sequence[str | Path] | str | Path,
    framework: str | Framework = DEFAULT_FRAMEWORK,
    cutpoints: tuple[float, float, float] | None = None,
    recompute_all: bool = False,
    quarter: str | None = None,
    organisations: Sequence[str | Path] | bool | None = None,
) -> Assessment:
    """Score, segment and rank every organisation in the inputs.

    Parameters
    ----------
    inputs : :class:`OversightInputs` or paths of input files.
    framework : framework id or YAML path or object.
    cutpoints : fix the three segment cut points.
    recompute_all : score pooled metrics over the trusts given even where published scores exist.
    quarter : the quarter to read from files that hold several.
    organisations : the organisation reference for regions and ICBs (see :func:`read_inputs`).
    """
    fw = _load_framework(framework)
    data = inputs if isinstance(inputs, OversightInputs) else read_inputs(inputs, fw, quarter, organisations)
    return _assess(data, fw, AssessOptions(cutpoints=cutpoints, recompute_all=recompute_all))


def explain(assessment: Assessment, org_code: str, max_moves: int = 3, plans: bool = True):
    """Why one organisation is in its segment, how close it is to the next, and what would move it.

    Returns an :class:`nhs_oversight.explain.Explanation` (``.to_text()``, ``.to_markdown()``,
    ``.to_dict()``); see :func:`nhs_oversight.explain.explain`.
    """
    from nhs_oversight.explain import explain as _explain

    return _explain(assessment, org_code, max_moves=max_moves, plans=plans)
