"""Checking what a data update proposes, kind by kind, with a message in Indonesian at each field.

Field names are those of the proposal form (`app/blueprints/verval/routes_updates.py`):
`kk_number`, `nik`, `reason`, `village_code`, `address`; a new household's members
`members-<i>-<field>`; a born member `member-<field>`; a change `new-<field>`; a death or
move `date`, `destination`. Every check returns the data as it is stored (dates as ISO
strings, so the JSON column keeps them as typed).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from app.citizens.identity import check_identity
from app.citizens.vocabulary import Disability, Education, Relationship
from app.verval.household import MEMBER_FIELDS, RegisteredHousehold, in_region, registered_nik

NAME_MAX, TEXT_MAX, OCCUPATION_MAX = 200, 2000, 100
MAX_MEMBERS = 30
Errors = dict[str, list[str]]


def add_error(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def parse_date(value: Any) -> date | None:
    """A date from a date or an ISO `YYYY-MM-DD` string (None if it is neither)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _text(value: Any) -> str:
    return str(value if value is not None else "").strip()


def _flag(value: Any) -> bool:
    return value is True or _text(value).lower() in ("1", "y", "ya", "true", "on")


def clean_member(raw: dict, prefix: str, errors: Errors, *, kk_number: str, known_niks: set[str],
                 today: date, need_relation: bool) -> dict:
    """One member as proposed (new household, or born into one), checked field by field.

    The NIK must be of this region unless the region already knows the person (`known_niks`:
    citizens recorded here): a household of another region is never proposed here.
    """
    nik, name = _text(raw.get("nik")), _text(raw.get("name"))
    sex, relation = _text(raw.get("sex")).upper(), _text(raw.get("relation_to_head"))
    born = parse_date(raw.get("birth_date"))
    member = {"nik": nik, "name": name, "relation_to_head": relation, "sex": sex,
              "birth_date": born.isoformat() if born else _text(raw.get("birth_date")),
              "education": _text(raw.get("education")), "occupation": _text(raw.get("occupation")),
              "disability": _text(raw.get("disability")), "pregnant": _flag(raw.get("pregnant"))}
    if not name:
        add_error(errors, f"{prefix}name", _("Nama wajib diisi."))
    elif len(name) > NAME_MAX:
        add_error(errors, f"{prefix}name", _("Nama paling panjang %(n)s karakter.", n=NAME_MAX))
    if sex not in ("L", "P"):
        add_error(errors, f"{prefix}sex", _("Pilih jenis kelamin."))
    if born is None:
        add_error(errors, f"{prefix}birth_date", _("Tanggal lahir wajib diisi (hari-bulan-tahun)."))
    elif born > today:
        add_error(errors, f"{prefix}birth_date", _("Tanggal lahir tidak boleh di masa depan."))
    if (relation and relation not in Relationship.labels()) or (not relation and need_relation):
        add_error(errors, f"{prefix}relation_to_head", _("Pilih hubungan dengan kepala keluarga."))
    if member["education"] and member["education"] not in Education.labels():
        add_error(errors, f"{prefix}education", _("Pilih pendidikan dari daftar."))
    if member["disability"] and member["disability"] not in Disability.labels():
        add_error(errors, f"{prefix}disability", _("Pilih disabilitas dari daftar."))
    if len(str(member["occupation"])) > OCCUPATION_MAX:
        add_error(errors, f"{prefix}occupation", _("Pekerjaan paling panjang %(n)s karakter.", n=OCCUPATION_MAX))
    if member["pregnant"] and sex == "L":
        add_error(errors, f"{prefix}pregnant", _("Hanya anggota perempuan yang dapat ditandai hamil."))
    identity = check_identity(nik, kk_number if len(kk_number) == 16 else "0" * 16, born,
                              sex if sex in ("L", "P") else None, None)
    for message in identity.errors.get("nik", []):
        add_error(errors, f"{prefix}nik", message)
    for message in identity.errors.get("sex", []):
        add_error(errors, f"{prefix}sex", message)
    if not identity.errors.get("nik") and not in_region(nik) and nik not in known_niks:
        add_error(errors, f"{prefix}nik", _("NIK %(c)s diterbitkan di luar daerah ini: warga daerah lain tidak dapat "
                                      "diusulkan di sini.", c=nik[:6]))
    return member


def check_new_household(data: dict, errors: Errors, *, kk_number: str, known_niks: set[str], today: date,
                        from_form: bool) -> dict:
    """A household not in the register: its place and members (one head; NIKs unique, none registered)."""
    raw_members = data.get("members") or []
    if not isinstance(raw_members, list) or not raw_members:
        add_error(errors, "members", _("Isi paling sedikit satu anggota rumah tangga."))
        raw_members = []
    if len(raw_members) > MAX_MEMBERS:
        add_error(errors, "members", _("Paling banyak %(n)s anggota.", n=MAX_MEMBERS))
        raw_members = raw_members[:MAX_MEMBERS]
    members = [clean_member(m if isinstance(m, dict) else {}, f"members-{i}-", errors, kk_number=kk_number,
                            known_niks=known_niks, today=today, need_relation=from_form)
               for i, m in enumerate(raw_members)]
    heads = [i for i, m in enumerate(members) if m["relation_to_head"] == Relationship.HEAD]
    if len(heads) > 1:
        add_error(errors, "members", _("Hanya satu anggota yang menjadi kepala keluarga."))
    elif not heads and from_form and members:
        add_error(errors, "members", _("Tandai satu anggota sebagai kepala keluarga."))
    seen: set[str] = set()
    for i, m in enumerate(members):
        if m["nik"] in seen:
            add_error(errors, f"members-{i}-nik", _("NIK ini sudah diisi untuk anggota lain."))
        seen.add(m["nik"])
        entry = registered_nik(m["nik"]) if len(m["nik"]) == 16 else None
        if entry is not None:
            add_error(errors, f"members-{i}-nik", _("NIK ini sudah ada di data terpadu: usulkan perubahan data "
                                                    "anggota pada rumah tangganya."))
    address = _text(data.get("address"))
    if not address:
        add_error(errors, "address", _("Alamat wajib diisi."))
    elif len(address) > TEXT_MAX:
        add_error(errors, "address", _("Alamat paling panjang %(n)s karakter.", n=TEXT_MAX))
    return {"village_code": _text(data.get("village_code")), "address": address, "members": members}


