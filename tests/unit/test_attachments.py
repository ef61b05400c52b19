"""Attachments on a case and on its citizen: what is refused, what is kept of an image, who can reach a file.

The attacker's tests come first: a script or page dressed as an image, a PDF that runs code, a
file too big, a decompression bomb, a region or area that is not yours, a stale or borrowed link.
"""
from __future__ import annotations

import io
import uuid
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from itsdangerous import TimestampSigner
from PIL import ExifTags, Image
from sqlalchemy import select

from app.attachments.models import Attachment
from app.audit.models import AuditEvent
from app.casework.intake import CitizenData
from app.extensions import db
from app.reference.models import Village
from app.tenancy.context import tenant_context
from tests.factories import make_case, make_kk, make_nik, tenant, village_of
from tests.helpers.attachments import attach_to_case, jpeg_with_exif, pdf_with, png_bomb, png_bytes, token_for

REGION = "bekasi"
UPLOADER = f"intake_officer@{REGION}.demo"


def _case():
    return {"case_id": make_case(REGION).id}


def _attachment():
    case_id = make_case(REGION).id
    return {"attachment_id": attach_to_case(case_id, UPLOADER)["id"]}


def _download():
    facts = _attachment()
    return {**facts, "token": token_for(facts["attachment_id"], f"manager@{REGION}.demo")}


def _delete():
    case_id = make_case(REGION).id
    return {"case_id": case_id, "attachment_id": attach_to_case(case_id, UPLOADER)["id"]}


CROSS_TENANT = {
    "attachments.case_list": ("GET", _case),
    "attachments.upload": ("POST", _case),
    "attachments.download": ("GET", _download),
    "attachments.delete": ("POST", _delete),
}


def in_region(app, fn, slug=REGION):
    with app.app_context(), tenant_context(tenant(slug)):
        result = fn()
        db.session.commit()
        return result


def _other_village_case():
    """A case of a citizen living outside the demo facilitator's village."""
    home = village_of(REGION)
    other = db.session.scalar(select(Village).where(Village.district_code == home.district_code,
                                                    Village.code != home.code).order_by(Village.code))
    birth = date(1980, 1, 2)
    data = CitizenData(nik=make_nik(other.code, birth, "L"), kk_number=make_kk(other.code),
                       name=f"Warga Lain {uuid.uuid4().hex[:6]}", birth_date=birth, sex="L", address="Jl. Lain",
                       village_code=other.code)
    return make_case(REGION, data=data).id


def _post_file(client, case_id, data: bytes, name: str, kind="ktp", **extra):
    form = {"kind": kind, "owner": "case", **extra, "file": (io.BytesIO(data), name)}
    return client.post(f"/cases/{case_id}/attachments", data=form, content_type="multipart/form-data")


def _facts(row) -> SimpleNamespace:
    return SimpleNamespace(**{c.key: getattr(row, c.key) for c in Attachment.__table__.columns})


def _rows(app, case_id):
    return in_region(app, lambda: [_facts(r) for r in db.session.scalars(
        select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.uploaded_at))])


def _row(app, attachment_id):
    return in_region(app, lambda: _facts(db.session.scalar(select(Attachment).where(Attachment.id == attachment_id))))


def _stored_files(app) -> list[Path]:
    return [p for p in Path(app.config["ATTACHMENTS_DIR"]).rglob("*") if p.is_file()]


@pytest.fixture()
def case_id(app):
    return in_region(app, lambda: make_case(REGION).id)


# --- what is refused ----------------------------------------------------------------------------------

@pytest.mark.parametrize("data,name", [
    (b"<?php system($_GET['c']); ?>", "ktp.jpg"),
    (b"<!doctype html><script>alert(document.cookie)</script>", "kk.png"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "surat.pdf"),
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "foto.jpeg"),
])
def test_a_file_that_is_not_really_a_pdf_jpeg_or_png_is_refused(app, staff, case_id, data, name):
    before = set(_stored_files(app))
    response = _post_file(staff("intake_officer", REGION), case_id, data, name)
    assert response.status_code == 422
    assert "Jenis berkas tidak diterima" in response.get_data(as_text=True)
    assert _rows(app, case_id) == [] and set(_stored_files(app)) == before


