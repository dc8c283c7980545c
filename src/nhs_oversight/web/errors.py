"""Errors a request can cause: mapped to 404 and 400 pages (and JSON), never a traceback."""

from __future__ import annotations

import re

from nhs_oversight.errors import OptionError


class WebError(OptionError):
    """An error a request can cause. ``public``: its words for a web page, without what was sent.

    The message (``str``) may name the value given, for the command line (``report --trust``);
    the page shows ``public`` instead.
    """

    status = 400

    def __init__(self, message: str, public: str | None = None) -> None:
        super().__init__(message)
        self.public = public if public is not None else message


class NotFound(WebError):
    """No such organisation, metric or page (HTTP 404)."""

    status = 404


class BadRequest(WebError):
    """A query parameter that cannot be honoured (HTTP 400)."""

    status = 400


#: Words of the dashboard's own vocabulary: a message may contain them even when a request did.
VOCABULARY = frozenset({
    "api", "static", "league", "trust", "metric", "metrics", "compare", "method", "briefing", "format", "json",
    "html", "region", "type", "icb", "segment", "sort", "order", "asc", "desc", "rank", "code", "name", "average",
})
GENERIC = {400: "The request could not be understood.", 404: "There is no page at this address.",
           405: "Only GET requests are accepted."}


def request_words(path: str, query: list[tuple[str, str]]) -> set[str]:
    """Text a request carried (path segments, parameter names and values) that is not vocabulary."""
    words = {w for w in path.split("/") if w}
    for name, value in query:
        words.update((name, value))
    return {w.strip() for w in words if len(w.strip()) >= 2 and w.strip().lower() not in VOCABULARY}


def public_message(status: int, message: str, words: set[str]) -> str:
    """``message``, or a fixed sentence if any text from the request found its way into it."""
    if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", message) for w in words):
        return GENERIC.get(status, "The request could not be answered.")
    return message
