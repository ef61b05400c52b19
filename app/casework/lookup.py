"""Looking a person up by NIK / KK at intake: personal data follows the member's area, audited.

The check's result (a complete number; in the register or not) is always given. The person
behind it (name, address, register details, the stored record) is shown only to members
whose areas include where that person lives (see `access.covers_place`); every look-up
that finds someone is recorded in the audit log, the numbers masked.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.audit.log import record
from app.casework.access import covers_place
from app.casework.intake import find_citizen, register_match
from app.citizens.identity import mask_nik
from app.citizens.models import Citizen, RegisterEntry


@dataclass
class PersonLookup:
    """What the register (and this region's own records) say about a NIK / KK as typed."""

    nik: str
    asked: bool
    entry: RegisterEntry | None = None   # only when shown
    known: Citizen | None = None         # only when shown
    registered: bool = False
    withheld: bool = False               # someone was found, outside the member's areas

    @property
    def entry_nik(self) -> str:
        return mask_nik(self.entry.nik) if self.entry else ""


def complete(number: str) -> bool:
    return len(number) == 16 and number.isdigit()


def look_up_person(membership, nik: str | None, kk_number: str | None, *, purpose: str) -> PersonLookup:
    """Look the citizen up once a full NIK or KK number is typed (`purpose` goes to the audit log)."""
    nik, kk_number = (nik or "").strip(), (kk_number or "").strip()
    nik_ok, kk_ok = complete(nik), complete(kk_number)
    if not (nik_ok or kk_ok):
        return PersonLookup(nik=nik, asked=False)
    known = find_citizen(nik) if nik_ok else None
    entry = register_match(nik if nik_ok else "", kk_number if kk_ok else (known.kk_number if known else ""))
    found = known or entry
    if found is None:
        return PersonLookup(nik=nik, asked=True)
    villages = [r.village_code for r in (known, entry) if r is not None and r.village_code]
    shown = all(covers_place(membership, v) for v in villages) if villages else covers_place(membership, None)
    numbers = {"nik": mask_nik(nik)} if nik_ok else {"kk": mask_nik(kk_number)}
    record("citizen.lookup", "citizen" if known else "register_entry", found.id, **numbers, shown=shown,
           registered=entry is not None, purpose=purpose)
    if not shown:
        return PersonLookup(nik=nik, asked=True, registered=entry is not None, withheld=True)
    return PersonLookup(nik=nik, asked=True, entry=entry, known=known, registered=entry is not None)
