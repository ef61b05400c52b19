"""SIKS-NG batches, round trip: approved updates → a batch → the file (CSV, Excel) → sent → the
ministry's answer file → a result on each update.

Attackers first: another region's batch (404), a role without the exchange (403), an answer
file naming updates outside the batch or malformed (refused by row, nothing changed)."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import date

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from app.extensions import db
from app.reviews.operations import decide
from app.tenancy.context import tenant_in_context
from app.verval import batches
from app.verval.models import DataUpdate, ExportBatch
from app.verval.siks_format import COLUMNS
from app.verval.updates import propose
from tests.factories import member
from tests.helpers.households import Member, add_household, region_village, unique_kk, unique_nik
from tests.helpers.regions import in_region, read_in_region
from tests.helpers.verval import TWO_STAGES, district_village, submitted_update

SLUG = "batubara"
MANAGER_DECIDES = [{"action": "decide", "roles": ["manager"], "legal_basis": "Pasal uji"}]


def _batch_in_owner_region():
    found = submitted_update(district_village(0), by="facilitator@bekasi.demo", chain=MANAGER_DECIDES)
    decide(found, found.kind, "approve", "", member("manager@bekasi.demo")[1])
    batch = batches.gather(member("manager@bekasi.demo")[1])
    batches.mark_sent(batch, member("manager@bekasi.demo")[1])
    return {"batch_id": batch.id}


CROSS_TENANT = {
    "verval.batch": ("GET", _batch_in_owner_region),
    "verval.batch_export": ("GET", _batch_in_owner_region),
    "verval.batch_answer_template": ("GET", _batch_in_owner_region),
    "verval.batch_sent": ("POST", _batch_in_owner_region),
    "verval.batch_answer": ("POST", _batch_in_owner_region),
}


def _approved(kind: str, **kwargs) -> DataUpdate:
    """Proposed by the facilitator on a one-stage chain, approved by the manager."""
    tenant = tenant_in_context()
    saved = dict(tenant.review_chains or {})
    tenant.review_chains = {**saved, kind: MANAGER_DECIDES}
    try:
        update = propose(kind, member=member(f"facilitator@{SLUG}.demo")[1], **kwargs)
    finally:
        tenant.review_chains = saved
    decide(update, kind, "approve", "", member(f"manager@{SLUG}.demo")[1])
    return update


def _three_updates() -> dict:
    village = region_village(0).code
    household = add_household([Member("Pak Lama", sex="L", birth_date=date(1960, 3, 3), education="sd"),
                               Member("Bu Lama", relation_to_head="spouse", birth_date=date(1965, 6, 6))])
    from app.citizens.models import RegisterEntry

    niks = {name: nik for name, nik in db.session.execute(
        select(RegisterEntry.name, RegisterEntry.nik).where(RegisterEntry.kk_number == household.kk_number))}
    head, child = unique_nik(village, date(1990, 1, 2), female=False), unique_nik(village, date(2015, 5, 5))
    new = _approved("new_household", kk_number=unique_kk(village), nik="", reason="Belum terdata",
                    data={"village_code": village, "address": "Jl. Sawit 2", "members": [
                        {"nik": head, "name": "=HYPERLINK(\"http://x\")", "relation_to_head": "head", "sex": "L",
                         "birth_date": "1990-01-02"},
                        {"nik": child, "name": "Anak Baru", "relation_to_head": "child", "sex": "P",
                         "birth_date": "2015-05-05"}]})
    changed = _approved("member_changed", kk_number=household.kk_number, nik=niks["Pak Lama"], reason="",
                        data={"changes": {"education": "smp"}})
    died = _approved("member_deceased", kk_number=household.kk_number, nik=niks["Bu Lama"], reason="",
                     data={"date": "2026-01-15"})
    return {"new": str(new.id), "changed": str(changed.id), "died": str(died.id), "head": head, "child": child,
            "kk": household.kk_number, "new_kk": new.kk_number, "bu": niks["Bu Lama"]}


def _csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _answer(client, batch_id, text: str, name="hasil.csv"):
    return client.post(f"/verval/batches/{batch_id}/answer", data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def _results(app, ids) -> dict:
    return read_in_region(app, SLUG, lambda: {
        str(u.id): (u.result, u.result_reason) for u in db.session.scalars(
            select(DataUpdate).where(DataUpdate.id.in_([uuid.UUID(i) for i in ids])))})


# --- attackers ------------------------------------------------------------------------------


def test_the_exchange_is_for_its_holders_only(staff):
    assert staff("intake_officer", SLUG).get("/verval/batches").status_code == 403
    assert staff("supervisor", SLUG).post("/verval/batches", data={}).status_code == 403
    assert staff("manager", SLUG).get("/verval/batches").status_code == 200


def test_an_answer_for_another_batch_or_region_is_refused_and_nothing_changes(app, staff):
    client = staff("manager", SLUG)
    first_ids = in_region(app, SLUG, _three_updates)
    assert client.post("/verval/batches", data={"note": ""}).status_code == 302
    first = read_in_region(app, SLUG, lambda: db.session.scalar(
        select(DataUpdate.batch_id).where(DataUpdate.id == uuid.UUID(first_ids["new"]))))
    second_ids = in_region(app, SLUG, _three_updates)
    assert client.post("/verval/batches", data={"note": ""}).status_code == 302
    client.post(f"/verval/batches/{first}/sent", data={})
    other = in_region(app, "bekasi", _batch_in_owner_region)["batch_id"]
    text = ("id_usulan,hasil,alasan\n"
            f"{first_ids['new']},diterima,\n"
            f"{second_ids['new']},diterima,\n"  # of the second batch
            f"{other},diterima,\n"  # a batch id, not an update; of another region anyway
            f"{first_ids['changed']},mungkin,\n"
            f"{first_ids['died']},ditolak,\n")
    response = _answer(client, first, text)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Berkas hasil ditolak; tidak ada yang diubah." in body
    for row, words in ((3, "bukan bagian dari batch ini"), (5, "hasil harus"), (6, "alasan wajib")):
        assert f"Baris {row}: " in body and words in body
    assert set(_results(app, [first_ids[k] for k in ("new", "changed", "died")]).values()) == {("", "")}
    broken = _answer(client, first, "nama,umur\nx,1\n")
    assert broken.status_code == 422 and "kolom wajib tidak ada" in broken.get_data(as_text=True)


def test_an_answer_before_the_batch_is_sent_is_refused(app, staff):
    client = staff("manager", SLUG)
    ids = in_region(app, SLUG, _three_updates)
    client.post("/verval/batches", data={"note": ""})
    batch_id = read_in_region(app, SLUG, lambda: db.session.scalar(
        select(DataUpdate.batch_id).where(DataUpdate.id == uuid.UUID(ids["new"]))))
    response = _answer(client, batch_id, f"id_usulan,hasil,alasan\n{ids['new']},diterima,\n")
    assert response.status_code == 409 and _results(app, [ids["new"]])[ids["new"]] == ("", "")


# --- the round trip ---------------------------------------------------------------------------


def test_round_trip_export_answer_import_results(app, staff):
    ids = in_region(app, SLUG, _three_updates)
    client = staff("manager", SLUG)
    page = client.get("/verval/batches").get_data(as_text=True)
    assert "menunggu batch berikutnya" in page
    response = client.post("/verval/batches", data={"note": "Kiriman Januari"})
    assert response.status_code == 302
    batch_id = response.headers["Location"].rsplit("/", 1)[1]
    batch = read_in_region(app, SLUG, lambda: db.session.scalar(
        select(ExportBatch).where(ExportBatch.id == uuid.UUID(batch_id))))
    assert batch.number.startswith(f"VERVAL-{date.today().year}-") and batch.status == "draft"

    csv_file = client.get(f"/verval/batches/{batch_id}/export?format=csv")
    assert csv_file.status_code == 200 and batch.number in csv_file.headers["Content-Disposition"]
    assert "no-store" in csv_file.headers.get("Cache-Control", "")  # full NIKs: never kept by a browser
    rows = _csv_rows(csv_file.data)
    assert list(rows[0].keys()) == list(COLUMNS)
    mine = [r for r in rows if r["id_usulan"] in ids.values()]
    new_rows = [r for r in mine if r["id_usulan"] == ids["new"]]
    assert [(r["nik"], r["hubungan"], r["jenis_usulan"]) for r in new_rows] == [
        (ids["head"], "1", "rumah_tangga_baru"), (ids["child"], "3", "rumah_tangga_baru")]
    assert new_rows[0]["nama"].startswith("'=HYPERLINK")  # a formula reaches the spreadsheet as text
    changed = next(r for r in mine if r["id_usulan"] == ids["changed"])
    assert (changed["pendidikan"], changed["kolom_diubah"], changed["nilai_lama"]) == ("smp", "pendidikan",
                                                                                        "pendidikan=sd")
    died = next(r for r in mine if r["id_usulan"] == ids["died"])
    assert (died["jenis_usulan"], died["tanggal_peristiwa"], died["nama"]) == ("meninggal", "2026-01-15", "Bu Lama")
    assert len(mine) == 4  # one row per member change

    xlsx = client.get(f"/verval/batches/{batch_id}/export?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(COLUMNS) and len(values) == len(rows) + 1

    assert client.post(f"/verval/batches/{batch_id}/sent", data={}).status_code == 302
    answer = ("ID Usulan;NIK;No KK;Hasil;Alasan\n"
              f"{ids['new']};{ids['head']};;diterima;\n"
              f"{ids['new']};{ids['child']};;diterima;\n"
              f"{ids['changed']};;;ditolak;Ijazah belum dilampirkan\n")
    response = _answer(client, batch_id, answer)
    assert response.status_code == 302
    results = _results(app, [ids[k] for k in ("new", "changed", "died")])
    assert results == {ids["new"]: ("accepted", ""), ids["changed"]: ("rejected", "Ijazah belum dilampirkan"),
                       ids["died"]: ("", "")}
    detail = client.get(f"/verval/updates/{ids['changed']}").get_data(as_text=True)
    assert "Ijazah belum dilampirkan" in detail and batch.number in detail

    # A later Excel file answers the rest by KK and NIK (and may correct an earlier answer).
    book = Workbook()
    book.active.append(["no_kk", "nik", "hasil", "alasan"])
    book.active.append([ids["kk"], ids["bu"], "Diterima", None])
    out = io.BytesIO()
    book.save(out)
    response = client.post(f"/verval/batches/{batch_id}/answer", data={"file": (io.BytesIO(out.getvalue()),
                                                                                  "hasil.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert _results(app, [ids["died"]])[ids["died"]] == ("accepted", "")
    answered = read_in_region(app, SLUG, lambda: db.session.scalar(
        select(ExportBatch).where(ExportBatch.id == uuid.UUID(batch_id))))
    assert answered.status == "answered" and answered.answer_filename == "hasil.xlsx"


def test_nothing_to_gather_makes_no_batch_and_numbers_count_up(app, staff):
    client = staff("manager", SLUG)
    in_region(app, SLUG, _three_updates)
    client.post("/verval/batches", data={"note": ""})
    empty = client.post("/verval/batches", data={"note": ""}, follow_redirects=True)
    assert "Tidak ada usulan disetujui yang belum masuk batch." in empty.get_data(as_text=True)
    in_region(app, SLUG, lambda: _approved("no_longer_poor", kk_number=add_household([Member("Pak Mampu")]).kk_number,
                                           nik="", reason="Sudah punya usaha", data={}))
    client.post("/verval/batches", data={"note": ""})
    numbers = read_in_region(app, SLUG, lambda: db.session.scalars(
        select(ExportBatch.number).order_by(ExportBatch.created_at.desc()).limit(2)).all())
    later, earlier = (int(n.rsplit("-", 1)[1]) for n in numbers)
    assert later == earlier + 1


def test_pending_updates_are_not_gathered(app, staff):
    pending = in_region(app, SLUG, lambda: str(submitted_update(district_village(0), by=f"facilitator@{SLUG}.demo",
                                                                chain=TWO_STAGES).id))
    staff("manager", SLUG).post("/verval/batches", data={"note": ""})
    assert read_in_region(app, SLUG, lambda: db.session.scalar(
        select(DataUpdate.batch_id).where(DataUpdate.id == uuid.UUID(pending)))) is None
