"""No English codes on staff screens: partner levels, referral statuses and audit keys in words."""
import re
import uuid
from html.parser import HTMLParser

from app.audit.log import record
from app.casework.models import Partner
from app.casework.steps import StepInput, take_step
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import citizen_data, make_case, member, tenant

SLUG = "bekasi"
CODES = re.compile(r"\b(regency|province|central|non_government|requested|returned|approved|answered|completed|"
                   r"existing|config\.[a-z_.]+)\b")


class _Text(HTMLParser):
    """The text a person reads (no tags, attributes, scripts or styles)."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_in(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return CODES.findall(" ".join(parser.parts))


def _case_at_back_office(app, *, request: bool) -> str:
    with app.app_context(), tenant_context(tenant(SLUG)):
        case = make_case(SLUG, service_area="pendidikan",
                         data=citizen_data(SLUG, name=f"Warga Bahasa {uuid.uuid4().hex[:6]}"))
        partner = Partner(name=f"Dinas Uji Bahasa {uuid.uuid4().hex[:6]}", level="regency", kind="opd")
        db.session.add(partner)
        db.session.flush()
        steps = [("forward_to_back_office", "intake_officer", {})]
        if request:
            steps.append(("request_referral", "case_officer", {"partner_id": str(partner.id)}))
        for key, role, values in steps:
            user, membership = member(f"{role}@{SLUG}.demo")
            take_step(case, key, StepInput.of("Perlu dirujuk." if values else "", values), user=user,
                      membership=membership, expected_version=case.version)
        db.session.commit()
        return str(case.id)


def test_the_partner_dropdown_names_the_level_in_indonesian(app, staff):
    case_id = _case_at_back_office(app, request=False)
    page = staff("case_officer", SLUG).get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Kabupaten/Kota" in page
    assert english_in(page) == []


def test_the_referral_status_is_in_indonesian(app, staff):
    case_id = _case_at_back_office(app, request=True)
    page = staff("manager", SLUG).get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Menunggu persetujuan" in page
    assert english_in(page) == []


def test_the_configuration_history_has_no_audit_codes(app, staff):
    with app.app_context(), tenant_context(tenant(SLUG)):
        record("config.staff.invitation_accept", "invitation", uuid.uuid4(), email="uji@example.id",
               account="existing")
        db.session.commit()
    page = staff("manager", SLUG).get("/settings/history").get_data(as_text=True)
    assert "Undangan staf diterima" in page
    assert english_in(page) == []


def test_post_dropdowns_name_the_unit(app, staff):
    from sqlalchemy import select

    from app.org.models import OrgUnit, Position

    with app.app_context(), tenant_context(tenant(SLUG)):
        post, unit = db.session.execute(select(Position.title, OrgUnit.name).join(
            OrgUnit, OrgUnit.id == Position.unit_id).where(Position.retired_at.is_(None))).first()
    page = staff("manager", SLUG).get("/settings/staff/invite").get_data(as_text=True)
    assert f"{post} — {unit}" in page
