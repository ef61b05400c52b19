"""The referral letter (Surat Rujukan): numbered per region and year in the region's format, in its letterhead,
addressed to the partner, with a masked NIK, the approver's name, title and NIP, and a QR code to a public
verification page that confirms the letter without any personal data."""
from __future__ import annotations

import io
import random
import subprocess
import threading

import pytest
from PIL import Image
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from app import create_app
from app.audit.models import AuditEvent
from app.casework.letters import ReferralLetter, next_letter_serial
from app.citizens.identity import mask_nik
from app.extensions import db, limiter
from app.tenancy.context import current_tenant, tenant_context
from app.tenants.letterhead import format_errors, letter_number
from tests.factories import member, tenant
from tests.helpers.letters import pdf_text, send_referral, sent_referral_facts

NIP = "198001012005011001"


def _letter_in_current_region():
    case = send_referral(current_tenant.slug)
    letter = db.session.scalars(select(ReferralLetter).where(ReferralLetter.case_id == case.id)).one()
    return {"case_id": case.id, "letter_id": letter.id}


def _token_in_current_region():
    case = send_referral(current_tenant.slug)
    return {"token": db.session.scalars(select(ReferralLetter).where(ReferralLetter.case_id == case.id)).one().token}


#: The builder runs inside the owner region's context (see test_cross_tenant_routes);
#: `settings_org.member_nip` is with the other staff routes in test_settings_org_pages.
CROSS_TENANT = {
    "cases.referral_letter": ("GET", _letter_in_current_region),
    "public.verify_letter": ("GET", _token_in_current_region),
}


def _set_nip(app, staff, slug, role, nip=NIP):
    with app.app_context(), tenant_context(tenant(slug)):
        membership_id = member(f"{role}@{slug}.demo")[1].id
    return staff("manager", slug).post(f"/settings/staff/{membership_id}/nip", data={"nip": nip})


@pytest.fixture()
def manager_nip(app, staff):
    """Bekasi's manager (who approves referrals there) has a NIP."""
    assert _set_nip(app, staff, "bekasi", "manager").status_code == 302


# --- numbering -----------------------------------------------------------------------------------


def test_number_format_must_hold_the_serial_and_only_known_parts(app_ctx):
    assert format_errors("400.9/{n}/SLRT/{yyyy}") == [] and format_errors("{n}/SLRT/{mm}/{yyyy}") == []
    assert format_errors("400.9/SLRT/{yyyy}")  # no {n}
    assert format_errors("400.9/{n}/{tahun}")  # an unknown part
    assert format_errors("{n}/" + "x" * 120)  # too long
    from datetime import date
    assert letter_number("400.9/{n}/SLRT/{mm}/{yyyy}", 12, date(2026, 11, 3)) == "400.9/12/SLRT/XI/2026"
    assert letter_number("{n}/SLRT", 7, date(2026, 1, 3)) == "7/SLRT"


def test_serials_count_per_region_and_per_year(app):
    year = random.randint(2100, 9000)

    def serials(slug, year, n):
        with app.app_context(), tenant_context(tenant(slug)):
            values = [next_letter_serial(year) for _ in range(n)]
            db.session.commit()
            return values

    assert serials("bekasi", year, 3) == [1, 2, 3]
    assert serials("cianjur", year, 1) == [1]  # its own count
    assert serials("bekasi", year + 1, 1) == [1]  # a new year starts again
    assert serials("bekasi", year, 1) == [4]


@pytest.mark.postgres
def test_two_letters_at_the_same_moment_get_two_numbers(app):
    year = random.randint(2100, 9000)
    with app.app_context():
        region = tenant("payakumbuh")
    barrier = threading.Barrier(2, timeout=20)
    results, errors = [], []

    def send():
        try:
            with app.app_context(), tenant_context(region):
                barrier.wait()
                value = next_letter_serial(year)
                results.append(value)
                db.session.commit()
        except Exception as exc:  # reported below
            errors.append(repr(exc))
            barrier.abort()

    for _round in range(3):  # the first round races to create the year's counter
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        barrier.reset()
    assert not errors, errors
    assert sorted(results) == [1, 2, 3, 4, 5, 6]


