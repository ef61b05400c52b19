"""Issue 12's "done when", in a browser: a region whose procedure differs, configured with no file editing.

The national administrator onboards Kota Surakarta (33.72, not among the five regions) from the
blank Permensos 15/2018 structure without a Puskesos and invites its manager. The manager accepts
and, in the browser only: splits the back office into two sections by service area, retitles
posts (each rename confirmed on the server), adds a data officer and a head of the social office,
invites the staff; then in the SOP draft editor routes the areas to the two sections, adds a data
officer's review before the back office acts and a second approval of referrals by the head of the
social office after the manager's, and publishes with a note and a confirmation. A case walks
through it: between the two approvals the referral waits for the second approver by title, and
nothing says "approved" before the last approval; then the referral is sent.

Units and posts are found by kind and role (the blank structure may gain units and posts).
"""
from __future__ import annotations

import re
import uuid
from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.casework_walker import fill_intake
from tests.e2e.conftest import login, save_screenshot

CODE, NAME = "33.72", "Kota Surakarta"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PASSWORD = "sandi-uji-surakarta-1"
MANAGER_TITLE, BACK_OFFICE_TITLE = "Kepala Sekretariat SLRT", "Petugas Seksi Kesehatan dan Pendidikan"
#: Posts added when the blank structure has none with their role.
NEW_POSTS = {"data_officer": "Petugas Pengelolaan Data", "unit_head": "Kepala Dinas Sosial"}
SECTIONS = ("Seksi Layanan Kesehatan, Pendidikan dan Kependudukan", "Seksi Layanan Sosial dan Ekonomi")
SECOND_SECTION_AREAS = ("sosial", "ekonomi_usaha", "pelayanan_dasar_lainnya")
REVIEW_STAGE, REVIEW_STEP = "Menunggu telaah data", "Telaah data selesai, teruskan ke Back Office"


def in_region(app, slug, fn):
    from app.extensions import db
    from app.tenancy.context import tenant_context
    from tests.factories import tenant

    with app.app_context(), tenant_context(tenant(slug)):
        result = fn()
        db.session.commit()
        return result


def unit_ids(kind: str) -> list:
    from app.extensions import db
    from app.org.models import OrgUnit

    return list(db.session.scalars(select(OrgUnit.id).where(OrgUnit.kind == kind, OrgUnit.retired_at.is_(None))
                                   .order_by(OrgUnit.sort_order)))


def post_ids(role: str, unit_id=None) -> list:
    from app.extensions import db
    from app.org.models import Position

    query = select(Position.id).where(Position.role == role, Position.retired_at.is_(None))
    if unit_id is not None:
        query = query.where(Position.unit_id == unit_id)
    return list(db.session.scalars(query.order_by(Position.sort_order)))


def accept(page, link: str, name: str) -> None:
    """Accept an invitation: a password, and the region's home page."""
    page.goto(link)
    expect(page.get_by_role("heading", name="Terima undangan")).to_be_visible()
    name_field = page.get_by_label("Nama lengkap")
    if name_field.count() and not name_field.input_value():
        name_field.fill(name)
    page.get_by_label("Kata sandi baru").fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Aktifkan akun").click()
    page.wait_for_url(re.compile(r"/home$"))


# --- the national administrator -----------------------------------------------------------

