"""Optional analysis modules, imported when a page first needs them.

Pages have a section for each (explanation, uncertainty, method comparison, movement, SPC,
funnel plots, briefing). When a module is not installed, the section says so in words rather than
failing; when it is, the section shows its results.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

log = logging.getLogger("nhs_oversight.web")


@dataclass(frozen=True)
class Unavailable:
    """Why a section cannot be shown (a sentence for the page and the JSON twin)."""

    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"available": False, "reason": self.reason}


def _explain() -> ModuleType:
    # not `from nhs_oversight import explain`: until the subpackage is loaded that name is the
    # package's lazy API function, and the section would say the module is not installed
    import nhs_oversight.explain as explain

    return explain


def _uncertainty() -> ModuleType:
    from nhs_oversight import uncertainty

    return uncertainty


def _compare() -> ModuleType:
    from nhs_oversight import compare

    return compare


def _movement() -> ModuleType:
    from nhs_oversight.stats import movement

    return movement


def _spc() -> ModuleType:
    from nhs_oversight.stats import spc

    return spc


def _funnel() -> ModuleType:
    from nhs_oversight.stats import funnel

    return funnel


def _brief() -> ModuleType:
    from nhs_oversight import brief

    return brief


def _history() -> ModuleType:
    from nhs_oversight import history

    return history


#: Module -> the function that imports it: every optional module, named where a reader sees it.
IMPORTERS: dict[str, Callable[[], ModuleType]] = {
    "nhs_oversight.explain": _explain,
    "nhs_oversight.uncertainty": _uncertainty,
    "nhs_oversight.compare": _compare,
    "nhs_oversight.stats.movement": _movement,
    "nhs_oversight.stats.spc": _spc,
    "nhs_oversight.stats.funnel": _funnel,
    "nhs_oversight.brief": _brief,
    "nhs_oversight.history": _history,
}


def find(module: str, attribute: str | None = None) -> ModuleType | None:
    """The module if it is installed (and has ``attribute``), else None.

    Only a missing module counts as absent: an error inside an installed module propagates.
    """
    try:
        mod = IMPORTERS[module]()
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            return None
        raise
    if attribute and not hasattr(mod, attribute):
        return None
    return mod


def missing(what: str, module: str) -> Unavailable:
    return Unavailable(f"{what} is not available in this installation (module {module} is not present).")


def load(module: str, attribute: str | None, what: str) -> ModuleType | Unavailable:
    """The module, or why it cannot be used (absent, or failing to import)."""
    try:
        mod = find(module, attribute)
    except Exception as exc:  # a module that fails to import must not take a page down
        log.warning("module %s could not be imported: %s", module, exc)
        return Unavailable(f"{what} is not available: module {module} could not be loaded ({type(exc).__name__}).")
    return missing(what, module) if mod is None else mod


#: Section -> (module, attribute) the section needs.
FEATURES = {
    "explanation": ("nhs_oversight.explain", "explain"),
    "uncertainty": ("nhs_oversight.uncertainty", "simulate"),
    "comparison": ("nhs_oversight.compare", "compare"),
    "movement": ("nhs_oversight.stats.movement", None),
    "spc": ("nhs_oversight.stats.spc", "spc"),
    "funnel": ("nhs_oversight.stats.funnel", "funnel"),
    "briefing": ("nhs_oversight.brief", None),
}


def available() -> dict[str, bool]:
    """Which optional sections this installation can show."""
    return {name: not isinstance(load(mod, attr, name), Unavailable) for name, (mod, attr) in FEATURES.items()}