def test_sending_a_referral_issues_one_numbered_letter(app):
    facts = sent_referral_facts(app)
    year = facts["number"].rsplit("/", 1)[-1]
    assert facts["number"].endswith(f"/{year}") and "/SLRT/" in facts["number"]
    assert len(facts["token"]) >= 32 and facts["approver"] and facts["partner"].startswith("Dinas Kesehatan Uji")
    with app.app_context(), tenant_context(tenant("bekasi")):
        letter = db.session.scalars(select(ReferralLetter).where(ReferralLetter.case_id == facts["case_id"])).one()
        assert letter.approver_title and letter.issued_on.year == int(year)


def test_a_letter_cannot_be_changed_or_removed(app, app_ctx):
    sent_referral_facts(app)
    with tenant_context(tenant("bekasi")):
        for statement in ("UPDATE referral_letters SET number = 'X'", "DELETE FROM referral_letters"):
            with pytest.raises(DatabaseError):
                db.session.execute(text(statement))
            db.session.rollback()


# --- the PDF -------------------------------------------------------------------------------------


def _download(staff, facts, role="case_officer"):
    return staff(role, "bekasi").get(f"/cases/{facts['case_id']}/letters/{facts['letter_id']}.pdf")


def test_letter_pdf_carries_number_partner_masked_nik_and_approver(app, staff, manager_nip):
    facts = sent_referral_facts(app, reason="Perlu bantuan biaya rawat inap di RSUD.")
    response = _download(staff, facts)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    content = " ".join(pdf_text(response.data).split())
    assert facts["number"] in content and facts["partner"] in content and "Kepada Yth." in content
    assert facts["name"] in content and mask_nik(facts["nik"]) in content and facts["nik"] not in content
    assert facts["approver"] in content and facts["title"] in content and NIP in content
    assert "Perlu bantuan biaya rawat inap di RSUD." in content and "Jl. Pahlawan No. 7" in content
    with app.app_context(), tenant_context(tenant("bekasi")):
        audited = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.letter_download",
                                                              AuditEvent.object_id == str(facts["case_id"]))).all()
        assert len(audited) == 1 and audited[0].detail.get("number") == facts["number"]


def test_qr_code_decodes_to_the_verification_page(app, staff, tmp_path):
    facts = sent_referral_facts(app)
    (tmp_path / "letter.pdf").write_bytes(_download(staff, facts).data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(tmp_path / "letter.pdf"),
                    str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(page)], capture_output=True, check=True).stdout.decode()
    assert decoded.strip() == f"http://bekasi.slrt.test/verify/{facts['token']}"


def test_letter_of_another_case_is_404(app, staff):
    one, other = sent_referral_facts(app), sent_referral_facts(app)
    client = staff("case_officer", "bekasi")
    assert client.get(f"/cases/{one['case_id']}/letters/{other['letter_id']}.pdf").status_code == 404


def test_case_page_links_its_letters(app, staff):
    facts = sent_referral_facts(app)
    page = staff("case_officer", "bekasi").get(f"/cases/{facts['case_id']}").get_data(as_text=True)
    assert f"/cases/{facts['case_id']}/letters/{facts['letter_id']}.pdf" in page and facts["number"] in page


# --- the public verification page ----------------------------------------------------------------


