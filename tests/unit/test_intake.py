"""The intake screen over HTTP: one case per form, errors at their fields, roles, register check."""
import re
import uuid
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.casework.intake_access import offered_channels
from app.casework.models import Case
from app.casework.sop_store import current_version
from app.citizens.models import RegisterEntry, RegisterImport
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import citizen_data, make_case, make_nik, member, tenant, village_of


def in_region(app, slug, fn):
    """Run `fn()` inside region `slug` (own app context, committed) and return its result."""
    with app.app_context(), tenant_context(tenant(slug)):
        result = fn()
        db.session.commit()
        return result


def count_cases(app, slug) -> int:
    return in_region(app, slug, lambda: db.session.scalar(select(func.count()).select_from(Case)))


def payload(app, slug, channel="walk_in", **over) -> dict:
    data = in_region(app, slug, lambda: citizen_data(slug, name="Siti Uji Intake"))
    values = {
        "intake_token": uuid.uuid4().hex, "nik": data.nik, "kk_number": data.kk_number, "name": data.name,
        "birth_date": data.birth_date.isoformat(), "sex": data.sex, "address": "Jl. Melati No. 7 RT 02/RW 03",
        "village_code": data.village_code, "phone": "0812-3456-7001", "service_area": "kesehatan",
        "channel": channel, "complaint": "Anak sakit, tidak punya biaya berobat ke rumah sakit.",
    }
    return values | over


def page(response) -> str:
    return response.get_data(as_text=True)


def test_intake_opens_one_case_and_shows_the_receipt(app, staff):
    client = staff("intake_officer", "bekasi")
    form = page(client.get("/intake/"))
    assert 'name="intake_token"' in form and "<optgroup" in form
    before = count_cases(app, "bekasi")
    response = client.post("/intake/", data=payload(app, "bekasi"))
    assert response.status_code == 302
    assert re.search(r"/intake/cases/[0-9a-f-]{36}/receipt$", response.headers["Location"])
    assert count_cases(app, "bekasi") == before + 1
    receipt = page(client.get(response.headers["Location"]))
    with app.app_context():
        prefix = tenant("bekasi").ticket_prefix
    assert re.search(re.escape(prefix) + r"-\d{4}-\d{6}", receipt)
    assert "Pengaduan tercatat dengan nomor tiket" in receipt  # the flash


