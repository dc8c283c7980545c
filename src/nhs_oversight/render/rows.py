"""Markup rendered once and kept: the league table's 205 rows and its filter lists are most of a page's cost.

A row's markup depends only on the row and a little context (the same template macro, the
framework's labels, whether the uncertainty columns are shown), so it is kept under exactly those,
in a bounded least-recently-used store, and a page joins the rows it shows. A filter's option list
depends only on the options and which one is chosen, so it is kept the same way (:func:`remember`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from markupsafe import Markup

MAX_ROWS = 5_000  # a site has a few hundred rows; room for several sites (tests, reports)

_rows: OrderedDict[Hashable, tuple[Any, Markup]] = OrderedDict()
_lock = threading.Lock()


def _frozen(value: Any) -> Hashable:
    if isinstance(value, Mapping):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _known(value: Any) -> tuple[bool, Hashable]:
    """(by identity?, key): ``value`` itself when hashable, else its identity (lists built once, never changed)."""
    try:
        hash(value)
    except TypeError:
        return True, id(value)
    return False, value


def remember(name: str, render: Callable[..., Any], *args: Any) -> Markup:
    """``render(*args)``, rendered once per macro ``name`` and arguments (lists and dicts by identity).

    Each entry holds its arguments, so an identity cannot be reused while it is kept.
    """
    known = [_known(a) for a in args]
    key = (name, *known)
    with _lock:
        found = _rows.get(key)
        if found is not None:
            _rows.move_to_end(key)
    if found is not None and all(kept is given for (by_id, _), kept, given in zip(known, found[0], args, strict=True) if by_id):
        return found[1]
    made = (args, Markup(render(*args)))
    with _lock:
        _rows[key] = made
        while len(_rows) > MAX_ROWS:
            _rows.popitem(last=False)
    return made[1]


def remember_rows(name: str, render: Callable[[Any], Any], rows: Iterable[dict[str, Any]], *context: Any) -> Markup:
    """Each row's ``render(row)``, joined by newlines; rendered once per macro ``name``, row and context.

    Rows are known by identity: the league table's rows are built once per site and never changed
    (web/league.py). Each entry holds its row, so the row's id cannot be reused while it is kept.
    """
    ctx = _frozen(context)
    rows = list(rows)
    keys = [(name, id(row), ctx) for row in rows]
    with _lock:
        found = [_rows.get(k) for k in keys]
        for k, f in zip(keys, found, strict=True):
            if f is not None:
                _rows.move_to_end(k)
    out: list[Markup] = []
    made = {}
    for key, row, f in zip(keys, rows, found, strict=True):
        if f is None or f[0] is not row:
            f = made[key] = (row, Markup(render(row)))
        out.append(f[1])
    if made:
        with _lock:
            _rows.update(made)
            while len(_rows) > MAX_ROWS:
                _rows.popitem(last=False)
    return Markup("\n".join(out))
