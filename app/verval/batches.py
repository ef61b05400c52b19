"""SIKS-NG export batches: gather the approved updates, export them, mark the batch sent, and
read the ministry's answer back onto each update.

A batch takes every approved update not in a batch yet, in one UPDATE (two officers gathering
at once never share an update). Its number is per region and year (`VERVAL-2026-0001`,
`bump_year_counter`). The answer file is checked as a whole first: a malformed row, an
update that is not in this batch, or two different answers for one update refuse the file
with each row's reason, and nothing changes.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.audit.log import record
from app.casework.models import bump_year_counter
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.pagination import page_of
from app.reviews.operations import membership_of
from app.reviews.vocabulary import ReviewStatus
from app.tenancy.models import utcnow
from app.verval import siks_format
from app.verval.counters import BatchCounter
from app.verval.models import DataUpdate, ExportBatch
from app.verval.vocabulary import BatchStatus

NOTE_MAX = 2000
MAX_PROBLEMS_SHOWN = 50
_ROW = re.compile(r"\D*(\d+)")
_APPROVED_UNBATCHED = (DataUpdate.status == ReviewStatus.APPROVED.value, DataUpdate.batch_id.is_(None))


def waiting_count() -> int:
    """How many approved updates wait for the next batch."""
    return db.session.scalar(select(func.count()).select_from(DataUpdate).where(*_APPROVED_UNBATCHED)) or 0


def page_of_batches(page: int = 1):
    return page_of(select(ExportBatch).order_by(ExportBatch.created_at.desc(), ExportBatch.id), page)


def get_batch(batch_id) -> ExportBatch:
    found = db.session.scalar(select(ExportBatch).where(ExportBatch.id == batch_id))
    if found is None:
        raise NotFound(_("Batch tidak ditemukan."))
    return found


def batch_of(data_update: DataUpdate) -> ExportBatch | None:
    if data_update.batch_id is None:
        return None
    return db.session.scalar(select(ExportBatch).where(ExportBatch.id == data_update.batch_id))


def updates_in(batch: ExportBatch) -> list[DataUpdate]:
    return list(db.session.scalars(select(DataUpdate).where(DataUpdate.batch_id == batch.id)
                                   .order_by(DataUpdate.kind, DataUpdate.created_at, DataUpdate.id)))


def gather(member, note: str = "") -> ExportBatch:
    """A new batch of every approved update not sent yet (Conflict when there is none)."""
    membership = membership_of(member)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise Invalid(errors={"note": [_("Paling panjang %(n)s karakter.", n=NOTE_MAX)]})
    if waiting_count() == 0:
        raise Conflict(_("Tidak ada usulan disetujui yang belum masuk batch."))
    now = utcnow()
    serial = bump_year_counter(BatchCounter, now.year)
    batch = ExportBatch(id=uuid.uuid4(), number=f"VERVAL-{now.year}-{serial:04d}", created_by=membership.user_id,
                        created_at=now, note=note)
    db.session.add(batch)
    db.session.flush()
    taken = db.session.execute(update(DataUpdate).where(*_APPROVED_UNBATCHED).values(batch_id=batch.id)
                               .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    if not taken:
        raise Conflict(_("Usulan yang disetujui baru saja dimasukkan ke batch lain. Muat ulang halaman."))
    batch.update_count = taken
    record("verval.batch_create", "export_batch", batch.id, number=batch.number, updates=taken)
    return batch


def mark_sent(batch: ExportBatch, member) -> None:
    """The batch went to SIKS-NG (only once, from draft)."""
    if batch.status != BatchStatus.DRAFT:
        raise Conflict(_("Batch ini sudah ditandai terkirim."))
    batch.status, batch.sent_at, batch.sent_by = BatchStatus.SENT.value, utcnow(), membership_of(member).user_id
    record("verval.batch_sent", "export_batch", batch.id, number=batch.number)


@dataclass
class ExportFile:
    content: bytes
    filename: str
    mimetype: str


def export(batch: ExportBatch, file_format: str) -> ExportFile:
    """The batch in the documented layout, as CSV or Excel (audited: it carries full NIKs)."""
    rows = siks_format.batch_rows(updates_in(batch), batch.number)
    if file_format == "xlsx":
        content = siks_format.write_xlsx(rows, batch.number)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        file_format, content, mimetype = "csv", siks_format.write_csv(rows), "text/csv; charset=utf-8"
    record("verval.batch_export", "export_batch", batch.id, number=batch.number, format=file_format)
    return ExportFile(content, f"{batch.number}.{file_format}", mimetype)


def answer_template(batch: ExportBatch) -> ExportFile:
    return ExportFile(siks_format.answer_template(updates_in(batch)), f"{batch.number}-hasil.csv",
                      "text/csv; charset=utf-8")


def _match(answers, in_batch: list[DataUpdate]) -> tuple[dict, list[str]]:
    """update id → (result, reason), and the rows that name no update of the batch (or clash)."""
    by_id = {u.id: u for u in in_batch}
    by_person: dict[tuple[str, str], list[DataUpdate]] = {}
    for u in in_batch:
        by_person.setdefault((u.kk_number, u.nik), []).append(u)
        for m in (u.data or {}).get("members") or []:  # a new household's members answer for it too
            if m.get("nik") and m.get("nik") != u.nik:
                by_person.setdefault((u.kk_number, m["nik"]), []).append(u)
    chosen: dict[uuid.UUID, tuple[str, str, int]] = {}
    problems: list[str] = []
    for answer in answers:
        if answer.update_id is not None:
            found = [by_id[answer.update_id]] if answer.update_id in by_id else []
        else:
            found = by_person.get((answer.kk_number, answer.nik), [])
        if not found:
            problems.append(_("Baris %(n)s: usulan ini bukan bagian dari batch ini", n=answer.row))
            continue
        if len(found) > 1:
            problems.append(_("Baris %(n)s: no_kk/nik cocok dengan lebih dari satu usulan; isi id_usulan",
                              n=answer.row))
            continue
        target = found[0]
        earlier = chosen.get(target.id)
        if earlier is not None and earlier[:2] != (answer.result, answer.reason):
            problems.append(_("Baris %(n)s: jawaban berbeda dengan baris %(m)s untuk usulan yang sama", n=answer.row,
                              m=earlier[2]))
            continue
        chosen.setdefault(target.id, (answer.result, answer.reason, answer.row))
    return {k: v[:2] for k, v in chosen.items()}, problems


def _row_number(problem: str) -> int:
    found = _ROW.match(problem)
    return int(found.group(1)) if found else 0


def import_answer(batch: ExportBatch, stream, filename: str, member) -> int:
    """Read the ministry's answer file onto the batch's updates; returns how many were answered.

    Refused as a whole (Invalid, one message per row) when any row is malformed or names an
    update outside this batch; nothing changes then.
    """
    if batch.status == BatchStatus.DRAFT:
        raise Conflict(_("Tandai batch ini terkirim sebelum mengimpor hasilnya."))
    answers, problems = siks_format.read_answers(stream)
    in_batch = updates_in(batch)
    chosen, unmatched = _match(answers, in_batch)
    problems = sorted(problems + unmatched, key=_row_number)
    if not problems and not chosen:
        problems.append(_("Berkas tidak berisi jawaban."))
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > len(shown):
            shown.append(_("… dan %(n)s masalah lainnya.", n=len(problems) - len(shown)))
        raise Invalid(_("Berkas hasil ditolak; tidak ada yang diubah."), errors={"file": shown})
    now = utcnow()
    for u in in_batch:
        if u.id in chosen:
            u.result, u.result_reason = chosen[u.id]
            u.result_at = now
    batch.status, batch.answered_at = BatchStatus.ANSWERED.value, now
    batch.answer_filename = (filename or "")[:255]
    accepted = sum(1 for r, _reason in chosen.values() if r == "accepted")
    record("verval.batch_answer", "export_batch", batch.id, number=batch.number, file=batch.answer_filename,
           answered=len(chosen), accepted=accepted, rejected=len(chosen) - accepted,
           unanswered=len(in_batch) - len(chosen))
    return len(chosen)


def results_of(batch: ExportBatch) -> Iterator[tuple[str, int]]:
    """(result, count) over the batch's updates ("" = not answered yet)."""
    rows = db.session.execute(select(DataUpdate.result, func.count()).where(DataUpdate.batch_id == batch.id)
                              .group_by(DataUpdate.result)).all()
    return iter(sorted((r or "", n) for r, n in rows))
