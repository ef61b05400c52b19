"""Attachment helpers: files made in memory (clean images, EXIF with GPS, bombs, PDFs) and uploads
through the real operation, for the attachment tests and the URL-map tests."""
from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.attachments.models import Attachment
from app.attachments.operations import attach, download_token
from app.casework.models import Case
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import member, tenant

#: Jakarta-ish: 6°14'30" S, 106°59'15" E.
GPS = {ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLatitude: (6.0, 14.0, 30.0),
       ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (106.0, 59.0, 15.0)}


def png_bytes(width: int = 40, height: int = 30, color=(20, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif(gps: bool = True, size=(64, 48)) -> bytes:
    """A JPEG carrying a camera make/model, a date and (optionally) where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KameraUji"
    exif[ExifTags.Base.Model] = "Model Rahasia"
    exif[ExifTags.Base.DateTime] = "2026:11:30 10:00:00"
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int, height: int) -> bytes:
    """A small PNG that claims `width` x `height` pixels (decoding it would take gigabytes)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\x00" * 4096))
            + _chunk(b"IEND", b""))


def pdf_with(catalog_extra: bytes = b"", compressed: bytes = b"") -> bytes:
    """A one-catalog PDF; `catalog_extra` goes into the catalog, `compressed` into a Flate stream."""
    body = (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
    if compressed:
        data = zlib.compress(compressed)
        body += (b"3 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
                 + str(len(data)).encode() + b" >>\nstream\n" + data + b"\nendstream\nendobj\n")
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def upload(data: bytes, name: str, content_type: str = "application/octet-stream") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type=content_type)


def attach_to_case(case_id, by: str, data: bytes | None = None, name: str = "foto.png", kind: str = "photo",
                   keep_location: bool = False, to_citizen: bool = False) -> dict:
    """Attach a file to the case (or its citizen) as `by`, in the current region; its facts."""
    case = db.session.scalar(select(Case).where(Case.id == case_id))
    user, _membership = member(by)
    owner = case.citizen if to_citizen else case
    row = attach(owner, upload(data if data is not None else png_bytes(), name), kind, user,
                 keep_location=keep_location)
    db.session.flush()
    return {"id": row.id, "case_id": case.id, "key": row.storage_key, "filename": row.filename}


def token_for(attachment_id, email: str) -> str:
    """A download token for `email`'s user (current region)."""
    user, _membership = member(email)
    return download_token(db.session.scalar(select(Attachment).where(Attachment.id == attachment_id)), user.id)


def file_on_case(slug: str, case_id, by: str):
    """A committed attachment on the case in region `slug` (from outside any tenant context); its id."""
    with tenant_context(tenant(slug)):
        facts = attach_to_case(case_id, by)
        db.session.commit()
    return facts["id"]
