"""The SIKS-NG exchange layout (docs/siks-ng-exchange.md): the batch file sent and the answer read back.

Batch file: one row per member change, in `COLUMNS` order; a new household has one row per
member (all with the same `id_usulan`), every other kind one row. Member values are written
as the register extract accepts them (`app.citizens.extract_format`), so the ministry and
the next extract speak the same words. Every cell goes through `app.reports.cells`, so a
name typed as a formula reaches the spreadsheet as text.

Answer file: a header with `hasil` and either `id_usulan` or `no_kk` (+ `nik` for a member
change), `alasan` for a refusal; CSV (comma or semicolon; UTF-8 with or without BOM, or
Windows-1252) or Excel (.xlsx), read row by row (`app.citizens.extract_read`).
"""
from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook

from app.citizens.extract_read import FileProblem, open_extract
from app.citizens.models import RegisterEntry
from app.citizens.vocabulary import Disability, Education, Relationship
from app.reports.cells import SafeCsvWriter, append_safe
from app.verval.household import registered_household, registered_nik
from app.verval.vocabulary import MinistryResult, UpdateKind

COLUMNS = ("id_usulan", "no_batch", "jenis_usulan", "kode_wilayah", "no_kk", "nik", "nama", "hubungan",
           "jenis_kelamin", "tanggal_lahir", "pendidikan", "pekerjaan", "disabilitas", "hamil", "alamat",
           "kolom_diubah", "nilai_lama", "tanggal_peristiwa", "tujuan_pindah", "keterangan", "tanggal_disetujui")
KIND_CODES = {UpdateKind.NEW_HOUSEHOLD: "rumah_tangga_baru", UpdateKind.MEMBER_CHANGED: "ubah_data",
              UpdateKind.MEMBER_BORN: "lahir", UpdateKind.MEMBER_DECEASED: "meninggal",
              UpdateKind.MEMBER_MOVED: "pindah", UpdateKind.NO_LONGER_POOR: "tidak_miskin"}
#: Member fields → the extract's column names and the words written for their codes.
FIELD_COLUMNS = {"name": "nama", "relation_to_head": "hubungan", "sex": "jenis_kelamin", "birth_date": "tanggal_lahir",
                 "education": "pendidikan", "occupation": "pekerjaan", "disability": "disabilitas", "pregnant": "hamil"}
RELATION_CODES = {Relationship.HEAD: "1", Relationship.SPOUSE: "2", Relationship.CHILD: "3",
                  Relationship.CHILD_IN_LAW: "4", Relationship.GRANDCHILD: "5", Relationship.PARENT: "6",
                  Relationship.OTHER: "7"}
EDUCATION_WORDS = {Education.NONE: "tidak/belum sekolah", Education.SD: "sd", Education.SMP: "smp",
                   Education.SMA: "sma", Education.HIGHER: "diploma/perguruan tinggi"}
DISABILITY_WORDS = {Disability.NONE: "tidak ada", Disability.PHYSICAL: "fisik", Disability.SENSORY: "sensorik",
                    Disability.INTELLECTUAL: "intelektual", Disability.MENTAL: "mental", Disability.MULTIPLE: "ganda"}
ANSWERS = {"diterima": MinistryResult.ACCEPTED, "terima": MinistryResult.ACCEPTED, "accepted": MinistryResult.ACCEPTED,
           "ditolak": MinistryResult.REJECTED, "tolak": MinistryResult.REJECTED, "rejected": MinistryResult.REJECTED}
ANSWER_COLUMNS = ("id_usulan", "nik", "no_kk", "hasil", "alasan")
MAX_ANSWER_ROWS = 200_000
MAX_REASON = 2000


def cell(field: str, value) -> str:
    """A member field's stored value as the exchange file writes it."""
    if value in (None, ""):
        return ""
    if field == "relation_to_head":
        return RELATION_CODES.get(value, "")
    if field == "education":
        return EDUCATION_WORDS.get(value, "")
    if field == "disability":
        return DISABILITY_WORDS.get(value, "")
    if field == "pregnant":
        return "ya" if value is True or value == "1" else "tidak"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _entry_values(entry: RegisterEntry | None) -> dict:
    return {f: getattr(entry, f) for f in FIELD_COLUMNS} if entry is not None else {}


def _row(update, number: str, member: dict, *, nik: str, place: tuple[str, str], changed: dict | None = None,
         when: str = "", where: str = "") -> list:
    values = {FIELD_COLUMNS[f]: cell(f, member.get(f)) for f in FIELD_COLUMNS}
    changed = changed or {}
    return [str(update.id), number, KIND_CODES.get(update.kind, update.kind), place[0], update.kk_number, nik,
            values["nama"], values["hubungan"], values["jenis_kelamin"], values["tanggal_lahir"], values["pendidikan"],
            values["pekerjaan"], values["disabilitas"], values["hamil"], place[1],
            ";".join(FIELD_COLUMNS[f] for f in changed),
            ";".join(f"{FIELD_COLUMNS[f]}={cell(f, c.get('old'))}" for f, c in changed.items()),
            when, where, update.reason or "",
            update.decided_at.date().isoformat() if update.decided_at else ""]


