"""The home-visit form: household condition on the case; photo and location only with consent."""
import io
import uuid

from sqlalchemy import func, select

from app.attachments.models import Attachment
from app.casework.models import Case
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import citizen_data, tenant
from tests.helpers.attachments import png_bytes

SLUG = "palembang"


def _in_region(app, fn):
    with app.app_context(), tenant_context(tenant(SLUG)):
        result = fn()
        db.session.commit()
        return result


def _payload(app, **over) -> dict:
    data = _in_region(app, lambda: citizen_data(SLUG, name=f"Warga Kunjungan {uuid.uuid4().hex[:5]}"))
    return {"intake_token": uuid.uuid4().hex, "nik": data.nik, "kk_number": data.kk_number, "name": data.name,
            "birth_date": data.birth_date.isoformat(), "sex": data.sex, "address": "Lorong Kunjungan 3",
            "village_code": data.village_code, "phone": "0812-3456-7002", "service_area": "sosial",
            "channel": "home_visit", "complaint": "Rumah bocor, tidak ada penghasilan tetap.",
            "house_condition": "not_livable", "household_size": "5", "income_source": "daily_labour"} | over


def _case(app, token) -> dict | None:
    def load():
        case = db.session.scalar(select(Case).where(Case.intake_token == token))
        if case is None:
            return None
        photos = db.session.scalar(select(func.count()).select_from(Attachment).where(Attachment.case_id == case.id))
        return {"visit": case.home_visit, "photos": photos}
    return _in_region(app, load)


def test_the_facilitator_form_asks_about_the_household(staff):
    html = staff("facilitator", SLUG).get("/intake/").get_data(as_text=True)
    for name in ("house_condition", "household_size", "income_source", "consent", "photo", "latitude", "longitude"):
        assert f'name="{name}"' in html, name
    assert 'enctype="multipart/form-data"' in html
    assert "/static/js/home-visit.js" in html


def test_the_front_office_form_has_no_household_part(staff):
    html = staff("intake_officer", SLUG).get("/intake/").get_data(as_text=True)
    assert 'name="house_condition"' not in html


def test_household_condition_and_consented_location_are_kept_on_the_case(app, staff):
    data = _payload(app, consent="y", latitude="-2.9761", longitude="104.7754", accuracy="12",
                    photo=(io.BytesIO(png_bytes()), "rumah.png"))
    response = staff("facilitator", SLUG).post("/intake/", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    case = _case(app, data["intake_token"])
    assert case["visit"]["house_condition"] == "not_livable" and case["visit"]["household_size"] == 5
    assert case["visit"]["income_source"] == "daily_labour" and case["visit"]["consent"] is True
    assert case["visit"]["latitude"] == -2.9761 and case["visit"]["longitude"] == 104.7754
    assert case["photos"] == 1


def test_without_consent_no_location_is_kept(app, staff):
    data = _payload(app, latitude="-2.9761", longitude="104.7754")
    assert staff("facilitator", SLUG).post("/intake/", data=data).status_code == 302
    visit = _case(app, data["intake_token"])["visit"]
    assert visit["consent"] is False and "latitude" not in visit and "longitude" not in visit


def test_a_photo_without_consent_is_refused_at_the_field_and_nothing_is_written(app, staff):
    data = _payload(app, photo=(io.BytesIO(png_bytes()), "rumah.png"))
    response = staff("facilitator", SLUG).post("/intake/", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="photo-error"' in html and "persetujuan" in html
    assert _case(app, data["intake_token"]) is None


def test_a_bad_household_size_is_refused_at_the_field(app, staff):
    data = _payload(app, household_size="0")
    response = staff("facilitator", SLUG).post("/intake/", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="household_size-error"' in html
    assert 'value="0"' in html and _case(app, data["intake_token"]) is None


def test_a_refused_photo_file_writes_no_case(app, staff):
    data = _payload(app, consent="y", photo=(io.BytesIO(b"not an image at all"), "rumah.png"))
    response = staff("facilitator", SLUG).post("/intake/", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and 'id="photo-error"' in response.get_data(as_text=True)
    assert _case(app, data["intake_token"]) is None


def test_the_case_page_shows_the_household(app, staff):
    data = _payload(app)
    client = staff("facilitator", SLUG)
    location = client.post("/intake/", data=data).headers["Location"]
    case_id = location.split("/cases/")[1].split("/")[0]
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Tidak layak huni" in html and "Buruh harian" in html
