"""What every kind of SOP step is made of.

A kind says what its step collects (form fields and their checks), what it does besides
moving the case (`apply`), how it renders on the case page (`template`), what it adds to
the dashboard's counters (`counts`, `program`), and how the SOP editor may treat it. The
region's SOP only names a kind; everything about the kind lives in its own module here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from flask_babel import gettext as _

#: Fields StepInput holds by name (the built-in kinds' own); any other kind's go to `extra`.
_NAMED = ("partner_id", "outcome", "inform_channel", "answer_result", "letter_number")


@dataclass
class StepInput:
    """What a person entered for a step: the note, plus whatever the step's kind collects."""

    note: str = ""
    partner_id: str | None = None
    outcome: str = ""
    inform_channel: str = ""
    answer_result: str = ""
    letter_number: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, note: str, values: dict[str, Any]) -> StepInput:
        """A StepInput from a note and the values of a kind's fields (known ones by name)."""
        named = {k: v or "" for k, v in values.items() if k in _NAMED}
        rest = {k: v for k, v in values.items() if k not in _NAMED}
        return cls(note=note or "", **named, extra=rest)

    def value(self, name: str) -> Any:
        """The value entered for field `name` (None when the form had no such field)."""
        return getattr(self, name) if name in _NAMED else self.extra.get(name)


class StepKind:
    """One kind of step. Subclass it in a module of this package and set `KIND = YourKind()`."""

    key: ClassVar[str]
    #: The kind in words (the procedure page, the SOP diff).
    label: ClassVar[Any]
    #: Place in lists (FORMAT.md's table, the "known kinds" message).
    order: ClassVar[int] = 100
    #: The note rule a step of this kind gets by default; "required" cannot be relaxed by an SOP.
    note: ClassVar[str] = "optional"
    #: The form fields it collects besides the note: name -> unbound WTForms field.
    fields: ClassVar[dict[str, Any]] = {}
    #: Rollup metrics `counts` may add to (see app/dashboard/metrics.py).
    metrics: ClassVar[tuple[str, ...]] = ()
    #: An approver's decision (approve / return): the SOP editor keeps such pairs together.
    approval: ClassVar[bool] = False
    #: The SOP editor may insert a supervisor approval after a step of this kind.
    reviewable: ClassVar[bool] = False
    #: The stage this step leads to is always an approval the editor may not take out.
    keeps_approval: ClassVar[bool] = False
    #: Sends the case back: a detour, not part of the path a receipt announces.
    sends_back: ClassVar[bool] = False
    #: The Referral timestamp a step of this kind sets (how the dashboard finds its referral).
    referral_stamp: ClassVar[str | None] = None

    @property
    def template(self) -> str:
        """The partial that renders this kind's form on the case page."""
        return f"cases/steps/{self.key}.html"

    def note_required_message(self) -> str:
        return _("Catatan wajib diisi untuk langkah ini.")

    def prepare_form(self, form) -> None:
        """Fill choices that come from the region's data (partners…) before rendering."""

    def check(self, data: StepInput) -> dict[str, list[str]]:
        """Errors in what this kind collects, by field (the note is checked by the caller)."""
        return {}

    def apply(self, case, data: StepInput, now) -> dict:
        """What a step of this kind records besides the state change; returns the event's data."""
        return {}

    def counts(self, tally) -> None:
        """Add this event's own counters to `tally` (a `metrics.Tally`); state counts are common."""

    def program(self, event) -> bool | None:
        """For an event on a referral: None if it shows no program, else whether the citizen was served."""
        return None

    def __repr__(self) -> str:
        return f"<StepKind {self.key}>"