def onboard(admin, live_server) -> tuple[str, str]:
    """The wizard, blank structure without a Puskesos; returns (slug, the manager's invitation link)."""
    login(admin, live_server, None, "admin@platform.demo")
    admin.goto(live_server.url(None, "/console/regions/new"))
    with admin.context.expect_page() as opened:  # the format help opens beside the wizard
        admin.get_by_role("link", name="Format berkas templat (FORMAT.md)").click()
    help_page = opened.value
    expect(help_page.get_by_role("heading", name="Format berkas templat daerah (YAML)")).to_be_visible()
    expect(help_page.locator(".format-doc h3#canonical-roles")).to_be_visible()
    help_page.close()

    admin.get_by_label("Cari kabupaten/kota", exact=False).fill("surakarta")
    option = admin.locator("label.region-option", has_text=NAME)
    expect(option).to_contain_text(CODE)
    option.locator("input").check()
    admin.get_by_role("button", name="Lanjut").click()

    expect(admin.locator('[aria-current="step"]')).to_have_text("Struktur awal")
    admin.get_by_label("Struktur SLRT kosong sesuai Permensos 15/2018").check()
    admin.locator("#puskesos").select_option("")  # no Puskesos: its units, posts and channel are left out
    expect(admin.locator(".start-option", has_text="Unggah templat YAML").get_by_role(
        "link", name=re.compile("Lihat format berkas"))).to_have_attribute("href", "/console/format")
    save_screenshot(admin, "onboard-any-1-start")
    admin.get_by_role("button", name="Lanjut").click()

    expect(admin.locator('[aria-current="step"]')).to_have_text("Layanan")
    # htmx focuses the autofocus field after the swap settles: typing before that would land there
    expect(admin.get_by_label("Subdomain")).to_be_focused()
    slug = admin.get_by_label("Subdomain").input_value()
    admin.get_by_label("Judul peraturan daerah").fill("Peraturan Wali Kota Surakarta tentang SLRT (rancangan)")
    admin.get_by_label("Singkatan peraturan").fill("Perwal Surakarta (rancangan)")
    admin.get_by_role("button", name="Lanjut").click()

    expect(admin.locator('[aria-current="step"]')).to_have_text("Manajer pertama")
    admin.get_by_label("Nama manajer").fill("Sri Manajer Surakarta")
    admin.get_by_label("Email manajer").fill(f"manajer.{uuid.uuid4().hex[:6]}@surakarta.example.id")
    summary = admin.locator(".summary")
    expect(summary).to_contain_text("Manajer SLRT")
    expect(summary).not_to_contain_text("Koordinator Puskesos")
    admin.get_by_role("button", name="Buat daerah dan kirim undangan").click()
    expect(admin.locator("h1 .status")).to_have_text("Persiapan")
    link = re.search(r"http://\S+/invite/\S+", admin.locator(".flash-info").first.inner_text()).group(0)
    return slug, link


# --- the region's manager: org chart and staff ----------------------------------------------

def card(page, unit_id):
    return page.locator(f"#unit-card-{unit_id}")


def add_post(page, unit_id, title: str, role: str, basis: str) -> None:
    box = card(page, unit_id)
    box.get_by_role("link", name="+ Jabatan").click()
    box.get_by_label("Nama jabatan (sebutan setempat)").fill(title)
    box.get_by_label("Peran dalam aplikasi").select_option(role)
    box.locator('input[name="legal_basis"]').fill(basis)  # the article (its kind stays "stated")
    box.get_by_role("button", name="Simpan").click()
    expect(box.locator(".position-title", has_text=title)).to_be_visible()


def retitle(page, unit_id, position_id, title: str, shot: str | None = None) -> None:
    """Rename a post: the server asks first (old and new name, its holders), then it is saved."""
    box = card(page, unit_id)
    old = box.locator(f"#position-{position_id} .position-title").inner_text()
    box.locator(f"#position-{position_id}").get_by_role("link", name="Ubah").click()
    box.get_by_label("Nama jabatan (sebutan setempat)").fill(title)
    box.get_by_role("button", name="Simpan").click()
    confirm = box.locator(".rename-confirm")
    expect(confirm).to_contain_text("Ubah nama jabatan ini?")
    expect(confirm.locator("del")).to_have_text(old)
    expect(confirm.locator("ins")).to_have_text(title)
    if shot:
        confirm.scroll_into_view_if_needed()
        save_screenshot(page, shot)
    box.get_by_role("button", name="Ya, ubah nama jabatan").click()
    expect(box.locator(f"#position-{position_id} .position-title")).to_have_text(title)


