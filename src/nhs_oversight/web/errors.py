"""Errors a request can cause: mapped to 404 and 400 pages (and JSON), never a traceback."""

from __future__ import annotations

from nhs_oversight.errors import OptionError


class NotFound(OptionError):
    """No such organisation, metric or page (HTTP 404)."""

    status = 404


class BadRequest(OptionError):
    """A query parameter that cannot be honoured (HTTP 400)."""

    status = 400
