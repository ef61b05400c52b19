"""Each region's ticket numbers start with its own prefix: derived from the region, set in a template or
the wizard, changed by the region's manager (new tickets only), carried by export and import."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from app.tenants.ticket_prefix import default_prefix, derived_prefix, prefix_problem, set_ticket_prefix
from tests.factories import make_case, tenant
from tests.helpers.platform import make_region

URL = "/settings/ticket-prefix"


@pytest.mark.parametrize("slug, prefix", [
    ("bekasi", "BEKASI"), ("kab-bekasi", "KABBEKASI"), ("batubara", "BATUBARA"),
    ("tanjung-jabung-barat", "TJBARAT"), ("kota-administrasi-jakarta-selatan", "KAJSELATAN"),
    ("tanjungpinangkota", "TANJUNGPINAN"), ("uji-1a2b3c4d", "UJI1A2B3C4D"), ("x", "XSLRT")])
def test_the_default_is_read_from_the_subdomain(slug, prefix):
    assert derived_prefix(slug) == prefix
    assert re.fullmatch(r"[A-Z0-9]{2,12}", derived_prefix(slug))


def test_a_default_another_region_has_gets_a_number(app_ctx):
    assert tenant("bekasi").ticket_prefix == "BEKASI"
    assert default_prefix("bekasi") == "BEKASI2"  # Kota Bekasi has it already
    assert default_prefix("kab-bekasi") == "KABBEKASI"


def test_the_shipped_regions_each_have_their_own(app_ctx):
    prefixes = [t.ticket_prefix for t in db.session.scalars(select(Tenant))]
    assert len(prefixes) == len(set(prefixes)) and "PLG" not in prefixes
    assert {tenant(s).ticket_prefix for s in ("bekasi", "palembang")} == {"BEKASI", "PALEMBANG"}


def test_the_first_ticket_of_two_regions_differs(app):
    first = []
    for _ in range(2):
        _id, slug = make_region(app, accounts=True)
        with app.app_context(), tenant_context(tenant(slug)):
            first.append(make_case(slug).ticket)
            assert first[-1] == f"{tenant(slug).ticket_prefix}-{first[-1][-11:-7]}-000001"
            db.session.commit()
    assert first[0] != first[1]


def test_changing_the_prefix_affects_new_tickets_only_and_numbers_go_on(app, region_client):
    _id, slug = make_region(app, accounts=True)
    with app.app_context(), tenant_context(tenant(slug)):
        old = make_case(slug)
        old_ticket, phone = old.ticket, old.citizen.phone
        new_prefix = "B" + slug.replace("-", "").upper()[-10:]
        assert set_ticket_prefix(tenant(slug), new_prefix) is True
        new_ticket = make_case(slug).ticket
        assert new_ticket.startswith(new_prefix + "-") and int(new_ticket[-6:]) == int(old_ticket[-6:]) + 1
        assert set_ticket_prefix(tenant(slug), new_prefix) is False  # the same again: nothing recorded
        db.session.commit()
    client = region_client(slug)  # both tickets are still found on the public status page
    for ticket in (old_ticket, new_ticket.lower()):
        response = client.post("/status", data={"ticket": ticket, "phone_last4": phone[-4:]})
        assert response.status_code == 200, ticket


def test_an_old_plg_ticket_is_still_found(app, region_client):
    _id, slug = make_region(app, accounts=True)
    with app.app_context(), tenant_context(tenant(slug)):
        case = make_case(slug)
        case.ticket = "PLG-2025-000042"  # issued before prefixes were per region
        phone = case.citizen.phone
        db.session.commit()
    response = region_client(slug).post("/status", data={"ticket": "plg-2025-000042", "phone_last4": phone[-4:]})
    assert response.status_code == 200 and "PLG-2025-000042" in response.get_data(as_text=True)


def test_prefix_rules(app_ctx):
    assert "2\u201312 karakter" in prefix_problem("A")
    assert "2\u201312 karakter" in prefix_problem("BE-KASI")
    assert "2\u201312 karakter" in prefix_problem("ABCDEFGHIJKLM")
    assert "sudah dipakai Kota Bekasi" in prefix_problem("BEKASI")
    assert prefix_problem("BEKASI", tenant("bekasi").id) is None


# --- the manager's settings page ----------------------------------------------------------

def test_the_manager_changes_it_and_the_history_says_so(app, staff):
    _id, slug = make_region(app, accounts=True)
    client = staff("manager", slug)
    page = client.get(URL).get_data(as_text=True)
    with app.app_context():
        before = tenant(slug).ticket_prefix
    assert f'value="{before}"' in page and f"{before}-" in page
    wanted = "Q" + slug.replace("-", "").upper()[-9:]
    response = client.post(URL, data={"ticket_prefix": f" {wanted.lower()} "})
    assert response.status_code == 302
    with app.app_context(), tenant_context(tenant(slug)):
        assert tenant(slug).ticket_prefix == wanted
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "config.ticket.prefix"))
        assert event.detail == {"before": {"ticket_prefix": before}, "after": {"ticket_prefix": wanted}}
    history = client.get("/settings/history?kind=ticket").get_data(as_text=True)
    assert "Awalan nomor tiket diubah" in history and f"{before} → {wanted}" in history
    assert "config.ticket.prefix" not in history


def test_a_prefix_of_another_region_or_a_bad_one_is_refused_at_the_field(app, staff):
    _id, slug = make_region(app, accounts=True)
    client = staff("manager", slug)
    with app.app_context():
        before = tenant(slug).ticket_prefix
    for typed, message in [("PALEMBANG", "Awalan PALEMBANG sudah dipakai Kota Palembang"),
                           ("BKS 01", "2\u201312 karakter"), ("", "wajib diisi")]:
        response = client.post(URL, data={"ticket_prefix": typed})
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and message in page, typed
        assert 'id="ticket_prefix-error"' in page and 'aria-invalid="true"' in page
    with app.app_context():
        assert tenant(slug).ticket_prefix == before
        assert tenant("palembang").ticket_prefix == "PALEMBANG"


def test_a_manager_of_one_region_cannot_change_another(app, staff, region_client):
    """The page acts on the region of the host; a manager of A at B's host is not B's member."""
    _a, slug_a = make_region(app, accounts=True)
    _b, slug_b = make_region(app, accounts=True)
    with app.app_context():
        before_b = tenant(slug_b).ticket_prefix
    manager_a = staff("manager", slug_a)
    response = manager_a.client.post(URL, base_url=f"http://{slug_b}.{app.config['BASE_DOMAIN']}",
                                     data={"ticket_prefix": "DIAMBILALIH"})
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]
    manager_a.post(URL, data={"ticket_prefix": before_b})  # B's prefix, from A's own page: refused
    with app.app_context():
        assert tenant(slug_b).ticket_prefix == before_b
        assert tenant(slug_a).ticket_prefix != before_b


@pytest.mark.parametrize("role", ["intake_officer", "case_officer"])
def test_other_staff_may_not_open_or_post_it(app, staff, role):
    _id, slug = make_region(app, accounts=True)
    client = staff(role, slug)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"ticket_prefix": "ABCD"}).status_code == 403
    with app.app_context():
        assert tenant(slug).ticket_prefix != "ABCD"


def test_anonymous_is_sent_to_log_in(app, region_client):
    _id, slug = make_region(app)
    response = region_client(slug).post(URL, data={"ticket_prefix": "ABCD"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_settings_index_links_it(staff):
    client = staff("manager", "cianjur")
    index = client.get("/settings/procedure").get_data(as_text=True)
    assert 'href="/settings/ticket-prefix"' in index and "CIANJUR-" in index
    assert "CIANJUR-" in client.get(URL).get_data(as_text=True)


def test_a_prefix_taken_at_the_same_moment_is_refused_by_the_database(app, monkeypatch):
    """Two regions asking for the same prefix at once: the unique index refuses the second, at the field."""
    import app.tenants.ticket_prefix as module
    from app.errors import Invalid

    _id, slug = make_region(app)
    monkeypatch.setattr(module, "holder_of", lambda prefix, except_id=None: None)  # the check saw it free
    with app.app_context(), tenant_context(tenant(slug)):
        before = tenant(slug).ticket_prefix
        with pytest.raises(Invalid) as refused:
            set_ticket_prefix(tenant(slug), "CIANJUR")
        assert "baru saja dipakai daerah lain" in refused.value.errors["ticket_prefix"][0]
        assert tenant(slug).ticket_prefix == before
        db.session.rollback()
