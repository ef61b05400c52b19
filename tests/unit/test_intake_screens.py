"""Intake as people fill it: a future birth date refused at the field; a register match fills the form."""
import re
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from app.casework.models import Case
from app.citizens.models import RegisterEntry, RegisterImport
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import utcnow
from tests.factories import citizen_data, member, tenant, village_of

SLUG = "palembang"


def _in_region(app, fn):
    with app.app_context(), tenant_context(tenant(SLUG)):
        result = fn()
        db.session.commit()
        return result


def _count(app) -> int:
    return _in_region(app, lambda: db.session.scalar(select(func.count()).select_from(Case)))


def _payload(app, **over) -> dict:
    data = _in_region(app, lambda: citizen_data(SLUG, name="Siti Tanggal Uji"))
    return {"intake_token": uuid.uuid4().hex, "nik": data.nik, "kk_number": data.kk_number, "name": data.name,
            "birth_date": data.birth_date.isoformat(), "sex": data.sex, "address": "Jl. Uji No. 2",
            "village_code": data.village_code, "phone": "0812-3456-7001", "service_area": "kesehatan",
            "channel": "walk_in", "complaint": "Butuh bantuan."} | over


def test_a_future_birth_date_is_refused_at_the_field(app, staff):
    client = staff("intake_officer", SLUG)
    before = _count(app)
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    response = client.post("/intake/", data=_payload(app, birth_date=tomorrow))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="birth_date-error"' in html and "masa depan" in html
    assert f'value="{tomorrow}"' in html  # what was typed stays
    assert _count(app) == before


def test_the_birth_date_input_says_its_latest_day(staff):
    html = staff("intake_officer", SLUG).get("/intake/").get_data(as_text=True)
    assert 'id="birth_date"' in html and ' max="' in html


def _register_entry():
    user, _m = member(f"manager@{SLUG}.demo")
    batch = RegisterImport(filename="uji.csv", row_count=1, imported_by=user.id)
    db.session.add(batch)
    db.session.flush()
    data = citizen_data(SLUG, name=f"Rahmat Terdaftar {uuid.uuid4().hex[:5]}")
    db.session.add(RegisterEntry(nik=data.nik, kk_number=data.kk_number, name=data.name,
                                 village_code=village_of(SLUG).code, address="Lorong Register No. 9",
                                 import_id=batch.id))
    return data


def test_the_register_check_offers_to_fill_the_form(app, staff):
    data = _in_region(app, _register_entry)
    html = staff("intake_officer", SLUG).get(f"/intake/register-check?nik={data.nik}&kk_number=") \
        .get_data(as_text=True)
    assert "/intake/register-fill" in html and 'hx-include="#citizen-fields"' in html


def test_a_register_match_fills_name_kk_address_village_and_keeps_the_rest(app, staff):
    data = _in_region(app, _register_entry)
    client = staff("intake_officer", SLUG)
    response = client.get(f"/intake/register-fill?nik={data.nik}&kk_number=&name=salah+ketik&phone=0812999111"
                          f"&birth_date=1979-05-06&sex=L&address=", headers={"HX-Request": "true",
                                                                           "HX-Target": "citizen-fields"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert f'value="{data.name}"' in html and f'value="{data.kk_number}"' in html
    assert 'value="Lorong Register No. 9"' in html
    assert re.search(f'<option selected value="{village_of_code(app)}"', html)
    assert 'value="0812999111"' in html and 'value="1979-05-06"' in html and "salah ketik" not in html


def village_of_code(app) -> str:
    return _in_region(app, lambda: village_of(SLUG).code)