def rows_of(update, number: str) -> list[list]:
    """The batch file's rows for one approved update."""
    data = update.data or {}
    household = registered_household(update.kk_number) if update.kind != UpdateKind.NEW_HOUSEHOLD else None
    place = (update.village_code, household.address if household else data.get("address", ""))
    if update.kind == UpdateKind.NEW_HOUSEHOLD:
        return [_row(update, number, m, nik=m.get("nik", ""), place=place) for m in data.get("members") or []]
    if update.kind == UpdateKind.MEMBER_BORN:
        member = data.get("member") or {}
        return [_row(update, number, member, nik=member.get("nik", ""), place=place,
                     when=member.get("birth_date", ""))]
    if update.kind == UpdateKind.NO_LONGER_POOR:
        head = household.members[0] if household and household.members else None
        return [_row(update, number, _entry_values(head), nik="", place=place)]
    member = _entry_values(household.member(update.nik) if household else registered_nik(update.nik))
    member.setdefault("name", data.get("name", ""))
    changed = data.get("changes") or {} if update.kind == UpdateKind.MEMBER_CHANGED else {}
    member.update({f: c.get("new") for f, c in changed.items()})
    return [_row(update, number, member, nik=update.nik, place=place, changed=changed, when=data.get("date", ""),
                 where=data.get("destination", ""))]


def batch_rows(updates: Iterable, number: str) -> Iterator[list]:
    for update in updates:
        yield from rows_of(update, number)


def write_csv(rows: Iterable[list]) -> bytes:
    """The batch as UTF-8 CSV (with a BOM, so Excel reads the names right), comma separated."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(rows: Iterable[list], title: str) -> bytes:
    """The batch as an Excel workbook: one sheet, the header, the rows (every cell safe)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "SIKS-NG")
    append_safe(sheet, COLUMNS)
    for row in rows:
        append_safe(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class Answer:
    """One row of the ministry's answer file."""

    row: int
    update_id: uuid.UUID | None
    kk_number: str
    nik: str
    result: str
    reason: str


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def read_answers(stream) -> tuple[list[Answer], list[str]]:
    """(answers, problems) of an answer file; each problem names its row ("Baris 4: …")."""
    try:
        sheet = open_extract(stream)
    except FileProblem as problem:
        return [], [problem.message]
    try:
        header = sheet.header
        if "hasil" not in header or not ({"id_usulan", "no_kk"} & set(header)):
            return [], [_("Baris 1: kolom wajib tidak ada (hasil, dan id_usulan atau no_kk); kolom yang ada: "
                          "%(c)s", c=", ".join(h for h in header if h) or "—")]
        index = {name: header.index(name) for name in ANSWER_COLUMNS if name in header}
        answers: list[Answer] = []
        problems: list[str] = []
        for number, cells in sheet.rows:
            values = {name: _text(cells[i]) if i < len(cells) else "" for name, i in index.items()}
            if not any(_text(c) for c in cells):
                continue
            if len(answers) + len(problems) >= MAX_ANSWER_ROWS:
                problems.append(_("Baris %(n)s: terlalu banyak baris (paling banyak %(m)s)", n=number,
                                  m=MAX_ANSWER_ROWS))
                break
            problems.extend(_check_row(number, values, answers))
        return answers, problems
    except FileProblem as problem:
        return [], [_("Baris %(n)s: %(m)s", n=problem.row, m=problem.message)]
    finally:
        sheet.close()


def _check_row(number: int, values: dict[str, str], answers: list[Answer]) -> list[str]:
    found: list[str] = []
    raw_id, kk, nik = values.get("id_usulan", ""), values.get("no_kk", ""), values.get("nik", "")
    written = values.get("hasil", "")
    result = ANSWERS.get(written.lower())
    reason = values.get("alasan", "")
    update_id = None
    if raw_id:
        try:
            update_id = uuid.UUID(raw_id)
        except ValueError:
            found.append(_("Baris %(n)s: id_usulan \u201c%(v)s\u201d bukan kode usulan", n=number, v=raw_id[:40]))
    elif not (len(kk) == 16 and kk.isdigit()):
        found.append(_("Baris %(n)s: isi id_usulan, atau no_kk 16 angka", n=number))
    if nik and not (len(nik) == 16 and nik.isdigit()):
        found.append(_("Baris %(n)s: NIK harus 16 angka", n=number))
    if result is None:
        found.append(_("Baris %(n)s: hasil harus \u201cditerima\u201d atau \u201cditolak\u201d "
                       "(tertulis \u201c%(v)s\u201d)", n=number, v=written[:20]))
    elif result == MinistryResult.REJECTED and not reason:
        found.append(_("Baris %(n)s: alasan wajib diisi untuk usulan yang ditolak", n=number))
    if len(reason) > MAX_REASON:
        found.append(_("Baris %(n)s: alasan terlalu panjang (paling banyak %(m)s karakter)", n=number, m=MAX_REASON))
    if not found and result is not None:
        answers.append(Answer(row=number, update_id=update_id, kk_number=kk, nik=nik, result=result.value,
                              reason=reason))
    return found


def answer_template(updates: Iterable) -> bytes:
    """An answer file to fill in: one row per update of the batch (hasil and alasan left empty)."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(ANSWER_COLUMNS)
    for update in updates:
        writer.writerow([str(update.id), update.nik, update.kk_number, "", ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