@pytest.mark.parametrize("catalog,compressed", [
    (b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", b""),
    (b"/AA << /O << /S /Launch /F (cmd.exe) >> >>", b""),
    (b"/Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >>", b""),
    (b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>", b""),
    (b"", b"<< /S /JavaScript /JS (app.alert(1)) >>"),
])
def test_a_pdf_that_can_run_code_or_carry_files_is_refused(app, staff, case_id, catalog, compressed):
    response = _post_file(staff("intake_officer", REGION), case_id, pdf_with(catalog, compressed), "balasan.pdf",
                          kind="partner_reply")
    assert response.status_code == 422
    assert "PDF ini memuat skrip" in response.get_data(as_text=True)
    assert _rows(app, case_id) == []


def test_a_plain_pdf_is_kept_as_it_is(app, staff, case_id):
    pdf = pdf_with()
    assert _post_file(staff("intake_officer", REGION), case_id, pdf, "Balasan Dinas.pdf",
                      kind="partner_reply").status_code == 302
    [row] = _rows(app, case_id)
    assert (row.content_type, row.kind, row.size, row.filename) == ("application/pdf", "partner_reply", len(pdf),
                                                                    "Balasan_Dinas.pdf")


def test_an_oversized_file_is_refused(app, staff, case_id, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_MB", 1)
    big = png_bytes() + b"\x00" * (1024 * 1024)
    response = _post_file(staff("intake_officer", REGION), case_id, big, "besar.png")
    assert response.status_code == 422
    assert "terlalu besar" in response.get_data(as_text=True)
    assert _rows(app, case_id) == []


@pytest.mark.parametrize("width,height", [(100_000, 100_000), (12_000, 12_000)])
def test_an_image_bomb_is_refused_before_it_is_decoded(app, staff, case_id, width, height):
    response = _post_file(staff("intake_officer", REGION), case_id, png_bomb(width, height), "bom.png")
    assert response.status_code == 422
    assert "terlalu besar" in response.get_data(as_text=True)
    assert _rows(app, case_id) == []


def test_the_pixel_limit_is_the_regions_setting(app, staff, case_id, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_PIXELS", 1_000_000)
    response = _post_file(staff("intake_officer", REGION), case_id, png_bytes(2000, 1000), "lebar.png")
    assert response.status_code == 422 and "terlalu besar" in response.get_data(as_text=True)
    assert _rows(app, case_id) == []


def test_refusals_land_at_their_field_also_in_the_htmx_fragment(app, staff, case_id):
    client = staff("intake_officer", REGION)
    response = _post_file(client, case_id, png_bytes(), "a.png", kind="passport")
    assert response.status_code == 422 and 'id="kind-error"' in response.get_data(as_text=True)
    form = {"kind": "ktp", "owner": "case", "file": (io.BytesIO(b"<?php ?>"), "a.jpg")}
    fragment = client.post(f"/cases/{case_id}/attachments", data=form, content_type="multipart/form-data",
                           headers={"HX-Request": "true", "HX-Target": "lampiran"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 422 and 'id="file-error"' in html and "<html" not in html


# --- what is kept of an image ----------------------------------------------------------------------

def _download_bytes(app, client, attachment_id, email):
    token = in_region(app, lambda: token_for(attachment_id, email))
    response = client.get(f"/attachments/{attachment_id}/download?token={token}")
    assert response.status_code == 200
    return response


def test_exif_and_gps_are_stripped_from_an_uploaded_photo(app, staff, case_id):
    client = staff("intake_officer", REGION)
    assert _post_file(client, case_id, jpeg_with_exif(), "IMG_2041.JPG", kind="photo").status_code == 302
    [row] = _rows(app, case_id)
    image = Image.open(io.BytesIO(_download_bytes(app, client, row.id, UPLOADER).data))
    assert image.format == "JPEG" and dict(image.getexif()) == {}
    assert row.latitude is None and row.longitude is None


def test_gps_is_kept_only_when_the_field_asks_for_it(app, case_id):
    facts = in_region(app, lambda: attach_to_case(case_id, UPLOADER, jpeg_with_exif(), "rumah.jpg",
                                                  kind="photo", keep_location=True))
    row = _row(app, facts["id"])
    stored = Image.open(next(p for p in _stored_files(app) if p.name == Path(row.storage_key).name))
    exif = stored.getexif()
    assert ExifTags.Base.Make not in exif and ExifTags.Base.Model not in exif
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "S"
    assert round(row.latitude, 4) == -6.2417 and round(row.longitude, 4) == 106.9875
    # A scan of an ID card never keeps a location, even if asked.
    scan = in_region(app, lambda: attach_to_case(case_id, UPLOADER, jpeg_with_exif(), "ktp.jpg", kind="ktp",
                                                 keep_location=True))
    row = _row(app, scan["id"])
    stored = Image.open(next(p for p in _stored_files(app) if p.name == Path(row.storage_key).name))
    assert dict(stored.getexif()) == {} and row.latitude is None


def test_large_photos_are_scaled_down(app, case_id):
    facts = in_region(app, lambda: attach_to_case(case_id, UPLOADER, png_bytes(4000, 1000), "lebar.png"))
    path = next(p for p in _stored_files(app) if p.name == Path(facts["key"]).name)
    assert Image.open(path).size == (3000, 750)


def test_a_rolled_back_upload_leaves_no_file(app, case_id):
    with app.app_context(), tenant_context(tenant(REGION)):
        facts = attach_to_case(case_id, UPLOADER)
        assert any(p.name == Path(facts["key"]).name for p in _stored_files(app))
        db.session.rollback()
    assert not any(p.name == Path(facts["key"]).name for p in _stored_files(app))
    kept = in_region(app, lambda: attach_to_case(case_id, UPLOADER))  # committed: stays
    assert any(p.name == Path(kept["key"]).name for p in _stored_files(app))


def test_a_savepoint_inside_the_request_neither_keeps_nor_drops_the_file_early(app, case_id):
    """after_commit/after_rollback fire for SAVEPOINTs too: only the outer transaction decides."""
    with app.app_context(), tenant_context(tenant(REGION)):
        kept = attach_to_case(case_id, UPLOADER)
        try:
            with db.session.begin_nested():  # e.g. the citizen race's savepoint, refused
                raise RuntimeError("savepoint rolled back")
        except RuntimeError:
            pass
        with db.session.begin_nested():  # and one released
            pass
        db.session.commit()
        dropped = attach_to_case(case_id, UPLOADER)
        with db.session.begin_nested():
            pass
        db.session.rollback()
    names = {p.name for p in _stored_files(app)}
    assert Path(kept["key"]).name in names  # the outer transaction committed it
    assert Path(dropped["key"]).name not in names  # the outer transaction rolled back


def test_files_are_stored_outside_static_under_random_names(app, case_id, region_ids):
    facts = in_region(app, lambda: attach_to_case(case_id, UPLOADER, png_bytes(), "KTP Budi.png", kind="ktp"))
    [path] = [p for p in _stored_files(app) if p.name == Path(facts["key"]).name]
    root = Path(app.config["ATTACHMENTS_DIR"]).resolve()
    assert path.resolve().parent == root / str(region_ids[REGION])
    assert Path(app.static_folder).resolve() not in path.resolve().parents
    assert "Budi" not in path.name and len(path.name) >= 32
    assert facts["filename"] == "KTP_Budi.png"


# --- who reaches a file ---------------------------------------------------------------------------

def test_another_regions_user_gets_404_on_upload_list_and_download(app, staff, case_id):
    facts = in_region(app, lambda: attach_to_case(case_id, UPLOADER))
    intruder = staff("manager", "cianjur")
    assert _post_file(intruder, case_id, png_bytes(), "a.png").status_code == 404
    assert intruder.get(f"/cases/{case_id}/attachments").status_code == 404
    # Even a link signed for this very user (made in the owner region) opens nothing elsewhere.
    token = in_region(app, lambda: token_for(facts["id"], "manager@cianjur.demo"))
    assert intruder.get(f"/attachments/{facts['id']}/download?token={token}").status_code == 404
    assert len(_rows(app, case_id)) == 1


def test_an_expired_or_borrowed_link_is_404(app, staff, case_id, monkeypatch):
    facts = in_region(app, lambda: attach_to_case(case_id, UPLOADER))
    manager = staff("manager", REGION)
    url = f"/attachments/{facts['id']}/download?token="
    borrowed = in_region(app, lambda: token_for(facts["id"], UPLOADER))
    assert manager.get(url + borrowed).status_code == 404
    assert manager.get(url).status_code == 404
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda self: 1_000_000_000)
        stale = in_region(app, lambda: token_for(facts["id"], f"manager@{REGION}.demo"))
    assert manager.get(url + stale).status_code == 404
    fresh = in_region(app, lambda: token_for(facts["id"], f"manager@{REGION}.demo"))
    assert manager.get(url + fresh).status_code == 200


def test_a_member_outside_the_cases_area_gets_404(app, staff):
    case_id = in_region(app, _other_village_case)
    facts = in_region(app, lambda: attach_to_case(case_id, UPLOADER))
    citizen_file = in_region(app, lambda: attach_to_case(case_id, UPLOADER, to_citizen=True, kind="kk"))
    facilitator = staff("facilitator", REGION)
    assert facilitator.get(f"/cases/{case_id}/attachments").status_code == 404
    assert _post_file(facilitator, case_id, png_bytes(), "a.png").status_code == 404
    for attachment in (facts, citizen_file):
        token = in_region(app, lambda a=attachment: token_for(a["id"], f"facilitator@{REGION}.demo"))
        assert facilitator.get(f"/attachments/{attachment['id']}/download?token={token}").status_code == 404


def test_a_download_is_audited_and_served_as_a_private_attachment(app, staff, case_id):
    facts = in_region(app, lambda: attach_to_case(case_id, UPLOADER, name='"><script>.png', kind="photo"))
    client = staff("supervisor", REGION)
    response = _download_bytes(app, client, facts["id"], f"supervisor@{REGION}.demo")
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Disposition"] == "attachment; filename=script.png"
    actors = in_region(app, lambda: db.session.scalars(select(AuditEvent.actor).where(
        AuditEvent.action == "attachment.download", AuditEvent.object_id == str(facts["id"]))).all())
    assert actors == [f"supervisor@{REGION}.demo"]


def test_the_case_page_lists_case_and_citizen_files_with_links(app, staff, case_id):
    in_region(app, lambda: attach_to_case(case_id, UPLOADER, name="surat-balasan.png", kind="partner_reply"))
    in_region(app, lambda: attach_to_case(case_id, UPLOADER, name="kartu-keluarga.png", kind="kk",
                                          to_citizen=True))
    page = staff("manager", REGION).get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Lampiran" in page and "surat-balasan.png" in page and "kartu-keluarga.png" in page
    assert page.count("/download?token=") == 2


def test_only_the_uploader_or_a_manager_deletes_and_it_is_audited(app, staff, case_id):
    facts = in_region(app, lambda: attach_to_case(case_id, UPLOADER))
    url = f"/cases/{case_id}/attachments/{facts['id']}/delete"
    assert staff("supervisor", REGION).post(url).status_code == 403
    assert staff("intake_officer", REGION).post(url).status_code == 302
    assert staff("manager", REGION).post(url).status_code == 404  # already gone
    row = _row(app, facts["id"])
    assert row.deleted_at is not None
    token = in_region(app, lambda: token_for(facts["id"], f"manager@{REGION}.demo"))
    assert staff("manager", REGION).get(f"/attachments/{facts['id']}/download?token={token}").status_code == 404
    actions = in_region(app, lambda: db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_id == str(facts["id"]))).all())
    assert sorted(actions) == ["attachment.add", "attachment.delete"]
