"""The one form field for a legal basis: the article, its kind, and the regulation when it is another's.

`CitationField` is a text field (named like the column, e.g. ``legal_basis``) with two companion inputs,
``<name>-kind`` (stated / inferred / local policy) and ``<name>-regulation`` (only when the article is
another regulation's). Its ``data`` is the stored string (`Citation.encode`), so routes keep passing
``form.legal_basis.data`` to the operations; a form built with ``legal_basis=<stored>`` is prefilled
through `Citation.parse`. A post carrying only the text (no kind input) is read as a stored string.
The template macro ``citation_field`` (templates/_form_macros.html; ``field`` calls it) draws it.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from app.reference.citations import KIND_HELP, KINDS, Citation

MAX_REGULATION = 120


def _tidy(text: str) -> str:
    """Spaces collapsed within each line; the lines of a longer basis (a text area) kept."""
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines() if line.strip())


class CitationField(StringField):
    """A legal basis as typed: `text`, `kind` and `regulation` as the person left them; `data` encoded."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.flags.required = False  # the article may stay empty for local policy: no `required` attribute
        self.text = ""
        self.kind = "stated"
        self.regulation = ""

    @property
    def kind_id(self) -> str:
        return f"{self.id}-kind"

    @property
    def regulation_id(self) -> str:
        return f"{self.id}-regulation"

    @property
    def kind_name(self) -> str:
        return f"{self.name}-kind"

    @property
    def regulation_name(self) -> str:
        return f"{self.name}-regulation"

    @staticmethod
    def kind_options() -> list[tuple[str, str, str]]:
        """(value, label, help) of each kind, for the select."""
        return [(key, str(label), str(KIND_HELP[key])) for key, label in KINDS.items()]

    def _set(self, citation: Citation) -> None:
        self.text, self.kind, self.regulation = citation.text, citation.kind, citation.regulation
        self.data = citation.encode() if (citation.text or citation.kind != "stated" or citation.regulation) else ""

    def process_data(self, value: Any) -> None:
        self._set(Citation.parse(None if value is None else str(value)))

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self._formdata = formdata  # the companion inputs are read from it in process_formdata
        super().process(formdata, data, extra_filters=extra_filters)

    def process_formdata(self, valuelist: list[str]) -> None:
        formdata = self._formdata
        if not valuelist and self.kind_name not in formdata:
            return  # not part of this post: keep the prefilled value
        text = _tidy(valuelist[0] if valuelist else "")
        if self.kind_name not in formdata:
            self._set(Citation.parse(text))  # a stored string posted as is
            return
        self.kind = str(formdata.get(self.kind_name) or "stated")
        self.regulation = " ".join(str(formdata.get(self.regulation_name) or "").split())
        self.text = text
        kind = self.kind if self.kind in KINDS else "stated"
        regulation = self.regulation if self._regulation_ok() else ""
        citation = Citation(text=text, kind=kind, regulation=regulation)
        self.data = citation.encode() if (text or kind != "stated" or regulation) else ""

    def _regulation_ok(self) -> bool:
        return ":" not in self.regulation and len(self.regulation) <= MAX_REGULATION

    def _value(self) -> str:
        return self.text

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        if self.kind not in KINDS:
            raise ValidationError(str(_l("Pilih jenis dasar hukum dari daftar.")))
        if not self._regulation_ok():
            raise ValidationError(str(_l("Nama peraturan lain tidak boleh memuat titik dua dan paling banyak "
                                         "%(max)d karakter.", max=MAX_REGULATION)))
        if not self.text and self.kind != "local" and (self.kind != "stated" or self.regulation):
            raise ValidationError(str(_l("Isi pasal yang dikutip, atau pilih jenis \u201ckebijakan setempat\u201d "
                                         "bila tidak ada pasalnya.")))
        if self.data and Citation.parse(self.data) != Citation(self.text, self.kind, self.regulation):
            raise ValidationError(str(_l("Tulis pasalnya saja; jenis dan peraturan dipilih di sampingnya.")))
