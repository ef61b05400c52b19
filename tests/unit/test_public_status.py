"""The public status page: ticket + last 4 phone digits → stage and dates, nothing personal."""
import random

from app.casework.models import Case
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import citizen_data, make_case, tenant

MISMATCH = "Nomor tiket atau 4 angka terakhir telepon tidak cocok"


def new_case(app, slug):
    last4 = f"{random.randrange(1000, 7000):04d}"
    with app.app_context(), tenant_context(tenant(slug)):
        data = citizen_data(slug, name="Rahmat Rahasia", phone=f"0813-9999-{last4}")
        case = make_case(slug, data=data)
        facts = dict(ticket=case.ticket, last4=last4, nik=case.citizen.nik, name=case.citizen.name,
                     address=case.citizen.address, complaint=case.complaint,
                     stage=case.sop_version.sop.state(case.state).label)
        db.session.commit()
        return facts


def test_status_page_is_public_and_linked_from_the_front_page(region_client):
    client = region_client("payakumbuh")
    assert client.get("/status").status_code == 200
    assert 'href="/status"' in client.get("/").get_data(as_text=True)


def test_match_shows_stage_and_dates_but_no_personal_data(app, region_client):
    case = new_case(app, "payakumbuh")
    response = region_client("payakumbuh").post("/status", data={"ticket": case["ticket"].lower(),
                                                                  "phone_last4": case["last4"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert case["stage"] in page and "Diterima" in page and "Terakhir diperbarui" in page and "Belum selesai" in page
    for private in (case["name"], case["nik"], case["nik"][-4:] + "<", case["address"], case["complaint"]):
        assert private not in page


def test_mismatch_says_the_same_whether_or_not_the_ticket_exists(app, region_client):
    case = new_case(app, "payakumbuh")
    client = region_client("payakumbuh")
    wrong_phone = client.post("/status", data={"ticket": case["ticket"], "phone_last4": "9999"})
    no_ticket = client.post("/status", data={"ticket": "PLG-1999-999999", "phone_last4": case["last4"]})
    assert wrong_phone.status_code == no_ticket.status_code == 422
    assert MISMATCH in wrong_phone.get_data(as_text=True) and MISMATCH in no_ticket.get_data(as_text=True)
    assert case["stage"] not in wrong_phone.get_data(as_text=True)


def test_a_ticket_is_only_found_in_its_own_region(app, region_client):
    case = new_case(app, "payakumbuh")
    response = region_client("palembang").post("/status", data={"ticket": case["ticket"], "phone_last4": case["last4"]})
    assert response.status_code == 422 and MISMATCH in response.get_data(as_text=True)


def test_closed_case_shows_closed(app, region_client):
    case = new_case(app, "payakumbuh")
    with app.app_context(), tenant_context(tenant("payakumbuh")):
        from sqlalchemy import select

        from app.tenancy.models import utcnow
        row = db.session.scalar(select(Case).where(Case.ticket == case["ticket"]))
        row.closed_at = utcnow()
        db.session.commit()
    page = region_client("payakumbuh").post("/status", data={"ticket": case["ticket"],
                                                              "phone_last4": case["last4"]}).get_data(as_text=True)
    assert "Sudah selesai" in page


def test_apex_has_no_status_page(region_client):
    assert region_client(None).get("/status").status_code == 404
