"""Correcting a case after intake: the citizen's data and the complaint, by the roles the region
allows, with a reason, before/after in the audit log; a facilitator corrects a returned record."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.casework.models import Case, CaseEvent
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import citizen_data, make_case, member, tenant
from tests.helpers.org import step


def _case_id_from_builder():
    return {"case_id": make_case("bekasi").id}


CROSS_TENANT = {"cases.correct": ("GET", _case_id_from_builder)}


def new_case(app, slug, channel="walk_in"):
    with app.app_context(), tenant_context(tenant(slug)):
        data = citizen_data(slug, name=f"Siti Salah {uuid.uuid4().hex[:5]}")
        case = make_case(slug, data=data, channel=channel)
        facts = {"id": case.id, "version": case.version, "nik": data.nik, "kk": data.kk_number,
                 "name": data.name, "birth": data.birth_date.isoformat(), "sex": data.sex,
                 "address": data.address, "phone": data.phone, "complaint": case.complaint}
        db.session.commit()
        return facts


def form(case, **changes):
    data = {"nik": case["nik"], "kk_number": case["kk"], "name": case["name"], "birth_date": case["birth"],
            "sex": case["sex"], "address": case["address"], "phone": case["phone"],
            "complaint": case["complaint"], "version": case["version"], "reason": "Salah ketik saat pendaftaran"}
    data.update(changes)
    return data


def load(app, slug, case_id):
    with app.app_context(), tenant_context(tenant(slug)):
        case = db.session.get(Case, (tenant(slug).id, case_id))
        events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                                    .order_by(CaseEvent.at)).all()
        audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.correct",
                                                            AuditEvent.object_id == str(case_id))).all()
        return {"name": case.citizen.name, "address": case.citizen.address, "complaint": case.complaint,
                "events": [(e.action, e.note, e.data) for e in events], "audit": [a.detail for a in audit]}


def test_intake_officer_corrects_citizen_and_complaint_with_reason_and_audit(app, staff):
    case = new_case(app, "bekasi")
    client = staff("intake_officer", "bekasi")
    page = client.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert f"/cases/{case['id']}/correct" in page
    assert case["name"] in client.get(f"/cases/{case['id']}/correct").get_data(as_text=True)
    response = client.post(f"/cases/{case['id']}/correct",
                           data=form(case, name="Siti Benar", complaint="Butuh bantuan biaya sekolah anak."))
    assert response.status_code == 302
    after = load(app, "bekasi", case["id"])
    assert after["name"] == "Siti Benar" and after["complaint"] == "Butuh bantuan biaya sekolah anak."
    assert ("correct", "Salah ketik saat pendaftaran", {"fields": ["name", "complaint"]}) in after["events"]
    [detail] = after["audit"]
    assert detail["before"] == {"name": case["name"], "complaint": case["complaint"]}
    assert detail["after"] == {"name": "Siti Benar", "complaint": "Butuh bantuan biaya sekolah anak."}
    assert detail["reason"] == "Salah ketik saat pendaftaran"
    timeline = client.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "Koreksi data" in timeline and "Salah ketik saat pendaftaran" in timeline


def test_correction_needs_a_reason_and_keeps_what_was_typed(app, staff):
    case = new_case(app, "bekasi")
    client = staff("intake_officer", "bekasi")
    response = client.post(f"/cases/{case['id']}/correct", data=form(case, name="Nama Baru Diketik", reason=" \u200b"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Alasan wajib diisi." in page and 'value="Nama Baru Diketik"' in page
    after = load(app, "bekasi", case["id"])
    assert after["name"] == case["name"] and after["audit"] == []
    assert [a for a, _n, _d in after["events"]] == ["intake"]


def test_a_bad_nik_is_refused_at_its_field_and_nothing_is_written(app, staff):
    case = new_case(app, "bekasi")
    client = staff("intake_officer", "bekasi")
    response = client.post(f"/cases/{case['id']}/correct", data=form(case, nik="1234", name="Tidak Tersimpan"))
    assert response.status_code == 422
    assert "NIK harus 16 angka" in response.get_data(as_text=True)
    assert load(app, "bekasi", case["id"])["name"] == case["name"]


def test_a_role_the_region_does_not_allow_gets_403_unless_the_region_allows_it(app, staff):
    case = new_case(app, "bekasi")
    supervisor = staff("supervisor", "bekasi")
    assert supervisor.get(f"/cases/{case['id']}/correct").status_code == 403
    monitoring = staff("monitoring_officer", "bekasi")
    assert monitoring.get(f"/cases/{case['id']}/correct").status_code == 403
    assert f"/cases/{case['id']}/correct" not in monitoring.get(f"/cases/{case['id']}").get_data(as_text=True)
    with app.app_context():
        region = tenant("bekasi")
        region.permissions = {**(region.permissions or {}), "correct_case": ["monitoring_officer"]}
        db.session.commit()
    try:
        assert monitoring.get(f"/cases/{case['id']}/correct").status_code == 200
        assert staff("intake_officer", "bekasi").get(f"/cases/{case['id']}/correct").status_code == 403
    finally:
        with app.app_context():
            region = tenant("bekasi")
            region.permissions = {k: v for k, v in (region.permissions or {}).items() if k != "correct_case"}
            db.session.commit()


def test_facilitator_corrects_the_record_the_supervisor_returned(app, staff):
    slug = "palembang"
    case = new_case(app, slug, channel="home_visit")
    facilitator = staff("facilitator", slug)
    assert facilitator.get(f"/cases/{case['id']}/correct").status_code == 403  # not returned yet
    with app.app_context(), tenant_context(tenant(slug)):
        record = db.session.get(Case, (tenant(slug).id, case["id"]))
        step(record, "return_field_record", member(f"supervisor@{slug}.demo")[1], note="Alamat belum lengkap.")
        version = record.version
        db.session.commit()
    assert f"/cases/{case['id']}/correct" in facilitator.get(f"/cases/{case['id']}").get_data(as_text=True)
    response = facilitator.post(f"/cases/{case['id']}/correct",
                                data=form({**case, "version": version}, address="Jl. Merdeka No. 5 RT 02/RW 03",
                                          reason="Alamat dilengkapi sesuai catatan Supervisor"))
    assert response.status_code == 302
    after = load(app, slug, case["id"])
    assert after["address"] == "Jl. Merdeka No. 5 RT 02/RW 03"
    assert after["audit"][0]["before"] == {"address": case["address"]}
