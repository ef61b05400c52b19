"""Errors a casework operation raises: refusals (`app.errors`), answered 403 / 409 / 422 or at the form."""
from __future__ import annotations

from app.errors import Conflict, Forbidden, Invalid


class StepNotAllowed(Forbidden):
    """The current user may not take this step now (wrong role, area or stage)."""

    def __init__(self, key: str = ""):
        self.key = key
        super().__init__()


class StaleCase(Conflict):
    """Someone else changed the case since this form was loaded."""

    def __init__(self, case):
        self.case = case
        super().__init__()


class StepInvalid(Invalid):
    """The step's input is incomplete; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors=errors)
        self.errors = errors
