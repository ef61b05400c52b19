"""Register (DTKS) helpers: generated register files (old five-column and full layout), uploads, confirming."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sqlalchemy import select

from app.citizens.extract_format import COLUMNS
from app.citizens.import_jobs import RegisterImportJob
from app.extensions import db
from app.reference.models import District, Village
from tests.helpers.regions import in_region

FIXTURES = Path(__file__).parent.parent / "fixtures"
HEADER = "nik,no_kk,nama,kode_wilayah,alamat\n"


def register_csv(n: int, *, district: str = "320301", village: str = "32.03.01.1006", year: str = "60") -> bytes:
    """`n` valid rows for Cianjur: NIKs born 01-01-<year>, four people per household."""
    lines = [HEADER]
    for i in range(n):
        lines.append(f"{district}0101{year}{i:04d},{district}88{i // 4:08d},Warga {i},{village},Jl. Uji {i // 4}\n")
    return "".join(lines).encode()


def member_row(kk: str | int, nik: str | int, name: str, village: str, **values) -> dict:
    """One row of the full layout; `values` by column name (desil, hubungan, program_keluarga, …)."""
    return {"no_kk": kk, "kode_wilayah": village, "alamat": values.pop("alamat", f"Jl. Uji {str(kk)[-4:]}"),
            "nik": nik, "nama": name, **values}


def extract_csv(rows: list[dict], *, delimiter: str = ",", encoding: str = "utf-8", bom: bool = False,
                columns: tuple[str, ...] = COLUMNS) -> bytes:
    """A file in the full layout (or `columns`) from row dicts; missing cells are empty."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode(encoding)


def extract_xlsx(rows: list[dict], columns: tuple[str, ...] = COLUMNS) -> bytes:
    """The same rows as an Excel workbook (one sheet)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content: bytes, name: str = "dtks.csv", *, run: bool = True):
    """Upload a register file; an accepted file's import job is run (inline already, or by a worker here)."""
    response = client.post("/register/import", data={"file": (io.BytesIO(content), name)},
                           content_type="multipart/form-data")
    if run and response.status_code == 302:
        from tests.helpers.reports import drain

        drain(client.app)
    return response


def pending_id(client) -> str | None:
    """The id of the import waiting for confirmation, read from the register page (None if there is none)."""
    page = client.get("/register/").get_data(as_text=True)
    found = re.search(r'/register/imports/([0-9a-f-]{36})/confirm"', page)
    return found.group(1) if found else None


def upload_and_confirm(client, content: bytes, name: str = "dtks.csv"):
    """Upload, let the job stage it, and confirm its preview: the file becomes the current extract."""
    response = upload(client, content, name)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    import_id = pending_id(client)
    assert import_id, "no preview to confirm: " + "; ".join(j.error for j in jobs_of(client)[:1])
    confirmed = client.post(f"/register/imports/{import_id}/confirm")
    assert confirmed.status_code == 302, confirmed.get_data(as_text=True)[:2000]
    from tests.helpers.reports import drain

    drain(client.app)  # the purge of older snapshots
    return import_id


IMPORT_SLUG = "batubara"
BATUBARA = "12.19"


def first_codes(app, slug: str = IMPORT_SLUG) -> tuple[str, str]:
    """The region's first district and village codes."""
    def load():
        from app.tenancy.context import tenant_in_context

        region = tenant_in_context().region_code
        district = db.session.scalar(select(District.code).where(District.regency_code == region)
                                     .order_by(District.code))
        return district, db.session.scalar(select(Village.code).where(Village.district_code == district)
                                           .order_by(Village.code))
    return in_region(app, slug, load)


def batubara_csv(app, n: int, year: str) -> bytes:
    """`n` valid rows for Batu Bara (first district and village of the region)."""
    district, village = first_codes(app)
    return register_csv(n, district=district.replace(".", ""), village=village, year=year)


def jobs(app, slug: str = IMPORT_SLUG) -> list[RegisterImportJob]:
    """The region's import jobs, newest first (detached, readable after the context)."""
    def load():
        found = list(db.session.scalars(select(RegisterImportJob).order_by(RegisterImportJob.created_at.desc())))
        for job in found:
            db.session.expunge(job)
        return found
    return in_region(app, slug, load)


def jobs_of(client) -> list[RegisterImportJob]:
    """The import jobs of the region `client` is signed in to, newest first (detached)."""
    return jobs(client.app, client.base_url.split("//", 1)[1].split(".", 1)[0])
