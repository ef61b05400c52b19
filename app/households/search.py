"""Finding a household: by an exact NIK or KK number, or by a name within one village.

Never a listing: a number must match exactly, a name is searched only inside a village,
and at most `LIMIT` households come back. The register extract (current import) and the
citizens known from intake are both searched. An area-bound member finds only households
of their own areas. Every search is audited (the number masked).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.audit.log import record
from app.casework.access import covers_place
from app.casework.intake_access import region_villages
from app.citizens.identity import mask_nik
from app.citizens.models import Citizen, RegisterEntry
from app.citizens.register import current_import_id
from app.extensions import db
from app.reference.models import Village

LIMIT = 20
HEAD = "head"
MIN_NAME = 3


@dataclass
class Hit:
    """One household found: its KK number, the person who matched, where it lives."""

    kk_number: str
    name: str
    nik: str
    village_code: str
    village_name: str
    in_register: bool
    matched: str  # "nik" | "kk" | "name"


@dataclass
class SearchResult:
    hits: list[Hit]
    hint: str = ""
    searched: bool = False


def member_villages(membership) -> list[tuple[str, str, str]]:
    """(district name, village code, village name) the member may search in (their areas, or the region)."""
    if not membership.areas:
        return region_villages()
    codes = {a.village_code for a in membership.areas if a.village_code}
    districts = {a.district_code for a in membership.areas if not a.village_code}
    return [row for row in region_villages() if row[1] in codes or row[1].rsplit(".", 1)[0] in districts]


def _rows(term: str, village_code: str):
    """(kk, name, nik, village code, in register, is head) of register entries and citizens that match."""
    import_id = current_import_id()
    by_number = len(term) == 16 and term.isdigit()
    out: list[tuple[str, str, str, str | None, bool, bool]] = []
    if import_id is not None:
        entries = select(RegisterEntry.kk_number, RegisterEntry.name, RegisterEntry.nik, RegisterEntry.village_code,
                      RegisterEntry.relation_to_head).where(RegisterEntry.import_id == import_id)
        entries = entries.where(or_(RegisterEntry.nik == term, RegisterEntry.kk_number == term)) if by_number \
            else entries.where(RegisterEntry.village_code == village_code,
                               func.lower(RegisterEntry.name).contains(term.lower(), autoescape=True))
        out += [(kk, name, nik, village, True, relation == HEAD) for kk, name, nik, village, relation
                in db.session.execute(entries.order_by(RegisterEntry.name).limit(LIMIT * 4))]
    citizens = select(Citizen.kk_number, Citizen.name, Citizen.nik, Citizen.village_code)
    citizens = citizens.where(or_(Citizen.nik == term, Citizen.kk_number == term)) if by_number else citizens.where(
        Citizen.village_code == village_code, func.lower(Citizen.name).contains(term.lower(), autoescape=True))
    out += [(kk, name, nik, village, False, False) for kk, name, nik, village
            in db.session.execute(citizens.order_by(Citizen.name).limit(LIMIT * 4))]
    return out


def _rank(hit: Hit, head: bool) -> tuple:
    """Which person stands for a household found: the one whose NIK matched, else its head, else the register's."""
    return (hit.matched == "nik", head, hit.in_register)


def search_households(term: str, village_code: str, membership) -> SearchResult:
    """Households matching `term` (an exact 16-digit NIK or KK number, or part of a name in
    `village_code`) within the member's reach; a hint instead when the search is refused."""
    term = (term or "").strip()[:100]
    if not term:
        return SearchResult([])
    by_number = term.isdigit()
    if by_number and len(term) != 16:
        return SearchResult([], _("NIK dan Nomor KK terdiri dari 16 angka; pencarian hanya untuk nomor yang "
                                  "persis sama."))
    if not by_number:
        if len(term) < MIN_NAME:
            return SearchResult([], _("Ketik paling sedikit %(n)s huruf nama.", n=MIN_NAME))
        if not village_code:
            return SearchResult([], _("Pilih kelurahan/desa untuk mencari dengan nama."))
        if not covers_place(membership, village_code):
            return SearchResult([], _("Kelurahan/desa ini di luar wilayah kerja Anda."))
    hits: dict[str, tuple[Hit, tuple]] = {}
    for kk, name, nik, village, in_register, head in _rows(term, village_code):
        if not covers_place(membership, village):
            continue
        if kk not in hits and len(hits) >= LIMIT:
            continue
        hit = Hit(kk, name, nik, village or "", "", in_register, "nik" if nik == term else "kk" if kk == term
                  else "name")
        known = hits.get(kk)
        hit.in_register = in_register or bool(known and known[0].in_register)
        if known is None or _rank(hit, head) > known[1]:
            hits[kk] = (hit, _rank(hit, head))
    names = {code: name for code, name in db.session.execute(select(Village.code, Village.name).where(
        Village.code.in_({h.village_code for h, _r in hits.values() if h.village_code})))}
    found = sorted((h for h, _r in hits.values()), key=lambda h: (h.name, h.kk_number))
    for hit in found:
        hit.village_name = names.get(hit.village_code, "")
    record("household.search", "household", "", term=mask_nik(term) if by_number else term,
           village=village_code if not by_number else "", found=len(found))
    return SearchResult(found, searched=True)