def add_unit(page, name: str, kind: str, parent_id, basis: str, areas=()) -> None:
    """From the org chart: a sub-unit of `parent_id`, or a unit at the top (None)."""
    if parent_id:
        card(page, parent_id).get_by_role("link", name="+ Sub-unit").click()
    else:
        page.get_by_role("button", name="Tambah unit").click()
    expect(page.get_by_role("heading", name="Tambah unit")).to_be_visible()
    page.get_by_label("Nama unit").fill(name)
    page.get_by_label("Jenis unit").select_option(kind)
    page.locator('input[name="legal_basis"]').fill(basis)
    if areas:
        details = page.locator("details", has_text="Bidang layanan (untuk Back Office)")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        for area in areas:
            page.locator(f'input[name="service_areas"][value="{area}"]').check()
    page.get_by_role("button", name="Tambah unit").click()
    expect(page.locator(".flash-success")).to_contain_text(name)


def invite(manager, live_server, slug, position_id, name: str) -> str:
    """Invite a person to a post from the staff page; returns the invitation link."""
    manager.goto(live_server.url(slug, f"/settings/staff/invite?position={position_id}"))
    manager.get_by_label("Email").fill(f"{uuid.uuid4().hex[:8]}@surakarta.example.id")
    manager.get_by_label("Nama lengkap").fill(name)
    manager.get_by_role("button", name="Kirim undangan").click()
    link = manager.locator("a.invite-url")
    expect(link).to_be_visible()
    return link.inner_text().strip()


def post_facts(position_id) -> tuple:
    """(unit id, title) of a post."""
    from app.extensions import db
    from app.org.models import Position

    return db.session.execute(select(Position.unit_id, Position.title).where(Position.id == position_id)).one()


def shape_the_chart(app, manager, live_server, slug) -> tuple[dict, dict]:
    """Two back-office sections, retitled posts, a data officer and a head of the social office.

    Returns (post ids by role, the region's titles by role as the case page names them)."""
    from app.casework.sop_procedure import role_titles

    manager.goto(live_server.url(slug, "/settings/org/"))
    ids = in_region(app, slug, lambda: {
        "secretariat": unit_ids("secretariat")[0], "back_office": unit_ids("back_office")[0],
        "manager": post_ids("manager")[0], "data_officer": post_ids("data_officer"),
        "unit_head": post_ids("unit_head")})
    ids["case_officer"] = in_region(app, slug, lambda: post_ids("case_officer", ids["back_office"])[0])

    # The back office becomes the first section: three service areas of the six.
    box = card(manager, ids["back_office"])
    box.get_by_role("link", name="Ubah", exact=True).first.click()
    box.get_by_label("Nama unit").fill(SECTIONS[0])
    for area in SECOND_SECTION_AREAS:
        box.locator(f'input[name="service_areas"][value="{area}"]').uncheck()
    box.get_by_role("button", name="Simpan").click()
    expect(box.locator(".unit-name")).to_have_text(SECTIONS[0])

    # Posts carry the region's own titles; the server asks before renaming them.
    manager_unit, _title = in_region(app, slug, lambda: post_facts(ids["manager"]))
    retitle(manager, manager_unit, ids["manager"], MANAGER_TITLE, shot="onboard-any-2-rename-post")
    retitle(manager, ids["back_office"], ids["case_officer"], BACK_OFFICE_TITLE)
    if not ids["data_officer"]:
        add_post(manager, ids["secretariat"], NEW_POSTS["data_officer"], "data_officer", "Pasal 9 ayat (1)")
    if not ids["unit_head"]:  # the head of the social office, in a leadership unit (made if there is none)
        if not in_region(app, slug, lambda: unit_ids("leadership")):
            add_unit(manager, f"Dinas Sosial {NAME}", "leadership", None, "Pasal 4 ayat (1)")
        head_unit = in_region(app, slug, lambda: unit_ids("leadership")[-1])
        add_post(manager, head_unit, NEW_POSTS["unit_head"], "unit_head", "Pasal 4 ayat (1) huruf a")

    # The second section, its post.
    add_unit(manager, SECTIONS[1], "back_office", ids["secretariat"], "Pasal 8 ayat (2) huruf b",
             SECOND_SECTION_AREAS)
    section = in_region(app, slug, lambda: unit_ids("back_office")[-1])
    add_post(manager, section, "Petugas Seksi Sosial dan Ekonomi", "case_officer", "Pasal 8 ayat (2) huruf b")
    expect(card(manager, section)).to_contain_text("Sosial")
    save_screenshot(manager, "onboard-any-3-org-chart")
    posts = in_region(app, slug, lambda: {
        "intake_officer": post_ids("intake_officer")[0], "case_officer": ids["case_officer"],
        "data_officer": post_ids("data_officer")[0], "unit_head": post_ids("unit_head")[0]})
    titles = in_region(app, slug, lambda: {
        "manager": role_titles(["manager"]), "unit_head": role_titles(["unit_head"]),
        "data_officer": role_titles(["data_officer"]), "data_post": post_facts(posts["data_officer"])[1],
        "head_post": post_facts(posts["unit_head"])[1]})
    assert titles["manager"] == MANAGER_TITLE, titles
    return posts, titles


