from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp


class StatusForm(FlaskForm):
    """A ticket number and the last 4 digits of the phone the citizen gave."""

    ticket = StringField(_l("Nomor tiket"), validators=[DataRequired(_l("Nomor tiket wajib diisi.")), Length(max=24)],
                         render_kw={"autocomplete": "off", "autocapitalize": "characters"})
    phone_last4 = StringField(_l("4 angka terakhir nomor telepon"), validators=[
        DataRequired(_l("4 angka terakhir nomor telepon wajib diisi.")),
        Regexp(r"^\d{4}$", message=_l("Isi tepat 4 angka."))],
        render_kw={"inputmode": "numeric", "maxlength": 4, "autocomplete": "off"})

    def __init__(self, *args, **kwargs):
        from app.tenants.ticket_prefix import example_ticket

        super().__init__(*args, **kwargs)
        self.ticket.render_kw = {**(self.ticket.render_kw or {}), "placeholder": example_ticket()}
