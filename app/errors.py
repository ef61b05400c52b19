"""One base for every refused operation, and the one place it becomes an HTTP answer.

A domain operation that refuses (wrong role, a stale form, a conflict with what is there
now, bad input) raises a subclass of `Refused`: `Forbidden` (403), `NotFound` (404),
`Conflict` (409) or `Invalid` (422). It carries a message for the person and, where the
refusal is about particular fields, `errors`: field name → messages ("" = the whole form).

A route that can show the refusal at the field catches it and re-renders its form (nothing
the person typed is lost). A refusal that escapes its route is answered here, once, with
its status and message: a page for a browser, a fragment for htmx (`app.error_pages`).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import Flask


class Refused(Exception):
    """An operation was refused. `status` is the HTTP status a route answers it with."""

    status = 422

    def __init__(self, message: str = "", errors: Mapping[str, Iterable[str]] | None = None):
        self.errors: dict[str, list[str]] = {str(k): [str(m) for m in v] for k, v in (errors or {}).items() if v}
        self.message = str(message) if message else "; ".join(m for ms in self.errors.values() for m in ms)
        super().__init__(self.message)

    @property
    def messages(self) -> list[str]:
        """Every message: the main one, then each field's (without repeats), for a page that lists them."""
        found = [self.message] if self.message else []
        found += [m for ms in self.errors.values() for m in ms if m not in found]
        return found


class Forbidden(Refused):
    """The person may not do this (role, area, stage)."""

    status = 403


class NotFound(Refused):
    """What the request names does not exist here (or is not visible to this person)."""

    status = 404


class Conflict(Refused):
    """The request clashes with the current state (changed meanwhile, still in use, already done)."""

    status = 409


class Invalid(Refused, ValueError):
    """The input is not acceptable; a ValueError too, as these were before."""

    status = 422


STATUSES = (403, 404, 409, 422)


def answer_refusal(refusal: Refused):
    """errors/refused.html with the refusal's status and message: a page, or a fragment for htmx."""
    from app.error_pages import error_answer

    status = refusal.status if refusal.status in STATUSES else 422
    return error_answer("errors/refused.html", status, refusal=refusal, refused_status=status)


def register_refusals(app: Flask) -> None:
    """The one handler for every `Refused` that escapes a route."""
    app.register_error_handler(Refused, answer_refusal)
