"""The receipt: an HTML page and a PDF with the ticket, the path ahead and how to check — never the full NIK."""
import re
import subprocess

from app.extensions import db
from app.reports.receipt import handling_stages
from app.tenancy.context import current_tenant, tenant_context
from tests.factories import make_case, tenant
from tests.helpers.casework import new_case


def _case_in_current_region():
    return {"case_id": make_case(current_tenant.slug).id}


#: The builder runs inside the owner region's context (see test_cross_tenant_routes).
CROSS_TENANT = {
    "intake.receipt": ("GET", _case_in_current_region),
    "intake.receipt_pdf": ("GET", _case_in_current_region),
}


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def test_receipt_page(app, staff):
    case = new_case(app, "batubara")
    page = staff("intake_officer", "batubara").get(f"/intake/cases/{case['id']}/receipt").get_data(as_text=True)
    assert case["ticket"] in page and case["name"] in page
    assert case["nik"] not in page and case["nik"][:6] + "••••••" + case["nik"][-4:] in page
    assert "http://batubara.slrt.test/status" in page and "4 angka terakhir" in page
    assert all(stage.replace('"', "&#34;") in page for stage in case["stages"])
    assert f"/intake/cases/{case['id']}/receipt.pdf" in page and "Cetak tanda terima (PDF)" in page


def test_stages_follow_the_channel_and_skip_detours(app):
    with app.app_context(), tenant_context(tenant("bekasi")):
        from app.casework.sop_store import current_version
        sop = current_version().sop
        walk_in = handling_stages(sop, sop.channels["walk_in"].entry)
        home = handling_stages(sop, sop.channels["home_visit"].entry)
    assert walk_in[0] == sop.state("registered").label and walk_in[-1] == sop.state("closed").label
    assert sop.state("field_review").label not in walk_in
    assert home[0] == sop.state("field_review").label
    assert sop.state("field_returned").label not in home  # a detour, not the path


def test_receipt_pdf(app, staff):
    case = new_case(app, "bekasi")
    response = staff("intake_officer", "bekasi").get(f"/intake/cases/{case['id']}/receipt.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline") and f"tanda-terima-{case['ticket']}.pdf" in disposition
    text = pdf_text(response.data)
    assert case["ticket"] in text and case["service_name"] in text
    assert "http://bekasi.slrt.test/status" in text
    assert case["nik"] not in text and case["nik"][:6] + "••••••" + case["nik"][-4:] in text


def test_manager_may_see_a_receipt_but_not_another_regions(app, staff):
    case = new_case(app, "cianjur")
    assert staff("manager", "cianjur").get(f"/intake/cases/{case['id']}/receipt").status_code == 200
    assert staff("manager", "bekasi").get(f"/intake/cases/{case['id']}/receipt.pdf").status_code == 404


def test_receipt_without_phone_says_to_ask_the_officer(app, staff):
    with app.app_context(), tenant_context(tenant("cianjur")):
        from tests.factories import citizen_data
        case_id = make_case("cianjur", data=citizen_data("cianjur", phone="")).id
        db.session.commit()
    page = staff("intake_officer", "cianjur").get(f"/intake/cases/{case_id}/receipt").get_data(as_text=True)
    assert "Nomor telepon tidak dicatat" in page


def _receipt(**changes):
    from app.reports.receipt import Receipt

    facts = dict(ticket="PLG-2026-000042", received_at="07-12-2026 09:15 WIB", service_name="SLRT Uji",
                 region_name="Kota Uji", citizen_name="Siti Aminah", masked_nik="327501••••••0001",
                 service_area="Kesehatan", channel="Datang langsung", officer="Budi Santoso, Petugas Front Office",
                 officer_name="Budi Santoso", stages=[f"Tahap {i}" for i in range(1, 13)],
                 status_url="http://uji.slrt.test/status", has_phone=True,
                 complaint="Butuh bantuan biaya berobat untuk ibu yang dirawat di RSUD.")
    return Receipt(**{**facts, **changes})


def _receipt_text(app, **changes):
    from app.reports.pdf import RegionHeader
    from app.reports.receipt import receipt_pdf

    with app.test_request_context():
        return pdf_text(receipt_pdf(_receipt(**changes), RegionHeader("SLRT Uji", "Kota Uji", "Perwal 1/2026")))


def test_two_digit_stage_numbers_keep_their_space(app):
    """'10.Selesai': a number wider than the list's indent ran into its text."""
    text = _receipt_text(app)
    assert re.search(r"\b9\.\s+Tahap 9\b", text) and re.search(r"\b10\.\s+Tahap 10\b", text)
    assert re.search(r"\b12\.\s+Tahap 12\b", text) and not re.search(r"\d\.Tahap", text)


def test_receipt_pdf_has_the_complaint_and_signature_lines(app, staff):
    case = new_case(app, "bekasi")
    text = " ".join(pdf_text(staff("intake_officer", "bekasi").get(
        f"/intake/cases/{case['id']}/receipt.pdf").data).split())
    assert "Ringkasan pengaduan" in text and "Butuh bantuan biaya berobat." in text
    assert "Petugas penerima" in text and "Warga / pelapor" in text and case["name"] in text
    with app.app_context(), tenant_context(tenant("bekasi")):
        from tests.factories import member
        assert member("intake_officer@bekasi.demo")[0].name in text


def test_a_long_complaint_is_summarised(app, staff):
    long = "Rumah rusak berat setelah banjir dan keluarga membutuhkan bantuan. " * 40
    with app.app_context(), tenant_context(tenant("cianjur")):
        case = make_case("cianjur")
        case.complaint, case_id = long, case.id
        db.session.commit()
    response = staff("intake_officer", "cianjur").get(f"/intake/cases/{case_id}/receipt.pdf")
    text = " ".join(pdf_text(response.data).split())
    assert "Rumah rusak berat setelah banjir" in text and "…" in text
    assert text.count("Rumah rusak berat") < 10 and "Halaman 2" not in text  # a summary, one page


def test_receipt_page_shows_the_complaint_and_signature_lines(app, staff):
    case = new_case(app, "cianjur")
    page = staff("intake_officer", "cianjur").get(f"/intake/cases/{case['id']}/receipt").get_data(as_text=True)
    assert "Ringkasan pengaduan" in page and "Butuh bantuan biaya berobat." in page
    assert "Petugas penerima" in page and "Warga / pelapor" in page
