"""Errors a casework operation raises; routes turn them into 403 / 409 / form errors."""
from __future__ import annotations


class StepNotAllowed(Exception):
    """The current user may not take this step now (wrong role, area or stage)."""


class StaleCase(Exception):
    """Someone else changed the case since this form was loaded."""

    def __init__(self, case):
        self.case = case
        super().__init__("stale case")


class StepInvalid(ValueError):
    """The step's input is incomplete; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(str(errors))
