"""What is built once per site and shared by every page after: a site's data never change while serving."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

_BUILT: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_LOCK = threading.RLock()  # a build may ask for another (the league table for the meta)


def once_per_site(site: Any, name: str, build: Callable[[], Any]) -> Any:
    """``build()`` the first time for this site and ``name``; the same object after that."""
    with _LOCK:
        found = _BUILT.setdefault(site, {})
        if name not in found:
            found[name] = build()
        return found[name]


def prepared_for(site: Any, name: str) -> bool:
    """Whether :func:`once_per_site` has built ``name`` for this site."""
    with _LOCK:
        return name in _BUILT.get(site, ())