def test_double_submit_opens_one_case(app, staff):
    client = staff("intake_officer", "bekasi")
    data = payload(app, "bekasi")
    before = count_cases(app, "bekasi")
    first = client.post("/intake/", data=data)
    second = client.post("/intake/", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count_cases(app, "bekasi") == before + 1


def _female_nik_written_as_male(app):
    data = in_region(app, "bekasi", lambda: citizen_data("bekasi", sex="P"))
    return {"nik": data.nik, "sex": "L"}


def _birth_date_mismatch(app):
    village = in_region(app, "bekasi", lambda: village_of("bekasi").code)
    return {"nik": make_nik(village, date(1990, 5, 1), "P"), "birth_date": "1991-05-01", "sex": "P"}


@pytest.mark.parametrize("breaks, field, message", [
    (lambda app: {"nik": "327501450190001"}, "nik", "NIK harus 16 angka (tertulis 15 karakter)."),
    (_birth_date_mismatch, "nik", "tidak sama dengan tanggal lahir yang diisi"),
    (_female_nik_written_as_male, "sex", "Jenis kelamin tidak sesuai NIK"),
    (lambda app: {"kk_number": "12345"}, "kk_number", "Nomor KK harus 16 angka"),
    (lambda app: {"name": "", "complaint": ""}, "name", "Nama wajib diisi."),
])
def test_invalid_identity_is_422_at_the_field_and_writes_nothing(app, staff, breaks, field, message):
    client = staff("intake_officer", "bekasi")
    data = payload(app, "bekasi")
    data.update(breaks(app))
    before = count_cases(app, "bekasi")
    response = client.post("/intake/", data=data)
    html = page(response)
    assert response.status_code == 422
    error = re.search(rf'<small class="field-error" id="{field}-error">([^<]*)</small>', html)
    assert error and message in error.group(1)
    for kept in ("nik", "kk_number", "address", "phone"):
        assert f'value="{data[kept]}"' in html
    assert data["complaint"] in html and f'value="{data["intake_token"]}"' in html
    assert count_cases(app, "bekasi") == before


def test_roles_without_a_channel_get_403(staff):
    client = staff("case_officer", "bekasi")
    assert client.get("/intake/").status_code == 403
    assert client.post("/intake/", data={}).status_code == 403
    assert client.get("/intake/register-check?nik=3275011234560001").status_code == 403


def test_nav_link_only_for_those_who_may_record(staff):
    assert "Pengaduan baru" in page(staff("intake_officer", "cianjur").get("/home"))
    assert "Pengaduan baru" not in page(staff("case_officer", "cianjur").get("/home"))


def _seed_register_entry(slug, kk_number=None):
    user, _m = member(f"manager@{slug}.demo")
    batch = RegisterImport(filename="uji.csv", row_count=1, imported_by=user.id)
    db.session.add(batch)
    db.session.flush()
    data = citizen_data(slug, name="Ahmad Terdaftar")
    db.session.add(RegisterEntry(nik=data.nik, kk_number=kk_number or data.kk_number, name=data.name,
                                 import_id=batch.id))
    return data


def test_register_check_fragment_both_ways(app, staff):
    data = in_region(app, "palembang", lambda: _seed_register_entry("palembang"))
    register = in_region(app, "palembang", lambda: tenant("palembang").term("welfare_register", "Data Terpadu"))
    client = staff("intake_officer", "palembang")
    found = page(client.get(f"/intake/register-check?nik={data.nik}&kk_number="))
    assert f"Terdaftar di {register}" in found and "Ahmad Terdaftar" in found
    assert data.nik not in found and data.nik[:6] + "••••••" + data.nik[-4:] in found
    assert "<html" not in found
    other = in_region(app, "palembang", lambda: citizen_data("palembang"))
    missing = page(client.get(f"/intake/register-check?nik={other.nik}&kk_number={other.kk_number}"))
    assert "Belum terdaftar" in missing and "pre-list" in missing


def test_register_check_offers_the_known_citizen(app, staff):
    nik = in_region(app, "cianjur", lambda: make_case("cianjur").citizen.nik)
    client = staff("intake_officer", "cianjur")
    fragment = page(client.get(f"/intake/register-check?nik={nik}"))
    assert "Warga sudah pernah tercatat" in fragment
    block = page(client.get(f"/intake/?nik={nik}", headers={"HX-Request": "true", "HX-Target": "citizen-fields"}))
    assert "<html" not in block and 'id="citizen-fields"' in block and f'value="{nik}"' in block


def test_register_check_runs_on_the_post_path_too(app, staff):
    data = in_region(app, "palembang", lambda: _seed_register_entry("palembang"))
    client = staff("intake_officer", "palembang")
    html = page(client.post("/intake/", data=payload(app, "palembang", nik=data.nik, kk_number=data.kk_number,
                                                      complaint="")))
    assert "Terdaftar di" in html


def test_facilitator_records_a_home_visit_for_the_supervisor(app, staff):
    client = staff("facilitator", "cianjur")
    form = page(client.get("/intake/"))
    village = in_region(app, "cianjur", lambda: village_of("cianjur").code)
    villages = re.search(r'<select[^>]*id="village_code".*?</select>', form, re.S).group(0)
    options = re.findall(r'<option [^>]*value="([^"]*)"', villages)
    assert options == ["", village]
    assert 'name="channel" value="home_visit"' in form
    response = client.post("/intake/", data=payload(app, "cianjur", channel="home_visit"))
    assert response.status_code == 302
    case_id = response.headers["Location"].split("/")[-2]
    state = in_region(app, "cianjur",
                      lambda: db.session.scalar(select(Case.state).where(Case.id == uuid.UUID(case_id))))
    assert state == "field_review"
    assert "Supervisor" in page(client.get(response.headers["Location"]))


def test_facilitator_cannot_pick_another_village_or_channel(app, staff):
    client = staff("facilitator", "cianjur")
    other = in_region(app, "cianjur", lambda: village_of("bekasi").code)
    home_visit = payload(app, "cianjur", channel="home_visit", village_code=other)
    assert client.post("/intake/", data=home_visit).status_code == 422
    assert client.post("/intake/", data=payload(app, "cianjur", channel="walk_in")).status_code == 422


def _member(role, unit_kind):
    return SimpleNamespace(position=SimpleNamespace(role=role, unit=SimpleNamespace(kind=unit_kind)))


@pytest.mark.parametrize("role, unit_kind, expected", [
    ("intake_officer", "front_office", ["walk_in", "klink"]),  # KLINK (own, counted as walk-in): not for Puskesos
    ("intake_officer", "welfare_center", ["welfare_center"]),
    ("welfare_center_coordinator", "welfare_center", ["welfare_center"]),
    ("facilitator", "field", ["home_visit"]),
    ("case_officer", "back_office", []),
])
def test_puskesos_channel_follows_the_unit_kind(app, role, unit_kind, expected):
    sop = in_region(app, "batubara", lambda: current_version().sop)
    assert [c.key for c in offered_channels(sop, _member(role, unit_kind))] == expected


def test_puskesos_officer_sees_the_puskesos_channel(app, staff):
    form = page(staff("intake_officer-2", "batubara").get("/intake/"))
    assert 'name="channel" value="welfare_center"' in form and "walk_in" not in form
    front = page(staff("intake_officer", "batubara").get("/intake/"))
    assert 'value="walk_in"' in front and 'value="klink"' in front and 'value="welfare_center"' not in front
