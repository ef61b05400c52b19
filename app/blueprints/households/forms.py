"""Forms of the household page: what a household receives, what it needs, a participation's end."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.org.service_areas import service_areas
from app.programs.participation import NOTE_MAX, REASON_MAX
from app.programs.vocabulary import ParticipationSource

WHOLE_HOUSEHOLD = ""


def member_choices(members) -> list[tuple[str, str]]:
    """The whole household, then each member by their place on the page (no NIK in the page source)."""
    return [(WHOLE_HOUSEHOLD, str(_l("Seluruh rumah tangga")))] + [
        (str(m.index), f"{m.facts.name} ({m.relation})") for m in members]


class _ForMember(FlaskForm):
    member = SelectField(_l("Untuk siapa"), choices=[], validate_choice=False)
    case = HiddenField()

    def member_index(self) -> int | None:
        value = self.member.data or ""
        return int(value) if value.isdigit() else None


class ParticipationForm(_ForMember):
    """A program the household (or a member) receives: kepesertaan."""

    program = SelectField(_l("Program yang diterima"), choices=[], validate_choice=False,
                          validators=[DataRequired(_l("Pilih program."))])
    source = SelectField(_l("Sumber keterangan"), choices=list(ParticipationSource.labels().items()),
                         validators=[DataRequired(_l("Pilih sumber keterangan."))])
    since = DateField(_l("Menerima sejak (bila diketahui)"), validators=[Optional()],
                      invalid_value_message=_l("Tanggal tidak sah."))
    verified = BooleanField(_l("Sudah diperiksa (kartu/dokumen program dilihat)"))
    note = TextAreaField(_l("Catatan (tidak wajib)"), validators=[
        Optional(), Length(max=NOTE_MAX, message=_l("Catatan terlalu panjang."))], render_kw={"rows": 2})


class NeedForm(_ForMember):
    """A program or a kind of help the household (or a member) needs: kebutuhan."""

    program = SelectField(_l("Program yang dibutuhkan"), choices=[], validate_choice=False)
    service_area = SelectField(_l("Atau jenis bantuan"), choices=[], validate_choice=False,
                               description=_l("Isi bila tidak ada program yang cocok di katalog."))
    reason = TextAreaField(_l("Mengapa dibutuhkan"), validators=[
        DataRequired(_l("Tuliskan mengapa bantuan ini dibutuhkan.")),
        Length(max=REASON_MAX, message=_l("Alasan terlalu panjang."))], render_kw={"rows": 3})

    def fill_areas(self) -> None:
        self.service_area.choices = [("", "—"), *service_areas().items()]


class EndForm(FlaskForm):
    """A participation has ended: when, and why."""

    ended_at = DateField(_l("Berakhir pada"), validators=[DataRequired(_l("Isi tanggal berakhir."))],
                         invalid_value_message=_l("Tanggal tidak sah."))
    note = TextAreaField(_l("Alasan"), validators=[
        DataRequired(_l("Tuliskan alasan kepesertaan berakhir.")),
        Length(max=NOTE_MAX, message=_l("Catatan terlalu panjang."))], render_kw={"rows": 2})