def check_member_changed(data: dict, errors: Errors, household: RegisteredHousehold, nik: str,
                         today: date) -> dict:
    """Which of a member's fields change, old → new (at least one, each new value valid)."""
    entry = household.member(nik)
    changes_given = data.get("changes")
    wanted: dict = changes_given if isinstance(changes_given, dict) else {}
    probe = {f: getattr(entry, f, "") for f in MEMBER_FIELDS} if entry is not None else {}
    for field, value in wanted.items():
        if field in MEMBER_FIELDS:
            probe[field] = value.get("new") if isinstance(value, dict) else value
    probe["birth_date"] = probe.get("birth_date") or ""
    probe_errors: Errors = {}
    cleaned = clean_member({**probe, "nik": nik}, "new-", probe_errors, kk_number=household.kk_number,
                           known_niks={nik}, today=today, need_relation=False)
    changes: dict[str, dict] = {}
    for field in wanted:
        if field not in MEMBER_FIELDS:
            add_error(errors, "changes", _("Data '%(f)s' tidak dapat diubah lewat usulan ini.", f=field))
            continue
        for message in probe_errors.get(f"new-{field}", []):
            add_error(errors, f"new-{field}", message)
        if field in ("birth_date", "sex"):  # the NIK encodes both: a change must still agree with it
            for message in probe_errors.get("new-nik", []):
                add_error(errors, f"new-{field}", message)
        old = getattr(entry, field, None) if entry is not None else None
        old = old.isoformat() if isinstance(old, date) else old
        if cleaned[field] != old and f"new-{field}" not in errors:
            changes[field] = {"old": old, "new": cleaned[field]}
    if not changes and not any(k.startswith("new-") for k in errors):
        add_error(errors, "changes", _("Isi paling sedikit satu data yang berubah (berbeda dari data terpadu)."))
    return {"changes": changes, "name": entry.name if entry is not None else ""}


def check_member_born(data: dict, errors: Errors, household: RegisteredHousehold, today: date) -> dict:
    """A member born into a registered household: their data (NIK not in the register yet)."""
    given = data.get("member")
    raw: dict = given if isinstance(given, dict) else {}
    member = clean_member(raw, "member-", errors, kk_number=household.kk_number, known_niks=set(), today=today,
                          need_relation=True)
    if len(member["nik"]) == 16 and registered_nik(member["nik"]) is not None:
        add_error(errors, "member-nik", _("NIK ini sudah ada di data terpadu."))
    if member["relation_to_head"] == Relationship.HEAD:
        add_error(errors, "member-relation_to_head", _("Anggota yang lahir tidak dapat menjadi kepala keluarga."))
    return {"member": member}


def check_member_deceased(data: dict, errors: Errors, household: RegisteredHousehold, nik: str,
                          today: date) -> dict:
    """A member who died, and when (not in the future, not before their birth)."""
    died = parse_date(data.get("date"))
    entry = household.member(nik)
    if died is None:
        add_error(errors, "date", _("Tanggal meninggal wajib diisi (hari-bulan-tahun)."))
    elif died > today:
        add_error(errors, "date", _("Tanggal meninggal tidak boleh di masa depan."))
    elif entry is not None and entry.birth_date is not None and died < entry.birth_date:
        add_error(errors, "date", _("Tanggal meninggal tidak boleh sebelum tanggal lahir."))
    return {"date": died.isoformat() if died else "", "name": entry.name if entry is not None else ""}


def check_member_moved(data: dict, errors: Errors, household: RegisteredHousehold, nik: str,
                       today: date) -> dict:
    """A member who moved out of the household: where to, and since when (optional)."""
    destination = _text(data.get("destination"))
    moved = parse_date(data.get("date")) if _text(data.get("date")) else None
    entry = household.member(nik)
    if not destination:
        add_error(errors, "destination", _("Tuliskan ke mana anggota ini pindah."))
    elif len(destination) > TEXT_MAX:
        add_error(errors, "destination", _("Paling panjang %(n)s karakter.", n=TEXT_MAX))
    if _text(data.get("date")) and moved is None:
        add_error(errors, "date", _("Tanggal pindah tidak sah (hari-bulan-tahun)."))
    elif moved is not None and moved > today:
        add_error(errors, "date", _("Tanggal pindah tidak boleh di masa depan."))
    return {"destination": destination, "date": moved.isoformat() if moved else "",
            "name": entry.name if entry is not None else ""}
