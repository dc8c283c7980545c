"""nhs-oversight: an exact and explainable implementation of NHS England's Oversight Framework.

The Python API mirrors the command line::

    >>> import nhs_oversight as no
    >>> data = no.synthetic_inputs()
    >>> assessment = no.assess(data)
    >>> int(assessment.summary["final_segment"].between(1, 5).all())
    1
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {"assess", "load_framework", "read_inputs", "synthetic_inputs", "explain"}

__all__ = ["__version__", *sorted(_API)]


def __getattr__(name: str) -> Any:  # lazy, so that `oversight --help` starts fast
    if name in _API:
        from nhs_oversight import api

        return getattr(api, name)
    raise AttributeError(name)