# --- the region's manager: the SOP draft editor ------------------------------------------

def build_the_procedure(manager, live_server, slug, titles: dict) -> None:
    manager.goto(live_server.url(slug, "/settings/sop/"))
    manager.get_by_role("button", name="Ubah prosedur (buat draf)").click()
    manager.wait_for_url(re.compile(r"/settings/sop/draft$"))
    expect(manager.locator("#channel-welfare_center")).to_contain_text("ditutup")  # no Puskesos channel

    # Three service areas go to the second section.
    routing = manager.locator("#routing")
    for area in SECOND_SECTION_AREAS:
        routing.locator(f'select[name="routing-{area}"]').select_option(label=SECTIONS[1])
    routing.get_by_role("button", name="Simpan pembagian").click()
    expect(routing.locator(".saved")).to_be_visible()

    # The data officer reviews before the back office acts (an approval before its stage, renamed).
    analysis = manager.locator(".draft-stage", has=manager.locator("#step-request_referral"))
    analysis.get_by_text("Tambah persetujuan sebelum tahap ini", exact=True).click()
    form = analysis.locator("form", has=manager.get_by_role("button", name="Tambah tahap persetujuan"))
    form.get_by_label(re.compile(rf"^\s*{re.escape(titles['data_post'])}")).check()
    form.get_by_label("Nama tahap persetujuan").fill(REVIEW_STAGE)
    form.locator('input[name$="-legal_basis"]').fill("Pasal 9 ayat (2) huruf a")
    form.get_by_label(re.compile(r"^\s*Batas waktu")).fill("24")
    form.get_by_role("button", name="Tambah tahap persetujuan").click()
    review = manager.locator(".draft-stage", has=manager.get_by_role("heading", name=re.compile(REVIEW_STAGE)))
    expect(review).to_contain_text("Tahap persetujuan ditambahkan ke draf.")
    approve = review.locator("li.sop-step", has=manager.locator(".badge.kind-approve"))
    approve.get_by_text("Ubah nama, jenis dan tujuan langkah", exact=True).click()
    approve.get_by_label("Nama langkah").fill(REVIEW_STEP)
    approve.get_by_role("button", name="Simpan langkah").click()
    expect(manager.locator("li.sop-step", has_text=REVIEW_STEP)).to_be_visible()
    back_office_stage = analysis.locator("h3").inner_text().split(". ", 1)[1]
    # A referral the manager sends back goes to the back office, not through the data review again.
    expect(manager.locator("#step-return_referral")).to_contain_text(back_office_stage)

    # Referrals: the manager approves, then the head of the social office.
    first = manager.locator("#step-approve_referral")
    first.get_by_text("Tambah persetujuan sesudah langkah ini", exact=True).click()
    first.get_by_label(re.compile(rf"^\s*{re.escape(titles['head_post'])}")).check()
    first.locator('input[name$="-legal_basis"]').fill("Pasal 10 ayat (3)")
    first.get_by_label(re.compile(r"^\s*Batas waktu")).fill("48")
    first.get_by_role("button", name="Tambah tahap persetujuan").click()
    second = f"Menunggu persetujuan {titles['unit_head']}"
    expect(manager.locator(".draft-stage h3", has_text=re.compile(rf"{re.escape(second)}$"))).to_be_visible()

    # The manager's own approval stage named by the post's new title: a stage rename, confirmed.
    stage = manager.locator(".draft-stage", has=manager.locator("#step-approve_referral"))
    stage.get_by_text("Ubah nama tahap dan batas waktu", exact=True).click()
    stage.get_by_label("Nama tahap", exact=True).fill(f"Menunggu persetujuan rujukan oleh {MANAGER_TITLE}")
    stage.get_by_role("button", name="Simpan tahap").click()
    expect(stage.locator(".rename-confirm")).to_contain_text("Tidak ada kasus terbuka di tahap ini.")
    stage.locator(".rename-confirm").scroll_into_view_if_needed()
    save_screenshot(manager, "onboard-any-4-rename-stage")
    stage.get_by_role("button", name="Ya, ubah nama tahap").click()
    expect(stage.locator("h3")).to_contain_text(MANAGER_TITLE)

    changes = manager.locator("#changes")
    expect(changes).to_contain_text(titles["head_post"])
    expect(changes).not_to_contain_text("Kepala Unit / Ketua / Penanggung Jawab")
    expect(manager.locator(".draft-status")).to_contain_text("Draf lolos pemeriksaan")
    manager.get_by_label(re.compile(r"^\s*Catatan perubahan")).fill(
        "Telaah data sebelum Back Office; rujukan disetujui Kepala Sekretariat lalu Kepala Dinas Sosial")
    manager.get_by_label(re.compile(r"Saya sudah memeriksa perubahan")).check()
    manager.get_by_role("button", name=re.compile(r"^Terbitkan versi \d+$")).click()
    manager.wait_for_url(re.compile(r"/settings/sop/$"))
    expect(manager.locator(".flash-success")).to_contain_text("diterbitkan")


