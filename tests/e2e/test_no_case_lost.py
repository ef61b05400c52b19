"""No case is lost or stalls silently, in each region's browser: a Puskesos officer's case for a
citizen of another village stays theirs to act on; a case from a district without a supervisor
is flagged "tanpa petugas" for the manager, who assigns it; a case routed to a back-office
section waits on that section (and its parents), not on its siblings."""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.models import Membership
from app.casework.models import Case
from app.casework.sop_store import current_version
from app.extensions import db
from app.org.models import OrgUnit, Position
from app.org.welfare_centers import open_welfare_center, welfare_center_in
from app.reference.models import District, Village
from tests.e2e.casework_walker import fill_intake, ticket_on
from tests.e2e.conftest import login, save_screenshot
from tests.factories import make_case, make_kk, make_nik, member, tenant, village_of
from tests.helpers.org import home_visit, new_member, restore_chart, step
from tests.helpers.regions import in_region

REGIONS = ["bekasi", "cianjur", "batubara", "payakumbuh", "palembang"]
#: region -> (service area routed to a back-office unit, officer of that unit, an officer of a sibling section)
ROUTED = {"cianjur": ("kependudukan", "case_officer-4", "case_officer"),
          "bekasi": ("kesehatan", "case_officer-2", "case_officer")}


def _far_village(slug) -> Village:
    codes = db.session.scalars(select(District.code).where(District.regency_code == tenant(slug).region_code)
                               .order_by(District.code)).all()
    return db.session.scalars(select(Village).where(Village.district_code == codes[1]).order_by(Village.code)).first()


def _puskesos_officer(slug) -> str | None:
    """The email of a Puskesos front-office officer: one who may record through the Puskesos channel and
    whom a new case then waits on (a coordinator may record too, but does not act next). A Puskesos is
    opened when the region has none."""
    sop = current_version().sop
    channel = sop.channels.get("welfare_center")
    if channel is None:
        return None
    acting = [role for role in channel.roles if role in sop.waiting_roles(channel.entry)]
    posts = db.session.scalars(select(Position).join(OrgUnit, OrgUnit.id == Position.unit_id).where(
        OrgUnit.kind == "welfare_center", Position.role.in_(acting), Position.retired_at.is_(None))
        .order_by(Position.key, Position.id)).all()
    for post in posts:
        holder = db.session.scalar(select(Membership).where(Membership.position_id == post.id))
        if holder is not None:
            return holder.user.email
    village = village_of(slug)
    unit = welfare_center_in(village.code) or open_welfare_center(village_code=village.code, legal_basis="Pasal uji")
    post = next(p for p in unit.positions if p.role in acting)
    return new_member(position=post, areas=[(village.district_code, village.code)], name="Petugas Puskesos").user.email


def _setup(slug) -> dict:
    far = _far_village(slug)
    facilitator = new_member("facilitator", areas=[(far.district_code, far.code)], name="Fasilitator Kecamatan Lain")
    stalled = home_visit(facilitator, far)
    sop = stalled.sop_version.sop
    facts = {"puskesos": _puskesos_officer(slug), "stalled": stalled.ticket,
             "supervisor": member(f"supervisor@{slug}.demo")[0].name,
             "review": next(t.label for t in sop.allowed(stalled.state, "supervisor") if t.kind == "approve"),
             "forward": sop.transition("forward_to_back_office").label,
             "far": {"village": far.code, "nik": make_nik(far.code, date(1984, 2, 3), "P"), "kk": make_kk(far.code),
                     "birth": "1984-02-03", "phone": "081277001122"}}
    area, _officer, _sibling = ROUTED.get(slug, ("kesehatan", "case_officer", None))
    routed = make_case(slug, service_area=area)
    step(routed, "forward_to_back_office", member(f"intake_officer@{slug}.demo")[1])
    facts["routed"] = routed.ticket
    facts["analysis"] = sop.allowed(routed.state, "case_officer")[0].label
    return facts


def _take(page, live_server, slug, ticket, label) -> None:
    """From "Menunggu saya": open the case and take the step called `label`."""
    page.goto(live_server.url(slug, "/cases/"))
    page.get_by_role("searchbox").fill(ticket)
    link = page.get_by_role("link", name=ticket, exact=True)
    expect(link).to_be_visible()
    link.click()
    panel = page.locator("details.step", has=page.locator("summary", has_text=label))
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    panel.locator("textarea").first.fill("Catatan uji.")
    panel.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text(label)


def _not_mine(page, live_server, slug, ticket) -> None:
    page.goto(live_server.url(slug, f"/cases/?view=mine&q={ticket}"))
    expect(page.get_by_role("link", name=ticket, exact=True)).to_have_count(0)


@pytest.fixture(scope="module")
def chart_put_back(app):
    yield
    restore_chart(app, "cianjur")


@pytest.mark.parametrize("slug", REGIONS)
def test_each_case_is_handled_by_the_right_people(app, live_server, new_page, chart_put_back, slug):
    facts = in_region(app, slug, lambda: _setup(slug))

    # 1. Recorded at a Puskesos for a citizen of another village: the recorder acts on it.
    if facts["puskesos"]:
        officer = new_page()
        login(officer, live_server, slug, facts["puskesos"])
        officer.goto(live_server.url(slug, "/intake/"))
        fill_intake(officer, facts["far"], name="Warga Desa Lain")
        officer.get_by_role("button", name="Simpan dan buat tiket").click()
        expect(officer.get_by_role("heading", name="Tanda terima pengaduan")).to_be_visible()
        _take(officer, live_server, slug, ticket_on(officer), facts["forward"])

    # 2. From a district without a supervisor: the manager sees "tanpa petugas" and assigns it.
    manager = new_page()
    login(manager, live_server, slug, f"manager@{slug}.demo")
    manager.goto(live_server.url(slug, "/home"))
    manager.locator(".unstaffed-alert a").click()
    row = manager.locator("tr", has=manager.get_by_role("link", name=facts["stalled"], exact=True))
    expect(row.locator(".unstaffed-reason")).to_contain_text("Supervisor")
    save_screenshot(manager, f"unstaffed-{slug}")
    choice = row.locator("select option", has_text=facts["supervisor"]).first.get_attribute("value")
    row.locator("select").select_option(choice)
    row.get_by_role("button", name="Tugaskan").click()
    expect(manager.locator(".flash-success")).to_contain_text(facts["stalled"])
    supervisor = new_page()
    login(supervisor, live_server, slug, f"supervisor@{slug}.demo")
    _take(supervisor, live_server, slug, facts["stalled"], facts["review"])

    # 3. Routed to a back-office unit: that unit acts; a sibling section does not have it.
    _area, routed_officer, sibling = ROUTED.get(slug, ("kesehatan", "case_officer", None))
    back_office = new_page()
    login(back_office, live_server, slug, f"{routed_officer}@{slug}.demo")
    _take(back_office, live_server, slug, facts["routed"], facts["analysis"])
    if sibling:
        other = new_page()
        login(other, live_server, slug, f"{sibling}@{slug}.demo")
        _not_mine(other, live_server, slug, facts["routed"])

    def states():
        return {t: db.session.scalar(select(Case.state).where(Case.ticket == t))
                for t in (facts["stalled"], facts["routed"])}
    moved = in_region(app, slug, states)
    assert moved[facts["stalled"]] != "field_review" and moved[facts["routed"]] != "analysis"
