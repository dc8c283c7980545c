"""Table rows rendered once and kept: the league table's 205 rows are most of a page's cost.

A row's markup depends only on the row's values and a little context (the same template macro,
the framework's labels, whether the uncertainty columns are shown), so it is kept under exactly
those, in a bounded least-recently-used store, and a page joins the rows it shows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from markupsafe import Markup

MAX_ROWS = 20_000

_rows: OrderedDict[Hashable, Markup] = OrderedDict()
_lock = threading.Lock()


def _frozen(value: Any) -> Hashable:
    if isinstance(value, Mapping):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def remember_rows(name: str, render: Callable[[Any], Any], rows: Iterable[dict[str, Any]], *context: Any) -> Markup:
    """Each row's ``render(row)``, joined by newlines; rendered once per macro ``name``, row and context."""
    ctx = _frozen(context)
    out: list[Markup] = []
    for row in rows:
        key = (name, _frozen(row), ctx)
        with _lock:
            found = _rows.get(key)
            if found is not None:
                _rows.move_to_end(key)
        if found is None:
            found = Markup(render(row))
            with _lock:
                _rows[key] = found
                while len(_rows) > MAX_ROWS:
                    _rows.popitem(last=False)
        out.append(found)
    return Markup("\n".join(out))