# --- a case walks through it --------------------------------------------------------------

def citizen(app, slug) -> dict:
    from app.extensions import db
    from app.reference.models import District, Village
    from tests.factories import make_kk, make_nik

    def pick():
        district = db.session.scalar(select(District).where(District.regency_code == CODE).order_by(District.code))
        village = db.session.scalar(select(Village).where(Village.district_code == district.code)
                                    .order_by(Village.code))
        birth = date(1984, 6, 12)
        return {"nik": make_nik(village.code, birth, "P"), "kk": make_kk(village.code), "village": village.code,
                "birth": birth.isoformat(), "phone": "081322233344"}
    return in_region(app, slug, pick)


def take(page, label: str, *, partner: bool = False) -> None:
    """Open a step on the case page and take it (its summary and its button carry the label)."""
    steps = page.locator("#steps")
    panel = steps.locator("details.step", has=page.locator("summary", has_text=label))
    if panel.get_attribute("open") is None:  # the step the page expects next comes open
        panel.locator("summary").click()
    if partner:
        panel.get_by_label("Lembaga tujuan rujukan").select_option(index=1)
    note = panel.locator("textarea")
    if note.count():
        note.fill(f"Catatan uji: {label}")
    panel.locator("form").get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("tercatat")


def open_case(page, live_server, slug, case_id) -> None:
    page.goto(live_server.url(slug, f"/cases/{case_id}"))