def test_verification_page_confirms_the_letter_without_personal_data(app, region_client):
    facts = sent_referral_facts(app)
    response = region_client("bekasi").get(f"/verify/{facts['token']}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    assert facts["number"] in page and facts["partner"] in page and "asli" in page.lower()
    with app.app_context():
        region = tenant("bekasi")
        assert region.name in page and region.service_name in page
    for personal in (facts["name"], facts["nik"], mask_nik(facts["nik"]), facts["nik"][-4:], facts["ticket"]):
        assert personal not in page


def test_unknown_token_and_another_regions_subdomain_are_404(app, region_client):
    facts = sent_referral_facts(app)
    unknown = region_client("bekasi").get("/verify/bukan-token-yang-sah")
    assert unknown.status_code == 404 and "tidak ditemukan" in unknown.get_data(as_text=True)
    assert region_client("cianjur").get(f"/verify/{facts['token']}").status_code == 404
    assert region_client(None).get(f"/verify/{facts['token']}").status_code == 404


def test_verification_is_rate_limited(app):
    limited = create_app({**app.config, "RATELIMIT_ENABLED": True, "STATUS_RATE_LIMIT": "3 per minute",
                          "RATELIMIT_STORAGE_URI": "memory://"})
    try:
        client = limited.test_client()
        codes = [client.get("/verify/tebakan", base_url="http://bekasi.slrt.test").status_code for _ in range(4)]
    finally:
        limiter.reset()
        limiter.enabled = False
    assert codes[:3] == [404, 404, 404] and codes[3] == 429


# --- the letterhead and the NIP ------------------------------------------------------------------


def _png(width=200, height=80, mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), (20, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg(width=240, height=120) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def _upload(client, data: bytes, name="logo.png"):
    return client.post("/settings/letterhead/logo", data={"logo": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_logo_is_checked_by_content_and_size(staff):
    client = staff("manager", "palembang")
    fake = _upload(client, b"%PDF-1.4 bukan gambar sama sekali" * 10)
    assert fake.status_code == 422 and "bukan gambar" in fake.get_data(as_text=True)
    wide = _upload(client, _png(2400, 300))
    assert wide.status_code == 422 and "1000" in wide.get_data(as_text=True)
    heavy = _upload(client, b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024 + 10))
    assert heavy.status_code == 422 and "1 MB" in heavy.get_data(as_text=True)
    assert client.get("/settings/letterhead/logo.png").status_code == 404  # nothing stored
    assert _upload(client, _jpeg(), name="kop.jpg").status_code == 302
    logo = client.get("/settings/letterhead/logo.png")
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data.startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(logo.data)).size == (240, 120)


def test_letterhead_settings_validate_the_number_format_and_feed_the_letter(app, staff, tmp_path):
    client = staff("manager", "bekasi")
    assert client.get("/settings/letterhead").status_code == 200
    form = {"office_name": "Dinas Sosial Kota Bekasi", "address": "Jl. Ir. H. Juanda No. 100, Bekasi",
            "phone": "021-8841234", "email": "dinsos@bekasikota.go.id", "number_format": "400.9/SLRT/{yyyy}"}
    refused = client.post("/settings/letterhead", data=form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "{n}" in page and "400.9/SLRT/{yyyy}" in page
    assert client.post("/settings/letterhead", data={**form, "number_format": "400.9/{n}/SLRT/{mm}/{yyyy}"}
                       ).status_code == 302
    assert _upload(client, _png()).status_code == 302
    facts = sent_referral_facts(app)
    assert facts["number"].startswith("400.9/") and "/SLRT/" in facts["number"]
    data = _download(staff, facts).data
    content = " ".join(pdf_text(data).split())
    assert "PEMERINTAH KOTA BEKASI DINAS SOSIAL KOTA BEKASI" in content  # the kop, in capitals
    assert "Jl. Ir. H. Juanda No. 100, Bekasi" in content and "dinsos@bekasikota.go.id" in content
    (tmp_path / "letter.pdf").write_bytes(data)
    listing = subprocess.run(["pdfimages", "-list", str(tmp_path / "letter.pdf")], capture_output=True,
                             check=True).stdout.decode()
    images = [line.split() for line in listing.strip().splitlines()[2:]]
    assert [(i[2], i[3], i[4]) for i in images] == [("image", "200", "80")]  # the logo, as uploaded


def test_letterhead_is_for_configurers_only(staff):
    assert staff("case_officer", "bekasi").get("/settings/letterhead").status_code == 403
    assert _upload(staff("case_officer", "bekasi"), _png()).status_code == 403


def test_nip_is_eighteen_digits(app, staff):
    refused = _set_nip(app, staff, "cianjur", "case_officer", nip="19800101")
    assert refused.status_code == 422 and "18 angka" in refused.get_data(as_text=True)
    assert _set_nip(app, staff, "cianjur", "case_officer", nip="1980 0101 2005 01 1 002").status_code == 302
    with app.app_context(), tenant_context(tenant("cianjur")):
        assert member("case_officer@cianjur.demo")[1].nip == "198001012005011002"
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "config.staff.nip")).all()
        assert events
    with app.app_context(), tenant_context(tenant("cianjur")):
        membership_id = member("case_officer@cianjur.demo")[1].id
    assert staff("case_officer", "cianjur").post(f"/settings/staff/{membership_id}/nip",
                                                 data={"nip": NIP}).status_code == 403
