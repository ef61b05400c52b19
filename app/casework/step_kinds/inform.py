"""`inform`: the citizen was told the result, with the channel used."""
from typing import Any, ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField

from app.casework.step_kinds.base import StepKind

INFORM_CHANNELS = {"in_person": _l("Tatap muka"), "phone": _l("Telepon"),
                   "message": _l("Pesan singkat / WhatsApp"), "letter": _l("Surat"),
                   "home_visit": _l("Kunjungan rumah")}


class Inform(StepKind):
    key = "inform"
    label = _l("Pemberitahuan kepada warga")
    order = 90
    fields: ClassVar[dict[str, Any]] = {
        "inform_channel": RadioField(_l("Cara memberi tahu warga"), choices=list(INFORM_CHANNELS.items()),
                                     validate_choice=False)}
    metrics = ("informed",)

    def check(self, data) -> dict[str, list[str]]:
        if data.inform_channel in INFORM_CHANNELS:
            return {}
        return {"inform_channel": [_("Pilih cara warga diberi tahu.")]}

    def apply(self, case, data, now) -> dict:
        return {"inform_channel": data.inform_channel}

    def counts(self, tally) -> None:
        tally.add("informed", detail=str(tally.data.get("inform_channel") or ""))


KIND = Inform()
