"""A facilitator's home visit: the household's condition, and with the person's consent a photo
and where the visit took place (the browser's location).

It is kept on the case as a small JSON record (`Case.home_visit`); the photo goes through the
attachments' own checks (`app.attachments.operations.attach`), its camera location kept only
with consent. Without consent a photo is refused and no location is stored.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.errors import Invalid
from app.extensions import Vocabulary

HOME_VISIT_CHANNEL = "home_visit"
MAX_HOUSEHOLD = 30


class HouseCondition(Vocabulary):
    LIVABLE = "livable", _l("Layak huni")
    NEEDS_REPAIR = "needs_repair", _l("Perlu perbaikan")
    NOT_LIVABLE = "not_livable", _l("Tidak layak huni")


class IncomeSource(Vocabulary):
    NONE = "none", _l("Tidak ada penghasilan")
    DAILY_LABOUR = "daily_labour", _l("Buruh harian / serabutan")
    FARM_FISH = "farm_fish", _l("Petani / nelayan")
    SMALL_TRADE = "small_trade", _l("Usaha / dagang kecil")
    EMPLOYEE = "employee", _l("Pegawai / karyawan")
    FAMILY_SUPPORT = "family_support", _l("Dibantu keluarga")
    OTHER = "other", _l("Lainnya")


def _coordinate(text, bound: float) -> float | None:
    """A latitude/longitude as the browser sent it, or None when absent or impossible."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return round(value, 6) if -bound <= value <= bound else None


@dataclass
class HomeVisit:
    house_condition: str  # "" = not noted
    household_size: int | None
    income_source: str
    consent: bool
    latitude: str = ""
    longitude: str = ""
    accuracy: str = ""

    def as_record(self) -> dict:
        """What the case keeps: the location only with consent, and only when it is a real place."""
        out: dict = {"house_condition": self.house_condition, "household_size": self.household_size,
                     "income_source": self.income_source, "consent": self.consent}
        lat, lon = _coordinate(self.latitude, 90), _coordinate(self.longitude, 180)
        if self.consent and lat is not None and lon is not None:
            out.update(latitude=lat, longitude=lon)
            accuracy = _coordinate(self.accuracy, 100_000)
            if accuracy is not None:
                out["accuracy_m"] = round(accuracy)
        return out


def record_home_visit(case, visit: HomeVisit, photo, user) -> None:
    """Keep the visit on a newly opened case and attach its photo. A photo without the person's
    consent is refused at its field (`Invalid`); the caller rolls the whole intake back."""
    from app.attachments.operations import attach
    from app.attachments.vocabulary import AttachmentKind

    has_photo = photo is not None and bool(getattr(photo, "filename", ""))
    if has_photo and not visit.consent:
        raise Invalid(_("Foto hanya boleh diambil dengan persetujuan warga."),
                      errors={"photo": [_("Foto hanya boleh diambil dengan persetujuan warga; centang persetujuannya "
                                          "atau kosongkan foto.")]})
    case.home_visit = visit.as_record()
    if has_photo:
        try:
            attach(case, photo, AttachmentKind.PHOTO, user, keep_location=visit.consent)
        except Invalid as exc:
            raise Invalid(str(exc), errors={"photo": list(exc.errors.get("file", [])) or [str(exc)]}) from exc


def visit_facts(record: dict | None) -> list[tuple[str, str]]:
    """The visit in words for the case page: (label, value) pairs."""
    if not record:
        return []
    facts = [(_("Kondisi rumah"), HouseCondition.label_of(record.get("house_condition")) or "—"),
             (_("Anggota rumah tangga"), str(record.get("household_size") or "—")),
             (_("Sumber penghasilan"), IncomeSource.label_of(record.get("income_source")) or "—"),
             (_("Persetujuan foto dan lokasi"), _("ya") if record.get("consent") else _("tidak"))]
    if "latitude" in record:
        facts.append((_("Lokasi kunjungan"), f"{record['latitude']:.5f}, {record['longitude']:.5f}"))
    return facts