def test_a_new_region_builds_its_own_procedure_in_the_browser_and_a_case_walks_it(app, live_server, new_page):
    admin = new_page(**DESKTOP)
    slug, link = onboard(admin, live_server)

    manager = new_page(**DESKTOP)
    accept(manager, link, "Sri Manajer Surakarta")
    posts, titles = shape_the_chart(app, manager, live_server, slug)

    people = {}
    for role, name in (("intake_officer", "Dewi Front Office"), ("data_officer", "Bayu Petugas Data"),
                       ("case_officer", "Rina Back Office"), ("unit_head", "Hadi Kepala Dinas")):
        invited = invite(manager, live_server, slug, posts[role], name)
        people[role] = new_page(**DESKTOP)
        accept(people[role], invited, name)

    build_the_procedure(manager, live_server, slug, titles)

    # The front office registers a complaint about health (the first section's area).
    front = people["intake_officer"]
    front.get_by_role("link", name="Pengaduan baru").click()
    fill_intake(front, citizen(app, slug), name="Siti Surakarta", area="Kesehatan")
    front.get_by_role("button", name="Simpan dan buat tiket").click()
    expect(front.get_by_role("heading", name="Tanda terima pengaduan")).to_be_visible()
    ticket = re.search(r"[A-Z0-9]+-\d{4}-\d{6}", front.locator(".ticket").inner_text()).group(0)

    def case_facts():
        from app.casework.models import Case
        from app.extensions import db
        from app.org.models import OrgUnit

        case = db.session.scalar(select(Case).where(Case.ticket == ticket))
        return case.id, db.session.scalar(select(OrgUnit.name).where(OrgUnit.id == case.unit_id))
    case_id, section = in_region(app, slug, case_facts)
    assert section == SECTIONS[0]

    open_case(front, live_server, slug, case_id)
    take(front, "Periksa data terpadu, petakan bidang, teruskan ke Back Office")
    expect(front.locator("#steps")).to_contain_text(f"Kasus menunggu: {titles['data_officer']}.")

    open_case(people["data_officer"], live_server, slug, case_id)
    take(people["data_officer"], REVIEW_STEP)

    back = people["case_officer"]
    open_case(back, live_server, slug, case_id)
    take(back, "Usulkan rujukan ke pengelola program", partner=True)
    state = back.locator(".referral-state")
    expect(state).to_have_text(f"Menunggu persetujuan {titles['manager']}")

    open_case(manager, live_server, slug, case_id)
    take(manager, "Setujui rujukan")
    expect(manager.locator(".referral-state")).to_have_text(f"Menunggu persetujuan {titles['unit_head']}")
    main = manager.locator("main")
    expect(main).not_to_contain_text("Disetujui")
    expect(main).not_to_contain_text(re.compile(r"\bapproved?\b", re.I))
    expect(manager.locator("#steps")).to_contain_text(f"Kasus menunggu: {titles['unit_head']}.")
    save_screenshot(manager, "onboard-any-6-waits-for-second-approval")

    head = people["unit_head"]
    open_case(head, live_server, slug, case_id)
    expect(head.locator(".referral-state")).to_have_text(f"Menunggu persetujuan {titles['unit_head']}")
    take(head, f"Setujui ({titles['unit_head']}): Setujui rujukan")
    expect(head.locator(".referral-state")).to_have_text("Disetujui")

    open_case(back, live_server, slug, case_id)
    take(back, "Teruskan rujukan ke pengelola program")
    expect(back.locator(".referral-state")).not_to_have_text(re.compile("Menunggu persetujuan|Disetujui"))
    save_screenshot(back, "onboard-any-7-referral-sent")

    def walked():
        from app.casework.models import Case, CaseEvent
        from app.extensions import db

        case = db.session.scalar(select(Case).where(Case.id == case_id))
        events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.at))
        return [e.action for e in events if e.action != "intake"], case.referrals[-1].status, case.state
    actions, status, case_state = in_region(app, slug, walked)
    assert status == "sent" and case_state == "awaiting_answer", (status, case_state)
    review, second = actions[1], actions[4]
    assert actions == ["forward_to_back_office", review, "request_referral", "approve_referral", second,
                       "send_referral"] and review.startswith("approve_") and second.startswith("approve_"), actions
