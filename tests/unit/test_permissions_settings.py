"""The permissions settings page (`/settings/permissions`): each capability with who holds it and
why, edited by members who may configure the region, refused to everyone else; field errors in
Indonesian, a lock-out refused, every change audited and in the configuration history."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.errors import Invalid
from app.extensions import db
from app.permissions import DEFAULTS, Capability, roles_for, rule_for
from app.tenants.permission_rules import lock_out_problem, reset_rule, save_rule
from tests.factories import tenant
from tests.helpers.regions import read_in_region

# No route of this page takes an id (the capability is a query or form value, the same everywhere).
CROSS_TENANT: dict = {}


def _permissions(app, slug: str) -> dict:
    return read_in_region(app, slug, lambda: dict(tenant(slug).permissions or {}))


def _last_event(app, slug: str) -> AuditEvent:
    return read_in_region(app, slug, lambda: db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "config.permissions.update")
        .order_by(AuditEvent.at.desc())).first())


def _checkbox(page: str, value: str) -> str:
    """The <input> tag of the roles checkbox with `value`."""
    before, _sep, after = page.partition(f'name="roles" type="checkbox" value="{value}"')
    return before.rsplit("<input", 1)[1] + after.split(">", 1)[0]


# --- the page --------------------------------------------------------------------------------


def test_page_lists_every_capability_with_roles_by_local_title_and_basis(staff):
    page = staff("manager", "payakumbuh").get("/settings/permissions").get_data(as_text=True)
    for capability in Capability:
        assert str(capability.label) in page and f'id="cap-{capability.value}"' in page
    assert "Pasal 7 ayat (2) huruf d" in page and "aturan daerah" in page and "bawaan" in page
    assert "Kepala Sub Bagian Tata Usaha" in page and "Kepala UPT" in page  # the region's own titles
    index = staff("manager", "payakumbuh").get("/settings/procedure").get_data(as_text=True)
    assert "/settings/permissions" in index


def test_edit_form_offers_the_roles_the_region_holds_checked_as_now(staff):
    page = staff("manager", "payakumbuh").get("/settings/permissions?capability=request_reports") \
        .get_data(as_text=True)
    offered = {chunk.split('"')[0] for chunk in page.split('name="roles" type="checkbox" value="')[1:]}
    assert offered == {"unit_head", "manager", "admin_staff", "intake_officer", "case_officer", "supervisor",
                       "facilitator"}
    assert 'value="Pasal 7 ayat (2) huruf d"' in page
    assert "checked" in _checkbox(page, "admin_staff") and "checked" not in _checkbox(page, "supervisor")
    assert "Kepala Sub Bagian Tata Usaha (Tata Usaha)" in page  # labelled with the post's local title


@pytest.mark.parametrize("role", ["supervisor", "intake_officer", "admin_staff", "data_officer"])
def test_refused_to_members_who_may_not_configure(staff, role):
    client = staff(role, "cianjur")
    assert client.get("/settings/permissions").status_code == 403
    assert client.get("/settings/permissions?capability=see_dashboard").status_code == 403
    assert client.post("/settings/permissions", data={"capability": "see_dashboard", "roles": [role],
                                                      "legal_basis": "Pasal 1"}).status_code == 403
    assert client.post("/settings/permissions/reset", data={"capability": "see_dashboard"}).status_code == 403


def test_unknown_capability_is_not_found(staff):
    client = staff("manager", "cianjur")
    assert client.get("/settings/permissions?capability=fly").status_code == 404
    assert client.post("/settings/permissions", data={"capability": "fly"}).status_code == 404
    assert client.post("/settings/permissions/reset", data={"capability": "fly"}).status_code == 404


# --- field errors and the lock-out ---------------------------------------------------------------


def test_differing_roles_without_a_legal_basis_are_refused_at_the_field(app, staff):
    before = _permissions(app, "bekasi")
    response = staff("manager", "bekasi").post("/settings/permissions", data={
        "capability": "reveal_nik", "roles": ["manager", "supervisor"], "legal_basis": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dasar hukum wajib diisi bila berbeda dari bawaan" in page and 'aria-invalid="true"' in page
    assert _permissions(app, "bekasi") == before


def test_a_role_no_post_holds_is_refused_and_what_was_typed_kept(app, staff):
    before = _permissions(app, "payakumbuh")
    response = staff("manager", "payakumbuh").post("/settings/permissions", data={
        "capability": "see_dashboard", "roles": ["manager", "patron"], "legal_basis": "Pasal ketik-ketik"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tidak ada jabatan dengan peran Pembina / Pengarah di daerah ini." in page
    assert 'value="Pasal ketik-ketik"' in page
    assert _permissions(app, "payakumbuh") == before


def test_taking_configure_from_every_active_member_is_refused(app, staff):
    before = _permissions(app, "cianjur")
    response = staff("manager", "cianjur").post("/settings/permissions", data={
        "capability": "configure", "legal_basis": "Pasal 2 ayat (3)"})  # no role ticked
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "tidak seorang pun dapat lagi mengatur daerah" in page
    assert _permissions(app, "cianjur") == before
    assert staff("manager", "cianjur").get("/settings/permissions").status_code == 200


def test_lock_out_counts_only_roles_active_members_hold(app):
    def check():
        assert lock_out_problem(Capability.CONFIGURE, ["patron"])  # no such post in Payakumbuh
        assert lock_out_problem(Capability.CONFIGURE, ["unit_head"]) is None
        assert lock_out_problem(Capability.SEE_DASHBOARD, []) is None  # only CONFIGURE can lock out
        region = tenant("payakumbuh")
        with pytest.raises(Invalid):
            save_rule(region, Capability.CONFIGURE, [], "Pasal 7")
        assert rule_for(Capability.CONFIGURE, region).own is False

    read_in_region(app, "payakumbuh", check)


def test_same_as_the_default_without_a_basis_returns_to_the_default(app):
    def check():
        region = tenant("batubara")
        held_default = sorted(DEFAULTS[Capability.SEARCH_REGISTER] - {"data_officer", "unit_head"})
        assert rule_for(Capability.SEARCH_REGISTER, region).own  # Pasal 13 huruf e
        assert save_rule(region, Capability.SEARCH_REGISTER, held_default, "") is True
        assert rule_for(Capability.SEARCH_REGISTER, region).own is False
        assert roles_for(Capability.SEARCH_REGISTER, region) == DEFAULTS[Capability.SEARCH_REGISTER]
        assert reset_rule(region, Capability.SEARCH_REGISTER) is False
        db.session.rollback()

    read_in_region(app, "batubara", check)


# --- saving: in effect, audited, in the history ----------------------------------------------------


def test_manager_grants_a_capability_audited_in_history_then_resets(app, staff, restore_region):
    restore_region("payakumbuh")
    assert staff("supervisor", "payakumbuh").get("/dashboard/").status_code == 403
    client = staff("manager", "payakumbuh")
    response = client.post("/settings/permissions", data={
        "capability": "see_dashboard", "roles": ["unit_head", "manager", "admin_staff", "supervisor"],
        "legal_basis": "Pasal 7 ayat (4) (uji)"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#cap-see_dashboard")
    assert _permissions(app, "payakumbuh")["see_dashboard"] == {
        "roles": ["unit_head", "manager", "admin_staff", "supervisor"], "legal_basis": "Pasal 7 ayat (4) (uji)"}
    assert staff("supervisor", "payakumbuh").get("/dashboard/").status_code == 200
    event = _last_event(app, "payakumbuh")
    assert event.detail["name"] == "Melihat dasbor"
    assert "Supervisor" in event.detail["after"] and "Pasal 7 ayat (4) (uji)" in event.detail["after"]
    assert "Pasal 7 ayat (2) huruf b" in event.detail["before"]
    history = client.get("/settings/history").get_data(as_text=True)
    assert "Hak akses diubah" in history and "Pasal 7 ayat (4) (uji)" in history
    again = client.post("/settings/permissions", data={
        "capability": "see_dashboard", "roles": ["unit_head", "manager", "admin_staff", "supervisor"],
        "legal_basis": "Pasal 7 ayat (4) (uji)"})
    assert again.status_code == 302
    assert _last_event(app, "payakumbuh").id == event.id  # nothing changed, nothing recorded

    reset = client.post("/settings/permissions/reset", data={"capability": "see_dashboard"})
    assert reset.status_code == 302
    assert "see_dashboard" not in _permissions(app, "payakumbuh")
    assert staff("supervisor", "payakumbuh").get("/dashboard/").status_code == 403
    assert staff("admin_staff", "payakumbuh").get("/dashboard/").status_code == 403  # the default again
    assert _last_event(app, "payakumbuh").detail["after"].startswith("bawaan: ")
