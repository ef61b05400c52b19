"""Forms of the service-areas page: a region's own area (name, the built-in area it counts as, legal basis)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.org.vocabulary import SERVICE_AREAS
from app.reference.citation_form import CitationField


def builtin_choices() -> list[tuple[str, str]]:
    return [("", str(_l("— pilih bidang bawaan —")))] + [(k, str(v)) for k, v in SERVICE_AREAS.items()]


class OwnAreaForm(FlaskForm):
    """An own area as it can be changed (its key stays)."""

    label = StringField(_l("Nama bidang"), validators=[DataRequired(_l("Nama bidang wajib diisi.")),
                                                       Length(max=200, message=_l("Paling banyak 200 karakter."))],
                        description=_l("Dalam sebutan daerah, seperti tampil di formulir pengaduan dan laporan."))
    maps_to = SelectField(_l("Dihitung sebagai"), choices=builtin_choices, validate_choice=False,
                          description=_l("Bidang bawaan tempat bidang ini dihitung dalam angka nasional."))
    legal_basis = CitationField(_l("Dasar hukum"), validators=[Length(max=500)])


class NewOwnAreaForm(OwnAreaForm):
    """A new own area: its key besides what can be changed later."""

    key = StringField(_l("Kunci"), validators=[DataRequired(_l("Kunci wajib diisi.")), Length(max=40)],
                      description=_l("Huruf kecil, angka dan garis bawah, paling banyak 40; tidak dapat diubah "
                                     "kemudian. Misalnya \u201cperlindungan_anak\u201d."))
