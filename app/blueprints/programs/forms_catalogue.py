"""The catalogue editor's form: a program's details, and a row per condition and per ranking weight."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import TextArea

from app.programs.attributes import attribute_choices, operator_choices
from app.programs.catalogue_forms import Row, rows_of
from app.programs.vocabulary import ProgramLevel
from app.reference.citation_form import CitationField

BLANK_ROWS = 2
MAX_ROWS = 30


class ConditionRowForm(Form):
    """One condition: attribute, operator, value as text, legal basis."""

    attribute = SelectField(_l("Atribut"), choices=[], validate_choice=False)
    op = SelectField(_l("Operator"), choices=[], validate_choice=False)
    value = StringField(_l("Nilai"), validators=[Length(max=500)])
    legal_basis = CitationField(_l("Dasar hukum"), validators=[Length(max=500)])


class WeightRowForm(ConditionRowForm):
    """One ranking weight: a condition and the points it gives."""

    points = StringField(_l("Poin"), render_kw={"inputmode": "numeric"})


class ProgramForm(FlaskForm):
    """A program of the region's catalogue."""

    code = StringField(_l("Kode program"), validators=[Optional(), Length(max=40)],
                       description=_l("Huruf besar, angka dan garis bawah, mis. BEDAH_RUMAH. Tidak dapat diubah."))
    name = StringField(_l("Nama program"), validators=[DataRequired(_l("Nama program wajib diisi.")),
                                                      Length(max=200, message=_l("Paling banyak 200 karakter."))])
    level = SelectField(_l("Tingkat"), choices=[], validate_choice=False)
    partner_id = SelectField(_l("Lembaga pengelola"), choices=[], validate_choice=False)
    description = TextAreaField(_l("Keterangan untuk warga"), validators=[Length(max=4000)], render_kw={"rows": 4},
                                description=_l("Bahasa sederhana: apa bantuannya dan untuk siapa."))
    legal_basis = CitationField(_l("Dasar hukum program"), validators=[Length(max=2000)], render_kw={"rows": 2},
                                widget=TextArea())
    register_flag = StringField(_l("Kode di data register (DTKS)"), validators=[Optional(), Length(max=40)],
                                description=_l("Kolom program di berkas register, mis. pkh; kosongkan bila tidak ada."))
    member_level = BooleanField(_l("Diterima per orang (bukan per rumah tangga)"))
    criteria = FieldList(FormField(ConditionRowForm), label=_l("Kriteria penerima"), max_entries=MAX_ROWS)
    ranking = FieldList(FormField(WeightRowForm), label=_l("Bobot pemeringkatan"), max_entries=MAX_ROWS)

    def offer(self, partners, national: bool) -> None:
        """Fill the selects: levels (a national program keeps its level), partners, attributes, operators."""
        levels = ProgramLevel.labels()
        self.level.choices = ([(ProgramLevel.NATIONAL.value, str(levels[ProgramLevel.NATIONAL.value]))] if national
                              else [("", "—")] + [(k, str(v)) for k, v in levels.items()
                                                  if k != ProgramLevel.NATIONAL.value])
        self.partner_id.choices = [("", _l("— belum ditentukan —"))] + [(str(p.id), p.name) for p in partners]
        attributes = [("", "—"), *attribute_choices()]
        operators = [("", "—"), *operator_choices()]
        for entry in list(self.criteria) + list(self.ranking):
            entry.form.attribute.choices = attributes
            entry.form.op.choices = operators

    def fill_rows(self, criteria: list | None, ranking: list | None, blanks: int = BLANK_ROWS) -> None:
        """Rows for stored conditions, plus some blank ones to add to."""
        for name, conditions in (("criteria", criteria), ("ranking", ranking)):
            target = self[name]
            while target.entries:
                target.pop_entry()
            for row in rows_of(conditions) + [Row()] * blanks:
                if len(target.entries) < MAX_ROWS:
                    target.append_entry(row.__dict__)

    def add_blank_rows(self, blanks: int = BLANK_ROWS) -> None:
        """More empty rows after the ones typed (the "add rows" button, without saving)."""
        for target in (self.criteria, self.ranking):
            for _ in range(blanks):
                if len(target.entries) < MAX_ROWS:
                    target.append_entry()

    def rows(self, name: str) -> list[Row]:
        """The rows as typed."""
        return [Row(attribute=e.form.attribute.data or "", op=e.form.op.data or "", value=e.form.value.data or "",
                    legal_basis=e.form.legal_basis.data or "",
                    points=(e.form.points.data or "") if hasattr(e.form, "points") else "")
                for e in self[name]]
